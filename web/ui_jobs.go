package web

import (
	"net/http"
	"strconv"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// The administrators' queue page: their organization's background jobs
// (the email Tandem sends for them), counts by state, the latest jobs with
// their errors, and a retry for a job that failed for good.

type jobsPage struct {
	Page
	Queue  *app.JobQueue
	States []string
	Form   Form
}

func (s *Server) handleJobs(w http.ResponseWriter, r *http.Request) {
	s.showJobs(w, r, http.StatusOK, Form{})
}

func (s *Server) showJobs(w http.ResponseWriter, r *http.Request, status int, f Form) {
	q, err := s.app.Jobs(r.Context(), r.URL.Query().Get("state"))
	if tandem.ErrorCode(err) == tandem.EINVALID {
		// A made-up filter: say so, and show everything.
		f = Form{Message: tandem.ErrorMessage(err), Errors: tandem.ErrorFields(err)}
		status = s.status(r, err)
		q, err = s.app.Jobs(r.Context(), "")
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "jobs", &jobsPage{Page: Page{Title: "Background jobs", Nav: "admin"}, Queue: q,
		States: append([]string{"failed"}, app.JobStates...), Form: f})
}

func (s *Server) handleRetryJob(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	j, err := s.app.RetryJob(r.Context(), id)
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/admin/jobs", "Job "+strconv.FormatInt(j.ID, 10)+" ("+j.Kind+") will run again now.")
	case tandem.ECONFLICT:
		s.showJobs(w, r, s.status(r, err), Form{Message: tandem.ErrorMessage(err)})
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) apiJobs(w http.ResponseWriter, r *http.Request) {
	q, err := s.app.Jobs(r.Context(), r.URL.Query().Get("state"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, q)
}

func (s *Server) apiRetryJob(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	j, err := s.app.RetryJob(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}
