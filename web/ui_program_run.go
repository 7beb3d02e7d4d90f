package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// The matching pages of a program: the matching page (the run form with
// the weights, the runs, the pins and forbids), a run's preview (a page of
// pairs with score and reasons, pin and forbid on every row, the
// unmatched people with why, totals, the distribution and the
// certificate), the comparison of two runs and publishing. Plain forms:
// everything works without JavaScript.

// The preview's page sizes.
const (
	previewPairsPage     = 50
	previewUnmatchedPage = 25
	compareMovesPage     = 100
)

type matchingPage struct {
	Page
	Program  *app.ProgramView
	Criteria []tandem.Criterion
	Runs     []tandem.MatchRun
	Rules    []sqldb.NamedPairRule
	Form     Form
}

// Matching reports whether runs may be made and pairs pinned now.
func (p *matchingPage) Matching() bool { return p.Program.State == tandem.ProgramMatching }

// WeightField is the form field of a criterion's weight.
func (p *matchingPage) WeightField(c tandem.Criterion) string { return "weight_" + c.Key }

// Weight is the value of a criterion's weight field: what was sent, or
// the weight the next run starts from.
func (p *matchingPage) Weight(c tandem.Criterion) string {
	if v, ok := p.Form.Values["weight_"+c.Key]; ok && len(v) > 0 {
		return v[0]
	}
	return strconv.Itoa(c.Weight)
}

// Mode is the chosen mode of the run form.
func (p *matchingPage) Mode() string {
	if m := p.Form.Get("mode"); m != "" {
		return m
	}
	if len(p.Runs) > 0 {
		return string(p.Runs[0].Mode)
	}
	return string(tandem.ModeOptimal)
}

// CompareB is the run compared by default: the one before the newest.
func (p *matchingPage) CompareB() int64 {
	if len(p.Runs) > 1 {
		return p.Runs[1].ID
	}
	return 0
}

