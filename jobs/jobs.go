// Package jobs runs Tandem's background work on River
// (github.com/riverqueue/river), in the application's own database: jobs
// are inserted in the transaction of the change that causes them (see
// sqldb/jobs.go), retried with backoff, and periodic work runs once per
// period across any number of replicas, because only River's elected leader
// enqueues periodic jobs and each carries a unique key for its period.
//
// The package owns the workers and the client's lifecycle; the use cases
// they call live in app.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem/app"
)

// Config tunes a Runner; the zero value is what tandem serve uses.
type Config struct {
	// Workers is how many jobs run at once (default 4).
	Workers int
	// MaintenanceEvery is the period of the maintenance job (default 10
	// minutes).
	MaintenanceEvery time.Duration
	// PollInterval is how often the queue is checked for jobs inserted by
	// other processes (default 1 s; River's minimum is 100 ms). Jobs this
	// process inserts wake its workers at once.
	PollInterval time.Duration
}

// Runner works Tandem's jobs until stopped.
type Runner struct {
	client *river.Client[*sql.Tx]
}

// Start registers every worker and the periodic jobs, starts working, and
// makes the database insert jobs through this client.
func Start(ctx context.Context, a *app.App, log *slog.Logger, cfg Config) (*Runner, error) {
	if cfg.Workers == 0 {
		cfg.Workers = 4
	}
	if cfg.MaintenanceEvery == 0 {
		cfg.MaintenanceEvery = 10 * time.Minute
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = time.Second
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &maintenanceWorker{app: a, log: log})

	every := cfg.MaintenanceEvery
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			// The unique key per period keeps a second run out even when
			// leadership moves to another replica within the period.
			return MaintenanceArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		}, &river.PeriodicJobOpts{RunOnStart: true, ID: "maintenance"}),
	}
	client, err := river.NewClient(a.DB.JobDriver(), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:           workers,
		PeriodicJobs:      periodic,
		FetchPollInterval: cfg.PollInterval,
		Logger:            log,
	})
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("start jobs: %w", err)
	}
	a.DB.UseJobClient(client)
	return &Runner{client: client}, nil
}

// Stop stops fetching new jobs and waits for those running to finish,
// until ctx ends; then it cancels them (River retries them later).
func (r *Runner) Stop(ctx context.Context) error {
	if err := r.client.Stop(ctx); err != nil {
		return r.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	return nil
}

// MaintenanceArgs is the periodic maintenance job: coaching engagements
// past their end date expire, and expired sessions, links and sign-in
// records are deleted.
type MaintenanceArgs struct{}

// Kind names the job in the queue.
func (MaintenanceArgs) Kind() string { return "maintenance" }

type maintenanceWorker struct {
	river.WorkerDefaults[MaintenanceArgs]
	app *app.App
	log *slog.Logger
}

// Work expires and deletes; both are idempotent, so a retry is harmless.
func (w *maintenanceWorker) Work(ctx context.Context, _ *river.Job[MaintenanceArgs]) error {
	n, err := w.app.ExpireDue(ctx)
	if err != nil {
		return fmt.Errorf("expire engagements: %w", err)
	}
	if n > 0 {
		w.log.InfoContext(ctx, "expired coaching engagements", "count", n)
	}
	if err := w.app.DB.DeleteExpired(ctx); err != nil {
		return fmt.Errorf("delete expired: %w", err)
	}
	return nil
}
