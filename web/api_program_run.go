package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// The cohort matching API under /api/v1/programs/{id}: runs (start, list,
// read a page of one), pins and forbids, comparing two runs, publishing.

type runJSON struct {
	ID               int64                 `json:"id"`
	ProgramID        int64                 `json:"program_id"`
	Mode             tandem.MatchMode      `json:"mode"`
	Weights          map[string]int        `json:"weights"`
	Mentees          int                   `json:"mentees"`
	Mentors          int                   `json:"mentors"`
	Matched          int                   `json:"matched"`
	UnmatchedMentees int                   `json:"unmatched_mentees"`
	Total            float64               `json:"total"`
	MaxScore         float64               `json:"max_score"`
	Distribution     []int                 `json:"distribution"`
	Certificate      tandem.RunCertificate `json:"certificate"`
	CreatedAt        time.Time             `json:"created_at"`
	PublishedAt      *time.Time            `json:"published_at"`
}

func toRunJSON(r *tandem.MatchRun) runJSON {
	out := runJSON{ID: r.ID, ProgramID: r.ProgramID, Mode: r.Mode, Weights: r.Weights, Mentees: r.Mentees, Mentors: r.Mentors,
		Matched: r.Matched, UnmatchedMentees: r.Mentees - r.Matched, Total: r.Total, MaxScore: r.MaxScore, Distribution: r.Distribution,
		Certificate: r.Certificate, CreatedAt: r.CreatedAt, PublishedAt: r.PublishedAt}
	if out.Weights == nil {
		out.Weights = map[string]int{}
	}
	if out.Distribution == nil {
		out.Distribution = []int{}
	}
	return out
}

func toPersonRefJSON(p tandem.PersonRef) personRefJSON {
	return personRefJSON{ID: p.ID, Name: p.Name, Email: p.Email}
}

type runPairJSON struct {
	Mentee  personRefJSON       `json:"mentee"`
	Mentor  personRefJSON       `json:"mentor"`
	Score   float64             `json:"score"`
	Reasons []string            `json:"reasons"`
	Pinned  bool                `json:"pinned"` // pinned when the run was made
	Rule    tandem.PairRuleKind `json:"rule"`   // pin, forbid or "": what the admins say now
}

type runUnmatchedJSON struct {
	Person personRefJSON          `json:"person"`
	Role   tandem.ApplicationRole `json:"role"`
	Why    string                 `json:"why"`
}

type runViewJSON struct {
	Run            runJSON            `json:"run"`
	Pairs          []runPairJSON      `json:"pairs"`
	PairsTotal     int                `json:"pairs_total"`
	Unmatched      []runUnmatchedJSON `json:"unmatched"`
	UnmatchedTotal int                `json:"unmatched_total"`
}

func toRunViewJSON(v *app.RunPreview) runViewJSON {
	out := runViewJSON{Run: toRunJSON(v.Run), Pairs: []runPairJSON{}, PairsTotal: v.Pairs.Total, Unmatched: []runUnmatchedJSON{},
		UnmatchedTotal: v.Unmatched.Total}
	for _, p := range v.Pairs.Pairs {
		out.Pairs = append(out.Pairs, runPairJSON{Mentee: toPersonRefJSON(p.Mentee), Mentor: toPersonRefJSON(p.Mentor), Score: p.Score,
			Reasons: orEmpty(p.Reasons), Pinned: p.Pinned, Rule: v.Rule(p.Mentee.ID, p.Mentor.ID)})
	}
	for _, u := range v.Unmatched.Unmatched {
		out.Unmatched = append(out.Unmatched, runUnmatchedJSON{Person: toPersonRefJSON(u.Person), Role: u.Role, Why: u.Why})
	}
	return out
}

// runQueries reads the page of pairs (limit, offset, sort, order, q) and
// of unmatched people (unmatched_limit, unmatched_offset; q too) from a
// query string; the API and the preview page take the same parameters.
// An order other than asc or desc is EINVALID naming it; the app checks
// the rest.
func runQueries(q url.Values) (pairs, unmatched sqldb.RunQuery, err error) {
	pairs = sqldb.RunQuery{Text: q.Get("q"), Sort: q.Get("sort"), Limit: pageParam(q.Get("limit"), 1), Offset: pageParam(q.Get("offset"), 0)}
	unmatched = sqldb.RunQuery{Text: q.Get("q"), Limit: pageParam(q.Get("unmatched_limit"), 1), Offset: pageParam(q.Get("unmatched_offset"), 0)}
	// Scores read best first, names A to Z; order says which way.
	natural := "asc"
	if pairs.Sort == "" || pairs.Sort == sqldb.RunSortScore {
		natural = "desc"
	}
	switch o := q.Get("order"); o {
	case "", natural:
	case "asc", "desc":
		pairs.Reverse = true
	default:
		return pairs, unmatched, &tandem.Error{Code: tandem.EINVALID, Message: "Choose asc or desc.", Fields: map[string]string{"order": "Choose asc or desc."}}
	}
	return pairs, unmatched, nil
}

// runID reads the {run} of a route; a malformed id is not found.
func runID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("run"), 10, 64)
	return id
}

type criterionJSON struct {
	Key    string      `json:"key"`
	Label  string      `json:"label"`
	Rule   tandem.Rule `json:"rule"`
	Weight int         `json:"weight"`
}

