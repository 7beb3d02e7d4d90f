package sqldb_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestMigrationsInStep keeps the two dialects' migrations at the same
// version numbers with the same file names.
func TestMigrationsInStep(t *testing.T) {
	names := func(d sqldb.Dialect) []string {
		entries, err := fs.ReadDir(sqldb.MigrationsFS(d), ".")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	sqlite, pg := names(sqldb.SQLite), names(sqldb.Postgres)
	if len(sqlite) == 0 {
		t.Fatal("no migrations")
	}
	if diff := cmp.Diff(sqlite, pg); diff != "" {
		t.Errorf("sqlite and postgres migrations differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestMigrate(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	ctx := context.Background()
	cur, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cur != latest || cur == 0 {
		t.Errorf("schema version %d, want latest %d", cur, latest)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("second migrate applied %v, want nothing", applied)
	}
}

func TestSetup(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db, _ := tandemtest.MustOpenDB(t)
		org := &tandem.Org{Name: "Acme"}
		if err := org.Validate(); err != nil {
			t.Fatal(err)
		}
		p, err := db.Setup(ctx, org, sqldb.NewMember{Email: "ada@acme.test", Name: "Ada", PasswordHash: "h"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Role != tandem.RoleAdmin || p.OrgID != org.ID || p.AccountID == 0 {
			t.Errorf("admin = %+v", p)
		}
		ms, err := db.Memberships(ctx, p.AccountID)
		if err != nil || len(ms) != 1 || ms[0].Org.Slug != "acme" {
			t.Fatalf("memberships = %+v, %v", ms, err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		db, _ := tandemtest.MustOpenDB(t)
		org := &tandem.Org{Name: "Acme", Slug: "acme", Kind: tandem.OrgCompany}
		if _, err := db.Setup(ctx, org, sqldb.NewMember{Email: "ada@acme.test", Name: "Ada", PasswordHash: "h"}); err != nil {
			t.Fatal(err)
		}
		org2 := &tandem.Org{Name: "Other", Slug: "other", Kind: tandem.OrgCompany}
		_, err := db.Setup(ctx, org2, sqldb.NewMember{Email: "eve@other.test", Name: "Eve", PasswordHash: "h"})
		if tandem.ErrorCode(err) != tandem.ECONFLICT {
			t.Fatalf("second setup: %v, want conflict", err)
		}
		if n, _ := db.CountOrgs(ctx); n != 1 {
			t.Errorf("orgs = %d, want 1 (nothing half-written)", n)
		}
	})
}