// programRuns loads a program's runs (who may see them first) and the
// program as the viewer sees it.
func (s *Server) programRuns(ctx context.Context, id int64) ([]tandem.MatchRun, *app.ProgramView, error) {
	runs, err := s.app.Runs(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.app.Program(ctx, id)
	return runs, v, err
}

func (s *Server) showMatching(w http.ResponseWriter, r *http.Request, status int, form Form) {
	ctx := r.Context()
	id := programID(r)
	runs, v, err := s.programRuns(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	crit, err := s.app.MatchCriteria(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rules, err := s.app.PairRulesNamed(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "program_matching", &matchingPage{Page: Page{Title: "Matching: " + v.Name, Nav: "programs"}, Program: v,
		Criteria: crit, Runs: runs, Rules: rules, Form: form})
}

func (s *Server) handleMatching(w http.ResponseWriter, r *http.Request) {
	s.showMatching(w, r, http.StatusOK, Form{})
}

// weightsFromForm reads the weight_<criterion> fields; a word is -1, so
// the domain's range check names the criterion.
func weightsFromForm(f url.Values) map[string]int {
	out := map[string]int{}
	for k, v := range f {
		if key, ok := strings.CutPrefix(k, "weight_"); ok && len(v) > 0 {
			out[key] = formInt(v[0])
		}
	}
	return out
}

func (s *Server) handleStartRun(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := programID(r)
	run, err := s.app.MatchProgram(r.Context(), id, tandem.MatchMode(r.PostForm.Get("mode")), weightsFromForm(r.PostForm))
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, runPath(id, run.ID, ""), fmt.Sprintf("Run %d: %d of %d mentees matched.", run.ID, run.Matched, run.Mentees))
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showMatching(w, r, s.status(r, err), formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}

type previewPage struct {
	Page
	Program *app.ProgramView
	*app.RunPreview
	Query   url.Values // the page's query, for the links
	Filter  string
	Sort    string
	Order   string // asc or desc
	Form    Form   // a refused pin or forbid
	FormRow string // its row: "mentee-mentor"
	// FirstShown and LastShown number the pairs shown; the unmatched too.
	FirstShown, LastShown   int
	UFirstShown, ULastShown int
	PrevURL, NextURL        string
	UPrevURL, UNextURL      string
}

// Matching reports whether pairs may be pinned and forbidden now.
func (p *previewPage) Matching() bool { return p.Program.State == tandem.ProgramMatching }

// MayPublish reports whether the run may be published now.
func (p *previewPage) MayPublish() bool { return p.Matching() && p.Run.PublishedAt == nil }

// URL is the preview's address with the query changed by kv (pairs of
// name, value; an empty value removes the parameter).
func (p *previewPage) URL(kv ...string) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	u := runPath(p.Program.ID, p.Run.ID, "")
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// SortURL is the link of a column heading: sort by it, or turn the order
// around when it is the sort already; back to the first page.
func (p *previewPage) SortURL(col string) string {
	order := ""
	if col == p.Sort {
		order = map[string]string{"asc": "desc", "desc": "asc"}[p.Order]
	}
	return p.URL("sort", col, "order", order, "offset", "")
}

// SortMark is the arrow beside the sorted column heading.
func (p *previewPage) SortMark(col string) string {
	if col != p.Sort {
		return ""
	}
	if p.Order == "asc" {
		return "▲"
	}
	return "▼"
}

// AriaSort is the aria-sort of a column heading.
func (p *previewPage) AriaSort(col string) string {
	if col != p.Sort {
		return "none"
	}
	if p.Order == "asc" {
		return "ascending"
	}
	return "descending"
}

// Here is the page's own address, for the forms to come back to.
func (p *previewPage) Here() string { return p.URL() }

// RowKey names a row for a refused pin or forbid.
func (p *previewPage) RowKey(menteeID, mentorID int64) string {
	return fmt.Sprintf("%d-%d", menteeID, mentorID)
}

// Average is the mean score of the run's pairs.
func (p *previewPage) Average() string {
	if p.Run.Matched == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f", p.Run.Total/float64(p.Run.Matched))
}

// Percent writes a score as a share of the best a pair can score.
func (p *previewPage) Percent(score float64) string {
	if p.Run.MaxScore <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%%", score/p.Run.MaxScore*100)
}

// Bucket is one bar of the score distribution.
type Bucket struct {
	Label string
	Count int
}

// Distribution lists the pairs by tenths of the best score, best first.
func (p *previewPage) Distribution() []Bucket {
	var out []Bucket
	for i := len(p.Run.Distribution) - 1; i >= 0; i-- {
		label := fmt.Sprintf("%d–%d%%", i*10, (i+1)*10)
		out = append(out, Bucket{Label: label, Count: p.Run.Distribution[i]})
	}
	return out
}

// Largest is the largest bucket, the scale of the bars.
func (p *previewPage) Largest() int {
	n := 1
	for _, c := range p.Run.Distribution {
		n = max(n, c)
	}
	return n
}

func (s *Server) showPreview(w http.ResponseWriter, r *http.Request, status int, form Form, row string) {
	ctx := r.Context()
	id, rid := programID(r), runID(r)
	// The query comes from the address; a form posted from the page sends
	// it back as "back".
	query := r.URL.Query()
	if back := r.PostForm.Get("back"); back != "" {
		if u, err := url.Parse(safeNext(back)); err == nil {
			query = u.Query()
		}
	}
	v, err := s.app.Program(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pairs, unmatched, qerr := runQueries(query)
	pairs.Limit, unmatched.Limit = previewPairsPage, previewUnmatchedPage
	pairs.Offset, unmatched.Offset = max(pairs.Offset, 0), max(unmatched.Offset, 0)
	if qerr != nil {
		// A hand-made address with an unknown order: the usual one.
		pairs.Reverse = false
	}
	if pairs.Sort != sqldb.RunSortMentee && pairs.Sort != sqldb.RunSortMentor {
		pairs.Sort = sqldb.RunSortScore
	}
	pv, err := s.app.RunPreview(ctx, id, rid, pairs, unmatched)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := &previewPage{Page: Page{Title: fmt.Sprintf("Run %d: %s", rid, v.Name), Nav: "programs"}, Program: v, RunPreview: pv,
		Query: query, Filter: pairs.Text, Sort: pairs.Sort, Form: form, FormRow: row}
	natural := "asc"
	if p.Sort == sqldb.RunSortScore {
		natural = "desc"
	}
	p.Order = natural
	if pairs.Reverse {
		p.Order = map[string]string{"asc": "desc", "desc": "asc"}[natural]
	}
	if n := len(pv.Pairs.Pairs); n > 0 {
		p.FirstShown, p.LastShown = pairs.Offset+1, pairs.Offset+n
	}
	if pairs.Offset > 0 {
		p.PrevURL = p.URL("offset", strconv.Itoa(max(0, pairs.Offset-previewPairsPage)))
	}
	if pairs.Offset+len(pv.Pairs.Pairs) < pv.Pairs.Total {
		p.NextURL = p.URL("offset", strconv.Itoa(pairs.Offset+previewPairsPage))
	}
	if n := len(pv.Unmatched.Unmatched); n > 0 {
		p.UFirstShown, p.ULastShown = unmatched.Offset+1, unmatched.Offset+n
	}
	if unmatched.Offset > 0 {
		p.UPrevURL = p.URL("unmatched_offset", strconv.Itoa(max(0, unmatched.Offset-previewUnmatchedPage))) + "#unmatched"
	}
	if unmatched.Offset+len(pv.Unmatched.Unmatched) < pv.Unmatched.Total {
		p.UNextURL = p.URL("unmatched_offset", strconv.Itoa(unmatched.Offset+previewUnmatchedPage)) + "#unmatched"
	}
	s.render(w, r, status, "program_run", p)
}

func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) {
	s.showPreview(w, r, http.StatusOK, Form{}, "")
}

// ruleAction pins, forbids or frees a pair from the preview (or the
// matching page) and goes back to it; a refusal is shown on the row.
func (s *Server) ruleAction(w http.ResponseWriter, r *http.Request, fn func(id, mentee, mentor int64) (string, error)) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id := programID(r)
	// Who may change rules first, so a malformed form tells no stranger
	// the program exists.
	if _, err := s.app.Runs(r.Context(), id); err != nil {
		s.serverError(w, r, err)
		return
	}
	mentee, _ := strconv.ParseInt(r.PostForm.Get("mentee_id"), 10, 64)
	mentor, _ := strconv.ParseInt(r.PostForm.Get("mentor_id"), 10, 64)
	done, err := fn(id, mentee, mentor)
	back := "/programs/" + strconv.FormatInt(id, 10) + "/matching"
	if b := r.PostForm.Get("back"); b != "" {
		back = safeNext(b)
	}
	rid, _ := strconv.ParseInt(r.PostForm.Get("run"), 10, 64)
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, back, done)
	case tandem.EINVALID, tandem.ECONFLICT:
		if rid == 0 {
			s.showMatching(w, r, s.status(r, err), formFrom(r, err))
			return
		}
		r.SetPathValue("run", strconv.FormatInt(rid, 10))
		s.showPreview(w, r, s.status(r, err), formFrom(r, err), fmt.Sprintf("%d-%d", mentee, mentor))
	default:
		s.serverError(w, r, err)
	}
}

