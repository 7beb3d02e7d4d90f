// Package tandemtest holds test helpers shared by every package's tests:
// a migrated database on SQLite or PostgreSQL, fixtures and clocks.
package tandemtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandemhq/tandem/sqldb"
)

// PostgresEnv names the environment variable with the URL of a PostgreSQL
// server for tests. When it is set, MustOpenDB uses PostgreSQL.
const PostgresEnv = "TANDEM_TEST_POSTGRES"

// MustOpenDB returns a migrated, empty database for one test: a SQLite file
// in the test's temporary directory, or, when TANDEM_TEST_POSTGRES is set,
// a fresh schema on that server that is dropped when the test ends. The
// clock starts at a fixed instant; tests move it with the returned Clock.
func MustOpenDB(tb testing.TB) (*sqldb.DB, *Clock) {
	tb.Helper()
	ctx := context.Background()
	dbURL := filepath.Join(tb.TempDir(), "tandem.db")
	if pg := os.Getenv(PostgresEnv); pg != "" {
		dbURL = mustSchema(tb, pg)
	}
	db, err := sqldb.Open(ctx, dbURL)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	clock := &Clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = clock.Now
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db, clock
}

// mustSchema creates a schema with a random name on the PostgreSQL server
// and returns a URL whose connections use it; the schema is dropped at the
// end of the test. A schema is much quicker to make than a database.
func mustSchema(tb testing.TB, pg string) string {
	tb.Helper()
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		tb.Fatalf("open %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", pg)
		if err != nil {
			tb.Errorf("open %s: %v", PostgresEnv, err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(pg)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Clock is a settable clock for tests.
type Clock struct{ t time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.t }

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) { c.t = c.t.Add(d) }

// Set sets the clock.
func (c *Clock) Set(t time.Time) { c.t = t }

// MustOpenDBURL returns the URL of a fresh, empty PostgreSQL schema (when
// TANDEM_TEST_POSTGRES is set) or SQLite file, for tests that open the
// database themselves, such as the CLI's.
func MustOpenDBURL(tb testing.TB) (string, error) {
	tb.Helper()
	if pg := os.Getenv(PostgresEnv); pg != "" {
		return mustSchema(tb, pg), nil
	}
	return filepath.Join(tb.TempDir(), "tandem.db"), nil
}
