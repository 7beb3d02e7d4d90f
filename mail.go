package tandem

import (
	"context"
	"time"
)

// Message is an email with a plain-text and an HTML part.
type Message struct {
	ID int64
	// OrgID is the organization on whose behalf the message is sent, 0 for
	// mail about an account (a password reset), which no administrator
	// of any organization may read.
	OrgID     int64
	To        string
	Subject   string
	Text      string
	HTML      string
	CreatedAt time.Time
}

// Mailer sends email. The SMTP mailer delivers it; the development mailer
// logs it and keeps it for administrators to read. The durable outbox of a
// later issue is a Mailer too: it stores the message in the transaction and
// a worker delivers it.
type Mailer interface {
	Send(ctx context.Context, m *Message) error
}
