package web

import (
	"net/http"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

func (s *Server) apiBulkInvite(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PersonIDs    []int64  `json:"person_ids"`
		Emails       []string `json:"emails"`
		Department   string   `json:"department"`
		Query        string   `json:"query"`
		AllUninvited bool     `json:"all_uninvited"`
		Resend       bool     `json:"resend"`
		DryRun       bool     `json:"dry_run"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	req := app.BulkInvite{PersonIDs: in.PersonIDs, Emails: in.Emails, AllUninvited: in.AllUninvited, Resend: in.Resend, DryRun: in.DryRun}
	if in.Department != "" || in.Query != "" {
		req.Filter = &sqldb.PeopleFilter{Department: in.Department, Query: in.Query}
	}
	res, err := s.app.InviteMany(r.Context(), req)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, app.BulkInviteReport(res, in.DryRun))
}

// apiInvitees lists the directory with each person's latest invitation:
// the directory's filters, and status.
func (s *Server) apiInvitees(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := filterFromQuery(q)
	status := tandem.InviteStatus(q.Get("status"))
	switch status {
	case "", tandem.InviteMember, tandem.InvitePending, tandem.InviteExpired, tandem.InviteNotInvited:
	default:
		s.apiError(w, r, &tandem.Error{Code: tandem.EINVALID, Message: "Check the status.",
			Fields: map[string]string{"status": "Use not_invited, invited, expired or member."}})
		return
	}
	list, total, err := s.app.Invitees(r.Context(), f, status)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if list == nil {
		list = []tandem.Invitee{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"people": list, "total": total})
}