func (s *Server) handleSetPairRule(w http.ResponseWriter, r *http.Request) {
	s.ruleAction(w, r, func(id, mentee, mentor int64) (string, error) {
		kind := tandem.PairRuleKind(r.PostForm.Get("kind"))
		err := s.app.SetPairRule(r.Context(), id, tandem.PairRule{Kind: kind, MenteeID: mentee, MentorID: mentor})
		if kind == tandem.PairPin {
			return "Pinned: the next runs keep this pair.", err
		}
		return "Forbidden: the next runs never propose this pair.", err
	})
}

func (s *Server) handleDeletePairRule(w http.ResponseWriter, r *http.Request) {
	s.ruleAction(w, r, func(id, mentee, mentor int64) (string, error) {
		return "The pair is free again for the next runs.", s.app.DeletePairRule(r.Context(), id, mentee, mentor)
	})
}

type comparePage struct {
	Page
	Program *app.ProgramView
	Runs    []tandem.MatchRun
	*app.RunComparison
	Moves                   []app.RunMove // the page of moves shown
	Added, Removed, Changed int
	Form                    Form
	FirstShown, LastShown   int
	PrevURL, NextURL        string
	SelectedA, SelectedB    int64
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := programID(r)
	runs, v, err := s.programRuns(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	q := r.URL.Query()
	p := &comparePage{Page: Page{Title: "Compare runs: " + v.Name, Nav: "programs"}, Program: v, Runs: runs, Form: Form{Values: q}}
	a, errA := compareWith(q.Get("a"), "a")
	b, errB := compareWith(q.Get("b"), "b")
	p.SelectedA, p.SelectedB = a, b
	if errA != nil || errB != nil {
		var fe tandem.FieldErrors
		for _, e := range []error{errA, errB} {
			for k, m := range tandem.ErrorFields(e) {
				fe.Add(k, m)
			}
		}
		p.Form.Errors = fe
		s.render(w, r, http.StatusUnprocessableEntity, "program_compare", p)
		return
	}
	c, err := s.app.CompareRuns(ctx, id, a, b)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.RunComparison = c
	p.Added, p.Removed, p.Changed = c.Counts()
	offset := max(0, pageParam(q.Get("offset"), 0))
	end := min(len(c.Moves), offset+compareMovesPage)
	if offset < end {
		p.Moves = c.Moves[offset:end]
		p.FirstShown, p.LastShown = offset+1, end
	}
	link := func(off int) string {
		q2 := url.Values{"a": {q.Get("a")}, "b": {q.Get("b")}, "offset": {strconv.Itoa(off)}}
		return "/programs/" + strconv.FormatInt(id, 10) + "/compare?" + q2.Encode()
	}
	if offset > 0 {
		p.PrevURL = link(max(0, offset-compareMovesPage))
	}
	if end < len(c.Moves) {
		p.NextURL = link(end)
	}
	s.render(w, r, http.StatusOK, "program_compare", p)
}

type publishPage struct {
	Page
	Program *app.ProgramView
	Run     *tandem.MatchRun
	Form    Form
}

// UnmatchedMentees is how many mentees the run leaves without a mentor.
func (p *publishPage) UnmatchedMentees() int { return p.Run.Mentees - p.Run.Matched }

func (s *Server) showPublish(w http.ResponseWriter, r *http.Request, status int, form Form) {
	ctx := r.Context()
	id := programID(r)
	pv, err := s.app.RunPreview(ctx, id, runID(r), sqldb.RunQuery{Limit: 1}, sqldb.RunQuery{Limit: 1})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v, err := s.app.Program(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "program_publish", &publishPage{Page: Page{Title: fmt.Sprintf("Publish run %d: %s", pv.Run.ID, v.Name), Nav: "programs"},
		Program: v, Run: pv.Run, Form: form})
}

func (s *Server) handlePublishForm(w http.ResponseWriter, r *http.Request) {
	s.showPublish(w, r, http.StatusOK, Form{})
}

func (s *Server) handlePublish(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	id, rid := programID(r), runID(r)
	res, err := s.app.PublishRun(r.Context(), id, rid)
	switch tandem.ErrorCode(err) {
	case "":
		s.redirect(w, r, runPath(id, rid, ""), publishMessage(res))
	case tandem.EINVALID, tandem.ECONFLICT:
		s.showPublish(w, r, s.status(r, err), formFrom(r, err))
	default:
		s.serverError(w, r, err)
	}
}
