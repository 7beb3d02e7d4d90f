package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/tandemhq/tandem"
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

// OrgJob is a job done for one organization. Enqueue records the
// organization in the job's metadata ("org_id"), where OrgJobs finds it:
// River's table is the installation's, and an administrator sees only
// their organization's jobs. A job that is not an OrgJob (maintenance, a
// password reset) is the operator's alone.
type OrgJob interface {
	JobOrgID() int64
}

// Enqueue inserts a job in the transaction: it is worked only if the
// transaction commits.
func (tx *Tx) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	opts, err := orgJobOpts(args, opts)
	if err != nil {
		return err
	}
	if _, err := tx.db.jobs.InsertTx(ctx, tx.tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueMany inserts jobs in the transaction as Enqueue does each of
// them, in order, with one statement per batch of 5,000: publishing a
// cohort enqueues tens of thousands of emails. River's InsertManyFastTx
// (COPY on PostgreSQL; on SQLite no rows read back, which was most of
// the time of InsertManyTx) is InsertManyTx without unique jobs, which
// Tandem's jobs are not.
func (tx *Tx) EnqueueMany(ctx context.Context, jobs []river.JobArgs) error {
	const per = 5000
	for start := 0; start < len(jobs); start += per {
		batch := jobs[start:min(len(jobs), start+per)]
		params := make([]river.InsertManyParams, len(batch))
		for k, args := range batch {
			opts, err := orgJobOpts(args, nil)
			if err != nil {
				return err
			}
			params[k] = river.InsertManyParams{Args: args, InsertOpts: opts}
		}
		if _, err := tx.db.jobs.InsertManyFastTx(ctx, tx.tx, params); err != nil {
			return fmt.Errorf("enqueue %d %s jobs: %w", len(batch), batch[0].Kind(), err)
		}
	}
	return nil
}

// orgJobOpts returns the insert options of a job: for an OrgJob, opts
// (or the job's own) with the organization added to the metadata.
func orgJobOpts(args river.JobArgs, opts *river.InsertOpts) (*river.InsertOpts, error) {
	oj, ok := args.(OrgJob)
	if !ok || oj.JobOrgID() == 0 {
		return opts, nil
	}
	o := river.InsertOpts{}
	if opts != nil {
		o = *opts
	}
	meta := map[string]any{}
	src := o.Metadata
	if len(src) == 0 {
		if wo, ok := args.(river.JobArgsWithInsertOpts); ok {
			src = wo.InsertOpts().Metadata
		}
	}
	if len(src) > 0 {
		if err := json.Unmarshal(src, &meta); err != nil {
			return nil, fmt.Errorf("enqueue %s: metadata: %w", args.Kind(), err)
		}
	}
	meta["org_id"] = oj.JobOrgID()
	b, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: metadata: %w", args.Kind(), err)
	}
	o.Metadata = b
	return &o, nil
}

// JobFilter selects jobs for the queue page and the CLI.
type JobFilter struct {
	// OrgID limits the list to one organization's jobs. Zero lists every
	// job, the operator's view: only the CLI passes it.
	OrgID  int64
	States []rivertype.JobState
	Limit  int
}

// orgCondition is River's list predicate for one organization's jobs:
// metadata.org_id, read with ->> on both databases.
const orgCondition = "CAST(metadata ->> 'org_id' AS BIGINT) = @org_id"

// OrgJobs returns the newest jobs that f selects.
func (db *DB) OrgJobs(ctx context.Context, f JobFilter) ([]*rivertype.JobRow, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	p := river.NewJobListParams().OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(f.Limit)
	if len(f.States) > 0 {
		p = p.States(f.States...)
	}
	if f.OrgID != 0 {
		p = p.Where(orgCondition, river.NamedArgs{"org_id": f.OrgID})
	}
	res, err := db.jobs.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return res.Jobs, nil
}

// JobCounts counts jobs by state, for one organization (or all, with 0).
func (db *DB) JobCounts(ctx context.Context, orgID int64) (map[rivertype.JobState]int, error) {
	q := `SELECT state, COUNT(*) FROM river_job`
	var args []any
	if orgID != 0 {
		q += ` WHERE CAST(metadata ->> 'org_id' AS BIGINT) = ?`
		args = append(args, orgID)
	}
	rows, err := db.sql.QueryContext(ctx, db.rebind(q+` GROUP BY state`), args...)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	out := map[rivertype.JobState]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("count jobs: %w", err)
		}
		out[rivertype.JobState(state)] = n
	}
	return out, rows.Err()
}

// Job returns one job of the organization (any job with orgID 0), or
// ENOTFOUND: another organization's job does not exist for this one.
func (db *DB) Job(ctx context.Context, orgID, id int64) (*rivertype.JobRow, error) {
	p := river.NewJobListParams().IDs(id).First(1)
	if orgID != 0 {
		p = p.Where(orgCondition, river.NamedArgs{"org_id": orgID})
	}
	res, err := db.jobs.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("job: %w", err)
	}
	if len(res.Jobs) == 0 {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "There is no job %d.", id)
	}
	return res.Jobs[0], nil
}

// RetryJob makes a discarded or cancelled job of the organization (any
// job with orgID 0) available to run at once. Those states are final, so
// no worker moves the job between the check and the retry. A job that
// completed, waits or runs is left alone (ECONFLICT): running a sent email
// again would send it twice.
func (db *DB) RetryJob(ctx context.Context, orgID, id int64) (*rivertype.JobRow, error) {
	j, err := db.Job(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	switch j.State {
	case rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
	case rivertype.JobStateRetryable:
		return nil, tandem.Errorf(tandem.ECONFLICT, "Job %d will be retried on its own at %s.", id, j.ScheduledAt.UTC().Format("2006-01-02 15:04 MST"))
	default:
		return nil, tandem.Errorf(tandem.ECONFLICT, "Job %d is %s: only a job that failed for good (discarded) or was cancelled can be retried.", id, j.State)
	}
	j, err = db.jobs.JobRetry(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("retry job: %w", err)
	}
	return j, nil
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
