package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// orgEngagementsPage is the organization's engagement list of
// administrators and program admins: filters, counts, CSV.
type orgEngagementsPage struct {
	Page
	Form   Form
	List   *app.EngagementList
	Skills []tandem.Skill
	Phases []tandem.Phase
	// Query is the filter as a query string, for the CSV link.
	Query string
}

// Count returns how many engagements the filter keeps with a status.
func (p *orgEngagementsPage) Count(status string) int {
	if p.List == nil {
		return 0
	}
	return p.List.Counts[tandem.Status(status)]
}

// engagementQuery reads the list's filters from a query string; the page
// and the API take the same parameters.
func engagementQuery(q url.Values) app.EngagementQuery {
	eq := app.EngagementQuery{Kind: q.Get("kind"), Status: q.Get("status"), Phase: q.Get("phase"), Skill: q.Get("skill"),
		Waiting: q.Get("waiting"), Ending: q.Get("ending"), Party: q.Get("party")}
	switch q.Get("stalled") {
	case "1", "true", "on":
		eq.Stalled = true
	}
	eq.Limit = pageParam(q.Get("limit"), 1)
	eq.Offset = pageParam(q.Get("offset"), 0)
	return eq
}

// engagementFilterValues keeps the filter's parameters of a query, for links.
func engagementFilterValues(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"kind", "status", "phase", "skill", "stalled", "waiting", "ending", "party"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

func (s *Server) handleAllEngagements(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := &orgEngagementsPage{Page: Page{Title: "All engagements", Nav: "engagements"}, Form: Form{Values: q}, Phases: tandem.Phases,
		Query: engagementFilterValues(q).Encode()}
	list, err := s.app.ListAllEngagements(ctx, engagementQuery(q))
	status := http.StatusOK
	switch {
	case err == nil:
		p.List = list
	case isInput(err) && tandem.ErrorCode(err) == tandem.EINVALID:
		p.Form.Errors, p.Form.Message = tandem.ErrorFields(err), tandem.ErrorMessage(err)
		status = http.StatusUnprocessableEntity
	default:
		s.serverError(w, r, err)
		return
	}
	if p.Skills, err = s.app.SkillChoices(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "orgengagements", p)
}

// handleExportEngagements writes the filtered list as CSV.
func (s *Server) handleExportEngagements(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := engagementQuery(r.URL.Query())
	// Check the filter and the permission before the first byte, so a
	// refusal is a real page.
	if _, err := s.app.ListAllEngagements(ctx, app.EngagementQuery{Kind: q.Kind, Status: q.Status, Phase: q.Phase, Skill: q.Skill,
		Waiting: q.Waiting, Ending: q.Ending, Party: q.Party, Limit: 1}); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-engagements-%s.csv"`,
		tandem.ActorFrom(ctx).Org.Slug, time.Now().UTC().Format("2006-01-02")))
	if err := s.app.WriteEngagementsCSV(ctx, w, q); err != nil {
		s.log.ErrorContext(ctx, "export engagements", "err", err)
	}
}
