package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tandemhq/tandem"
)

// runningCohort is cohortProgram approved and running.
func runningCohort(t *testing.T, c *cast) int64 {
	t.Helper()
	id, apps := cohortProgram(t, c)
	approveAll(t, c, id, apps)
	for _, s := range []tandem.ProgramState{tandem.ProgramMatching, tandem.ProgramRunning} {
		if _, err := c.a.MoveProgram(c.ctx["admin"], id, s); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func countEvents(t *testing.T, c *cast, who string, ev tandem.EventType) int {
	t.Helper()
	notes, _, err := c.a.Notifications(c.ctx[who])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range notes {
		if x.Event == ev {
			n++
		}
	}
	return n
}

// TestSelfServe: the mode gates asking; suggestions are ranked by the
// cohort scores with reasons, never a mentor in the chain or failing a
// hard rule; one open request at a time; cancel, decline and accept, with
// notifications; an accepted request proposes the partnership with the
// program's draft agreement; bad requests change nothing.
func TestSelfServe(t *testing.T) {
	c := newCast(t)
	prog := c.ctx["prog"]
	id := runningCohort(t, c)
	lee, other, coach, mentor, boss := c.ctx["lee"], c.ctx["other"], c.ctx["coach"], c.ctx["mentor"], c.ctx["boss"]

	// Cohort mode: nobody asks.
	if _, err := c.a.AskMentor(lee, id, c.id["mentor"], ""); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "match the whole cohort") {
		t.Errorf("asking in a cohort program: %v", err)
	}
	v, err := c.a.Suggestions(lee, id, 0)
	if err != nil || v.Open || len(v.Suggestions) != 0 {
		t.Errorf("suggestions in a cohort program: %+v %v", v, err)
	}
	if err := c.a.SetMatchingMode(lee, id, tandem.MatchSelfServe); code(err) != tandem.EFORBIDDEN {
		t.Errorf("a mentee sets the mode: %v", err)
	}
	if err := c.a.SetMatchingMode(prog, id, "bogus"); code(err) != tandem.EINVALID {
		t.Errorf("a bogus mode: %v", err)
	}
	if err := c.a.SetMatchingMode(prog, id, tandem.MatchSelfServe); err != nil {
		t.Fatal(err)
	}

	// Who may see suggestions.
	if _, err := c.a.Suggestions(mentor, id, 0); code(err) != tandem.EFORBIDDEN {
		t.Errorf("a mentor's suggestions: %v", err)
	}
	if _, err := c.a.Suggestions(prog, id, 0); code(err) != tandem.EFORBIDDEN {
		t.Errorf("the program admin's suggestions: %v", err)
	}
	if _, err := c.a.Suggestions(strangerCtx(t, c), id, 0); code(err) != tandem.ENOTFOUND {
		t.Errorf("a stranger's suggestions: %v", err)
	}
	if _, err := c.a.Suggestions(lee, id, 21); code(err) != tandem.EINVALID {
		t.Errorf("21 suggestions: %v", err)
	}

	// Lee reports to boss: only mentor is suggested.
	v, err = c.a.Suggestions(lee, id, 0)
	if err != nil || !v.Open || len(v.Suggestions) != 1 || v.Suggestions[0].Mentor.ID != c.id["mentor"] {
		t.Fatalf("lee's suggestions: %+v %v", v, err)
	}
	// Other (Sell) ranks mentor (Sell) above boss (Build), with reasons.
	v, err = c.a.Suggestions(other, id, 0)
	if err != nil || len(v.Suggestions) != 2 || v.Suggestions[0].Mentor.ID != c.id["mentor"] || v.Suggestions[1].Mentor.ID != c.id["boss"] ||
		v.Suggestions[0].Score <= v.Suggestions[1].Score || len(v.Suggestions[0].Reasons) == 0 || v.Suggestions[0].Spare != 2 {
		t.Fatalf("other's suggestions: %+v %v", v, err)
	}
	// The scores are the cohort run's.
	if v.Suggestions[0].Score != 4 || v.Suggestions[1].Score != 1 {
		t.Errorf("scores %v and %v, want 4 and 1", v.Suggestions[0].Score, v.Suggestions[1].Score)
	}
	if v, err = c.a.Suggestions(other, id, 1); err != nil || len(v.Suggestions) != 1 {
		t.Errorf("one suggestion: %+v %v", v, err)
	}
	// Coach speaks Basque: no mentor.
	if v, err = c.a.Suggestions(coach, id, 0); err != nil || len(v.Suggestions) != 0 {
		t.Errorf("coach's suggestions: %+v %v", v, err)
	}

	// Bad requests change nothing.
	bad := []struct {
		name string
		ctx  context.Context
		to   int64
		msg  string
		code string
		has  string
	}{
		{"in the chain", lee, c.id["boss"], "", tandem.EINVALID, "management chain"},
		{"a hard rule", coach, c.id["mentor"], "", tandem.EINVALID, "does not share «Languages»"},
		{"not a mentor", lee, c.id["other"], "", tandem.EINVALID, "approved mentors"},
		{"oneself", lee, c.id["lee"], "", tandem.EINVALID, "own mentor"},
		{"as a mentor", mentor, c.id["boss"], "", tandem.EFORBIDDEN, "approved mentees"},
		{"too long", lee, c.id["mentor"], strings.Repeat("x", tandem.MaxRequestMessage+1), tandem.EINVALID, "at most"},
	}
	for _, b := range bad {
		_, err := c.a.AskMentor(b.ctx, id, b.to, b.msg)
		if code(err) != b.code || !strings.Contains(err.Error(), b.has) {
			t.Errorf("asking %s: %v", b.name, err)
		}
	}
	if n := countEvents(t, c, "mentor", tandem.ProgramRequested) + countEvents(t, c, "boss", tandem.ProgramRequested); n != 0 {
		t.Errorf("%d requests notified after bad asks", n)
	}

	// Lee asks mentor; asking twice is refused; the mentor is told.
	r1, err := c.a.AskMentor(lee, id, c.id["mentor"], "  Would you?  ")
	if err != nil || r1.Status != tandem.RequestOpen || r1.Message != "Would you?" || r1.Score != 1 || len(r1.Reasons) == 0 {
		t.Fatalf("lee asks: %+v %v", r1, err)
	}
	if _, err := c.a.AskMentor(lee, id, c.id["mentor"], ""); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "You asked Mentor already") {
		t.Errorf("asking twice: %v", err)
	}
	if n := countEvents(t, c, "mentor", tandem.ProgramRequested); n != 1 {
		t.Errorf("mentor told of %d requests", n)
	}
	if v, err = c.a.SelfServe(lee, id, 0); err != nil || v.Pending == nil || len(v.Suggestions) != 0 {
		t.Errorf("lee's view with a pending request: %+v %v", v, err)
	}
	if v, err = c.a.SelfServe(mentor, id, 0); err != nil || len(v.Waiting()) != 1 || v.Capacity != 2 {
		t.Errorf("mentor's view: %+v %v", v, err)
	}
	next, err := c.a.WhatsNext(mentor)
	if err != nil || len(next.Requests) != 1 || next.Requests[0].Waiting != 1 {
		t.Errorf("mentor's what's next: %+v %v", next, err)
	}
	// Only the mentor answers; only the mentee cancels.
	if _, err := c.a.AnswerRequest(boss, id, r1.ID, true); code(err) != tandem.ENOTFOUND {
		t.Errorf("another mentor accepts: %v", err)
	}
	if _, err := c.a.AnswerRequest(lee, id, r1.ID, true); code(err) != tandem.EFORBIDDEN {
		t.Errorf("the mentee accepts: %v", err)
	}
	if _, err := c.a.CancelRequest(other, id, r1.ID); code(err) != tandem.ENOTFOUND {
		t.Errorf("another mentee cancels: %v", err)
	}
	if _, err := c.a.CancelRequest(lee, id, r1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.AnswerRequest(mentor, id, r1.ID, true); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("accepting a cancelled request: %v", err)
	}
	if _, err := c.a.CancelRequest(lee, id, r1.ID); code(err) != tandem.ECONFLICT {
		t.Errorf("cancelling twice: %v", err)
	}
	if mine, _ := c.a.MyEngagements(lee); len(mine) != 0 {
		t.Errorf("lee has %d partnerships after a cancel", len(mine))
	}

	// Other asks boss, who declines: other may not ask boss again.
	r2, err := c.a.AskMentor(other, id, c.id["boss"], "")
	if err != nil {
		t.Fatal(err)
	}
	if d, err := c.a.AnswerRequest(boss, id, r2.ID, false); err != nil || d.Status != tandem.RequestDeclined {
		t.Fatalf("boss declines: %+v %v", d, err)
	}
	if n := countEvents(t, c, "other", tandem.ProgramRequestDeclined); n != 1 {
		t.Errorf("other told of %d declines", n)
	}
	if _, err := c.a.AskMentor(other, id, c.id["boss"], ""); code(err) != tandem.EINVALID || !strings.Contains(err.Error(), "declined") {
		t.Errorf("asking after a decline: %v", err)
	}
	if v, err = c.a.Suggestions(other, id, 0); err != nil || len(v.Suggestions) != 1 || v.Suggestions[0].Mentor.ID != c.id["mentor"] {
		t.Errorf("other's suggestions after the decline: %+v %v", v, err)
	}

	// Other asks mentor, who accepts: a proposed partnership with the
	// program's draft agreement; other is told.
	r3, err := c.a.AskMentor(other, id, c.id["mentor"], "")
	if err != nil {
		t.Fatal(err)
	}
	acc, err := c.a.AnswerRequest(mentor, id, r3.ID, true)
	if err != nil || acc.Status != tandem.RequestAccepted || acc.EngagementID == 0 {
		t.Fatalf("mentor accepts: %+v %v", acc, err)
	}
	if _, err := c.a.AnswerRequest(mentor, id, r3.ID, true); code(err) != tandem.ECONFLICT {
		t.Errorf("accepting twice: %v", err)
	}
	mine, err := c.a.MyEngagements(other)
	if err != nil || len(mine) != 1 || mine[0].ID != acc.EngagementID || mine[0].Kind != tandem.Mentoring || mine[0].Status != tandem.StatusDraft ||
		mine[0].Guide.ID != c.id["mentor"] {
		t.Fatalf("other's partnerships: %+v %v", mine, err)
	}
	page, err := c.a.EngagementPage(other, mine[0].ID)
	if err != nil || len(page.Versions) != 1 || !strings.Contains(strings.Join(page.Versions[0].Outcomes, " "), "Cohort") {
		t.Errorf("the draft agreement: %+v %v", page, err)
	}
	if n := countEvents(t, c, "other", tandem.ProgramRequestAccepted); n != 1 {
		t.Errorf("other told of %d accepts", n)
	}
	if n := countEvents(t, c, "other", tandem.EventProposed); n != 1 {
		t.Errorf("other told of %d proposals", n)
	}
	if _, err := c.a.AskMentor(other, id, c.id["mentor"], ""); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "mentor from this program") {
		t.Errorf("asking with a mentor: %v", err)
	}
	if v, err = c.a.SelfServe(other, id, 0); err != nil || v.Partner == nil || v.Partner.ID != c.id["mentor"] || len(v.Suggestions) != 0 {
		t.Errorf("other's view once placed: %+v %v", v, err)
	}
	if v, err = c.a.SelfServe(mentor, id, 0); err != nil || v.Load != 1 {
		t.Errorf("mentor's load: %+v %v", v, err)
	}

	// Closed: nothing more.
	r4, err := c.a.AskMentor(lee, id, c.id["mentor"], "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.MoveProgram(c.ctx["admin"], id, tandem.ProgramClosed); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.AnswerRequest(mentor, id, r4.ID, true); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "closed") {
		t.Errorf("accepting in a closed program: %v", err)
	}
	if mine, _ := c.a.MyEngagements(lee); len(mine) != 0 {
		t.Errorf("lee has %d partnerships from a closed program", len(mine))
	}
}

