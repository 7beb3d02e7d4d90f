package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
)

// SMTPMailer delivers email through an SMTP server, with STARTTLS when the
// server offers it (smtps:// for implicit TLS is not supported by net/smtp's
// plain dialer, so use port 587 with STARTTLS).
//
// It makes one attempt per Send, within a deadline: retries are the job
// queue's (River's backoff, in the jobs package), which survive restarts
// and do not hold a worker while waiting. Permanent tells a failure the
// server will repeat (a 5xx reply to the envelope or the message) from one
// worth retrying.
type SMTPMailer struct {
	addr    string // host:port
	host    string
	auth    smtp.Auth
	from    string
	timeout time.Duration // for one send: a server that stops answering must not hold a worker
}

// NewSMTPMailer parses a URL of the form
// smtp://user:password@host:port?from=tandem@example.com.
func NewSMTPMailer(rawURL string) (*SMTPMailer, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("TANDEM_SMTP_URL: want smtp://user:password@host:port?from=address")
	}
	from := u.Query().Get("from")
	if from == "" {
		return nil, fmt.Errorf("TANDEM_SMTP_URL: add ?from=address for the sender")
	}
	port := u.Port()
	if port == "" {
		port = "587"
	}
	m := &SMTPMailer{addr: net.JoinHostPort(u.Hostname(), port), host: u.Hostname(), from: from, timeout: 30 * time.Second}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return m, nil
}

// From returns the sender address.
func (s *SMTPMailer) From() string { return s.from }

// Send makes one attempt to deliver m within s.timeout (or ctx, if it ends
// first). Errors wrap the server's reply (*textproto.Error) when there is
// one; see Permanent.
func (s *SMTPMailer) Send(ctx context.Context, m *tandem.Message) error {
	body, err := compose(s.from, m, time.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ss, err := s.Open(ctx)
	if err != nil {
		return fmt.Errorf("send mail to %s: %w", m.To, err)
	}
	defer ss.c.Close()
	if err := ss.deliver(ctx, m.To, body, nil); err != nil {
		return fmt.Errorf("send mail to %s: %w", m.To, err)
	}
	// The message is accepted; a failed QUIT does not unsend it, and
	// reporting it would send it twice.
	ss.c.Quit()
	return nil
}

// rejected marks a 5xx reply to MAIL, RCPT or DATA: the server refuses
// this message (an unknown recipient, a policy), and will again. A 5xx to
// AUTH or STARTTLS is not one: it is the operator's configuration, and the
// message should wait for it to be fixed.
type rejected struct{ err error }

func (r *rejected) Error() string { return r.err.Error() }
func (r *rejected) Unwrap() error { return r.err }

// reject wraps a 5xx reply as rejected.
func reject(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return &rejected{err}
	}
	return err
}

// Permanent reports whether err says the server refused the message for
// good (a 5xx reply to the envelope or the data), so sending it again
// would fail again. Timeouts, refused connections and 4xx replies are
// temporary.
func Permanent(err error) bool {
	var r *rejected
	return errors.As(err, &r)
}

// compose builds a multipart/alternative message with the text part first
// (mail clients show the last part they understand); with attachments
// (a session's .ics) it is the first part of a multipart/mixed message.
func compose(from string, m *tandem.Message, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	rnd := make([]byte, 12)
	rand.Read(rnd)
	boundary := "tandem-" + hex.EncodeToString(rnd[:8]) // short enough for a 78-octet Content-Type line
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", from)
	hdr("To", m.To)
	b.WriteString(foldSubject(m.Subject))
	hdr("Date", now.Format(time.RFC1123Z))
	id := m.MessageID
	if id == "" {
		id = hex.EncodeToString(rnd) + "@" + Hostname()
	}
	if _, ok := m.Headers["Message-ID"]; !ok {
		hdr("Message-ID", "<"+id+">")
	}
	for _, k := range slices.Sorted(maps.Keys(m.Headers)) {
		if strings.ContainsAny(k+m.Headers[k], "\r\n") {
			return nil, fmt.Errorf("header %s: line breaks are not allowed", k)
		}
		hdr(k, m.Headers[k])
	}
	hdr("MIME-Version", "1.0")
	mixed := ""
	if len(m.Attachments) > 0 {
		mixed = "mixed-" + boundary
		hdr("Content-Type", `multipart/mixed; boundary="`+mixed+`"`)
		fmt.Fprintf(&b, "\r\n--%s\r\n", mixed)
	}
	hdr("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ ctype, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, part.ctype)
		w := quotedprintable.NewWriter(&b)
		if _, err := w.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n"))); err != nil {
			return nil, err
		}
		w.Close()
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	if mixed == "" {
		return b.Bytes(), nil
	}
	for _, at := range m.Attachments {
		fmt.Fprintf(&b, "\r\n--%s\r\n", mixed)
		hdr("Content-Type", at.ContentType)
		hdr("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": at.Filename}))
		hdr("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		enc := base64.StdEncoding.EncodeToString(at.Data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", mixed)
	return b.Bytes(), nil
}

// maxLine is the longest header line written, in octets without CRLF
// (RFC 5322 §2.1.1 asks for at most 78).
const maxLine = 78

// foldSubject writes the Subject field, CRLF included, in lines of at most
// maxLine octets. A subject of printable ASCII is folded at its spaces; any
// other is written as RFC 2047 encoded-words (mime.QEncoding), each holding
// whole characters, one per line when they do not fit together.
// Whitespace between encoded-words is not part of the text, so the
// subject's own spaces are inside the words.
func foldSubject(subject string) string {
	const name = "Subject:"
	if mime.QEncoding.Encode("utf-8", subject) == subject {
		return foldWords(name, strings.Fields(subject))
	}
	var words []string
	var chunk []rune
	budget := maxLine - len(name) - 1 // the first line holds the name
	for _, r := range subject {
		if len(chunk) > 0 && len(encodedWord(string(append(chunk, r)))) > budget {
			words = append(words, encodedWord(string(chunk)))
			chunk = chunk[:0]
			budget = min(75, maxLine-1) // RFC 2047's longest word; a continuation line starts with a space
		}
		chunk = append(chunk, r)
	}
	if len(chunk) > 0 {
		words = append(words, encodedWord(string(chunk)))
	}
	return foldWords(name, words)
}

// encodedWord is s as one RFC 2047 encoded-word. mime.QEncoding leaves
// text that needs no encoding as it is; a piece of a subject that is
// encoded must be a word too, or the spaces around it would change, so
// such a piece is written in the B encoding by hand.
func encodedWord(s string) string {
	if w := mime.QEncoding.Encode("utf-8", s); w != s {
		return w
	}
	return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}

// foldWords writes "name: w1 w2 …" CRLF, starting a continuation line
// (CRLF and a space) before a word that would pass maxLine. A single word
// longer than a line stays whole.
func foldWords(name string, words []string) string {
	var b strings.Builder
	b.WriteString(name)
	line := len(name)
	for _, w := range words {
		if line+1+len(w) > maxLine && line > len(name) {
			b.WriteString("\r\n")
			line = 0
		}
		b.WriteString(" " + w)
		line += 1 + len(w)
	}
	b.WriteString("\r\n")
	return b.String()
}

// Hostname is the machine's host name, for a Message-ID when no site URL
// gives one its domain ("localhost" when the system has none).
func Hostname() string {
	if h, err := os.Hostname(); err == nil && h != "" && !strings.ContainsAny(h, " <>@\r\n") {
		return h
	}
	return "localhost"
}
