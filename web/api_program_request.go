package web

import (
	"net/http"
	"time"

	"github.com/tandemhq/tandem"
)

// The self-serve matching API: the program's matching mode, a mentee's
// suggestions, and requests to mentors (ask, accept, decline, cancel).

type matchingJSON struct {
	Mode tandem.MatchingMode `json:"mode"`
	Open bool                `json:"open"`
	Why  string              `json:"why"`
}

type suggestionJSON struct {
	Mentor   personRefJSON `json:"mentor"`
	Score    float64       `json:"score"`
	MaxScore float64       `json:"max_score"`
	Reasons  []string      `json:"reasons"`
	Spare    int           `json:"spare"`
}

type requestJSON struct {
	ID           int64                `json:"id"`
	ProgramID    int64                `json:"program_id"`
	Mentee       personRefJSON        `json:"mentee"`
	Mentor       personRefJSON        `json:"mentor"`
	Message      string               `json:"message"`
	Status       tandem.RequestStatus `json:"status"`
	Score        float64              `json:"score"`
	Reasons      []string             `json:"reasons"`
	CreatedAt    time.Time            `json:"created_at"`
	AnsweredAt   *time.Time           `json:"answered_at,omitempty"`
	EngagementID int64                `json:"engagement_id,omitempty"`
}

func toRequestJSON(r *tandem.MentorRequest) requestJSON {
	out := requestJSON{ID: r.ID, ProgramID: r.ProgramID, Mentee: toPersonRefJSON(r.Mentee), Mentor: toPersonRefJSON(r.Mentor), Message: r.Message,
		Status: r.Status, Score: r.Score, Reasons: r.Reasons, CreatedAt: r.CreatedAt, AnsweredAt: r.AnsweredAt, EngagementID: r.EngagementID}
	out.Reasons = orEmpty(out.Reasons)
	return out
}

func (s *Server) apiMatchingMode(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.SelfServe(r.Context(), programID(r), 0)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, matchingJSON{Mode: v.Mode, Open: v.Open, Why: v.Why})
}

func (s *Server) apiSetMatchingMode(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		Mode tandem.MatchingMode `json:"mode"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.app.SetMatchingMode(r.Context(), programID(r), in.Mode); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiMatchingMode(w, r)
}

func (s *Server) apiSuggestions(w http.ResponseWriter, r *http.Request) {
	// A bad limit is -1, which the app refuses once it knows who asks.
	v, err := s.app.Suggestions(r.Context(), programID(r), pageParam(r.URL.Query().Get("limit"), 1))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		matchingJSON
		Suggestions []suggestionJSON `json:"suggestions"`
	}{matchingJSON{Mode: v.Mode, Open: v.Open, Why: v.Why}, make([]suggestionJSON, len(v.Suggestions))}
	for i, sg := range v.Suggestions {
		out.Suggestions[i] = suggestionJSON{Mentor: toPersonRefJSON(sg.Mentor), Score: sg.Score, MaxScore: sg.MaxScore, Reasons: sg.Reasons, Spare: sg.Spare}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiMentorRequests(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.MentorRequests(r.Context(), programID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]requestJSON, len(list))
	for i := range list {
		out[i] = toRequestJSON(&list[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": out})
}

func (s *Server) apiAskMentor(w http.ResponseWriter, r *http.Request) {
	if err := s.app.CheckParticipant(r.Context(), programID(r), tandem.AsMentee); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		MentorID int64  `json:"mentor_id"`
		Message  string `json:"message"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	req, err := s.app.AskMentor(r.Context(), programID(r), in.MentorID, in.Message)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toRequestJSON(req))
}

func (s *Server) apiAnswerRequest(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, err := s.app.AnswerRequest(r.Context(), programID(r), requestID(r), accept)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, toRequestJSON(req))
	}
}

func (s *Server) apiCancelRequest(w http.ResponseWriter, r *http.Request) {
	req, err := s.app.CancelRequest(r.Context(), programID(r), requestID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRequestJSON(req))
}
