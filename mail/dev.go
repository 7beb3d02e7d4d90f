package mail

import (
	"context"
	"log/slog"

	"github.com/tandemhq/tandem"
)

// MailLog keeps copies of development messages; sqldb.DB implements it.
type MailLog interface {
	LogMail(ctx context.Context, m *tandem.Message) error
}

// DevMailer is the mailer used when no SMTP server is configured: it writes
// each message to the log and keeps it in the database, where an
// administrator reads it on the "Sent email" page. Nothing leaves the machine.
type DevMailer struct {
	Log   *slog.Logger
	Store MailLog
}

// Send logs and stores m.
func (d *DevMailer) Send(ctx context.Context, m *tandem.Message) error {
	d.Log.InfoContext(ctx, "email (development mailer, not delivered)",
		"to", m.To, "subject", m.Subject, "text", m.Text, "request_id", tandem.RequestIDFrom(ctx))
	return d.Store.LogMail(ctx, m)
}
