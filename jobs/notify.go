package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// notificationEmailWorker emails one notification; the job is inserted in
// the transaction that wrote the notification (sqldb.insertNotification).
// A send that fails is retried by River with backoff; one that succeeded
// is not sent again (app.EmailNotification checks emailed_at).
type notificationEmailWorker struct {
	river.WorkerDefaults[sqldb.NotificationEmailArgs]
	app *app.App
}

func (w *notificationEmailWorker) Work(ctx context.Context, j *river.Job[sqldb.NotificationEmailArgs]) error {
	return w.app.EmailNotification(tandem.WithBaseURL(ctx, j.Args.BaseURL), j.Args.ID)
}

// RemindersArgs is the periodic job that finds the reminders due and
// stores them (each once: see sqldb.SendReminders).
type RemindersArgs struct{}

// Kind names the job in the queue.
func (RemindersArgs) Kind() string { return "reminders" }

func remindersJob(every time.Duration) *river.PeriodicJob {
	if every == 0 {
		every = 15 * time.Minute
	}
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		// Leader-only and unique per period, as maintenance; a reminder
		// found twice is stored once anyway.
		return RemindersArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true, ID: "reminders"})
}

type remindersWorker struct {
	river.WorkerDefaults[RemindersArgs]
	app *app.App
	log *slog.Logger
}

func (w *remindersWorker) Work(ctx context.Context, _ *river.Job[RemindersArgs]) error {
	n, err := w.app.SendReminders(ctx)
	if n > 0 {
		w.log.InfoContext(ctx, "reminders", "count", n)
	}
	return err
}

// SummariesArgs is the hourly job that queues the daily summaries whose
// hour has come (app.QueueDailySummaries).
type SummariesArgs struct{}

// Kind names the job in the queue.
func (SummariesArgs) Kind() string { return "daily_summaries" }

func summariesJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
		return SummariesArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
	}, &river.PeriodicJobOpts{RunOnStart: true, ID: "daily_summaries"})
}

type summariesWorker struct {
	river.WorkerDefaults[SummariesArgs]
	app *app.App
}

func (w *summariesWorker) Work(ctx context.Context, _ *river.Job[SummariesArgs]) error {
	_, err := w.app.QueueDailySummaries(ctx)
	return err
}

// dailySummaryWorker emails one person's daily summary.
type dailySummaryWorker struct {
	river.WorkerDefaults[sqldb.DailySummaryArgs]
	app *app.App
}

func (w *dailySummaryWorker) Work(ctx context.Context, j *river.Job[sqldb.DailySummaryArgs]) error {
	return w.app.SendDailySummary(ctx, j.Args.PersonID, j.Args.Cutoff)
}

// programOpenedWorker tells everyone who may enroll that a program opened
// (app.NotifyProgramOpened); the job is inserted with the move to
// enrolling (sqldb.MoveProgram). Its notifications are stored once per
// person and the people told are skipped, so a retry or a snoozed run
// tells only the rest.
type programOpenedWorker struct {
	river.WorkerDefaults[sqldb.ProgramOpenedArgs]
	app *app.App
	log *slog.Logger
}

// ProgramOpenedTimeout bounds one run, below Config.RescueAfter so a
// running job is never taken for a dead one. A run that has not told
// everyone by then stops between two transactions and is snoozed, and
// the next run goes on after whoever was told (app.ErrProgramOpenedPaused).
var ProgramOpenedTimeout = time.Minute

// Timeout bounds one run.
func (w *programOpenedWorker) Timeout(*river.Job[sqldb.ProgramOpenedArgs]) time.Duration {
	return ProgramOpenedTimeout
}

func (w *programOpenedWorker) Work(ctx context.Context, j *river.Job[sqldb.ProgramOpenedArgs]) error {
	n, err := w.app.NotifyProgramOpened(ctx, j.Args)
	w.log.InfoContext(ctx, "program opened: people told", "program", j.Args.ProgramID, "count", n)
	if errors.Is(err, app.ErrProgramOpenedPaused) {
		return river.JobSnooze(0)
	}
	return err
}

// programInvitedWorker tells invited people of their invitation or
// reminder (app.NotifyProgramInvited); the job is inserted with the
// invitations (sqldb.InviteToProgram, RemindProgramInvitations). Like
// programOpenedWorker, a retry or a snoozed run tells only the rest.
type programInvitedWorker struct {
	river.WorkerDefaults[sqldb.ProgramInvitedArgs]
	app *app.App
	log *slog.Logger
}

// Timeout bounds one run, as for the program_opened job.
func (w *programInvitedWorker) Timeout(*river.Job[sqldb.ProgramInvitedArgs]) time.Duration {
	return ProgramOpenedTimeout
}

func (w *programInvitedWorker) Work(ctx context.Context, j *river.Job[sqldb.ProgramInvitedArgs]) error {
	n, err := w.app.NotifyProgramInvited(ctx, j.Args)
	w.log.InfoContext(ctx, "program invited: people told", "program", j.Args.ProgramID, "count", n)
	if errors.Is(err, app.ErrProgramOpenedPaused) {
		return river.JobSnooze(0)
	}
	return err
}
