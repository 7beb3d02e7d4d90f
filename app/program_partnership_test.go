package app_test

import (
	"context"
	"database/sql"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestSelfServeSeatFreed: a mentor's seats in a program are the program's
// partnerships with them that are not over: withdrawing, declining or
// ending one frees its seat for a new request; a partnership proposed
// outside the program takes none. The program's admins and
// administrators list the partnerships and requests (status only); an
// applicant may not, a stranger finds nothing.
// programMember is someone selfServeProgram adds to the organization and approves
// in the program as a mentor (one seat) or a mentee.
type programMember struct{ name, role string }

// selfServeProgram is a running self-serve program of one seat per mentor,
// named admins its program admins, with the members approved in it.
func selfServeProgram(t *testing.T, c *cast, name string, admins []string, members []programMember) (*tandem.Program, map[string]context.Context) {
	t.Helper()
	admin := c.ctx["admin"]
	p, err := c.a.CreateProgram(admin, tandem.Program{Name: name, MentorCapacity: 1}, admins)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.MoveProgram(admin, p.ID, tandem.ProgramEnrolling); err != nil {
		t.Fatal(err)
	}
	who := map[string]context.Context{}
	for _, x := range members {
		ctx := tandemtest.MustMember(t, c.a.DB, admin, x.name+"@acme.test", x.name, tandem.RoleMember)
		who[x.name] = ctx
		capacity := 0
		if x.role == "mentor" {
			capacity = 1
		}
		ap, err := c.a.Apply(ctx, p.ID, tandem.Application{Role: tandem.ApplicationRole(x.role), Capacity: capacity}, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.a.Decide(admin, p.ID, ap.ID, "approve"); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []tandem.ProgramState{tandem.ProgramMatching, tandem.ProgramRunning} {
		if _, err := c.a.MoveProgram(admin, p.ID, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.a.SetMatchingMode(admin, p.ID, tandem.MatchSelfServe); err != nil {
		t.Fatal(err)
	}
	return p, who
}

func TestSelfServeSeatFreed(t *testing.T) {
	c := newCast(t)
	admin := c.ctx["admin"]
	p, who := selfServeProgram(t, c, "Seats", []string{"prog@acme.test"}, []programMember{{"mo", "mentor"}, {"ma", "mentee"}, {"mb", "mentee"}, {"mc", "mentee"}, {"md", "mentee"}})
	mo := who["mo"]
	moID := tandem.ActorFrom(mo).Person.ID
	// place has the mentee ask mo and mo accept: the proposed partnership.
	place := func(mentee string) *tandem.Engagement {
		t.Helper()
		r, err := c.a.AskMentor(who[mentee], p.ID, moID, "A private hello from "+mentee)
		if err != nil {
			t.Fatalf("%s asks: %v", mentee, err)
		}
		acc, err := c.a.AnswerRequest(mo, p.ID, r.ID, true)
		if err != nil {
			t.Fatalf("mo accepts %s: %v", mentee, err)
		}
		e, err := c.a.Engagement(mo, acc.EngagementID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Engagement.ProgramID != p.ID || e.Engagement.ProgramName != "Seats" {
			t.Errorf("%s's partnership names program %d %q, want %d", mentee, e.Engagement.ProgramID, e.Engagement.ProgramName, p.ID)
		}
		return e.Engagement
	}
	full := func(mentee string) {
		t.Helper()
		if _, err := c.a.AskMentor(who[mentee], p.ID, moID, ""); code(err) != tandem.EINVALID || !strings.Contains(err.Error(), "no room") {
			t.Errorf("%s asks a full mentor: %v", mentee, err)
		}
	}

	// A partnership outside the program takes no seat of it.
	if _, err := c.a.Propose(admin, tandem.Proposal{Kind: tandem.Mentoring, LearnerID: tandem.ActorFrom(who["md"]).Person.ID, GuideID: moID,
		Agreement: agreement()}, ""); err != nil {
		t.Fatal(err)
	}
	// ma is placed; the mentee withdrawing the draft frees the seat.
	e1 := place("ma")
	full("mb")
	if _, err := c.a.End(who["ma"], e1.ID, "Not now after all"); err != nil {
		t.Fatal(err)
	}
	// mb is placed; the mentor declining the draft frees the seat.
	e2 := place("mb")
	full("mc")
	if _, err := c.a.End(mo, e2.ID, "I cannot after all"); err != nil {
		t.Fatal(err)
	}
	// mc is placed and the partnership starts; ending it frees the seat.
	e3 := place("mc")
	for _, x := range []context.Context{who["mc"], mo} {
		if _, err := c.a.Respond(x, e3.ID, 1, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if e, _ := c.a.Engagement(mo, e3.ID); e == nil || e.Engagement.Status != tandem.StatusActive {
		t.Fatalf("e3 is not active: %+v", e)
	}
	full("ma")
	if _, err := c.a.End(mo, e3.ID, "We are done"); err != nil {
		t.Fatal(err)
	}
	e4 := place("ma") // placed again once their first partnership ended
	if v, err := c.a.SelfServe(mo, p.ID, 0); err != nil || v.Load != 1 {
		t.Errorf("mo's load: %+v %v", v, err)
	}

	// The program's admins and administrators see the four partnerships
	// and the requests, newest first, without messages.
	for _, x := range []string{"prog", "admin"} {
		list, total, err := c.a.ProgramPartnerships(c.ctx[x], p.ID, 0, 0)
		if err != nil || total != 4 || len(list) != 4 || list[0].EngagementID != e4.ID || list[0].Status != tandem.StatusDraft ||
			list[1].EngagementID != e3.ID || list[1].Status != tandem.StatusEnded || list[1].StartedAt == nil || list[1].Mentee.Name != "mc" {
			t.Errorf("%s lists partnerships: %d %+v %v", x, total, list, err)
		}
		page, total, err := c.a.ProgramPartnerships(c.ctx[x], p.ID, 1, 1)
		if err != nil || total != 4 || len(page) != 1 || page[0].EngagementID != e3.ID {
			t.Errorf("%s's second page: %d %+v %v", x, total, page, err)
		}
		reqs, total, err := c.a.ProgramRequestStatuses(c.ctx[x], p.ID, 0, 0)
		if err != nil || total != 4 || len(reqs) != 4 || reqs[0].Status != tandem.RequestAccepted || reqs[0].EngagementID != e4.ID {
			t.Errorf("%s lists requests: %d %+v %v", x, total, reqs, err)
		}
	}
	if _, _, err := c.a.ProgramPartnerships(admin, p.ID, 201, 0); code(err) != tandem.EINVALID {
		t.Errorf("a page of 201: %v", err)
	}
	if _, _, err := c.a.ProgramRequestStatuses(admin, p.ID, 0, -1); code(err) != tandem.EINVALID {
		t.Errorf("a negative offset: %v", err)
	}
	for name, want := range map[string]string{"applicant": tandem.EFORBIDDEN, "stranger": tandem.ENOTFOUND} {
		ctx := mo
		if name == "stranger" {
			ctx = strangerCtx(t, c)
		}
		if _, _, err := c.a.ProgramPartnerships(ctx, p.ID, 0, 0); code(err) != want {
			t.Errorf("the %s lists partnerships: %v", name, err)
		}
		if _, _, err := c.a.ProgramRequestStatuses(ctx, p.ID, 0, 0); code(err) != want {
			t.Errorf("the %s lists requests: %v", name, err)
		}
	}
}

// TestEngagementProgramBackfill: migration 00030 names the program of the
// partnerships proposed before it, by a published run or an accepted
// request, and of no other.
func TestEngagementProgramBackfill(t *testing.T) {
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
	run, err := c.a.MatchProgram(prog, id, tandem.ModeOptimal, nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := c.a.PublishRun(prog, id, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Add(time.Minute) // what is proposed later is not the run's
	if _, err := c.a.MoveProgram(admin, id, tandem.ProgramRunning); err != nil {
		t.Fatal(err)
	}
	// other's published partnership is withdrawn; other asks boss, who
	// accepts.
	mine, err := c.a.MyEngagements(c.ctx["other"])
	if err != nil || len(mine) != 1 {
		t.Fatalf("other's partnerships: %+v %v", mine, err)
	}
	if _, err := c.a.End(c.ctx["other"], mine[0].ID, "Another mentor suits me"); err != nil {
		t.Fatal(err)
	}
	r, err := c.a.AskMentor(c.ctx["other"], id, c.id["boss"], "")
	if err != nil {
		t.Fatal(err)
	}
	acc, err := c.a.AnswerRequest(c.ctx["boss"], id, r.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	// The same pair proposed outside the program, later.
	other := c.mentoring(t, "admin", "lee", "mentor")
	db := c.a.DB
	ctx := context.Background()
	if _, err := db.SQL().ExecContext(ctx, `UPDATE engagements SET program_id = NULL`); err != nil {
		t.Fatal(err)
	}
	// The migration's statements after its schema changes.
	up, err := fs.ReadFile(sqldb.MigrationsFS(db.Dialect()), "00030_engagement_program.sql")
	if err != nil {
		t.Fatal(err)
	}
	body, _, _ := strings.Cut(string(up), "-- +goose Down")
	for _, stmt := range strings.Split(body, ";") {
		if s := strings.TrimSpace(stmt); strings.Contains(s, "UPDATE engagements") {
			if _, err := db.SQL().ExecContext(ctx, s[strings.Index(s, "UPDATE"):]); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[int64]int64{acc.EngagementID: id, other.ID: 0}
	for _, e := range pub.IDs {
		want[e] = id
	}
	if len(pub.IDs) == 0 {
		t.Fatal("nothing published")
	}
	for e, p := range want {
		var got sql.NullInt64
		if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT program_id FROM engagements WHERE id = ?`), e).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got.Int64 != p {
			t.Errorf("engagement %d: program %d after the backfill, want %d", e, got.Int64, p)
		}
	}
}