func (s *Server) apiRuns(w http.ResponseWriter, r *http.Request) {
	runs, err := s.app.Runs(r.Context(), programID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	crit, err := s.app.MatchCriteria(r.Context(), programID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		Runs     []runJSON       `json:"runs"`
		Criteria []criterionJSON `json:"criteria"`
	}{Runs: []runJSON{}, Criteria: []criterionJSON{}}
	for i := range runs {
		out.Runs = append(out.Runs, toRunJSON(&runs[i]))
	}
	for _, c := range crit {
		out.Criteria = append(out.Criteria, criterionJSON{Key: c.Key, Label: c.Label, Rule: c.Rule, Weight: c.Weight})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiStartRun(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		Mode    tandem.MatchMode `json:"mode"`
		Weights map[string]int   `json:"weights"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	run, err := s.app.MatchProgram(r.Context(), programID(r), in.Mode, in.Weights)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.app.RunPreview(r.Context(), programID(r), run.ID, sqldb.RunQuery{}, sqldb.RunQuery{})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", runPath(programID(r), run.ID, "/api/v1"))
	writeJSON(w, http.StatusCreated, toRunViewJSON(v))
}

// runPath is the address of a run, under prefix ("" for the page).
func runPath(programID, runID int64, prefix string) string {
	return prefix + "/programs/" + strconv.FormatInt(programID, 10) + "/runs/" + strconv.FormatInt(runID, 10)
}

func (s *Server) apiRun(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Runs(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err) // who may see the runs first, then the query
		return
	}
	pairs, unmatched, err := runQueries(r.URL.Query())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.app.RunPreview(r.Context(), programID(r), runID(r), pairs, unmatched)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRunViewJSON(v))
}

type pairRuleJSON struct {
	Kind   tandem.PairRuleKind `json:"kind"`
	Mentee personRefJSON       `json:"mentee"`
	Mentor personRefJSON       `json:"mentor"`
}

func (s *Server) apiPairRules(w http.ResponseWriter, r *http.Request) {
	rules, err := s.app.PairRulesNamed(r.Context(), programID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []pairRuleJSON{}
	for _, x := range rules {
		out = append(out, pairRuleJSON{Kind: x.Kind, Mentee: toPersonRefJSON(x.Mentee), Mentor: toPersonRefJSON(x.Mentor)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": out})
}

func (s *Server) apiSetPairRule(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Program(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		Kind     tandem.PairRuleKind `json:"kind"`
		MenteeID int64               `json:"mentee_id"`
		MentorID int64               `json:"mentor_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.app.SetPairRule(r.Context(), programID(r), tandem.PairRule{Kind: in.Kind, MenteeID: in.MenteeID, MentorID: in.MentorID}); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiPairRules(w, r)
}

func (s *Server) apiDeletePairRule(w http.ResponseWriter, r *http.Request) {
	mentee, _ := strconv.ParseInt(r.PathValue("mentee"), 10, 64)
	mentor, _ := strconv.ParseInt(r.PathValue("mentor"), 10, 64)
	if err := s.app.DeletePairRule(r.Context(), programID(r), mentee, mentor); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type runMoveJSON struct {
	Mentee personRefJSON  `json:"mentee"`
	From   *personRefJSON `json:"from"`
	To     *personRefJSON `json:"to"`
	Before float64        `json:"score_before"`
	After  float64        `json:"score_after"`
	Change string         `json:"change"`
}

func refPtr(p *tandem.PersonRef) *personRefJSON {
	if p == nil {
		return nil
	}
	j := toPersonRefJSON(*p)
	return &j
}

// compareWith reads the run to compare with: a whole number, named
// "with" (the API) or "b" (the page) when it is not.
func compareWith(v, field string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id <= 0 {
		return 0, &tandem.Error{Code: tandem.EINVALID, Message: "Choose a run to compare with.", Fields: map[string]string{field: "Choose a run to compare with."}}
	}
	return id, nil
}

func (s *Server) apiCompareRuns(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Runs(r.Context(), programID(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	other, err := compareWith(r.URL.Query().Get("with"), "with")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	c, err := s.app.CompareRuns(r.Context(), programID(r), runID(r), other)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	added, removed, changed := c.Counts()
	out := struct {
		A       runJSON       `json:"a"`
		B       runJSON       `json:"b"`
		Same    int           `json:"same"`
		Added   int           `json:"added"`
		Removed int           `json:"removed"`
		Changed int           `json:"changed"`
		Moves   []runMoveJSON `json:"moves"`
	}{A: toRunJSON(c.A), B: toRunJSON(c.B), Same: c.Same, Added: added, Removed: removed, Changed: changed, Moves: []runMoveJSON{}}
	for _, m := range c.Moves {
		out.Moves = append(out.Moves, runMoveJSON{Mentee: toPersonRefJSON(m.Mentee), From: refPtr(m.From), To: refPtr(m.To),
			Before: m.Before, After: m.After, Change: m.Change()})
	}
	writeJSON(w, http.StatusOK, out)
}

// publishMessage says what publishing did, for people.
func publishMessage(res *sqldb.PublishResult) string {
	if res.Already {
		return "This run was published already: nothing changed."
	}
	if res.Engagements == 1 {
		return "Published: 1 proposed partnership, with its draft agreement; the people in it are told."
	}
	return "Published: " + strconv.Itoa(res.Engagements) + " proposed partnerships, each with its draft agreement; the people in them are told."
}

func (s *Server) apiPublishRun(w http.ResponseWriter, r *http.Request) {
	res, err := s.app.PublishRun(r.Context(), programID(r), runID(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ids := res.IDs
	if ids == nil {
		ids = []int64{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"engagements": res.Engagements, "already": res.Already, "engagement_ids": ids,
		"message": publishMessage(res)})
}
