package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/mail"
)

// Email workers. Each attempt sends once; a temporary failure (the server
// down, a timeout, a 4xx reply) is returned, and River retries the job
// with backoff until its MaxAttempts, then discards it. A permanent one (a
// 5xx reply to the envelope or the message: an unknown recipient, a
// refused message) cancels the job at once with the server's reply
// recorded as its error, which administrators read on the queue page.
// Every attempt of a job sends the same Message-ID. A job caused by a
// request carries the request's base URL, which the worker puts back in
// the context for the links (app.linkBase).

func addEmailWorkers(w *river.Workers, a *app.App) {
	river.AddWorker(w, &emailWorker{app: a})
	river.AddWorker(w, &invitationEmailWorker{app: a})
}

// emailTimeout bounds one attempt: the SMTP mailer's own deadline (30 s)
// plus rendering and the database.
const emailTimeout = 45 * time.Second

// outcome turns a send error into River's answer.
func outcome(err error) error {
	if err != nil && mail.Permanent(err) {
		return river.JobCancel(err)
	}
	return err
}

type emailWorker struct {
	river.WorkerDefaults[app.EmailArgs]
	app *app.App
}

func (w *emailWorker) Timeout(*river.Job[app.EmailArgs]) time.Duration { return emailTimeout }

func (w *emailWorker) Work(ctx context.Context, j *river.Job[app.EmailArgs]) error {
	ctx = tandem.WithBaseURL(ctx, j.Args.BaseURL)
	return outcome(w.app.SendEmail(ctx, j.Args, w.app.MessageID(j.ID, j.CreatedAt.Unix())))
}

type invitationEmailWorker struct {
	river.WorkerDefaults[app.InvitationEmailArgs]
	app *app.App
}

func (w *invitationEmailWorker) Timeout(*river.Job[app.InvitationEmailArgs]) time.Duration {
	return emailTimeout
}

func (w *invitationEmailWorker) Work(ctx context.Context, j *river.Job[app.InvitationEmailArgs]) error {
	ctx = tandem.WithBaseURL(ctx, j.Args.BaseURL)
	return outcome(w.app.SendInvitationEmail(ctx, j.Args, w.app.MessageID(j.ID, j.CreatedAt.Unix())))
}
