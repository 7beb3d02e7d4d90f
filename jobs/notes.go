package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// Coach Notes' digest: a periodic job starts the digests that are due; a
// digest job fans out into batch jobs (unique by digest and id range);
// each batch sends over one SMTP connection and records every delivery,
// so a retried or restarted batch skips whoever has the digest.

// DigestScheduleEvery is how often due digests are looked for.
const DigestScheduleEvery = 5 * time.Minute

func addNotesWorkers(workers *river.Workers, a *app.App, log *slog.Logger) {
	river.AddWorker(workers, &subscribeConfirmWorker{app: a})
	river.AddWorker(workers, &digestScheduleWorker{app: a, log: log})
	river.AddWorker(workers, &digestWorker{app: a, log: log})
	river.AddWorker(workers, &digestBatchWorker{app: a, log: log})
}

func notesPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(DigestScheduleEvery), func() (river.JobArgs, *river.InsertOpts) {
		return app.DigestScheduleArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: DigestScheduleEvery}}
	}, &river.PeriodicJobOpts{RunOnStart: true, ID: "notes_digest_schedule"})
}

type digestScheduleWorker struct {
	river.WorkerDefaults[app.DigestScheduleArgs]
	app *app.App
	log *slog.Logger
}

func (w *digestScheduleWorker) Work(ctx context.Context, _ *river.Job[app.DigestScheduleArgs]) error {
	n, err := w.app.ScheduleDigests(ctx)
	if n > 0 {
		w.log.InfoContext(ctx, "digests started", "count", n)
	}
	return err
}

type digestWorker struct {
	river.WorkerDefaults[app.DigestArgs]
	app *app.App
	log *slog.Logger
}

func (w *digestWorker) Work(ctx context.Context, j *river.Job[app.DigestArgs]) error {
	n, err := w.app.FanOutDigest(ctx, j.Args.DigestID)
	if err == nil {
		w.log.InfoContext(ctx, "digest fanned out", "digest", j.Args.DigestID, "batches", n)
	}
	return err
}

type digestBatchWorker struct {
	river.WorkerDefaults[app.DigestBatchArgs]
	app *app.App
	log *slog.Logger
}

// DigestBatchTimeout bounds one run of a batch. A batch starts no
// message once less than 30 s of it is left (app.ErrDigestBatchPaused)
// and is snoozed, to go on at once where it stopped: a slow mail server
// makes a batch take several runs, never fail. It is short so that a
// batch whose process was killed is rescued soon (Config.RescueAfter,
// above every job's timeout): after a restart a digest resumes within
// about two minutes, not after a ten-minute timeout.
var DigestBatchTimeout = time.Minute

// Timeout bounds one run of a batch.
func (w *digestBatchWorker) Timeout(*river.Job[app.DigestBatchArgs]) time.Duration {
	return DigestBatchTimeout
}

func (w *digestBatchWorker) Work(ctx context.Context, j *river.Job[app.DigestBatchArgs]) error {
	n, err := w.app.SendDigestBatch(ctx, j.Args)
	if errors.Is(err, app.ErrDigestBatchPaused) {
		w.log.InfoContext(ctx, "digest batch paused", "digest", j.Args.DigestID, "sent", n)
		return river.JobSnooze(0)
	}
	return err
}

// subscribeConfirmWorker emails a subscription's confirmation link.
type subscribeConfirmWorker struct {
	river.WorkerDefaults[app.SubscribeConfirmArgs]
	app *app.App
}

func (w *subscribeConfirmWorker) Work(ctx context.Context, j *river.Job[app.SubscribeConfirmArgs]) error {
	return w.app.SendSubscribeConfirmation(tandem.WithBaseURL(ctx, j.Args.BaseURL), j.Args.OrgID, j.Args.SubscriberID)
}
