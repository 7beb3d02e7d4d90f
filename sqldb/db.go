// Package sqldb holds all of Tandem's SQL, for SQLite and PostgreSQL: the
// DB and Tx types, the small dialect layer, one store file per aggregate,
// the embedded goose migrations, and the translation of driver errors into
// tandem.Error.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/riverqueue/river"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is Tandem's database handle. It is safe for concurrent use.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	// Now returns the current time; tests replace it to move the clock.
	// Every transaction reads it once, so a transaction sees one instant.
	Now func() time.Time
	// jobs inserts River jobs in Tandem's transactions (jobs.go).
	jobs *river.Client[*sql.Tx]
}

// sqlitePath is the file a SQLite url names.
func sqlitePath(url string) string {
	return strings.TrimPrefix(strings.TrimPrefix(url, "sqlite://"), "file:")
}

// OpenExisting is Open for a database that must exist already: it does not
// create a SQLite file (for commands that only read).
func OpenExisting(ctx context.Context, url string) (*DB, error) {
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		if _, err := os.Stat(sqlitePath(url)); err != nil {
			return nil, fmt.Errorf("no database at %s", sqlitePath(url))
		}
	}
	return Open(ctx, url)
}

// Open connects to the database named by url and checks that it answers.
// A url starting with postgres:// or postgresql:// selects PostgreSQL;
// anything else is taken as the path of a SQLite file (an optional sqlite://
// or file: prefix is dropped). Open does not migrate; call Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	db := &DB{Now: func() time.Time { return time.Now() }}
	var err error
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		db.dialect = Postgres
		db.sql, err = sql.Open("pgx", url)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.sql.SetMaxOpenConns(20)
		db.sql.SetMaxIdleConns(10)
		db.sql.SetConnMaxIdleTime(5 * time.Minute)
	default:
		db.dialect = SQLite
		path := sqlitePath(url)
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database directory: %w", err)
			}
		}
		// WAL lets readers work while one writer writes; foreign keys are off
		// by default in SQLite; the busy timeout makes a writer wait for
		// another instead of failing; immediate transactions take the write
		// lock up front, so two writers never deadlock upgrading a read lock.
		dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
			"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
		db.sql, err = sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.sql.SetMaxOpenConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.sql.PingContext(pingCtx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.dialect, err)
	}
	if db.jobs, err = db.insertOnlyClient(); err != nil {
		db.sql.Close()
		return nil, err
	}
	return db, nil
}

// Dialect returns the SQL engine behind db.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes every connection.
func (db *DB) Close() error { return db.sql.Close() }

// Ping checks that the database answers; /readyz uses it.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Stats returns the connection pool statistics for /metrics.
func (db *DB) Stats() sql.DBStats { return db.sql.Stats() }

// SQL returns the underlying *sql.DB, for migrations and tests.
func (db *DB) SQL() *sql.DB { return db.sql }

// now returns the clock's time in UTC, to the microsecond: both databases
// keep microseconds, so a value read back equals the value written.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// Tx is a transaction with the instant it began. Store methods begin one,
// defer Rollback, compose lowercase helpers that take the Tx, and Commit.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
}

// Begin starts a read-write transaction.
func (db *DB) Begin(ctx context.Context) (*Tx, error) { return db.begin(ctx, nil) }

// begin starts a transaction. A read-only one is a plain BEGIN on SQLite
// (the driver's BEGIN IMMEDIATE would take the write lock), so readers
// never queue behind writers; PostgreSQL runs it READ ONLY.
func (db *DB) begin(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", mapError(err))
	}
	return &Tx{tx: tx, db: db, now: db.now()}, nil
}

// Commit commits the transaction.
func (tx *Tx) Commit() error { return mapError(tx.tx.Commit()) }

// Rollback aborts the transaction; after Commit it does nothing.
func (tx *Tx) Rollback() error {
	err := tx.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// Now returns the instant the transaction began.
func (tx *Tx) Now() time.Time { return tx.now }

// Exec runs a statement written with ? placeholders.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.db.rebind(query), args...)
	return res, mapError(err)
}

// Query runs a query written with ? placeholders.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.db.rebind(query), args...)
	return rows, mapError(err)
}

// QueryRow runs a query that returns at most one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id. Both dialects
// support RETURNING, so one statement serves both.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, query+" RETURNING id", args...).Scan(&id); err != nil {
		return 0, mapError(err)
	}
	return id, nil
}

// Read runs fn in a transaction that is rolled back at the end: a
// consistent view for queries that read several tables.
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// Write runs fn in a transaction and commits it when fn returns nil.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
