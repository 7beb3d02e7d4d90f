package web

import (
	"fmt"
	"net/http"

	"github.com/tandemhq/tandem"
)

// deactivatePage asks an administrator to confirm that a person left,
// saying what will happen: sign-in ends, and which engagements end.
type deactivatePage struct {
	Page
	Person      *tandem.Person
	Engagements []tandem.Engagement
	Form        Form
}

func (s *Server) showDeactivate(w http.ResponseWriter, r *http.Request, status int, form Form) {
	p, es, err := s.app.DeactivationPreview(r.Context(), personID(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "deactivate", &deactivatePage{Page: Page{Title: "Deactivate " + p.Name, Nav: "people"}, Person: p, Engagements: es, Form: form})
}

func (s *Server) handleDeactivateForm(w http.ResponseWriter, r *http.Request) {
	s.showDeactivate(w, r, http.StatusOK, Form{})
}

func (s *Server) handleDeactivate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := personID(r)
	d, err := s.app.Deactivate(r.Context(), id, r.PostForm.Get("reason"))
	switch tandem.ErrorCode(err) {
	case "":
		msg := d.Person.Name + " was deactivated and can no longer sign in."
		if n := len(d.Ended); n > 0 {
			msg += fmt.Sprintf(" %d open %s ended.", n, plural(n, "engagement", "engagements"))
		}
		to := fmt.Sprintf("/people/%d", id)
		if id == tandem.ActorFrom(r.Context()).Person.ID {
			to = "/signin" // the session ended with the deactivation
		}
		s.redirect(w, r, to, msg)
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showDeactivate(w, r, s.status(r, err), formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleReactivate(w http.ResponseWriter, r *http.Request) {
	id := personID(r)
	p, err := s.app.Reactivate(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/people/%d", id), p.Name+" was reactivated and can sign in again. Engagements that ended stay ended.")
}
