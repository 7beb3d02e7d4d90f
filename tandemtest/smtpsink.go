package tandemtest

import (
	"bytes"
	"io"
	"net"
	"net/mail"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-smtp"
)

// SMTPSink is a real SMTP server (github.com/emersion/go-smtp) on the
// loopback interface that counts the messages each recipient receives
// and keeps the first ones whole, for tests and benchmarks of delivery.
type SMTPSink struct {
	Addr  string
	Keep  int // how many messages to keep whole (default 100)
	total atomic.Int64
	mu    sync.Mutex
	count map[string]int
	kept  []*mail.Message
	conns atomic.Int64
}

// StartSMTPSink starts a sink until the test ends.
func StartSMTPSink(tb testing.TB) *SMTPSink {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &SMTPSink{Addr: ln.Addr().String(), Keep: 100, count: map[string]int{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.conns.Add(1)
		return &sinkSession{s: s}, nil
	}))
	srv.Domain = "sink.test"
	srv.MaxRecipients = 100
	srv.MaxMessageBytes = 10 << 20
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return s
}

// URL is TANDEM_SMTP_URL for the sink.
func (s *SMTPSink) URL() string { return "smtp://" + s.Addr + "?from=notes@tandem.test" }

// Total is how many messages the sink accepted.
func (s *SMTPSink) Total() int64 { return s.total.Load() }

// Connections is how many SMTP connections were opened.
func (s *SMTPSink) Connections() int64 { return s.conns.Load() }

// Counts returns how many messages each recipient received.
func (s *SMTPSink) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.count))
	for k, v := range s.count {
		out[k] = v
	}
	return out
}

// Kept returns the messages kept whole.
func (s *SMTPSink) Kept() []*mail.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mail.Message(nil), s.kept...)
}

type sinkSession struct {
	s  *SMTPSink
	to []string
}

func (ss *sinkSession) Reset()        { ss.to = nil }
func (ss *sinkSession) Logout() error { return nil }
func (ss *sinkSession) Mail(string, *smtp.MailOptions) error {
	return nil
}
func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	s := ss.s
	s.mu.Lock()
	keep := len(s.kept) < s.Keep
	s.mu.Unlock()
	var msg *mail.Message
	if keep {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if msg, err = mail.ReadMessage(bytes.NewReader(b)); err != nil {
			return err
		}
	} else if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.mu.Lock()
	for _, to := range ss.to {
		s.count[to]++
	}
	if msg != nil && len(s.kept) < s.Keep {
		s.kept = append(s.kept, msg)
	}
	s.mu.Unlock()
	s.total.Add(int64(len(ss.to)))
	ss.to = nil
	return nil
}
