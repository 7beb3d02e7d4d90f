package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/tandemtest"
)

// cohortProgram makes a matching program with a languages question (must
// share) and a track question (same, weight 3): mentees lee (reports to
// boss), other and coach; mentors boss and mentor, one seat each... and
// coach speaks only Basque, which no mentor does.
func cohortProgram(t *testing.T, c *cast) (int64, map[string]int64) {
	t.Helper()
	admin := c.ctx["admin"]
	p, err := c.a.CreateProgram(admin, tandem.Program{Name: "Cohort"}, []string{"prog@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	langs, err := c.a.AddQuestion(admin, p.ID, tandem.Question{Type: tandem.QuestionLanguages, Label: "Languages", Rule: tandem.RuleMustShare, Weight: 1})
	if err != nil {
		t.Fatal(err)
	}
	track, err := c.a.AddQuestion(admin, p.ID, tandem.Question{Type: tandem.QuestionSingle, Label: "Track", Options: []string{"Build", "Sell"}, Rule: tandem.RuleSame, Weight: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.MoveProgram(admin, p.ID, tandem.ProgramEnrolling); err != nil {
		t.Fatal(err)
	}
	apps := map[string]int64{}
	for _, x := range []struct {
		who, role, lang, track string
		cap                    int
	}{
		{"lee", "mentee", "English", "Build", 0}, {"other", "mentee", "English", "Sell", 0}, {"coach", "mentee", "Basque", "Build", 0},
		{"boss", "mentor", "English", "Build", 1}, {"mentor", "mentor", "English", "Sell", 2},
	} {
		ap, err := c.a.Apply(c.ctx[x.who], p.ID, tandem.Application{Role: tandem.ApplicationRole(x.role), Capacity: x.cap,
			Answers: map[int64]tandem.Answer{langs.ID: {Choices: []string{x.lang}}, track.ID: {Choices: []string{x.track}}}}, false)
		if err != nil {
			t.Fatalf("%s applies: %v", x.who, err)
		}
		apps[x.who] = ap.ID
	}
	return p.ID, apps
}

func approveAll(t *testing.T, c *cast, id int64, apps map[string]int64) {
	t.Helper()
	for who, appID := range apps {
		if _, err := c.a.Decide(c.ctx["admin"], id, appID, "approve"); err != nil {
			t.Fatalf("approve %s: %v", who, err)
		}
	}
}

func pairsOf(run *tandem.MatchRun) map[string]string {
	out := map[string]string{}
	for _, p := range run.Pairs {
		out[p.Mentee.Email] = p.Mentor.Email
	}
	return out
}

func TestMatchProgram(t *testing.T) {
	c := newCast(t)
	admin, prog := c.ctx["admin"], c.ctx["prog"]
	id, apps := cohortProgram(t, c)
	if _, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil); code(err) != tandem.ECONFLICT {
		t.Errorf("matching while enrolling: %v", err)
	}
	approveAll(t, c, id, map[string]int64{"lee": apps["lee"]})
	if _, err := c.a.MoveProgram(admin, id, tandem.ProgramMatching); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "no approved mentors") {
		t.Errorf("no mentors: %v", err)
	}
	approveAll(t, c, id, apps)

	// Who may: the program admin and the administrator; an applicant is
	// refused; a stranger of another organization finds nothing.
	if _, err := c.a.MatchProgram(c.ctx["lee"], id, tandem.ModeOptimal, nil); code(err) != tandem.EFORBIDDEN {
		t.Errorf("an applicant runs the matching: %v", err)
	}
	if _, err := c.a.Runs(c.ctx["lee"], id); code(err) != tandem.EFORBIDDEN {
		t.Errorf("an applicant lists runs: %v", err)
	}
	stranger := strangerCtx(t, c)
	if _, err := c.a.Runs(stranger, id); code(err) != tandem.ENOTFOUND {
		t.Errorf("a stranger lists runs: %v", err)
	}

	zero := map[string]int{}
	qs, _ := c.a.Questions(admin, id)
	for _, q := range qs {
		zero["q"+itoa(q.ID)] = 0
	}
	for _, k := range []string{tandem.CritDepartment, tandem.CritLocation, tandem.CritLanguages, tandem.CritSkills, tandem.CritTimeZone} {
		zero[k] = 0
	}
	if _, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, zero); tandem.ErrorFields(err)["weights"] == "" {
		t.Errorf("all weights zero: %v", err)
	}
	if _, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, map[string]int{"nope": 1}); tandem.ErrorFields(err)["weights"] == "" {
		t.Errorf("an unknown criterion: %v", err)
	}

	run, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := pairsOf(run)
	// boss is lee's manager: never proposed, though they share the track;
	// so lee goes to mentor, and other (Sell) too (capacity 2); coach
	// shares no language with any mentor.
	if got["lee@acme.test"] != "mentor@acme.test" || got["other@acme.test"] != "mentor@acme.test" || len(got) != 2 {
		t.Errorf("pairs %v", got)
	}
	if run.Certificate.Claim == "" || !strings.HasPrefix(run.Certificate.Claim, "optimal") || run.Matched != 2 || run.ID == 0 {
		t.Errorf("run %+v", run)
	}
	why := map[string]string{}
	for _, u := range run.Unmatched {
		why[u.Person.Email] = u.Why
	}
	if !strings.Contains(why["coach@acme.test"], "no approved mentor shares «Languages»") {
		t.Errorf("coach unmatched because %q", why["coach@acme.test"])
	}
	for _, p := range run.Pairs {
		if len(p.Reasons) == 0 {
			t.Errorf("pair %s–%s has no reasons", p.Mentee.Email, p.Mentor.Email)
		}
		if p.Mentee.Email == "other@acme.test" && !strings.Contains(strings.Join(p.Reasons, ";"), "Track: sell") {
			t.Errorf("other's reasons: %v", p.Reasons)
		}
	}
	stored, err := c.a.Run(admin, id, run.ID)
	if err != nil || len(stored.Pairs) != 2 || len(stored.Unmatched) != len(run.Unmatched) || stored.Certificate.Claim != run.Certificate.Claim ||
		stored.Total != run.Total || pairsOf(stored)["other@acme.test"] != "mentor@acme.test" {
		t.Errorf("stored run %+v %v", stored, err)
	}

	// Forbid other–mentor: other goes unmatched (boss has one seat and
	// shares English, so other takes boss instead).
	if err := c.a.SetPairRule(prog, id, tandem.PairRule{Kind: tandem.PairForbid, MenteeID: c.id["other"], MentorID: c.id["mentor"]}); err != nil {
		t.Fatal(err)
	}
	if err := c.a.SetPairRule(prog, id, tandem.PairRule{Kind: tandem.PairPin, MenteeID: c.id["other"], MentorID: c.id["mentor"]}); code(err) != tandem.ECONFLICT {
		t.Errorf("pinning a forbidden pair: %v", err)
	}
	if err := c.a.SetPairRule(prog, id, tandem.PairRule{Kind: tandem.PairPin, MenteeID: c.id["lee"], MentorID: c.id["boss"]}); code(err) != tandem.ECONFLICT {
		t.Errorf("pinning a mentor in the mentee's chain: %v", err)
	}
	if err := c.a.SetPairRule(c.ctx["lee"], id, tandem.PairRule{Kind: tandem.PairPin, MenteeID: c.id["lee"], MentorID: c.id["mentor"]}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("an applicant pins: %v", err)
	}
	run2, err := c.a.MatchProgram(prog, id, tandem.ModeStable, nil)
	if err != nil {
		t.Fatal(err)
	}
	got = pairsOf(run2)
	if got["other@acme.test"] != "boss@acme.test" || got["lee@acme.test"] != "mentor@acme.test" || !strings.HasPrefix(run2.Certificate.Claim, "stable") {
		t.Errorf("after the forbid (stable): %v %q", got, run2.Certificate.Claim)
	}
	cmp, err := c.a.CompareRuns(admin, id, run.ID, run2.ID)
	if err != nil || cmp.Same != 2 || len(cmp.Moves) != 1 || cmp.Moves[0].Mentee.Email != "other@acme.test" || cmp.Moves[0].To.Email != "boss@acme.test" {
		t.Errorf("compare: %+v %v", cmp, err)
	}

	// Pin coach? Not a language in common: the pin holds anyway (the
	// admin decided), and the pin is kept in the next run.
	if err := c.a.DeletePairRule(prog, id, c.id["other"], c.id["mentor"]); err != nil {
		t.Fatal(err)
	}
	if err := c.a.SetPairRule(prog, id, tandem.PairRule{Kind: tandem.PairPin, MenteeID: c.id["other"], MentorID: c.id["boss"]}); err != nil {
		t.Fatal(err)
	}
	run3, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, map[string]int{tandem.CritLanguages: 5})
	if err != nil {
		t.Fatal(err)
	}
	got = pairsOf(run3)
	if got["other@acme.test"] != "boss@acme.test" || run3.Weights[tandem.CritLanguages] != 5 {
		t.Errorf("the pin is not kept: %v %v", got, run3.Weights)
	}
	pinned := false
	for _, p := range run3.Pairs {
		pinned = pinned || p.Pinned && p.Mentee.Email == "other@acme.test"
	}
	if !pinned {
		t.Errorf("the pinned pair is not marked: %+v", run3.Pairs)
	}
	if runs, err := c.a.Runs(admin, id); err != nil || len(runs) != 3 || runs[0].ID != run3.ID {
		t.Errorf("runs: %d %v", len(runs), err)
	}
}

