package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// invitePageSize is how many people the invitations page lists at once.
const invitePageSize = 50

// invitePage lists the directory with where each person stands with
// joining (not invited, invited when, accepted when), filtered as the
// directory is, and invites a selection, everyone matching, or everyone
// not yet invited.
type invitePage struct {
	Page
	Form       Form
	Filter     sqldb.PeopleFilter
	Status     tandem.InviteStatus
	Statuses   []tandem.InviteStatus
	People     []tandem.Invitee
	Total      int
	Facets     sqldb.Facets
	Hidden     url.Values // the filter, carried by the invite form
	PrevURL    string
	NextURL    string
	FirstShown int
	LastShown  int
}

// StatusLabel names an invitation status for people.
func (p *invitePage) StatusLabel(s tandem.InviteStatus) string {
	switch s {
	case tandem.InviteMember:
		return "Has an account"
	case tandem.InvitePending:
		return "Invited"
	case tandem.InviteExpired:
		return "Invitation expired"
	case tandem.InviteNotInvited:
		return "Not invited yet"
	}
	return "Anyone"
}

func (s *Server) handleInvitations(w http.ResponseWriter, r *http.Request) {
	s.showInvitations(w, r, http.StatusOK, r.URL.Query(), Form{})
}

func (s *Server) showInvitations(w http.ResponseWriter, r *http.Request, code int, q url.Values, form Form) {
	ctx := r.Context()
	f := filterFromQuery(q)
	f.Limit = invitePageSize
	status := tandem.InviteStatus(q.Get("status"))
	p := &invitePage{Page: Page{Title: "Invite people", Nav: "admin"}, Form: form, Filter: f, Status: status,
		Statuses: []tandem.InviteStatus{tandem.InviteNotInvited, tandem.InvitePending, tandem.InviteExpired, tandem.InviteMember}}
	var err error
	if p.People, p.Total, err = s.app.Invitees(ctx, f, status); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Facets, err = s.app.DirectoryFacets(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Hidden = url.Values{}
	for _, k := range []string{"q", "department", "location", "skill", "coach", "mentor", "status"} {
		if v := q.Get(k); v != "" {
			p.Hidden.Set(k, v)
		}
	}
	if len(p.People) > 0 {
		p.FirstShown, p.LastShown = f.Offset+1, f.Offset+len(p.People)
	}
	page := func(offset int) string {
		pq := url.Values{}
		for k, v := range p.Hidden {
			pq[k] = v
		}
		pq.Set("offset", strconv.Itoa(offset))
		return "/admin/invitations?" + pq.Encode()
	}
	if f.Offset > 0 {
		p.PrevURL = page(max(0, f.Offset-invitePageSize))
	}
	if f.Offset+len(p.People) < p.Total {
		p.NextURL = page(f.Offset + invitePageSize)
	}
	s.render(w, r, code, "invitations", p)
}

// handleBulkInvite invites what the form asks: scope=selected (the
// checked person ids), scope=matching (everyone the filter matches), or
// scope=uninvited (everyone not yet invited); resend=1 emails open
// invitations again.
func (s *Server) handleBulkInvite(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	in, err := bulkInviteFromForm(r.PostForm)
	if err == nil {
		var res *sqldb.BulkInviteResult
		if res, err = s.app.InviteMany(r.Context(), in); err == nil {
			back := "/admin/invitations"
			if q := filterValues(r.PostForm).Encode(); q != "" {
				back += "?" + q
			}
			s.redirect(w, r, back, bulkInviteSummary(res))
			return
		}
	}
	switch tandem.ErrorCode(err) {
	case tandem.EINVALID:
		s.showInvitations(w, r, s.status(r, err), filterValues(r.PostForm), formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

// filterValues are the directory filter's fields of a form.
func filterValues(form url.Values) url.Values {
	q := url.Values{}
	for _, k := range []string{"q", "department", "location", "skill", "coach", "mentor", "status"} {
		if v := form.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func bulkInviteFromForm(form url.Values) (app.BulkInvite, error) {
	in := app.BulkInvite{Resend: form.Get("resend") != ""}
	switch form.Get("scope") {
	case "selected":
		ids, err := tickedPeople(form)
		if err != nil {
			return in, err
		}
		in.PersonIDs = ids
	case "matching":
		f := filterFromQuery(filterValues(form))
		f.Offset, f.Limit = 0, 0
		in.Filter = &f
		// With a status filter, "everyone matching" means those of it an
		// invitation can reach: the not invited and the expired.
		if st := tandem.InviteStatus(form.Get("status")); st == tandem.InviteNotInvited || st == tandem.InviteExpired {
			in.AllUninvited = true
		}
	case "uninvited":
		in.AllUninvited = true
	default:
		return in, &tandem.Error{Code: tandem.EINVALID, Message: "Choose whom to invite.", Fields: map[string]string{"selection": "Choose people, everyone matching, or everyone not yet invited."}}
	}
	return in, nil
}

// tickedPeople reads the person ids ticked in a list of people; at least
// one.
func tickedPeople(form url.Values) ([]int64, error) {
	var ids []int64
	for _, v := range form["person"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose people from the list.", Fields: map[string]string{"selection": "Not a person."}}
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "Choose whom to invite.", Fields: map[string]string{"selection": "Tick at least one person."}}
	}
	return ids, nil
}

// bulkInviteSummary says what a bulk invitation did, in one sentence.
func bulkInviteSummary(res *sqldb.BulkInviteResult) string {
	parts := []string{fmt.Sprintf("Invited %d %s.", len(res.Invited), plural(len(res.Invited), "person", "people"))}
	if n := len(res.Resent); n > 0 {
		parts = append(parts, fmt.Sprintf("Sent %d open %s again.", n, plural(n, "invitation", "invitations")))
	}
	if n := len(res.AlreadyInvited); n > 0 {
		parts = append(parts, fmt.Sprintf("%d already invited (not sent again; use Resend).", n))
	}
	if n := len(res.Members); n > 0 {
		parts = append(parts, fmt.Sprintf("%d already %s an account.", n, plural(n, "has", "have")))
	}
	return strings.Join(parts, " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
