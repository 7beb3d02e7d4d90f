package app_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestProgramInvitations: a program admin invites a department, people
// one by one and a CSV; someone who may not enroll or who left is
// refused by name and nothing is invited; each invitation is told once
// by its job (notification and email); reminding reaches only those who
// have not answered, never twice within a day; the list says who
// applied (as what), who declined and who has not answered.
func TestProgramInvitations(t *testing.T) {
	c := newCast(t)
	mb := c.a.Mailer.(*tandemtest.Mailbox)
	admin, prog, lee, mentor := c.ctx["admin"], c.ctx["prog"], c.ctx["lee"], c.ctx["mentor"]
	mustImport(t, c.a, admin, tandemtest.CSV("email,name,department",
		"lee@acme.test,Lee,Sales", "mentor@acme.test,Mentor,Sales", "other@acme.test,Other,Sales", "boss@acme.test,Boss,Board"))
	orgID := tandem.ActorFrom(admin).Org.ID
	for _, who := range []string{"lee", "mentor"} { // their departments changed
		c.ctx[who] = tandemtest.MustActorContext(t, c.a.DB, tandem.ActorFrom(c.ctx[who]).Account.ID, orgID)
	}
	lee, mentor = c.ctx["lee"], c.ctx["mentor"]
	p, err := c.a.CreateProgram(admin, tandem.Program{Name: "Sales mentoring", Eligibility: tandem.EnrollDepartments, Eligible: []string{"Sales"}},
		[]string{"prog@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.InviteToProgram(prog, p.ID, app.ProgramInvite{Department: "Sales"}); code(err) != tandem.ECONFLICT {
		t.Errorf("inviting to a draft: %v", err)
	}
	if _, err := c.a.MoveProgram(prog, p.ID, tandem.ProgramEnrolling); err != nil {
		t.Fatal(err)
	}
	drain(t, c.a) // the opening's notifications
	if _, err := c.a.InviteToProgram(lee, p.ID, app.ProgramInvite{Department: "Sales"}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("a member invites: %v", err)
	}
	stranger := tandemtest.MustOrg(t, c.a.DB, "Elsewhere")
	if _, err := c.a.InviteToProgram(stranger, p.ID, app.ProgramInvite{Department: "Sales"}); code(err) != tandem.ENOTFOUND {
		t.Errorf("a stranger invites: %v", err)
	}
	if _, err := c.a.InviteToProgram(prog, p.ID, app.ProgramInvite{}); tandem.ErrorFields(err)["selection"] == "" {
		t.Errorf("no one chosen: %v", err)
	}
	// Boss is in the Board, not Sales; nobody@ is unknown: both named,
	// Lee not invited either.
	_, err = c.a.InviteToProgram(prog, p.ID, app.ProgramInvite{Emails: []string{"lee@acme.test", "boss@acme.test", "nobody@acme.test"}})
	if msg := tandem.ErrorFields(err)["emails"]; !strings.Contains(msg, "Boss may not enroll") || !strings.Contains(msg, "nobody@acme.test") {
		t.Errorf("not eligible and unknown: %v %v", err, tandem.ErrorFields(err))
	}
	if _, err := c.a.InviteToProgram(prog, p.ID, app.ProgramInvite{Department: "Board"}); tandem.ErrorFields(err)["department"] == "" {
		t.Errorf("a department that may not enroll: %v", err)
	}
	// Other left: never invited, by name or with their department.
	if _, err := c.a.Deactivate(admin, c.id["other"], "left"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.InviteToProgram(prog, p.ID, app.ProgramInvite{Emails: []string{"other@acme.test"}}); !strings.Contains(tandem.ErrorFields(err)["emails"], "has left") {
		t.Errorf("a leaver: %v", err)
	}
	list, _, err := c.a.ProgramInvitations(prog, p.ID, "", 50, 0)
	if err != nil || len(list) != 0 {
		t.Fatalf("invited after refusals: %v %v", list, err)
	}

	res, err := c.a.InviteToProgram(prog, p.ID, app.ProgramInvite{Department: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res.Invited); !slices.Equal(got, []string{"Lee", "Mentor"}) {
		t.Errorf("invited: %v", got)
	}
	res, err = c.a.InviteToProgram(prog, p.ID, app.ProgramInvite{Emails: []string{"LEE@acme.test"}})
	if err != nil || len(res.Invited) != 0 || len(res.AlreadyInvited) != 1 {
		t.Errorf("inviting again: %+v %v", res, err)
	}
	drain(t, c.a)
	subject := "Prog invites you to apply to Sales mentoring"
	for _, who := range []string{"lee", "mentor"} {
		if got := c.programEvents(t, who); !slices.Contains(got, "program_invited Sales mentoring") {
			t.Errorf("%s's notifications: %v", who, got)
		}
		if got := mailTo(mb, who); !slices.Equal(got, []string{"Sales mentoring is open for enrollment", subject}) {
			t.Errorf("%s's mail: %v", who, got)
		}
	}
	if got := mailTo(mb, "other"); slices.Contains(got, subject) {
		t.Errorf("the leaver was told: %v", got)
	}

	// Remind: not within a day of the invitation.
	rem, err := c.a.RemindProgramInvitations(prog, p.ID)
	if err != nil || rem.Reminded != 0 || rem.TooSoon != 2 {
		t.Errorf("reminding at once: %+v %v", rem, err)
	}
	// Lee applies as a mentee, Mentor declines; a day later the reminder
	// reaches no one.
	if _, err := c.a.Apply(lee, p.ID, tandem.Application{Role: tandem.AsMentee}, false); err != nil {
		t.Fatal(err)
	}
	if err := c.a.DeclineProgramInvitation(c.ctx["coach"], p.ID); code(err) != tandem.ENOTFOUND { // not in Sales: the program is not theirs
		t.Errorf("declining with no invitation: %v", err)
	}
	if err := c.a.DeclineProgramInvitation(lee, p.ID); code(err) != tandem.ECONFLICT {
		t.Errorf("declining after applying: %v", err)
	}
	c.clock.Add(25 * time.Hour)
	rem, err = c.a.RemindProgramInvitations(prog, p.ID)
	if err != nil || rem.Reminded != 1 || rem.TooSoon != 0 {
		t.Errorf("reminding a day later: %+v %v", rem, err)
	}
	drain(t, c.a)
	if got := mailTo(mb, "mentor"); len(got) != 3 || got[2] != subject {
		t.Errorf("mentor reminded: %v", got)
	}
	if err := c.a.DeclineProgramInvitation(mentor, p.ID); err != nil {
		t.Fatal(err)
	}
	c.clock.Add(25 * time.Hour)
	if rem, err := c.a.RemindProgramInvitations(prog, p.ID); err != nil || rem.Reminded != 0 {
		t.Errorf("reminding when all answered: %+v %v", rem, err)
	}

	list, counts, err := c.a.ProgramInvitations(admin, p.ID, "", 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, iv := range list {
		got = append(got, iv.Person.Name+" "+string(iv.Status)+" "+string(iv.Role)+" by "+iv.InvitedBy.Name)
	}
	if want := []string{"Lee applied mentee by Prog", "Mentor declined  by Prog"}; !slices.Equal(got, want) {
		t.Errorf("invitations: %q, want %q", got, want)
	}
	if counts[tandem.InviteApplied] != 1 || counts[tandem.InviteDeclined] != 1 || counts[tandem.InviteNotAnswered] != 0 {
		t.Errorf("counts: %v", counts)
	}
	if list[1].Sends != 2 {
		t.Errorf("mentor's sends: %d", list[1].Sends)
	}
	if _, _, err := c.a.ProgramInvitations(admin, p.ID, "bogus", 50, 0); tandem.ErrorFields(err)["status"] == "" {
		t.Errorf("a bogus status: %v", err)
	}

	// A CSV: all or nothing, every bad line named.
	bad := tandemtest.CSV("name,email", "Boss,boss@acme.test", "X,not-an-address", "Mentor,mentor@acme.test")
	res, err = c.a.InviteToProgramCSV(prog, p.ID, strings.NewReader(bad))
	if code(err) != tandem.EINVALID || res == nil || len(res.Problems.Problems) != 2 {
		t.Fatalf("a bad CSV: %+v %v", res, err)
	}
	if pr := res.Problems.Problems; pr[0].Line != 2 || pr[1].Line != 3 {
		t.Errorf("problems: %v", pr)
	}
	if _, counts, _ := c.a.ProgramInvitations(admin, p.ID, tandem.InviteNotAnswered, 50, 0); counts[tandem.InviteNotAnswered] != 0 {
		t.Errorf("a bad CSV invited: %v", counts)
	}
	res, err = c.a.InviteToProgramCSV(prog, p.ID, strings.NewReader(tandemtest.CSV("email", "mentor@acme.test", "lee@acme.test")))
	if err != nil || len(res.AlreadyInvited) != 1 || len(res.AlreadyApplied) != 1 {
		t.Errorf("a CSV of people invited and applied: %+v %v", res, err)
	}
}

func names(refs []tandem.PersonRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Name)
	}
	slices.Sort(out)
	return out
}

// TestProgramRemindRace: two invitations of the same people at once
// invite each once; two reminders at once (a double click, two admins)
// send each unanswered invitation once: one reminds everyone, the other
// finds them all reminded too recently; many times over, on both
// databases (the program's row lock).
func TestProgramRemindRace(t *testing.T) {
	c := newCast(t)
	prog := c.ctx["prog"]
	var wg sync.WaitGroup
	var p *tandem.Program
	var n int
	for round := range 15 {
		var err error
		p, err = c.a.CreateProgram(c.ctx["admin"], tandem.Program{Name: fmt.Sprintf("Remind race %d", round)}, []string{"prog@acme.test"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.a.MoveProgram(prog, p.ID, tandem.ProgramEnrolling); err != nil {
			t.Fatal(err)
		}
		// Two invitations of everyone at once: one invites, the other
		// finds them invited.
		invs := make([]*sqldb.ProgramInviteResult, 2)
		ierrs := make([]error, 2)
		for i := range invs {
			wg.Go(func() { invs[i], ierrs[i] = c.a.InviteToProgram(prog, p.ID, app.ProgramInvite{AllEligible: true}) })
		}
		wg.Wait()
		if ierrs[0] != nil || ierrs[1] != nil {
			t.Fatalf("round %d: inviting twice at once: %v; %v", round, ierrs[0], ierrs[1])
		}
		n = len(invs[0].Invited) + len(invs[1].Invited)
		if n < 2 || len(invs[0].AlreadyInvited)+len(invs[1].AlreadyInvited) != n {
			t.Fatalf("round %d: inviting twice at once: %+v; %+v", round, invs[0], invs[1])
		}
	}
	for round := range 15 {
		c.clock.Add(25 * time.Hour)
		rems := make([]*sqldb.RemindResult, 2)
		errs := make([]error, 2)
		for i := range rems {
			wg.Go(func() { rems[i], errs[i] = c.a.RemindProgramInvitations(prog, p.ID) })
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: %v %v", round, errs[0], errs[1])
		}
		if got := rems[0].Reminded + rems[1].Reminded; got != n {
			t.Fatalf("round %d: %d reminders sent at once for %d invitations (%+v, %+v)", round, got, n, rems[0], rems[1])
		}
	}
	list, _, err := c.a.ProgramInvitations(prog, p.ID, "", 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range list {
		if iv.Sends != 16 {
			t.Errorf("%s was sent the invitation %d times, want 16", iv.Person.Name, iv.Sends)
		}
	}
}