func strangerCtx(t *testing.T, c *cast) context.Context {
	t.Helper()
	return tandemtest.MustOrg(t, c.a.DB, "Elsewhere")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestPublishRun: a stale run is refused with what changed; publishing
// makes one proposed partnership per pair with a prefilled draft
// agreement, notifies the partners, and publishing again (twice at once
// too) changes nothing.
func TestPublishRun(t *testing.T) {
	c := newCast(t)
	admin, prog := c.ctx["admin"], c.ctx["prog"]
	id, apps := cohortProgram(t, c)
	approveAll(t, c, id, apps)
	if _, err := c.a.MoveProgram(admin, id, tandem.ProgramMatching); err != nil {
		t.Fatal(err)
	}
	stale, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.a.Withdraw(c.ctx["coach"], id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.PublishRun(prog, id, stale.ID); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "1 no longer approved (Coach)") {
		t.Errorf("publishing a stale run: %v", err)
	}
	run, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.PublishRun(c.ctx["lee"], id, run.ID); code(err) != tandem.EFORBIDDEN {
		t.Errorf("an applicant publishes: %v", err)
	}
	if _, err := c.a.PublishRun(strangerCtx(t, c), id, run.ID); code(err) != tandem.ENOTFOUND {
		t.Errorf("a stranger publishes: %v", err)
	}
	// Two admins at once: one set.
	type result struct {
		n   int
		err error
	}
	out := make(chan result, 2)
	for _, who := range []context.Context{admin, prog} {
		go func() {
			r, err := c.a.PublishRun(who, id, run.ID)
			if err != nil {
				out <- result{0, err}
				return
			}
			out <- result{r.Engagements, nil}
		}()
	}
	total := 0
	for range 2 {
		r := <-out
		if r.err != nil {
			t.Errorf("concurrent publish: %v", r.err)
		}
		total += r.n
	}
	if total != len(run.Pairs) || total != 2 {
		t.Errorf("concurrent publishes made %d partnerships, want %d", total, len(run.Pairs))
	}
	again, err := c.a.PublishRun(prog, id, run.ID)
	if err != nil || !again.Already || again.Engagements != 0 {
		t.Errorf("publishing again: %+v %v", again, err)
	}
	if _, err := c.a.PublishRun(prog, id, stale.ID); code(err) != tandem.ECONFLICT {
		t.Errorf("publishing a second run: %v", err)
	}
	mine, err := c.a.MyEngagements(c.ctx["other"])
	if err != nil || len(mine) != 1 || mine[0].Kind != tandem.Mentoring || mine[0].Status != tandem.StatusDraft || mine[0].Guide.ID != c.id["mentor"] {
		t.Fatalf("other's partnerships: %+v %v", mine, err)
	}
	page, err := c.a.EngagementPage(c.ctx["other"], mine[0].ID)
	if err != nil || page == nil {
		t.Fatalf("other opens the partnership: %v", err)
	}
	// Publishing is not agreeing: the program admin is no party, and the
	// partners each answer the prefilled draft.
	if len(page.Responses) != 0 || !page.AwaitsMe {
		t.Errorf("a published partnership starts with answers %+v (awaits the protégé: %v)", page.Responses, page.AwaitsMe)
	}
	notes, _, err := c.a.Notifications(c.ctx["mentor"])
	if err != nil || len(notes) == 0 {
		t.Errorf("the mentor is not notified: %d %v", len(notes), err)
	}
	if r, err := c.a.Run(admin, id, run.ID); err != nil || r.PublishedAt == nil {
		t.Errorf("the run is not marked published: %v", err)
	}
}

// TestLeaverLeavesTheCohort: someone deactivated while a program is
// matching has their application withdrawn, so a run made before is
// stale and a new run does not match them.
func TestLeaverLeavesTheCohort(t *testing.T) {
	c := newCast(t)
	admin, prog := c.ctx["admin"], c.ctx["prog"]
	id, apps := cohortProgram(t, c)
	approveAll(t, c, id, apps)
	if _, err := c.a.MoveProgram(admin, id, tandem.ProgramMatching); err != nil {
		t.Fatal(err)
	}
	before, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Deactivate(admin, c.id["lee"], "moved on"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.PublishRun(prog, id, before.ID); code(err) != tandem.ECONFLICT {
		t.Errorf("publishing a run made before a mentee left: %v", err)
	}
	after, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pairsOf(before)["lee@acme.test"]; !ok {
		t.Fatalf("Lee was not matched before leaving: %v", pairsOf(before))
	}
	if _, ok := pairsOf(after)["lee@acme.test"]; ok {
		t.Errorf("a run after Lee left still matches Lee: %v", pairsOf(after))
	}
}
