package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// The program's "Invited" view: who was invited, who applied (as what),
// declined or has not answered; invite from the directory (its filters),
// a department or location, everyone who may enroll, or a CSV; remind
// those who have not answered.

// programInvitePageSize is how many invitations, and directory people to
// choose from, the page lists at once.
const programInvitePageSize = 50

type programInvitationsPage struct {
	Page
	Program     *app.ProgramView
	Status      tandem.ProgramInviteStatus
	Statuses    []tandem.ProgramInviteStatus
	Invitations []tandem.ProgramInvitation
	Counts      map[string]int // by status
	Total       int            // of every status
	PrevURL     string
	NextURL     string
	// The directory to choose from, with its filter.
	Filter sqldb.PeopleFilter
	Facets sqldb.Facets
	People []tandem.Person
	Found  int
	Form   Form
	// Report is a CSV's problems, when refused.
	Report *tandem.ImportReport
}

func (s *Server) handleProgramInvitations(w http.ResponseWriter, r *http.Request) {
	s.showProgramInvitations(w, r, http.StatusOK, Form{}, nil)
}

func (s *Server) showProgramInvitations(w http.ResponseWriter, r *http.Request, code int, form Form, rep *tandem.ImportReport) {
	ctx := r.Context()
	id := programID(r)
	q := r.URL.Query()
	v, err := s.app.Program(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := &programInvitationsPage{Page: Page{Title: "Invited: " + v.Name, Nav: "programs"}, Program: v, Form: form, Report: rep,
		Status: tandem.ProgramInviteStatus(q.Get("status")), Statuses: tandem.ProgramInviteStatuses}
	offset := max(pageParam(q.Get("offset"), 0), 0)
	list, counts, err := s.app.ProgramInvitations(ctx, id, p.Status, programInvitePageSize, offset)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Invitations, p.Counts = list, map[string]int{}
	for st, n := range counts {
		p.Counts[string(st)] = n
		p.Total += n
	}
	shown := p.Total
	if p.Status != "" {
		shown = counts[p.Status]
	}
	page := func(off int) string {
		pq := url.Values{"offset": {strconv.Itoa(off)}}
		if p.Status != "" {
			pq.Set("status", string(p.Status))
		}
		return fmt.Sprintf("/programs/%d/invitations?%s", id, pq.Encode())
	}
	if offset > 0 {
		p.PrevURL = page(max(0, offset-programInvitePageSize))
	}
	if offset+len(p.Invitations) < shown {
		p.NextURL = page(offset + programInvitePageSize)
	}
	// The directory to choose from: shown once searched or filtered.
	p.Filter = filterFromQuery(q)
	p.Filter.Limit, p.Filter.Offset = programInvitePageSize, 0
	if p.Facets, err = s.app.DirectoryFacets(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Filter.Query != "" || p.Filter.Department != "" || p.Filter.Location != "" {
		if p.People, p.Found, err = s.app.SearchPeople(ctx, p.Filter); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, code, "program_invitations", p)
}

// handleProgramInvite invites what the form asks: scope=selected (the
// ticked people), department, location or eligible (everyone who may
// enroll).
func (s *Server) handleProgramInvite(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	in, err := programInviteFromForm(r.PostForm)
	if err == nil {
		var res *sqldb.ProgramInviteResult
		if res, err = s.app.InviteToProgram(r.Context(), programID(r), in); err == nil {
			s.redirect(w, r, fmt.Sprintf("/programs/%d/invitations", programID(r)), app.ProgramInviteSummary(res))
			return
		}
	}
	s.inviteRefused(w, r, err, nil)
}

// inviteRefused shows the page again with the reason, or the error page.
func (s *Server) inviteRefused(w http.ResponseWriter, r *http.Request, err error, rep *tandem.ImportReport) {
	switch tandem.ErrorCode(err) {
	case tandem.EINVALID, tandem.ECONFLICT, tandem.ETOOLARGE:
		form := formFrom(r, err)
		if len(form.Errors) == 0 && (rep == nil || rep.OK()) {
			form.Errors = map[string]string{"selection": tandem.ErrorMessage(err)}
		}
		s.showProgramInvitations(w, r, s.status(r, err), form, rep)
	default:
		s.serverError(w, r, err)
	}
}

func programInviteFromForm(form url.Values) (app.ProgramInvite, error) {
	var in app.ProgramInvite
	switch form.Get("scope") {
	case "selected":
		ids, err := tickedPeople(form)
		if err != nil {
			return in, err
		}
		in.PersonIDs = ids
	case "department":
		if in.Department = strings.TrimSpace(form.Get("department")); in.Department == "" {
			return in, &tandem.Error{Code: tandem.EINVALID, Message: "Choose a department.", Fields: map[string]string{"department": "Choose a department."}}
		}
	case "location":
		if in.Location = strings.TrimSpace(form.Get("location")); in.Location == "" {
			return in, &tandem.Error{Code: tandem.EINVALID, Message: "Choose a location.", Fields: map[string]string{"location": "Choose a location."}}
		}
	case "eligible":
		in.AllEligible = true
	default:
		return in, &tandem.Error{Code: tandem.EINVALID, Message: "Choose whom to invite.",
			Fields: map[string]string{"selection": "Choose people, a department, a location, or everyone who may enroll."}}
	}
	return in, nil
}

// handleProgramInviteCSV invites the addresses of an uploaded CSV (an
// email column): all or nothing, every bad line listed.
func (s *Server) handleProgramInviteCSV(w http.ResponseWriter, r *http.Request) {
	defer io.Copy(io.Discard, r.Body) // see handleImport
	file, err := uploadedFile(r, "file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = tandem.Errorf(tandem.ETOOLARGE, "The file is larger than %d MiB; split it into several files.", app.MaxImportBytes>>20)
		} else {
			err = &tandem.Error{Code: tandem.EINVALID, Message: "Choose a CSV file to upload.", Fields: map[string]string{"file": "Choose a CSV file to upload."}}
		}
		s.inviteRefused(w, r, err, nil)
		return
	}
	res, err := s.app.InviteToProgramCSV(r.Context(), programID(r), file)
	if err != nil {
		var rep *tandem.ImportReport
		if res != nil {
			rep = res.Problems
		}
		if rep != nil && !rep.OK() {
			err = &tandem.Error{Code: tandem.EINVALID, Message: tandem.ErrorMessage(err), Fields: map[string]string{"file": tandem.ErrorMessage(err)}}
		}
		s.inviteRefused(w, r, err, rep)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/programs/%d/invitations", programID(r)), app.ProgramInviteSummary(res))
}

func (s *Server) handleProgramRemind(w http.ResponseWriter, r *http.Request) {
	res, err := s.app.RemindProgramInvitations(r.Context(), programID(r))
	if err != nil {
		s.inviteRefused(w, r, err, nil)
		return
	}
	msg := fmt.Sprintf("Reminded %d %s.", res.Reminded, plural(res.Reminded, "person", "people"))
	if res.TooSoon > 0 {
		msg += fmt.Sprintf(" %d invited less than a day ago: not reminded yet.", res.TooSoon)
	}
	s.redirect(w, r, fmt.Sprintf("/programs/%d/invitations?status=not_answered", programID(r)), msg)
}

// handleDeclineInvitation: the invitee says the program is not for them.
func (s *Server) handleDeclineInvitation(w http.ResponseWriter, r *http.Request) {
	s.programAction(w, r, "Thank you: the program's admins know, and you will not be reminded.", func(id int64) error {
		return s.app.DeclineProgramInvitation(r.Context(), id)
	})
}
