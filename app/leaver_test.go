package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// endedNotices returns the ids of the engagements a person was told had
// ended.
func endedNotices(t *testing.T, c *cast, who string) []int64 {
	t.Helper()
	act := tandem.ActorFrom(c.ctx[who])
	ns, _, err := c.a.DB.Notifications(context.Background(), act.Org.ID, act.Person.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, n := range ns {
		if n.Event == tandem.EventEnded {
			ids = append(ids, n.EngagementID)
		}
	}
	return ids
}

func TestDeactivate(t *testing.T) {
	c := newCast(t)
	ctx := context.Background()
	db := c.a.DB
	acme := tandem.ActorFrom(c.ctx["admin"]).Org.ID
	lee := tandem.ActorFrom(c.ctx["lee"]).Person

	// Lee's account also belongs to another organization, which keeps it.
	beta := tandemtest.MustOrg(t, db, "Beta")
	betaOrg := tandem.ActorFrom(beta).Org.ID
	if _, err := db.AddMember(ctx, betaOrg, sqldb.NewMember{Email: lee.Email, Name: lee.Name, Role: tandem.RoleMember, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := c.a.ResetPasswordByOperator(ctx, lee.Email, "a long enough password"); err != nil {
		t.Fatal(err)
	}

	// Open engagements: an active coaching (lee, coach, boss agree), a
	// mentoring proposal; and one that ended before, which stays as it was.
	coaching := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, coaching.ID, "coach", "boss")
	mentoring := c.mentoring(t, "lee", "lee", "mentor")
	old := c.coaching(t, "lee", "lee", "other", "Facilitation")
	if _, err := c.a.End(c.ctx["lee"], old.ID, "Not now"); err != nil {
		t.Fatal(err)
	}

	acmeSession, err := c.a.StartSession(ctx, lee.AccountID, acme, "", "test", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	betaSession, err := c.a.StartSession(ctx, lee.AccountID, betaOrg, "", "test", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := c.a.CreateAPIToken(c.ctx["lee"], "laptop")
	if err != nil {
		t.Fatal(err)
	}
	feed, err := c.a.NewCalendarSecret(c.ctx["lee"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.CalendarFeed(ctx, feed); err != nil {
		t.Fatal(err)
	}

	// Who may not: a member; someone of another organization is not found.
	if _, err := c.a.Deactivate(c.ctx["boss"], lee.ID, ""); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
		t.Fatalf("a member deactivates: %v, want forbidden", err)
	}
	if _, err := c.a.Deactivate(beta, lee.ID, ""); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Fatalf("another organization's administrator deactivates: %v, want not found", err)
	}
	if _, err := c.a.Deactivate(c.ctx["admin"], lee.ID, strings.Repeat("x", 501)); tandem.ErrorFields(err)["reason"] == "" {
		t.Fatalf("a 501-character reason: %v, want a field error on reason", err)
	}

	d, err := c.a.Deactivate(c.ctx["admin"], lee.ID, "Moved to a partner company")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Person.Left() || d.Person.DeactivatedBy != c.id["admin"] || d.Person.DeactivationReason != "Moved to a partner company" {
		t.Errorf("deactivation recorded %+v", d.Person)
	}
	if want := []int64{coaching.ID, mentoring.ID}; !slices.Equal(d.Ended, want) {
		t.Errorf("ended %v, want %v", d.Ended, want)
	}

	// Access in Acme stops at once; Beta goes on.
	if _, err := c.a.ActorBySession(ctx, acmeSession); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("Acme session after deactivation: %v, want ended", err)
	}
	if _, err := c.a.ActorByToken(ctx, token); tandem.ErrorCode(err) != tandem.EUNAUTHORIZED {
		t.Errorf("API token after deactivation: %v, want unauthorized", err)
	}
	if _, err := c.a.CalendarFeed(ctx, feed); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("calendar feed after deactivation: %v, want not found", err)
	}
	if act, err := c.a.ActorBySession(ctx, betaSession); err != nil || act.Org.ID != betaOrg {
		t.Errorf("Beta session after deactivation in Acme: %v, %v", act, err)
	}
	acct, err := c.a.SignIn(ctx, lee.Email, "a long enough password", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.StartSession(ctx, acct.ID, acme, "", "test", "127.0.0.1"); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
		t.Errorf("sign in to Acme after deactivation: %v, want forbidden", err)
	}
	s, err := c.a.StartSession(ctx, acct.ID, 0, "", "test", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if act, err := c.a.ActorBySession(ctx, s); err != nil || act.Org.ID != betaOrg {
		t.Errorf("sign-in lands in %v (%v), want Beta", act, err)
	}

	// Gone from the directory and the pickers.
	people, total, err := c.a.SearchPeople(c.ctx["other"], sqldb.PeopleFilter{Query: "lee"})
	if err != nil || total != 0 || len(people) != 0 {
		t.Errorf("directory search for lee: %d found (%v)", total, err)
	}
	if _, err := c.a.PersonIDByEmail(c.ctx["other"], lee.Email, "guide_email"); !strings.Contains(tandem.ErrorFields(err)["guide_email"], "has left") {
		t.Errorf("picking lee by email: %v", err)
	}
	if _, err := c.a.Propose(c.ctx["other"], tandem.Proposal{Kind: tandem.Mentoring, LearnerID: c.id["other"], GuideID: lee.ID, Agreement: agreement()}, ""); !strings.Contains(tandem.ErrorFields(err)["guide"], "has left") {
		t.Errorf("proposing lee as mentor: %v", err)
	}
	if err := c.a.SetManagerByEmail(c.ctx["admin"], c.id["other"], lee.Email); !strings.Contains(tandem.ErrorFields(err)["manager_email"], "has left") {
		t.Errorf("lee as a manager: %v", err)
	}
	// The page stays, saying they left; why is the administrators'.
	if v, err := c.a.Person(c.ctx["other"], lee.ID); err != nil || !v.Person.Left() || v.Person.DeactivationReason != "" {
		t.Errorf("lee's page for a member: %+v, %v", v, err)
	}
	if v, err := c.a.Person(c.ctx["admin"], lee.ID); err != nil || v.Person.DeactivationReason != "Moved to a partner company" {
		t.Errorf("lee's page for an administrator: %+v, %v", v, err)
	}
	boss, err := c.a.Person(c.ctx["other"], c.id["boss"])
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range boss.Reports {
		if r.ID == lee.ID {
			t.Error("lee is still in the org chart under boss")
		}
	}
	leavers, err := c.a.ListLeavers(c.ctx["admin"])
	if err != nil || len(leavers) != 1 || leavers[0].ID != lee.ID {
		t.Errorf("leavers: %v, %v", leavers, err)
	}
	members, err := c.a.ListMembers(c.ctx["admin"])
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.ID == lee.ID {
			t.Error("lee is still in the members list")
		}
	}
	if _, err := c.a.Invite(c.ctx["admin"], lee.Email, lee.Name, "", false); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("inviting lee again: %v, want a conflict that says to reactivate", err)
	}

	// The open engagements ended through the usual end: status, reason,
	// the timeline, and the other parties told (lee is told nothing).
	// (The reason is the partners': each is read as the other partner.)
	for id, partner := range map[int64]string{coaching.ID: "coach", mentoring.ID: "mentor"} {
		v, err := c.a.Engagement(c.ctx[partner], id)
		if err != nil {
			t.Fatal(err)
		}
		e := v.Engagement
		if e.Status != tandem.StatusEnded || e.EndReason != "Lee left the organization." || e.EndedBy.ID != c.id["admin"] || !e.Learner.Left {
			t.Errorf("engagement %d: status %s, reason %q, ended by %d, learner left %v", id, e.Status, e.EndReason, e.EndedBy.ID, e.Learner.Left)
		}
	}
	cv, err := c.a.Engagement(c.ctx["coach"], coaching.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := cv.Events[len(cv.Events)-1]; last.Type != tandem.EventEnded || last.Note != "Lee left the organization." {
		t.Errorf("the coach's timeline ends with %+v", last)
	}
	if !slices.Contains(endedNotices(t, c, "coach"), coaching.ID) || !slices.Contains(endedNotices(t, c, "boss"), coaching.ID) {
		t.Errorf("coach told of %v, boss of %v; want the coaching", endedNotices(t, c, "coach"), endedNotices(t, c, "boss"))
	}
	if !slices.Contains(endedNotices(t, c, "mentor"), mentoring.ID) {
		t.Errorf("mentor told of %v; want the mentoring", endedNotices(t, c, "mentor"))
	}
	if got := endedNotices(t, c, "lee"); slices.Contains(got, coaching.ID) || slices.Contains(got, mentoring.ID) {
		t.Errorf("lee, who left, was told of %v", got)
	}
	ov, err := c.a.Engagement(c.ctx["other"], old.ID)
	if err != nil || ov.Engagement.EndReason != "Not now" {
		t.Errorf("the engagement that had ended: %+v, %v", ov, err)
	}

	// Twice: a clear conflict, nothing changed.
	before, _ := db.PersonByID(ctx, acme, lee.ID)
	if _, err := c.a.Deactivate(c.ctx["admin"], lee.ID, "again"); tandem.ErrorCode(err) != tandem.ECONFLICT || !strings.Contains(tandem.ErrorMessage(err), "already") {
		t.Errorf("deactivating twice: %v", err)
	}
	after, _ := db.PersonByID(ctx, acme, lee.ID)
	if !after.DeactivatedAt.Equal(*before.DeactivatedAt) || after.DeactivationReason != before.DeactivationReason {
		t.Errorf("deactivating twice changed %+v into %+v", before, after)
	}

	// Reactivation restores access and the directory; ended stays ended.
	if _, err := c.a.Reactivate(c.ctx["boss"], lee.ID); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
		t.Errorf("a member reactivates: %v", err)
	}
	if _, err := c.a.Reactivate(c.ctx["admin"], lee.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Reactivate(c.ctx["admin"], lee.ID); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("reactivating someone active: %v", err)
	}
	s, err = c.a.StartSession(ctx, acct.ID, acme, "", "test", "127.0.0.1")
	if err != nil {
		t.Fatalf("sign in to Acme after reactivation: %v", err)
	}
	if act, err := c.a.ActorBySession(ctx, s); err != nil || act.Person.ID != lee.ID {
		t.Errorf("session after reactivation: %v, %v", act, err)
	}
	if _, total, _ := c.a.SearchPeople(c.ctx["other"], sqldb.PeopleFilter{Query: "lee"}); total != 1 {
		t.Errorf("directory after reactivation: %d lees", total)
	}
	if v, _ := c.a.Engagement(c.ctx["lee"], coaching.ID); v == nil || v.Engagement.Status != tandem.StatusEnded {
		t.Errorf("the coaching after reactivation: %+v", v)
	}
}

func TestDeactivateLastAdministrator(t *testing.T) {
	c := newCast(t)
	self := c.id["admin"]
	if _, err := c.a.Deactivate(c.ctx["admin"], self, ""); tandem.ErrorCode(err) != tandem.ECONFLICT || !strings.Contains(tandem.ErrorMessage(err), "last administrator") {
		t.Fatalf("the last administrator deactivates themself: %v", err)
	}
	// With a second administrator, either may go.
	if err := c.a.SetRole(c.ctx["admin"], c.id["prog"], tandem.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Deactivate(c.ctx["admin"], self, ""); err != nil {
		t.Fatalf("an administrator who is not the last deactivates themself: %v", err)
	}
	prog := tandem.ActorFrom(c.ctx["prog"])
	if _, err := c.a.ListLeavers(tandemtest.MustActorContext(t, c.a.DB, prog.Account.ID, prog.Org.ID)); err != nil {
		t.Fatalf("the remaining administrator: %v", err)
	}
}

func TestOldInvitationOfSomeoneWhoLeft(t *testing.T) {
	a, db := newApp(t)
	ctx := tandemtest.MustOrg(t, db, "Acme")
	act := tandem.ActorFrom(ctx)
	mustImport(t, a, ctx, tandemtest.CSV("email,name", "ivy@acme.test,Ivy"))
	secret := "tdi_an-old-invitation-link"
	inv := &tandem.Invitation{OrgID: act.Org.ID, Email: "ivy@acme.test", Name: "Ivy", Role: tandem.RoleMember, InvitedBy: act.Person.ID}
	if err := db.CreateInvitation(context.Background(), inv, app.HashSecret(secret), nil); err != nil {
		t.Fatal(err)
	}
	id, err := db.PersonIDByEmail(context.Background(), act.Org.ID, "ivy@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Deactivate(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.AcceptInvitation(context.Background(), secret, "Ivy", "a long enough password", "127.0.0.1"); tandem.ErrorCode(err) != tandem.EINVALID {
		t.Fatalf("accepting an old invitation after leaving: %v, want refused", err)
	}
}

func TestImportDeactivateMissing(t *testing.T) {
	c := newCast(t)
	ctx := context.Background()
	db := c.a.DB
	acme := tandem.ActorFrom(c.ctx["admin"]).Org.ID
	if _, err := db.AddMember(ctx, acme, sqldb.NewMember{Email: "gus@practice.test", Name: "Gus", Role: tandem.RoleMember, PasswordHash: "x", Guest: true}); err != nil {
		t.Fatal(err)
	}
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	// Everyone but lee and other; the guest is never in an HR file.
	file := tandemtest.CSV("email,name", "admin@acme.test,Admin", "boss@acme.test,Boss", "coach@acme.test,Coach", "mentor@acme.test,Mentor", "prog@acme.test,Prog")
	import_ := func(opts app.ImportOptions) (*tandem.ImportReport, error) {
		return c.a.ImportPeopleWith(c.ctx["admin"], strings.NewReader(file), opts, nil)
	}
	names := func(rep *tandem.ImportReport) []string {
		var out []string
		for _, p := range rep.Deactivated {
			out = append(out, p.Name)
		}
		return out
	}
	active := func(who string) bool {
		p, err := db.PersonByID(ctx, acme, c.id[who])
		if err != nil {
			t.Fatal(err)
		}
		return !p.Left()
	}

	// Without the option nobody is deactivated.
	if rep, err := import_(app.ImportOptions{}); err != nil || len(rep.Deactivated) != 0 || !active("lee") {
		t.Fatalf("plain import: %v, %v", rep, err)
	}
	// The preview says who, and changes nothing.
	rep, err := import_(app.ImportOptions{DeactivateMissing: true, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(rep); !slices.Equal(got, []string{"Lee", "Other"}) || !rep.DryRun || rep.EndedEngagements != 1 {
		t.Errorf("preview: %v, dry run %v, %d engagements", got, rep.DryRun, rep.EndedEngagements)
	}
	if !active("lee") || !active("other") {
		t.Error("a preview deactivated someone")
	}
	if v, _ := c.a.Engagement(c.ctx["lee"], e.ID); v == nil || v.Engagement.Status.Closed() {
		t.Error("a preview ended an engagement")
	}
	// A confirmation that is not the list the import would deactivate is
	// refused, with nothing changed.
	if _, err := import_(app.ImportOptions{DeactivateMissing: true, Confirmed: []int64{c.id["lee"]}}); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("a confirmation of another list: %v, want conflict", err)
	}
	if !active("lee") || !active("other") {
		t.Error("a refused import deactivated someone")
	}
	// Confirmed as previewed: done.
	rep, err = import_(app.ImportOptions{DeactivateMissing: true, Confirmed: []int64{c.id["other"], c.id["lee"]}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(rep); !slices.Equal(got, []string{"Lee", "Other"}) || rep.DryRun {
		t.Errorf("import: %v", got)
	}
	if active("lee") || active("other") || !active("boss") {
		t.Error("the import did not deactivate exactly lee and other")
	}
	if p, _ := db.PersonIDByEmail(ctx, acme, "gus@practice.test"); p == 0 {
		t.Error("the import deactivated the guest")
	}
	if v, _ := c.a.Engagement(c.ctx["coach"], e.ID); v == nil || v.Engagement.Status != tandem.StatusEnded || !strings.Contains(v.Engagement.EndReason, "left the organization") {
		t.Errorf("lee's coaching after the import: %+v", v)
	}

	// Never the administrator importing, never every administrator.
	noAdmin := tandemtest.CSV("email,name", "boss@acme.test,Boss")
	if _, err := c.a.ImportPeopleWith(c.ctx["admin"], strings.NewReader(noAdmin), app.ImportOptions{DeactivateMissing: true}, nil); tandem.ErrorCode(err) != tandem.EINVALID || !strings.Contains(tandem.ErrorMessage(err), "leaves you out") {
		t.Errorf("a file without the importer: %v", err)
	}
	if _, err := c.a.ImportPeopleIntoWith(ctx, acme, strings.NewReader(noAdmin), app.ImportOptions{DeactivateMissing: true}, nil); tandem.ErrorCode(err) != tandem.EINVALID || !strings.Contains(tandem.ErrorMessage(err), "every administrator") {
		t.Errorf("a file without any administrator, by the operator: %v", err)
	}
	if !active("admin") || !active("coach") {
		t.Error("a refused import deactivated someone")
	}
}

// TestNoEmailAfterLeaving: a notification email queued before someone left
// is not sent after.
func TestNoEmailAfterLeaving(t *testing.T) {
	c := newCast(t)
	e := c.coaching(t, "lee", "lee", "coach", "Go") // the coach is told: an agreement to read
	coach := tandem.ActorFrom(c.ctx["coach"])
	ns, _, err := c.a.DB.Notifications(context.Background(), coach.Org.ID, coach.Person.ID, 10)
	if err != nil || len(ns) == 0 {
		t.Fatalf("the coach's notifications: %v, %v", ns, err)
	}
	if _, err := c.a.Deactivate(c.ctx["admin"], coach.Person.ID, ""); err != nil {
		t.Fatal(err)
	}
	mb := c.a.Mailer.(*tandemtest.Mailbox)
	if err := c.a.EmailNotification(context.Background(), ns[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := c.a.SendDailySummary(context.Background(), coach.Person.ID, c.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, m := range mb.Messages() {
		if m.To == coach.Person.Email {
			t.Errorf("emailed %s after they left: %s", m.To, m.Subject)
		}
	}
	// Lee, the other partner, was told the engagement ended.
	if !slices.Contains(endedNotices(t, c, "lee"), e.ID) {
		t.Errorf("lee was not told the coaching ended")
	}
}

// TestManagerWhoLeaves: a manager party who leaves does not leave the
// drafts waiting on them stuck. They wait, marked as waiting for a manager
// who left, until an administrator sets the learner's new manager (by
// hand or by an import), who takes the leaver's place; with no manager
// any more, a version the partners have agreed to takes effect.
func TestManagerWhoLeaves(t *testing.T) {
	c := newCast(t)
	ctx := context.Background()
	org := tandem.ActorFrom(c.ctx["admin"]).Org.ID
	if err := c.a.SetManager(c.ctx["admin"], c.id["other"], c.id["boss"]); err != nil {
		t.Fatal(err)
	}
	// Both wait for boss: lee's coaching (the coach agreed), other's
	// mentoring (the mentor agreed); lee and other proposed, so agreed.
	coaching := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, coaching.ID, "coach")
	mentoring := c.mentoring(t, "other", "other", "mentor")
	c.agreeAll(t, mentoring.ID, "mentor")
	// An active one boss agreed to: nothing waits, but the next version would.
	active := c.mentoring(t, "lee", "lee", "mentor")
	c.agreeAll(t, active.ID, "mentor", "boss")

	d, err := c.a.Deactivate(c.ctx["admin"], c.id["boss"], "moved on")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Ended) != 0 {
		t.Errorf("the manager's leaving ended engagements they are no partner in: %v", d.Ended)
	}
	waiting, err := c.a.AllEngagements(c.ctx["admin"], sqldb.EngagementFilter{WaitingForManager: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) != 2 {
		t.Fatalf("waiting for a manager: %d, want the two drafts", len(waiting))
	}
	for _, e := range waiting {
		if !e.ManagerGone() || e.Status != tandem.StatusDraft {
			t.Errorf("#%d: manager gone %v, %s", e.ID, e.ManagerGone(), e.Status)
		}
	}
	v, err := c.a.Engagement(c.ctx["lee"], coaching.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(v.Waiting(), ";"); !strings.Contains(w, "Boss (manager, who left the organization") || !strings.Contains(w, "Lee's new manager") {
		t.Errorf("the page says it waits for %q", w)
	}

	// The administrator gives lee a new manager: they take boss's place
	// in lee's engagements, and are told; the coaching waits for them.
	if err := c.a.SetManager(c.ctx["admin"], c.id["lee"], c.id["prog"]); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{coaching.ID, active.ID} {
		e, err := c.a.DB.EngagementByID(ctx, org, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Manager.ID != c.id["prog"] || !e.ManagerRequired || e.ManagerGone() {
			t.Errorf("#%d after lee's new manager: manager %+v required %v", id, e.Manager, e.ManagerRequired)
		}
	}
	pv, err := c.a.Engagement(c.ctx["prog"], coaching.ID)
	if err != nil {
		t.Fatalf("the new manager cannot open the coaching: %v", err)
	}
	if pv.Engagement.Status != tandem.StatusDraft || !pv.AwaitsMe || pv.Events[len(pv.Events)-1].Type != tandem.EventManagerChanged {
		t.Errorf("for the new manager: %s, awaits them %v, last event %+v", pv.Engagement.Status, pv.AwaitsMe, pv.Events[len(pv.Events)-1])
	}
	notes, _ := c.notes(t, "prog")
	if !slices.ContainsFunc(notes, func(n tandem.Notification) bool {
		return n.Event == tandem.EventManagerChanged && n.EngagementID == coaching.ID
	}) {
		t.Errorf("the new manager was not told: %v", events(notes))
	}
	if e := c.agreeAll(t, coaching.ID, "prog"); e.Status != tandem.StatusActive {
		t.Errorf("after the new manager agreed: %s", e.Status)
	}
	// An active engagement stays as it was, with the new manager party.
	if e, _ := c.a.DB.EngagementByID(ctx, org, active.ID); e.Status != tandem.StatusActive || e.AgreedVersion != 1 {
		t.Errorf("the active partnership changed: %s v%d", e.Status, e.AgreedVersion)
	}

	// other gets no manager: the mentoring needs no manager any more and
	// the partners had agreed, so it starts.
	if err := c.a.SetManager(c.ctx["admin"], c.id["other"], 0); err != nil {
		t.Fatal(err)
	}
	e, err := c.a.DB.EngagementByID(ctx, org, mentoring.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != tandem.StatusActive || e.Manager.ID != 0 {
		t.Errorf("other's mentoring with no manager: %s, manager %+v", e.Status, e.Manager)
	}
	if waiting, _ := c.a.AllEngagements(c.ctx["admin"], sqldb.EngagementFilter{WaitingForManager: true}); len(waiting) != 0 {
		t.Errorf("still waiting for a manager: %d", len(waiting))
	}

	// An import that gives the learner a new manager hands over too.
	facil := c.coaching(t, "lee", "lee", "coach", "Facilitation")
	if _, err := c.a.Deactivate(c.ctx["admin"], c.id["prog"], ""); err != nil {
		t.Fatal(err)
	}
	file := tandemtest.CSV("email,name,manager_email", "lee@acme.test,Lee,admin@acme.test")
	if _, err := c.a.ImportPeopleWith(c.ctx["admin"], strings.NewReader(file), app.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if e, _ := c.a.DB.EngagementByID(ctx, org, facil.ID); e.Manager.ID != c.id["admin"] || e.Status != tandem.StatusDraft {
		t.Errorf("after the import: manager %+v, %s", e.Manager, e.Status)
	}
}
