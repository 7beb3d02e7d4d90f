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
	"github.com/riverqueue/river/rivertype"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// Config tunes a Runner; the zero value is what tandem serve uses.
type Config struct {
	// Workers is how many jobs run at once (default 4).
	Workers int
	// MaintenanceEvery is the period of the maintenance job (default 10
	// minutes).
	MaintenanceEvery time.Duration
	// RemindersEvery is the period of the reminders job (default 15
	// minutes).
	RemindersEvery time.Duration
	// PollInterval is how often the queue is checked for jobs inserted by
	// other processes (default 1 s; River's minimum is 100 ms). Jobs this
	// process inserts wake its workers at once.
	PollInterval time.Duration
	// RetryPolicy decides when a failed job runs again (default River's:
	// attempt⁴ seconds with jitter). Tests shorten it.
	RetryPolicy river.ClientRetryPolicy
	// NoPeriodic leaves out the periodic jobs, for tests that work only
	// the jobs they cause.
	NoPeriodic bool
	// RescueAfter is how long a job may run before River takes it for
	// stuck (its process was killed) and retries it (default 90 seconds,
	// above every job's timeout: one minute at most, a digest batch's
	// included). River's rescuer looks every 30 seconds, so a job killed
	// with its process runs again within two minutes.
	RescueAfter time.Duration
}

// Runner works Tandem's jobs until stopped.
type Runner struct {
	client *river.Client[*sql.Tx]
	db     *app.App
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
	if cfg.RescueAfter == 0 {
		cfg.RescueAfter = 90 * time.Second
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &maintenanceWorker{app: a, log: log})
	river.AddWorker(workers, &passwordResetWorker{app: a})
	river.AddWorker(workers, &notificationEmailWorker{app: a})
	river.AddWorker(workers, &remindersWorker{app: a, log: log})
	river.AddWorker(workers, &summariesWorker{app: a})
	river.AddWorker(workers, &dailySummaryWorker{app: a})
	river.AddWorker(workers, &programOpenedWorker{app: a, log: log})
	river.AddWorker(workers, &programInvitedWorker{app: a, log: log})
	addEmailWorkers(workers, a)
	addNotesWorkers(workers, a, log)

	every := cfg.MaintenanceEvery
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			// The unique key per period keeps a second run out even when
			// leadership moves to another replica within the period.
			return MaintenanceArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		}, &river.PeriodicJobOpts{RunOnStart: true, ID: "maintenance"}),
		remindersJob(cfg.RemindersEvery),
		summariesJob(),
		notesPeriodic(),
	}
	if cfg.NoPeriodic {
		periodic = nil
	}
	client, err := river.NewClient(a.DB.JobDriver(), &river.Config{
		RetryPolicy:          cfg.RetryPolicy,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		PeriodicJobs:         periodic,
		FetchPollInterval:    cfg.PollInterval,
		RescueStuckJobsAfter: cfg.RescueAfter,
		JobTimeout:           min(time.Minute, cfg.RescueAfter), // River's default, unless rescue comes sooner (tests)
		Logger:               log,
	})
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("start jobs: %w", err)
	}
	a.DB.UseJobClient(client)
	return &Runner{client: client, db: a}, nil
}

// Drain works every job that is due now and returns when none is left
// (jobs that failed and wait for their retry stay queued), or when ctx
// ends. It is for one-shot commands and tests; a server runs a Runner.
func Drain(ctx context.Context, a *app.App, log *slog.Logger) error {
	r, err := Start(ctx, a, log, Config{NoPeriodic: true, PollInterval: 100 * time.Millisecond})
	if err != nil {
		return err
	}
	werr := r.WaitIdle(ctx)
	if err := r.Stop(context.WithoutCancel(ctx)); err != nil && werr == nil {
		werr = err
	}
	return werr
}

// WaitIdle waits until no job is available to run or running: every job
// inserted so far has completed, failed (and waits for its retry) or been
// discarded or cancelled. Tests call it before reading the mail.
func (r *Runner) WaitIdle(ctx context.Context) error {
	for {
		counts, err := r.db.DB.JobCounts(ctx, 0)
		if err != nil {
			return err
		}
		if counts[rivertype.JobStateAvailable]+counts[rivertype.JobStateRunning] == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("jobs still waiting or running: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
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

type passwordResetWorker struct {
	river.WorkerDefaults[app.PasswordResetArgs]
	app *app.App
}

// Work mints the reset link and sends it; an error is retried by River.
func (w *passwordResetWorker) Work(ctx context.Context, j *river.Job[app.PasswordResetArgs]) error {
	return w.app.SendPasswordReset(tandem.WithBaseURL(ctx, j.Args.BaseURL), j.Args.Email)
}
