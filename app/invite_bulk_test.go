package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

func emailsOf(list []tandem.Invitee) []string {
	var out []string
	for _, v := range list {
		out = append(out, v.Email)
	}
	slices.Sort(out)
	return out
}

// sentTo counts the invitation emails in the mailbox, by recipient.
func sentTo(mb *tandemtest.Mailbox) map[string]int {
	n := map[string]int{}
	for _, m := range mb.Messages() {
		n[m.To]++
	}
	return n
}

// TestInviteMany: a department, a selection and everyone not yet invited,
// each invitation emailed once by its job; inviting again sends nothing,
// a resend sends again; someone with an account is never invited; a dry
// run changes nothing; only administrators may.
func TestInviteMany(t *testing.T) {
	a, db := newApp(t)
	mb := a.Mailer.(*tandemtest.Mailbox)
	ctx := tandemtest.MustOrg(t, db, "Acme")
	mustImport(t, a, ctx, tandemtest.CSV(
		"email,name,department",
		"ann@acme.test,Ann,Sales", "bob@acme.test,Bob,Sales", "cy@acme.test,Cy,Engineering",
		"di@acme.test,Di,Engineering", "ed@acme.test,Ed,Support", "admin@acme.test,Acme Admin,Board",
	))

	if _, err := a.InviteMany(ctx, app.BulkInvite{}); tandem.ErrorCode(err) != tandem.EINVALID {
		t.Errorf("nobody chosen: %v", err)
	}
	if _, err := a.InviteMany(ctx, app.BulkInvite{Filter: &sqldb.PeopleFilter{Department: "Nowhere"}}); tandem.ErrorFields(err)["department"] == "" {
		t.Errorf("unknown department: %v", err)
	}

	// A dry run says what would happen and does nothing.
	res, err := a.InviteMany(ctx, app.BulkInvite{Filter: &sqldb.PeopleFilter{Department: "Sales"}, DryRun: true})
	if err != nil || !slices.Equal(emailsOf(res.Invited), []string{"ann@acme.test", "bob@acme.test"}) {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	if list, _, _ := a.Invitees(ctx, sqldb.PeopleFilter{}, tandem.InvitePending); len(list) != 0 {
		t.Fatalf("a dry run invited %v", emailsOf(list))
	}

	// A department.
	res, err = a.InviteMany(ctx, app.BulkInvite{Filter: &sqldb.PeopleFilter{Department: "Sales"}})
	if err != nil || !slices.Equal(emailsOf(res.Invited), []string{"ann@acme.test", "bob@acme.test"}) {
		t.Fatalf("department: %+v %v", res, err)
	}
	// A selection with someone invited already, the administrator (who
	// has an account) and an address not in the directory.
	res, err = a.InviteMany(ctx, app.BulkInvite{PersonIDs: []int64{res.Invited[0].PersonID}, Emails: []string{"CY@acme.test", "admin@acme.test", "zed@acme.test"}})
	if err != nil || !slices.Equal(emailsOf(res.Invited), []string{"cy@acme.test"}) || !slices.Equal(emailsOf(res.AlreadyInvited), []string{"ann@acme.test"}) ||
		!slices.Equal(emailsOf(res.Members), []string{"admin@acme.test"}) || !slices.Equal(res.Unknown, []string{"zed@acme.test"}) {
		t.Fatalf("selection: %+v %v", res, err)
	}
	// Everyone not yet invited: Di and Ed.
	res, err = a.InviteMany(ctx, app.BulkInvite{AllUninvited: true})
	if err != nil || !slices.Equal(emailsOf(res.Invited), []string{"di@acme.test", "ed@acme.test"}) || len(res.AlreadyInvited)+len(res.Members) != 0 {
		t.Fatalf("all uninvited: %+v %v", res, err)
	}
	// Again: no one left, nothing sent.
	if res, err = a.InviteMany(ctx, app.BulkInvite{AllUninvited: true}); err != nil || len(res.Invited) != 0 {
		t.Fatalf("all uninvited again: %+v %v", res, err)
	}
	if res, err = a.InviteMany(ctx, app.BulkInvite{Filter: &sqldb.PeopleFilter{}}); err != nil || len(res.Invited) != 0 || len(res.AlreadyInvited) != 5 || len(res.Members) != 1 {
		t.Fatalf("everyone again: %+v %v", res, err)
	}
	drain(t, a)
	want := map[string]int{"ann@acme.test": 1, "bob@acme.test": 1, "cy@acme.test": 1, "di@acme.test": 1, "ed@acme.test": 1}
	if got := sentTo(mb); !mapsEqual(got, want) {
		t.Fatalf("emails sent %v, want %v", got, want)
	}

	// A resend sends again, once per resend.
	if res, err = a.InviteMany(ctx, app.BulkInvite{Emails: []string{"ann@acme.test"}, Resend: true}); err != nil || len(res.Resent) != 1 {
		t.Fatalf("resend: %+v %v", res, err)
	}
	drain(t, a)
	if got := sentTo(mb)["ann@acme.test"]; got != 2 {
		t.Errorf("Ann got %d emails after a resend, want 2", got)
	}

	// Status: who was invited, when, who accepted.
	list, total, err := a.Invitees(ctx, sqldb.PeopleFilter{Department: "Sales"}, "")
	if err != nil || total != 2 || list[0].Status != tandem.InvitePending || list[0].InvitedAt == nil || list[0].AcceptedAt != nil {
		t.Fatalf("invitees: %+v %d %v", list, total, err)
	}
	if list, _, _ := a.Invitees(ctx, sqldb.PeopleFilter{}, tandem.InviteMember); !slices.Equal(emailsOf(list), []string{"admin@acme.test"}) {
		t.Errorf("members: %v", emailsOf(list))
	}

	// Only administrators.
	member := memberContext(t, a, db, ctx, "bob@acme.test", mb)
	if _, err := a.InviteMany(member, app.BulkInvite{AllUninvited: true}); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
		t.Errorf("a member invites: %v", err)
	}
	if _, _, err := a.Invitees(member, sqldb.PeopleFilter{}, ""); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
		t.Errorf("a member lists invitations: %v", err)
	}
	// Bob accepted: he is a member now, and is never invited again.
	if res, err = a.InviteMany(ctx, app.BulkInvite{Emails: []string{"bob@acme.test"}, Resend: true}); err != nil || len(res.Members) != 1 || len(res.Resent) != 0 {
		t.Errorf("invite a member: %+v %v", res, err)
	}
	if list, _, _ := a.Invitees(ctx, sqldb.PeopleFilter{Query: "bob"}, ""); len(list) != 1 || list[0].Status != tandem.InviteMember || list[0].AcceptedAt == nil {
		t.Errorf("Bob after accepting: %+v", list)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// memberContext accepts the newest invitation to email (through its
// link) and returns the new member's context.
func memberContext(t *testing.T, a *app.App, db *sqldb.DB, _ context.Context, email string, mb *tandemtest.Mailbox) context.Context {
	t.Helper()
	drain(t, a)
	link := mb.MustLastLink(t, email)
	token := link[len("http://tandem.test/invitations/"):]
	accountID, orgID, err := a.AcceptInvitation(context.Background(), token, "", "a good long password", "192.0.2.1")
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	return tandemtest.MustActorContext(t, db, accountID, orgID)
}

// BenchmarkInviteMany2000 invites 2,000 imported people at once: one
// transaction with 2,000 invitations and their email jobs.
//
//	go test -run XXX -bench InviteMany -benchtime 1x ./app/
func BenchmarkInviteMany2000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db, _ := tandemtest.MustOpenDB(b)
		a := app.New(db, &tandemtest.Mailbox{}, testLog(), "http://tandem.test")
		ctx := tandemtest.MustOrg(b, db, "Acme")
		rows := []string{"email,name,department"}
		for i := range 2000 {
			rows = append(rows, fmt.Sprintf("p%d@acme.test,Person %d,Dept %d", i, i, i%20))
		}
		if _, err := a.ImportPeople(ctx, strings.NewReader(tandemtest.CSV(rows...)), nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := a.InviteMany(ctx, app.BulkInvite{AllUninvited: true})
		if err != nil || len(res.Invited) != 2000 {
			b.Fatalf("%v %v", len(res.Invited), err)
		}
	}
}
