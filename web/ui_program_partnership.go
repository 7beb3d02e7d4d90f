package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// The program's "Partnerships" view for its admins and administrators:
// the partnerships it proposed and its self-serve requests, status only
// (no agreement, no notes, no request message), each list a page at a
// time (offset for the partnerships, roffset for the requests).

// programPartnershipPageSize is how many rows of each list a page shows.
const programPartnershipPageSize = 50

type programPartnershipsPage struct {
	Page
	Program                *app.ProgramView
	Partnerships           []sqldb.ProgramPartnership
	Total                  int
	PrevURL, NextURL       string
	Requests               []sqldb.ProgramRequestStatus
	RequestTotal           int
	ReqPrevURL, ReqNextURL string
}

func (s *Server) handleProgramPartnerships(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := programID(r)
	q := r.URL.Query()
	v, err := s.app.Program(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := &programPartnershipsPage{Page: Page{Title: "Partnerships: " + v.Name, Nav: "programs"}, Program: v}
	offset := max(pageParam(q.Get("offset"), 0), 0)
	roffset := max(pageParam(q.Get("roffset"), 0), 0)
	if p.Partnerships, p.Total, err = s.app.ProgramPartnerships(ctx, id, programPartnershipPageSize, offset); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Requests, p.RequestTotal, err = s.app.ProgramRequestStatuses(ctx, id, programPartnershipPageSize, roffset); err != nil {
		s.serverError(w, r, err)
		return
	}
	page := func(off, roff int, anchor string) string {
		pq := url.Values{}
		if off > 0 {
			pq.Set("offset", strconv.Itoa(off))
		}
		if roff > 0 {
			pq.Set("roffset", strconv.Itoa(roff))
		}
		return fmt.Sprintf("/programs/%d/partnerships?%s#%s", id, pq.Encode(), anchor)
	}
	if offset > 0 {
		p.PrevURL = page(max(0, offset-programPartnershipPageSize), roffset, "partnerships")
	}
	if offset+len(p.Partnerships) < p.Total {
		p.NextURL = page(offset+programPartnershipPageSize, roffset, "partnerships")
	}
	if roffset > 0 {
		p.ReqPrevURL = page(offset, max(0, roffset-programPartnershipPageSize), "requests")
	}
	if roffset+len(p.Requests) < p.RequestTotal {
		p.ReqNextURL = page(offset, roffset+programPartnershipPageSize, "requests")
	}
	s.render(w, r, http.StatusOK, "program_partnerships", p)
}
