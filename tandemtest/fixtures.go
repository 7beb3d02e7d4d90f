package tandemtest

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// MustOrg creates an organization with an administrator whose email is
// admin@<slug>.test and returns a context signed in as that administrator.
func MustOrg(tb testing.TB, db *sqldb.DB, name string) context.Context {
	tb.Helper()
	org := &tandem.Org{Name: name}
	if err := org.Validate(); err != nil {
		tb.Fatal(err)
	}
	p, err := db.CreateOrgWithAdmin(context.Background(), org, sqldb.NewMember{
		Email: "admin@" + org.Slug + ".test", Name: name + " Admin", PasswordHash: "x",
	})
	if err != nil {
		tb.Fatalf("create org %s: %v", name, err)
	}
	return MustActorContext(tb, db, p.AccountID, org.ID)
}

// MustActorContext returns a context signed in as the account, acting in
// the organization.
func MustActorContext(tb testing.TB, db *sqldb.DB, accountID, orgID int64) context.Context {
	tb.Helper()
	a, err := db.ActorByAccount(context.Background(), accountID, orgID)
	if err != nil {
		tb.Fatalf("actor: %v", err)
	}
	return tandem.WithActor(context.Background(), a)
}

// MustMember adds a member with an account to the context's organization
// and returns a context signed in as them.
func MustMember(tb testing.TB, db *sqldb.DB, ctx context.Context, email, name, role string) context.Context {
	tb.Helper()
	org := tandem.ActorFrom(ctx).Org
	p, err := db.AddMember(context.Background(), org.ID, sqldb.NewMember{Email: email, Name: name, Role: role, PasswordHash: "x"})
	if err != nil {
		tb.Fatalf("add member %s: %v", email, err)
	}
	return MustActorContext(tb, db, p.AccountID, org.ID)
}

// CSV joins lines into a file body with CRLF line ends, as spreadsheets
// write them.
func CSV(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }
