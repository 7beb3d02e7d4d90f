package web

import (
	"net/http"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// The program invitations API: /api/v1/programs/{id}/invitations (list,
// invite, remind) and the invitee's decline.

type programInvitationJSON struct {
	ID                int64                      `json:"id"`
	Person            personRefJSON              `json:"person"`
	InvitedBy         *inviterJSON               `json:"invited_by,omitempty"` // absent when the operator invited
	Status            tandem.ProgramInviteStatus `json:"status"`
	Role              tandem.ApplicationRole     `json:"role,omitempty"`               // when applied
	ApplicationStatus tandem.ApplicationStatus   `json:"application_status,omitempty"` // when applied
	InvitedAt         time.Time                  `json:"invited_at"`
	SentAt            time.Time                  `json:"sent_at"`
	Sends             int                        `json:"sends"`
	DeclinedAt        *time.Time                 `json:"declined_at,omitempty"`
}

// inviterJSON names who invited.
type inviterJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func toProgramInvitationJSON(iv *tandem.ProgramInvitation) programInvitationJSON {
	out := programInvitationJSON{ID: iv.ID, Person: personRefJSON{ID: iv.Person.ID, Name: iv.Person.Name, Email: iv.Person.Email},
		Status: iv.Status, Role: iv.Role, ApplicationStatus: iv.ApplicationStatus, InvitedAt: iv.InvitedAt.UTC(), SentAt: iv.SentAt.UTC(),
		Sends: iv.Sends, DeclinedAt: iv.DeclinedAt}
	if iv.InvitedBy.ID != 0 {
		out.InvitedBy = &inviterJSON{ID: iv.InvitedBy.ID, Name: iv.InvitedBy.Name}
	}
	return out
}

func (s *Server) apiProgramInvitations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	list, counts, err := s.app.ProgramInvitations(r.Context(), programID(r), tandem.ProgramInviteStatus(q.Get("status")),
		pageParam(q.Get("limit"), 1), pageParam(q.Get("offset"), 0))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]programInvitationJSON, len(list))
	for i := range list {
		out[i] = toProgramInvitationJSON(&list[i])
	}
	c := map[string]int{}
	total := 0
	for _, st := range tandem.ProgramInviteStatuses {
		c[string(st)] = counts[st]
		total += counts[st]
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": out, "counts": c, "total": total})
}

func (s *Server) apiProgramInvite(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		PersonIDs   []int64  `json:"person_ids"`
		Emails      []string `json:"emails"`
		Department  string   `json:"department"`
		Location    string   `json:"location"`
		AllEligible bool     `json:"all_eligible"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := s.app.InviteToProgram(r.Context(), programID(r), app.ProgramInvite{PersonIDs: in.PersonIDs, Emails: in.Emails,
		Department: in.Department, Location: in.Location, AllEligible: in.AllEligible})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, app.ProgramInviteReport(res))
}

func (s *Server) apiProgramRemind(w http.ResponseWriter, r *http.Request) {
	res, err := s.app.RemindProgramInvitations(r.Context(), programID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"reminded": res.Reminded, "too_soon": res.TooSoon})
}

func (s *Server) apiDeclineInvitation(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DeclineProgramInvitation(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
