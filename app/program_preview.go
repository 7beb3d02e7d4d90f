package app

import (
	"context"
	"fmt"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// The preview of a run for the pages and the API: one page of its pairs
// and one of its unmatched people, read from the store a page at a time,
// with the program's pins and forbids as they stand now.

// MaxRunPage is the largest page of a run's pairs or unmatched people; a
// Limit of 0 gives 50.
const MaxRunPage = 200

// RunPreview is a run's header with one page of pairs and one page of
// unmatched people.
type RunPreview struct {
	Run       *tandem.MatchRun
	Pairs     sqldb.RunPage
	Unmatched sqldb.RunPage
	// Rules are the program's pins and forbids now, by (mentee, mentor).
	Rules map[[2]int64]tandem.PairRuleKind
	// Latest is the id of the program's newest run.
	Latest int64
}

// Rule returns what the admins said about a pair now ("" for nothing).
func (p *RunPreview) Rule(menteeID, mentorID int64) tandem.PairRuleKind {
	return p.Rules[[2]int64{menteeID, mentorID}]
}

// checkRunQuery adds the field errors of a page of a run; prefix names
// the fields ("" for the pairs, "unmatched_" for the unmatched people).
func checkRunQuery(fe *tandem.FieldErrors, q sqldb.RunQuery, prefix string) {
	var page tandem.FieldErrors
	checkPage(&page, q.Limit, q.Offset, MaxRunPage)
	for k, v := range page {
		fe.Add(prefix+k, v)
	}
	switch q.Sort {
	case "", sqldb.RunSortScore, sqldb.RunSortMentee, sqldb.RunSortMentor:
	default:
		fe.Add(prefix+"sort", fmt.Sprintf("%q is not a sort: choose score, mentee or mentor.", q.Sort))
	}
}

// RunPreview returns the run with one page of its pairs (pairs) and of
// its unmatched people (unmatched), for those who run the program.
func (a *App) RunPreview(ctx context.Context, id, runID int64, pairs, unmatched sqldb.RunQuery) (*RunPreview, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	var fe tandem.FieldErrors
	checkRunQuery(&fe, pairs, "")
	checkRunQuery(&fe, unmatched, "unmatched_")
	if err := fe.Err(); err != nil {
		return nil, err
	}
	orgID := act.Org.ID
	run, err := a.DB.RunHeader(ctx, orgID, id, runID)
	if err != nil {
		return nil, err
	}
	pairs.Unmatched, unmatched.Unmatched = false, true
	pp, err := a.DB.RunRows(ctx, orgID, id, runID, pairs)
	if err != nil {
		return nil, err
	}
	up, err := a.DB.RunRows(ctx, orgID, id, runID, unmatched)
	if err != nil {
		return nil, err
	}
	rules, err := a.DB.PairRules(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	out := &RunPreview{Run: run, Pairs: *pp, Unmatched: *up, Rules: map[[2]int64]tandem.PairRuleKind{}}
	for _, r := range rules {
		out.Rules[[2]int64{r.MenteeID, r.MentorID}] = r.Kind
	}
	runs, err := a.DB.Runs(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if len(runs) > 0 {
		out.Latest = runs[0].ID
	}
	return out, nil
}

// MatchCriteria lists the program's matching criteria with the weights
// the next run starts from: those of the newest run where it has the
// criterion, else the questionnaire's.
func (a *App) MatchCriteria(ctx context.Context, id int64) ([]tandem.Criterion, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	qs, err := a.DB.Questions(ctx, act.Org.ID, id)
	if err != nil {
		return nil, err
	}
	// The profile criteria weigh more than 0 by default, so this never
	// finds every weight 0.
	crit, err := tandem.Criteria(qs, nil)
	if err != nil {
		return nil, err
	}
	runs, err := a.DB.Runs(ctx, act.Org.ID, id)
	if err != nil {
		return nil, err
	}
	if len(runs) > 0 {
		for i := range crit {
			if w, ok := runs[0].Weights[crit[i].Key]; ok {
				crit[i].Weight = w
			}
		}
	}
	return crit, nil
}

// PairRulesNamed lists the program's pins and forbids with names.
func (a *App) PairRulesNamed(ctx context.Context, id int64) ([]sqldb.NamedPairRule, error) {
	act, _, err := a.program(ctx, id, tandem.ProgramRun)
	if err != nil {
		return nil, err
	}
	return a.DB.PairRulesNamed(ctx, act.Org.ID, id)
}

// Change says how a mentee's place differs between the two runs of a
// comparison: "added" (matched only in the second), "removed" (only in
// the first) or "changed" (another mentor).
func (m RunMove) Change() string {
	switch {
	case m.From == nil:
		return "added"
	case m.To == nil:
		return "removed"
	}
	return "changed"
}

// Counts returns how many moves are additions, removals and changes.
func (c *RunComparison) Counts() (added, removed, changed int) {
	for _, m := range c.Moves {
		switch m.Change() {
		case "added":
			added++
		case "removed":
			removed++
		default:
			changed++
		}
	}
	return
}