// TestSelfServeBoth: in "both", asking opens once the cohort run is
// published, for the mentees it left unmatched, with the seats it took.
func TestSelfServeBoth(t *testing.T) {
	c := newCast(t)
	admin, prog := c.ctx["admin"], c.ctx["prog"]
	id, apps := cohortProgram(t, c)
	approveAll(t, c, id, apps)
	if _, err := c.a.MoveProgram(admin, id, tandem.ProgramMatching); err != nil {
		t.Fatal(err)
	}
	if err := c.a.SetMatchingMode(prog, id, tandem.MatchBoth); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.AskMentor(c.ctx["lee"], id, c.id["mentor"], ""); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "published") {
		t.Errorf("asking before publish: %v", err)
	}
	run, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.PublishRun(prog, id, run.ID); err != nil {
		t.Fatal(err)
	}
	// lee → mentor and other → mentor fill mentor's two seats; boss (in
	// lee's chain, Build) is free but other is placed already.
	if _, err := c.a.AskMentor(c.ctx["other"], id, c.id["boss"], ""); code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "mentor from this program") {
		t.Errorf("a matched mentee asks: %v", err)
	}
	v, err := c.a.SelfServe(c.ctx["coach"], id, 0)
	if err != nil || !v.Open {
		t.Errorf("coach's view after publish: %+v %v", v, err)
	}
}

