package app

import (
	"context"
	"slices"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// Matching the cohort: the program's admins (and the organization's
// administrators) run the matching, look at runs, pin and forbid pairs
// and compare runs. Everyone else: not found (applicants and members who
// see the program: forbidden, like the other work of running it).

// MatchProgram runs the matching of the program's approved applications
// with the questionnaire's criteria (weights overridden by weights) and
// stores the run as a preview.
func (a *App) MatchProgram(ctx context.Context, id int64, mode tandem.MatchMode, weights map[string]int) (*tandem.MatchRun, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.matchProgram(ctx, act.Org.ID, id, act.Person.ID, mode, weights)
}

// MatchProgramForOperator is MatchProgram with the operator's authority,
// for the CLI.
func (a *App) MatchProgramForOperator(ctx context.Context, orgID, id int64, mode tandem.MatchMode, weights map[string]int) (*tandem.MatchRun, error) {
	return a.matchProgram(ctx, orgID, id, 0, mode, weights)
}

func (a *App) matchProgram(ctx context.Context, orgID, id, by int64, mode tandem.MatchMode, weights map[string]int) (*tandem.MatchRun, error) {
	t0 := time.Now()
	d, err := a.DB.LoadCohort(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if err := d.Program.State.CheckAllows(tandem.WorkMatch); err != nil {
		return nil, err
	}
	if d.Program.Kind != tandem.Mentoring {
		return nil, tandem.Errorf(tandem.ECONFLICT, "Only mentoring programs match a cohort of mentors and mentees.")
	}
	criteria, err := tandem.Criteria(d.Questions, weights)
	if err != nil {
		return nil, err
	}
	load := time.Since(t0)
	co := tandem.NewCohort(criteria, d.Mentees, d.Mentors, a.DB.Now())
	mi := make(map[int64]int, len(d.Mentees))
	for i, m := range d.Mentees {
		mi[m.Person.ID] = i
	}
	mj := make(map[int64]int, len(d.Mentors))
	for j, m := range d.Mentors {
		mj[m.Person.ID] = j
	}
	chain := make([][2]int, 0, len(d.Chain))
	for _, c := range d.Chain {
		i, ok1 := mi[c[0]]
		j, ok2 := mj[c[1]]
		if ok1 && ok2 {
			chain = append(chain, [2]int{i, j})
		}
	}
	run, err := tandem.SolveCohort(co, mode, chain, d.Rules)
	if err != nil {
		return nil, err
	}
	for _, m := range d.Mentees {
		run.Approved = append(run.Approved, m.Person.ID)
	}
	for _, m := range d.Mentors {
		run.Approved = append(run.Approved, m.Person.ID)
	}
	sortIDs(run.Approved)
	run.Stats.Load = load
	t0 = time.Now()
	if err := a.DB.SaveRun(ctx, orgID, id, by, run); err != nil {
		return nil, err
	}
	run.Stats.Store = time.Since(t0)
	return run, nil
}

func sortIDs(ids []int64) { slices.Sort(ids) }

// Runs lists the program's runs, newest first.
func (a *App) Runs(ctx context.Context, id int64) ([]tandem.MatchRun, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.DB.Runs(ctx, act.Org.ID, id)
}

// Run returns one run with its pairs and unmatched people.
func (a *App) Run(ctx context.Context, id, runID int64) (*tandem.MatchRun, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.DB.Run(ctx, act.Org.ID, id, runID)
}

// RunForOperator returns one run, for the CLI.
func (a *App) RunForOperator(ctx context.Context, orgID, id, runID int64) (*tandem.MatchRun, error) {
	return a.DB.Run(ctx, orgID, id, runID)
}

// PairRules lists the program's pins and forbids.
func (a *App) PairRules(ctx context.Context, id int64) ([]tandem.PairRule, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.DB.PairRules(ctx, act.Org.ID, id)
}

// SetPairRule pins or forbids a pair for the next runs.
func (a *App) SetPairRule(ctx context.Context, id int64, r tandem.PairRule) error {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return err
	}
	if r.Kind != tandem.PairPin && r.Kind != tandem.PairForbid {
		return &tandem.Error{Code: tandem.EINVALID, Message: "Choose pin or forbid.", Fields: map[string]string{"kind": "Choose pin or forbid."}}
	}
	return a.DB.SetPairRule(ctx, act.Org.ID, id, r)
}

// DeletePairRule removes a pin or forbid.
func (a *App) DeletePairRule(ctx context.Context, id, menteeID, mentorID int64) error {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return err
	}
	return a.DB.DeletePairRule(ctx, act.Org.ID, id, menteeID, mentorID)
}

