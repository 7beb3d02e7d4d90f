package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Background work is River's: its tables live beside Tandem's, in the same
// database, so a job is inserted in the transaction of the change that
// causes it and can never exist without that change, nor the change without
// its job. Both River drivers used here work on *sql.Tx, Tandem's own
// transaction type.

// JobDriver returns River's driver for this database: the database/sql
// driver on PostgreSQL, the SQLite driver on SQLite.
func (db *DB) JobDriver() riverdriver.Driver[*sql.Tx] {
	if db.dialect == Postgres {
		return riverdatabasesql.New(db.sql)
	}
	return riversqlite.New(db.sql)
}

// UseJobClient sets the River client that inserts jobs. Open sets an
// insert-only client; a process that works jobs (tandem serve) replaces it
// with its working client, so its own inserts wake its workers at once.
func (db *DB) UseJobClient(c *river.Client[*sql.Tx]) { db.jobs = c }

// insertOnlyClient returns a River client that inserts jobs and works none.
func (db *DB) insertOnlyClient() (*river.Client[*sql.Tx], error) {
	c, err := river.NewClient(db.JobDriver(), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	return c, nil
}

// Enqueue inserts a job on its own, for work that changes nothing else in
// the database (an email whose only record is the job).
func (db *DB) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, args, opts) })
}

// Enqueue inserts a job in the transaction: it is worked only if the
// transaction commits.
func (tx *Tx) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	_, err := tx.db.jobs.InsertTx(ctx, tx.tx, args, opts)
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// ListJobs returns the newest jobs in the given states (all states when
// none are given), for the administrators' queue page and tests.
func (db *DB) ListJobs(ctx context.Context, limit int, states ...rivertype.JobState) ([]*rivertype.JobRow, error) {
	p := river.NewJobListParams().OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit)
	if len(states) > 0 {
		p = p.States(states...)
	}
	res, err := db.jobs.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return res.Jobs, nil
}

// migrateJobs brings River's tables up to date; Migrate runs it after
// Tandem's own migrations.
func (db *DB) migrateJobs(ctx context.Context) error {
	m, err := rivermigrate.New(db.JobDriver(), nil)
	if err != nil {
		return fmt.Errorf("job migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job migrations: %w", err)
	}
	return nil
}
