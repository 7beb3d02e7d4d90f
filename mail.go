package tandem

import (
	"context"
	"time"
)

// Message is an email with a plain-text and an HTML part.
type Message struct {
	ID int64
	// OrgID is the organization on whose behalf the message is sent, 0 for
	// mail about an account (a password reset). The use case states it
	// (an invitation's organization); it never comes from whoever is
	// signed in when the message is sent.
	OrgID int64
	// Secret marks a message that carries a credential: a one-time link
	// that signs someone in, sets a password or joins an organization
	// (invitations, password resets). Only its recipient may read it, so
	// no mailer keeps a copy that anyone else can read.
	Secret bool
	// MessageID is the Message-ID header without its angle brackets. A
	// durable job sets it from the job, so a retry of the same message
	// keeps it (receivers drop duplicates by it); empty means a new one.
	MessageID string
	To        string
	Subject   string
	Text      string
	HTML      string
	// Attachments are files sent with the message: a session's .ics
	// invitation or cancellation.
	Attachments []Attachment
	CreatedAt   time.Time
	// Headers are extra header fields (List-Unsubscribe…), written as
	// given; names and values must not contain line breaks.
	Headers map[string]string
}

// Attachment is a file attached to a message.
type Attachment struct {
	Filename    string
	ContentType string // with its parameters, e.g. text/calendar; method=REQUEST
	Data        []byte
}

// Mailer sends email. The SMTP mailer delivers it; the development mailer
// logs it and keeps the messages that are not Secret for administrators to
// read. The durable outbox of a later issue is a Mailer too: it stores the
// message in the transaction and a worker delivers it.
type Mailer interface {
	Send(ctx context.Context, m *Message) error
}
