package app_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// TestRunPreview reads a run a page at a time: sorted, filtered, limited,
// the unmatched apart, with the rules as they stand now; bad pages are
// refused naming the field; another program's run is not found.
func TestRunPreview(t *testing.T) {
	c := newCast(t)
	admin, prog := c.ctx["admin"], c.ctx["prog"]
	id, apps := cohortProgram(t, c)
	approveAll(t, c, id, apps)
	if _, err := c.a.MoveProgram(admin, id, tandem.ProgramMatching); err != nil {
		t.Fatal(err)
	}
	run, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.a.RunPreview(prog, id, run.ID, sqldb.RunQuery{}, sqldb.RunQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Run.ID != run.ID || v.Pairs.Total != 2 || len(v.Pairs.Pairs) != 2 || v.Unmatched.Total != 2 || v.Latest != run.ID {
		t.Fatalf("preview: %+v", v)
	}
	if v.Pairs.Pairs[0].Score < v.Pairs.Pairs[1].Score || len(v.Pairs.Pairs[0].Reasons) == 0 {
		t.Errorf("best first, with reasons: %+v", v.Pairs.Pairs)
	}
	// By mentee name, one at a time: Lee, then Other.
	var names []string
	for off := 0; off < 3; off++ {
		v, err := c.a.RunPreview(prog, id, run.ID, sqldb.RunQuery{Sort: sqldb.RunSortMentee, Limit: 1, Offset: off}, sqldb.RunQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range v.Pairs.Pairs {
			names = append(names, p.Mentee.Name)
		}
	}
	if len(names) != 2 || names[0] != "Lee" || names[1] != "Other" {
		t.Errorf("pages by mentee: %v", names)
	}
	v, _ = c.a.RunPreview(prog, id, run.ID, sqldb.RunQuery{Sort: sqldb.RunSortMentee, Reverse: true}, sqldb.RunQuery{})
	if v.Pairs.Pairs[0].Mentee.Name != "Other" {
		t.Errorf("Z to A: %v", v.Pairs.Pairs[0].Mentee.Name)
	}
	// The filter reads names, emails and reasons, on both lists.
	v, _ = c.a.RunPreview(prog, id, run.ID, sqldb.RunQuery{Text: "OTHER@"}, sqldb.RunQuery{Text: "OTHER@"})
	if v.Pairs.Total != 1 || v.Pairs.Pairs[0].Mentee.Email != "other@acme.test" || v.Unmatched.Total != 0 {
		t.Errorf("filter by email: %+v", v)
	}
	v, _ = c.a.RunPreview(prog, id, run.ID, sqldb.RunQuery{Text: "track: sell"}, sqldb.RunQuery{Text: "Languages"})
	if v.Pairs.Total != 1 || v.Unmatched.Total != 1 || v.Unmatched.Unmatched[0].Person.Email != "coach@acme.test" {
		t.Errorf("filter by reason: %+v", v)
	}
	v, _ = c.a.RunPreview(prog, id, run.ID, sqldb.RunQuery{Text: "50%_"}, sqldb.RunQuery{})
	if v.Pairs.Total != 0 {
		t.Errorf("LIKE wildcards are text: %+v", v.Pairs)
	}
	// The rules now.
	if err := c.a.SetPairRule(prog, id, tandem.PairRule{Kind: tandem.PairForbid, MenteeID: c.id["other"], MentorID: c.id["mentor"]}); err != nil {
		t.Fatal(err)
	}
	v, _ = c.a.RunPreview(prog, id, run.ID, sqldb.RunQuery{}, sqldb.RunQuery{})
	if v.Rule(c.id["other"], c.id["mentor"]) != tandem.PairForbid || v.Rule(c.id["lee"], c.id["mentor"]) != "" {
		t.Errorf("rules: %v", v.Rules)
	}
	// Bad pages, named; who may.
	for _, bad := range []struct {
		pairs, unmatched sqldb.RunQuery
		field            string
	}{
		{sqldb.RunQuery{Limit: 201}, sqldb.RunQuery{}, "limit"},
		{sqldb.RunQuery{Offset: -1}, sqldb.RunQuery{}, "offset"},
		{sqldb.RunQuery{Sort: "age"}, sqldb.RunQuery{}, "sort"},
		{sqldb.RunQuery{}, sqldb.RunQuery{Limit: -1}, "unmatched_limit"},
	} {
		if _, err := c.a.RunPreview(prog, id, run.ID, bad.pairs, bad.unmatched); tandem.ErrorFields(err)[bad.field] == "" {
			t.Errorf("%s: %v", bad.field, err)
		}
	}
	if _, err := c.a.RunPreview(c.ctx["lee"], id, run.ID, sqldb.RunQuery{}, sqldb.RunQuery{}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("an applicant: %v", err)
	}
	if _, err := c.a.RunPreview(strangerCtx(t, c), id, run.ID, sqldb.RunQuery{}, sqldb.RunQuery{}); code(err) != tandem.ENOTFOUND {
		t.Errorf("a stranger: %v", err)
	}
	other, err := c.a.CreateProgram(admin, tandem.Program{Name: "Other"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.RunPreview(admin, other.ID, run.ID, sqldb.RunQuery{}, sqldb.RunQuery{}); code(err) != tandem.ENOTFOUND {
		t.Errorf("the run through another program: %v", err)
	}
	if _, err := c.a.DB.RunRows(context.Background(), tandem.ActorFrom(admin).Org.ID, other.ID, run.ID, sqldb.RunQuery{}); code(err) != tandem.ENOTFOUND {
		t.Errorf("the rows through another program: %v", err)
	}
	// The next run starts from the last run's weights.
	w := map[string]int{tandem.CritDepartment: 4}
	if _, err := c.a.MatchProgram(prog, id, tandem.ModeStable, w); err != nil {
		t.Fatal(err)
	}
	crit, err := c.a.MatchCriteria(prog, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, cr := range crit {
		if cr.Key == tandem.CritDepartment && cr.Weight != 4 {
			t.Errorf("department weighs %d, the last run gave 4", cr.Weight)
		}
	}
}
