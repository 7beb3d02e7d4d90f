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
// each message to the log and keeps the ones that carry no secret in the
// database, where an administrator reads them on the "Sent email" page.
// Nothing leaves the machine.
//
// A Secret message (an invitation, a password reset: its link is a one-time
// credential) goes to the log only. The log is the operator's, who owns the
// machine and could set any password from the command line anyway; the
// database is read by administrators, who must not take over an account by
// reading its reset link or accepting someone else's invitation.
type DevMailer struct {
	Log   *slog.Logger
	Store MailLog
}

// Send logs m, and stores it unless it is Secret.
func (d *DevMailer) Send(ctx context.Context, m *tandem.Message) error {
	d.Log.InfoContext(ctx, "email (development mailer, not delivered)",
		"to", m.To, "subject", m.Subject, "secret", m.Secret, "text", m.Text, "request_id", tandem.RequestIDFrom(ctx))
	if m.Secret {
		return nil
	}
	return d.Store.LogMail(ctx, m)
}
