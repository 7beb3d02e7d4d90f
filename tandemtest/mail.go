package tandemtest

import (
	"context"
	"regexp"
	"sync"
	"testing"

	"github.com/tandemhq/tandem"
)

// Mailbox is a tandem.Mailer that keeps every message, for tests.
type Mailbox struct {
	mu       sync.Mutex
	messages []tandem.Message
}

// Send records m.
func (mb *Mailbox) Send(ctx context.Context, m *tandem.Message) error {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	mb.messages = append(mb.messages, *m)
	return nil
}

// Messages returns the messages sent so far.
func (mb *Mailbox) Messages() []tandem.Message {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]tandem.Message(nil), mb.messages...)
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+`)

// MustLastLink returns the first link in the newest message to the
// address, failing the test when there is none.
func (mb *Mailbox) MustLastLink(tb testing.TB, to string) string {
	tb.Helper()
	ms := mb.Messages()
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].To == to {
			if l := linkRE.FindString(ms[i].Text); l != "" {
				return l
			}
		}
	}
	tb.Fatalf("no message with a link to %s in %d messages", to, len(ms))
	return ""
}