// TestSelfServeCapacityRace: a mentee asking twice at once makes one
// request; a mentor with one seat accepting two requests at once makes
// exactly one partnership; many times over, on both databases (the
// program's row lock; without it PostgreSQL makes two partnerships).
func TestSelfServeCapacityRace(t *testing.T) {
	c := newCast(t)
	const rounds = 15
	var members []programMember
	for k := range rounds {
		for _, x := range []programMember{{"mo", "mentor"}, {"ma", "mentee"}, {"mb", "mentee"}} {
			members = append(members, programMember{fmt.Sprintf("%s%d", x.name, k), x.role})
		}
	}
	p, ctxs := selfServeProgram(t, c, "Race", nil, members)
	for k := range rounds {
		mo := ctxs[fmt.Sprintf("mo%d", k)]
		moID := tandem.ActorFrom(mo).Person.ID
		// One mentee asking twice at once: one request.
		var wg sync.WaitGroup
		asks := make([]error, 2)
		ids := make([]int64, 2)
		for i := range asks {
			wg.Go(func() {
				r, err := c.a.AskMentor(ctxs[fmt.Sprintf("ma%d", k)], p.ID, moID, "")
				asks[i] = err
				if err == nil {
					ids[i] = r.ID
				}
			})
		}
		wg.Wait()
		var reqs []int64
		for i, err := range asks {
			switch {
			case err == nil:
				reqs = append(reqs, ids[i])
			case code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "You asked"):
				t.Errorf("round %d: asking twice at once: %v", k, err)
			}
		}
		if len(reqs) != 1 {
			t.Fatalf("round %d: %d requests from one mentee asking twice at once", k, len(reqs))
		}
		r, err := c.a.AskMentor(ctxs[fmt.Sprintf("mb%d", k)], p.ID, moID, "")
		if err != nil {
			t.Fatalf("round %d: mb asks: %v", k, err)
		}
		reqs = append(reqs, r.ID)
		errs := make([]error, len(reqs))
		for i, rid := range reqs {
			wg.Go(func() { _, errs[i] = c.a.AnswerRequest(mo, p.ID, rid, true) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case code(err) != tandem.ECONFLICT || !strings.Contains(err.Error(), "no room"):
				t.Errorf("round %d: %v", k, err)
			}
		}
		mine, err := c.a.MyEngagements(mo)
		if ok != 1 || err != nil || len(mine) != 1 {
			t.Fatalf("round %d: %d accepted, mentor has %d partnerships (%v)", k, ok, len(mine), err)
		}
	}
}

