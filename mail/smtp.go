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

// sendOnce is smtp.SendMail within ctx's deadline: dial, STARTTLS when
// offered, AUTH when configured, one message, QUIT.
// compose builds a multipart/alternative message with the text part first
// (mail clients show the last part they understand); with attachments
// (a session's .ics) it is the first part of a multipart/mixed message.
func compose(from string, m *tandem.Message, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	rnd := make([]byte, 12)
	rand.Read(rnd)
	boundary := "tandem-" + hex.EncodeToString(rnd)
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", from)
	hdr("To", m.To)
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", now.Format(time.RFC1123Z))
	id := m.MessageID
	if id == "" {
		id = hex.EncodeToString(rnd) + "@tandem"
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
