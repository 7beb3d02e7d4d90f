package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// programEvents returns the person's program notifications as
// "event program" lines, oldest first.
func (c *cast) programEvents(t *testing.T, who string) []string {
	t.Helper()
	list, _ := c.notes(t, who)
	var out []string
	for _, n := range slices.Backward(list) {
		if n.Category == tandem.CategoryPrograms {
			out = append(out, string(n.Event)+" "+n.Title)
		}
	}
	return out
}

// mailTo returns the subjects of the messages sent to the person.
func mailTo(mb *tandemtest.Mailbox, who string) []string {
	var out []string
	for _, m := range mb.Messages() {
		if m.To == who+"@acme.test" {
			out = append(out, m.Subject)
		}
	}
	return out
}

// TestProgramNotifications: an opening is told to everyone who may enroll
// but whoever opened it; an application received or withdrawn to the
// program's admins (the administrators when it has none); a decision to
// the applicant; never to the actor; each person's choice for the
// programs category decides the email.
func TestProgramNotifications(t *testing.T) {
	c := newCast(t)
	mb := c.a.Mailer.(*tandemtest.Mailbox)
	admin, prog := c.ctx["admin"], c.ctx["prog"]
	// other: programs only in Tandem; mentor: in a daily summary.
	for who, d := range map[string]tandem.Delivery{"other": tandem.DeliveryOff, "mentor": tandem.DeliveryDaily} {
		if _, err := c.a.SetNotificationSettings(c.ctx[who], tandem.NotificationSettings{tandem.CategoryPrograms: d}); err != nil {
			t.Fatal(err)
		}
	}
	list := []string{"lee@acme.test", "mentor@acme.test", "other@acme.test", "prog@acme.test"}
	pa, err := c.a.CreateProgram(admin, tandem.Program{Name: "Program A", Eligibility: tandem.EnrollList, Eligible: list}, []string{"prog@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	stranger := tandemtest.MustOrg(t, c.a.DB, "Elsewhere")

	// Opened by its program admin: the others on the list are told, by
	// the job the move queued; no one else.
	if _, err := c.a.MoveProgram(prog, pa.ID, tandem.ProgramEnrolling); err != nil {
		t.Fatal(err)
	}
	if got := c.programEvents(t, "lee"); len(got) != 0 {
		t.Errorf("told before the job ran: %v", got)
	}
	drain(t, c.a)
	opened := []string{"program_opened Program A"}
	for who, want := range map[string][]string{"lee": opened, "mentor": opened, "other": opened, "prog": nil, "admin": nil, "coach": nil, "boss": nil} {
		if got := c.programEvents(t, who); !slices.Equal(got, want) {
			t.Errorf("%s after the opening: %v, want %v", who, got, want)
		}
	}
	if got := mailTo(mb, "lee"); !slices.Equal(got, []string{"Program A is open for enrollment"}) {
		t.Errorf("lee's mail: %v", got)
	}
	for _, who := range []string{"other", "mentor", "prog"} {
		if got := mailTo(mb, who); len(got) != 0 {
			t.Errorf("%s was emailed: %v", who, got)
		}
	}
	for _, m := range mb.Messages() {
		link := fmt.Sprintf("http://tandem.test/programs/%d", pa.ID)
		if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
			t.Errorf("%s: no absolute link to the program in both parts:\n%s\n%s", m.Subject, m.Text, m.HTML)
		}
	}
	// Run again (a retry): no one is told twice.
	if n, err := c.a.NotifyProgramOpened(context.Background(), sqldb.ProgramOpenedArgs{ProgramID: pa.ID, OrgID: pa.OrgID, ActorID: c.id["prog"]}); err != nil || n != 0 {
		t.Errorf("opening told again: %d %v", n, err)
	}

	// Applications: received and withdrawn go to prog, decisions to the
	// applicant.
	if _, err := c.a.Apply(c.ctx["lee"], pa.ID, tandem.Application{Role: tandem.AsMentee}, false); err != nil {
		t.Fatal(err)
	}
	ap, err := c.a.Apply(c.ctx["mentor"], pa.ID, tandem.Application{Role: tandem.AsMentor, Capacity: 2}, false)
	if err != nil {
		t.Fatal(err)
	}
	// An edit that keeps the role is no news.
	if _, err := c.a.Apply(c.ctx["mentor"], pa.ID, tandem.Application{Role: tandem.AsMentor, Capacity: 3}, true); err != nil {
		t.Fatal(err)
	}
	apps, err := c.a.Applications(prog, pa.ID, sqldb.ApplicationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range apps {
		decision := "approve"
		if x.Person.ID == c.id["mentor"] {
			decision = "decline"
		}
		if _, err := c.a.Decide(prog, pa.ID, x.ID, decision); err != nil {
			t.Fatal(err)
		}
	}
	// The same decision again tells nothing new.
	if _, err := c.a.Decide(prog, pa.ID, ap.ID, "decline"); err != nil {
		t.Fatal(err)
	}
	if err := c.a.Withdraw(c.ctx["lee"], pa.ID); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string][]string{
		"prog":   {"program_applied Program A", "program_applied Program A", "program_withdrawn Program A"},
		"lee":    {"program_opened Program A", "program_approved Program A"},
		"mentor": {"program_opened Program A", "program_declined Program A"},
		"admin":  nil, "other": opened, "boss": nil,
	} {
		if got := c.programEvents(t, who); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", who, got, want)
		}
	}
	if got, _, _ := c.a.Notifications(stranger); len(got) != 0 {
		t.Errorf("another organization told: %v", events(got))
	}
	progList, _ := c.notes(t, "prog")
	if h := progList[len(progList)-1].Headline(); h != "Lee applied to Program A as a mentee" {
		t.Errorf("headline: %q", h)
	}
	if p := progList[0].Path(); p != fmt.Sprintf("/programs/%d/applications", pa.ID) {
		t.Errorf("withdrawal's page: %q", p)
	}
	drain(t, c.a)
	if got := slices.Sorted(slices.Values(mailTo(mb, "prog"))); !slices.Equal(got, []string{"Lee applied to Program A as a mentee", "Lee withdrew their application to Program A", "Mentor applied to Program A as a mentor"}) {
		t.Errorf("prog's mail: %v", got)
	}
	if got := mailTo(mb, "lee"); len(got) != 2 || !slices.Contains(got, "Your application to Program A was approved") {
		t.Errorf("lee's mail: %v", got)
	}
	if got := mailTo(mb, "mentor"); len(got) != 0 {
		t.Errorf("mentor (daily) was emailed at once: %v", got)
	}

	// A program with no admins is run by the administrators: they hear of
	// applications, but not the one who applied.
	pb, err := c.a.CreateProgram(admin, tandem.Program{Name: "Program B"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.MoveProgram(admin, pb.ID, tandem.ProgramEnrolling); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Apply(c.ctx["boss"], pb.ID, tandem.Application{Role: tandem.AsMentee}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Apply(admin, pb.ID, tandem.Application{Role: tandem.AsMentor, Capacity: 1}, false); err != nil {
		t.Fatal(err)
	}
	if got := c.programEvents(t, "admin"); !slices.Equal(got, []string{"program_applied Program B"}) {
		t.Errorf("the administrator of a program without admins: %v", got)
	}
	if got := c.programEvents(t, "prog"); len(got) != 3 {
		t.Errorf("prog told of B: %v", got)
	}
}
