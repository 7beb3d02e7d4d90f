package app_test

import (
	"bytes"
	"context"
	"log/slog"
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
// person who belongs to both; and nobody reads a message with a sign-in
// link (an invitation, a password reset), whoever was signed in when it was
// sent: those go to the server log only.
func TestDevMailIsPerOrganization(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	var logged bytes.Buffer
	dev := &mail.DevMailer{Log: slog.New(slog.NewTextHandler(&logged, nil)), Store: db}
	a := app.New(db, dev, testLog(), "http://tandem.test")
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
	// Asked by nobody, and by Acme's administrator while signed in.
	if err := a.RequestPasswordReset(context.Background(), "bob@both.test", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if err := a.RequestPasswordReset(acme, "bob@both.test", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	drain(t, a) // resets and invitations are sent by jobs
	// Mail with no secret, on behalf of one organization (what a later
	// notification would be).
	for _, m := range []*tandem.Message{
		{OrgID: tandem.ActorFrom(acme).Org.ID, To: "bob@both.test", Subject: "Acme news"},
		{OrgID: tandem.ActorFrom(globex).Org.ID, To: "bob@both.test", Subject: "Globex news"},
	} {
		if err := dev.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	subjects := func(ctx context.Context) string {
		ms, err := a.ListMail(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, m := range ms {
			s = append(s, m.To+": "+m.Subject+"\n"+m.Text)
		}
		return strings.Join(s, "\n")
	}
	got := map[string]string{"acme": subjects(acme), "globex": subjects(globex)}
	if got["acme"] != "bob@both.test: Acme news\n" || got["globex"] != "bob@both.test: Globex news\n" {
		t.Errorf("each organization lists only its own mail without links:\nAcme:\n%s\nGlobex:\n%s", got["acme"], got["globex"])
	}
	for _, want := range []string{"to=carol@acme.test", "http://tandem.test/invitations/", "http://tandem.test/reset/"} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("the server log lacks %q:\n%s", want, logged.String())
		}
	}
	if err := db.LogMail(context.Background(), &tandem.Message{To: "bob@both.test", Subject: "Reset", Secret: true}); err == nil {
		t.Error("the store kept a message with a secret link")
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