// TestSelfServeLeavers: someone who left the organization while the
// program runs (their approved application stays) is never suggested nor
// asked, and a request of a mentee who left is never accepted into a
// partnership; leaving closes their open requests, so a mentee whose
// mentor left may ask someone else.
func TestSelfServeLeavers(t *testing.T) {
	c := newCast(t)
	admin, prog, lee, other, mentor := c.ctx["admin"], c.ctx["prog"], c.ctx["lee"], c.ctx["other"], c.ctx["mentor"]
	id := runningCohort(t, c)
	if err := c.a.SetMatchingMode(prog, id, tandem.MatchSelfServe); err != nil {
		t.Fatal(err)
	}
	// Other asks boss; then boss leaves.
	r1, err := c.a.AskMentor(other, id, c.id["boss"], "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Deactivate(admin, c.id["boss"], ""); err != nil {
		t.Fatal(err)
	}
	v, err := c.a.SelfServe(other, id, 0)
	if err != nil || v.Pending != nil {
		t.Fatalf("other's request to a mentor who left is still open: %+v %v", v, err)
	}
	if v.Suggestions == nil || len(v.Suggestions) != 1 || v.Suggestions[0].Mentor.ID != c.id["mentor"] {
		t.Errorf("other's suggestions once boss left: %+v", v.Suggestions)
	}
	if reqs, err := c.a.MentorRequests(other, id); err != nil || len(reqs) != 1 || reqs[0].ID != r1.ID || reqs[0].Status == tandem.RequestOpen {
		t.Errorf("other's requests: %+v %v", reqs, err)
	}
	if _, err := c.a.AskMentor(other, id, c.id["boss"], ""); code(err) != tandem.EINVALID {
		t.Errorf("asking a mentor who left: %v", err)
	}

	// Lee asks mentor; then lee leaves: mentor cannot accept.
	r2, err := c.a.AskMentor(lee, id, c.id["mentor"], "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Deactivate(admin, c.id["lee"], ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.AnswerRequest(mentor, id, r2.ID, true); code(err) != tandem.ECONFLICT {
		t.Errorf("accepting the request of a mentee who left: %v", err)
	}
	if mine, err := c.a.MyEngagements(mentor); err != nil || len(mine) != 0 {
		t.Errorf("mentor has %d partnerships with a mentee who left (%v)", len(mine), err)
	}
	if v, err := c.a.SelfServe(mentor, id, 0); err != nil || len(v.Waiting()) != 0 {
		t.Errorf("mentor still has requests waiting from a mentee who left: %+v %v", v, err)
	}
}