// RunMove is a mentee whose mentor differs between two runs.
type RunMove struct {
	Mentee tandem.PersonRef  `json:"mentee"`
	From   *tandem.PersonRef `json:"from"` // nil: unmatched in the first run
	To     *tandem.PersonRef `json:"to"`   // nil: unmatched in the second run
	Before float64           `json:"score_before"`
	After  float64           `json:"score_after"`
}

// RunComparison says what moved between two runs.
type RunComparison struct {
	A, B  *tandem.MatchRun `json:"-"`
	Same  int              `json:"same"`
	Moves []RunMove        `json:"moves"`
}

// CompareRuns compares two runs of the program: the mentees whose mentor
// changed, and how many kept theirs.
func (a *App) CompareRuns(ctx context.Context, id, runA, runB int64) (*RunComparison, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	ra, err := a.DB.Run(ctx, act.Org.ID, id, runA)
	if err != nil {
		return nil, err
	}
	rb, err := a.DB.Run(ctx, act.Org.ID, id, runB)
	if err != nil {
		return nil, err
	}
	return compareRuns(ra, rb), nil
}

func compareRuns(ra, rb *tandem.MatchRun) *RunComparison {
	type side struct {
		mentor *tandem.PersonRef
		score  float64
	}
	index := func(r *tandem.MatchRun) (map[int64]side, map[int64]tandem.PersonRef) {
		out, who := map[int64]side{}, map[int64]tandem.PersonRef{}
		for _, p := range r.Pairs {
			mo := p.Mentor
			out[p.Mentee.ID] = side{&mo, p.Score}
			who[p.Mentee.ID] = p.Mentee
		}
		for _, u := range r.Unmatched {
			if u.Role == tandem.AsMentee {
				out[u.Person.ID] = side{}
				who[u.Person.ID] = u.Person
			}
		}
		return out, who
	}
	xa, wa := index(ra)
	xb, wb := index(rb)
	for k, v := range wb {
		wa[k] = v
	}
	c := &RunComparison{A: ra, B: rb, Moves: []RunMove{}}
	ids := make([]int64, 0, len(wa))
	for k := range wa {
		ids = append(ids, k)
	}
	sortIDs(ids)
	for _, m := range ids {
		sa, sb := xa[m], xb[m]
		same := (sa.mentor == nil && sb.mentor == nil) || (sa.mentor != nil && sb.mentor != nil && sa.mentor.ID == sb.mentor.ID)
		if same {
			c.Same++
			continue
		}
		c.Moves = append(c.Moves, RunMove{Mentee: wa[m], From: sa.mentor, To: sb.mentor, Before: sa.score, After: sb.score})
	}
	return c
}

// PublishRun turns the run into proposed mentoring partnerships with
// draft agreements prefilled from the program; the parties are notified
// as for any proposal. Idempotent: publishing the run again changes
// nothing (the result says Already).
func (a *App) PublishRun(ctx context.Context, id, runID int64) (*sqldb.PublishResult, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.DB.PublishRun(ctx, act.Org.ID, id, runID, act.Person.ID)
}

// PublishRunForOperator is PublishRun with the operator's authority, for
// the CLI; the partnerships are proposed in the name of a program admin
// (or the organization's first administrator).
func (a *App) PublishRunForOperator(ctx context.Context, orgID, id, runID int64) (*sqldb.PublishResult, error) {
	return a.DB.PublishRun(ctx, orgID, id, runID, 0)
}
