package web

import (
	"net/http"
	"strconv"

	"github.com/tandemhq/tandem"
)

// Self-serve matching on the program's page: the program admins' choice
// of matching mode, a mentee's suggestions and request, a mentor's
// answers. Each form posts here and comes back to the program's page,
// with the error beside its form when refused.

func requestID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("request"), 10, 64)
	return id
}

func (s *Server) handleMatchingMode(w http.ResponseWriter, r *http.Request) {
	s.programAction(w, r, "Matching mode saved.", func(id int64) error {
		return s.app.SetMatchingMode(r.Context(), id, tandem.MatchingMode(r.PostForm.Get("mode")))
	})
}

func (s *Server) handleAskMentor(w http.ResponseWriter, r *http.Request) {
	s.programAction(w, r, "Request sent: you will hear when the mentor answers.", func(id int64) error {
		if err := s.app.CheckParticipant(r.Context(), id, tandem.AsMentee); err != nil {
			return err
		}
		mentor, err := strconv.ParseInt(r.PostForm.Get("mentor_id"), 10, 64)
		if err != nil {
			msg := "Choose one of the suggested mentors."
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"mentor_id": msg}}
		}
		_, err = s.app.AskMentor(r.Context(), id, mentor, r.PostForm.Get("message"))
		return err
	})
}

func (s *Server) handleAnswerRequest(accept bool) http.HandlerFunc {
	done := "Request declined: the mentee may ask someone else."
	if accept {
		done = "Request accepted: your partnership is proposed; read its outcome agreement under Engagements."
	}
	return func(w http.ResponseWriter, r *http.Request) {
		s.programAction(w, r, done, func(id int64) error {
			_, err := s.app.AnswerRequest(r.Context(), id, requestID(r), accept)
			return err
		})
	}
}

func (s *Server) handleCancelRequest(w http.ResponseWriter, r *http.Request) {
	s.programAction(w, r, "Request cancelled.", func(id int64) error {
		_, err := s.app.CancelRequest(r.Context(), id, requestID(r))
		return err
	})
}
