package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestDevMailIsPerOrganization: with the development mailer, each
// administrator reads only the mail their organization sent, even to a
// person who belongs to both, and nobody reads a password reset.
func TestDevMailIsPerOrganization(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	a := app.New(db, &mail.DevMailer{Log: testLog(), Store: db}, testLog(), "http://tandem.test")
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	acme := tandemtest.MustOrg(t, db, "Acme")
	globex := tandemtest.MustOrg(t, db, "Globex")
	tandemtest.MustMember(t, db, acme, "bob@both.test", "Bob", tandem.RoleMember)
	if _, err := a.Invite(acme, "carol@acme.test", "Carol", tandem.RoleMember, false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Invite(globex, "bob@both.test", "Bob", tandem.RoleMember, false); err != nil {
		t.Fatal(err)
	}
	if err := a.RequestPasswordReset(context.Background(), "bob@both.test", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	a.Wait(context.Background()) // the reset is sent in the background
	subjects := func(ctx context.Context) string {
		ms, err := a.ListMail(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, m := range ms {
			s = append(s, m.To+": "+m.Subject)
		}
		return strings.Join(s, "\n")
	}
	got := map[string]string{"acme": subjects(acme), "globex": subjects(globex)}
	if !strings.Contains(got["acme"], "carol@acme.test") || strings.Contains(got["acme"], "bob@both.test") {
		t.Errorf("Acme's mail:\n%s", got["acme"])
	}
	if !strings.Contains(got["globex"], "bob@both.test") || strings.Contains(got["globex"], "carol") {
		t.Errorf("Globex's mail:\n%s", got["globex"])
	}
	for org, s := range got {
		if strings.Contains(s, "Reset your Tandem password") {
			t.Errorf("%s's administrator reads a password reset", org)
		}
	}
}

// TestGuestStaysMember: a guest cannot be made an administrator or program
// admin, which would open the whole organization to them.
func TestGuestStaysMember(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	a := app.New(db, &tandemtest.Mailbox{}, testLog(), "http://tandem.test")
	acme := tandemtest.MustOrg(t, db, "Acme")
	orgID := tandem.ActorFrom(acme).Org.ID
	p, err := db.AddMember(context.Background(), orgID, sqldb.NewMember{Email: "kim@practice.test", Name: "Kim", Role: tandem.RoleMember, PasswordHash: "x", Guest: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{tandem.RoleAdmin, tandem.RoleProgramAdmin} {
		if err := a.SetRole(acme, p.ID, role); tandem.ErrorFields(err)["role"] == "" {
			t.Errorf("guest made %s: %v", role, err)
		}
	}
	if got, _ := db.PersonByID(context.Background(), orgID, p.ID); got.Role != tandem.RoleMember {
		t.Errorf("guest's role is %s", got.Role)
	}
}
