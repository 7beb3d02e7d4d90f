package web

import (
	"net/http"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// bulkInviteJSON is the answer of POST /api/v1/invitations/bulk: person by
// person what was done (or, with dry_run, would be), and the counts.
type bulkInviteJSON struct {
	DryRun         bool             `json:"dry_run"`
	Invited        []tandem.Invitee `json:"invited"`
	Resent         []tandem.Invitee `json:"resent"`
	AlreadyInvited []tandem.Invitee `json:"already_invited"`
	Members        []tandem.Invitee `json:"members"`
	Unknown        []string         `json:"unknown"`
	Counts         map[string]int   `json:"counts"`
}

// BulkInviteJSON is the stable JSON of a bulk invitation, shared by the
// API and `tandem people invite --json`: every list present (empty, not
// null).
func BulkInviteJSON(res *sqldb.BulkInviteResult, dryRun bool) any {
	nonNil := func(l []tandem.Invitee) []tandem.Invitee {
		if l == nil {
			return []tandem.Invitee{}
		}
		return l
	}
	out := bulkInviteJSON{DryRun: dryRun, Invited: nonNil(res.Invited), Resent: nonNil(res.Resent),
		AlreadyInvited: nonNil(res.AlreadyInvited), Members: nonNil(res.Members), Unknown: res.Unknown}
	if out.Unknown == nil {
		out.Unknown = []string{}
	}
	out.Counts = map[string]int{"invited": len(out.Invited), "resent": len(out.Resent), "already_invited": len(out.AlreadyInvited),
		"members": len(out.Members), "unknown": len(out.Unknown)}
	return out
}

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
	writeJSON(w, http.StatusOK, BulkInviteJSON(res, in.DryRun))
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
