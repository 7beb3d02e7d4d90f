package tandemtest

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"
)

// SMTPMode is how the test SMTP server answers.
type SMTPMode int

const (
	// SMTPAccept takes every message.
	SMTPAccept SMTPMode = iota
	// SMTPTempFail reads each message and answers 451 (try again later)
	// at the end of DATA; Deferred returns what it refused.
	SMTPTempFail
	// SMTPReject answers RCPT with 550 (no such mailbox): permanent.
	SMTPReject
)

// SMTPServer is a real SMTP server (github.com/emersion/go-smtp) on
// loopback, in the test process, that records the messages it accepts and
// counts them per recipient. It can be switched to refuse with 4xx or 5xx
// (every recipient, or some: Refuse), or stopped (Down: the port refuses
// connections) and started again on the same address (Up). With the
// CountOnly option it keeps no message, only the counts: light enough for
// a benchmark of 100,000 recipients.
type SMTPServer struct {
	tb        testing.TB
	addr      string
	countOnly bool
	conns     atomic.Int64

	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener
	mode     SMTPMode
	refuse   map[string]bool // recipients answered 550 in any mode
	received []Received
	deferred []Received // refused with 451 after DATA
	refused  int        // recipients and messages refused so far
	total    int64      // messages accepted, counted per recipient
	counts   map[string]int
	hold     chan struct{} // while set, replies to the end of DATA wait for Release
	held     int           // sessions waiting so
}

// Received is one accepted message.
type Received struct {
	From string
	To   []string
	Raw  []byte
}

// SMTPOption configures a server at its start.
type SMTPOption func(*SMTPServer)

// CountOnly makes the server count the messages each recipient receives
// and keep none of them (Messages and Deferred stay empty).
func CountOnly() SMTPOption { return func(s *SMTPServer) { s.countOnly = true } }

// StartSMTPServer starts a server and stops it when the test ends.
func StartSMTPServer(tb testing.TB, opts ...SMTPOption) *SMTPServer {
	tb.Helper()
	s := &SMTPServer{tb: tb, refuse: map[string]bool{}, counts: map[string]int{}}
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	tb.Cleanup(func() { s.Down() })
	return s
}

// Addr is host:port.
func (s *SMTPServer) Addr() string { return s.addr }

// URL is a TANDEM_SMTP_URL for this server.
func (s *SMTPServer) URL(from string) string { return "smtp://" + s.addr + "?from=" + from }

func (s *SMTPServer) serve(ln net.Listener) {
	srv := smtp.NewServer(&smtpBackend{s: s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxRecipients = 100
	srv.MaxMessageBytes = 10 << 20
	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	go srv.Serve(ln)
}

// Refuse makes the server answer RCPT for these addresses with 550 (no
// such mailbox), whatever its mode.
func (s *SMTPServer) Refuse(to ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range to {
		s.refuse[a] = true
	}
}

// Total is how many messages the server accepted, counted per recipient.
func (s *SMTPServer) Total() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Counts returns how many messages each recipient received.
func (s *SMTPServer) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.counts)
}

// Connections is how many SMTP connections were opened.
func (s *SMTPServer) Connections() int64 { return s.conns.Load() }

// SetMode switches how the server answers from the next command on.
func (s *SMTPServer) SetMode(m SMTPMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// Down stops the server: connections to its address are refused.
func (s *SMTPServer) Down() {
	s.Release()
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// Close the listener here too: Serve may not have registered it
		// with the server yet.
		ln.Close()
		srv.Close()
	}
}

// Up starts the server again on the same address.
func (s *SMTPServer) Up() {
	s.tb.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may take a moment to be free again
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		s.tb.Fatalf("SMTP server up again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// Refused counts the recipients and messages refused so far (4xx or 5xx).
func (s *SMTPServer) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Messages returns the messages accepted so far.
func (s *SMTPServer) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// WaitMessages waits until at least n messages arrived (at most 30 s)
// and returns them all.
func (s *SMTPServer) WaitMessages(tb testing.TB, n int) []Received {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ms := s.Messages()
		if len(ms) >= n {
			return ms
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d messages arrived, want %d", len(ms), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type smtpBackend struct{ s *SMTPServer }

func (b *smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	b.s.conns.Add(1)
	return &smtpSession{s: b.s}, nil
}

type smtpSession struct {
	s    *SMTPServer
	from string
	to   []string
}

func (x *smtpSession) Reset()        { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error { return nil }

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.mode == SMTPReject || x.s.refuse[to] {
		x.s.refused++
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox: " + to}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	var raw []byte
	var err error
	if x.s.countOnly {
		_, err = io.Copy(io.Discard, r)
	} else {
		raw, err = io.ReadAll(r)
	}
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.mode == SMTPTempFail {
		x.s.refused++
		if !x.s.countOnly {
			x.s.deferred = append(x.s.deferred, Received{From: x.from, To: x.to, Raw: raw})
		}
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	for _, to := range x.to {
		x.s.counts[to]++
	}
	x.s.total += int64(len(x.to))
	if !x.s.countOnly {
		x.s.received = append(x.s.received, Received{From: x.from, To: x.to, Raw: raw})
	}
	if hold := x.s.hold; hold != nil {
		x.s.held++
		x.s.mu.Unlock()
		<-hold
		x.s.mu.Lock()
		x.s.held--
	}
	return nil
}

// Hold makes the server, from now on, take each message (it is counted
// and kept) and then wait to reply to the end of DATA until Release: the
// moment RFC 1047 is about, when the server has a message and its sender
// does not know it yet.
func (s *SMTPServer) Hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold == nil {
		s.hold = make(chan struct{})
	}
}

// Held is how many sessions wait for Release with a message taken.
func (s *SMTPServer) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// Release lets the held replies go and stops holding.
func (s *SMTPServer) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold != nil {
		close(s.hold)
		s.hold = nil
	}
}

// Deferred returns the messages refused with 451 so far.
func (s *SMTPServer) Deferred() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.deferred...)
}

// ParsedMail is a received message read with the standard library's MIME
// readers.
type ParsedMail struct {
	Header  mail.Header
	Subject string // decoded
	Text    string // the text/plain part, decoded, with \n line ends
	HTML    string // the text/html part
}

// Parse reads the message: headers, the decoded subject and the text and
// HTML parts of a multipart/alternative body.
func (r Received) Parse() (*ParsedMail, error) {
	m, err := mail.ReadMessage(bytes.NewReader(r.Raw))
	if err != nil {
		return nil, err
	}
	p := &ParsedMail{Header: m.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		return nil, err
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return nil, errors.New("not a multipart message: " + mt)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(part) // decodes quoted-printable
		if err != nil {
			return nil, err
		}
		text := strings.ReplaceAll(string(body), "\r\n", "\n")
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.Text = text
		case "text/html":
			p.HTML = text
		}
	}
	return p, nil
}
