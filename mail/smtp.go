package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
)

// SMTPMailer delivers email through an SMTP server, with STARTTLS when the
// server offers it (smtps:// for implicit TLS is not supported by net/smtp's
// plain dialer, so use port 587 with STARTTLS).
type SMTPMailer struct {
	addr     string // host:port
	host     string
	auth     smtp.Auth
	from     string
	attempts int
	pause    time.Duration // before the second attempt; doubled after
	timeout  time.Duration // for the whole send, retries included: a server that stops answering must not hold a request
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
	m := &SMTPMailer{addr: net.JoinHostPort(u.Hostname(), port), host: u.Hostname(), from: from, attempts: 3, pause: 2 * time.Second, timeout: 30 * time.Second}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return m, nil
}

// Send delivers m, retrying twice with a pause when the server fails, all
// within s.timeout, and gives up early when ctx ends.
func (s *SMTPMailer) Send(ctx context.Context, m *tandem.Message) error {
	body, err := compose(s.from, m, time.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var lastErr error
	for i := 0; i < s.attempts; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("send mail to %s: %w (last error: %v)", m.To, ctx.Err(), lastErr)
			case <-time.After(time.Duration(i) * s.pause):
			}
		}
		if lastErr = s.sendOnce(ctx, m.To, body); lastErr == nil {
			return nil
		}
	}
	return fmt.Errorf("send mail to %s: %w", m.To, lastErr)
}

// sendOnce is smtp.SendMail within ctx's deadline: dial, STARTTLS when
// offered, AUTH when configured, one message, QUIT.
func (s *SMTPMailer) sendOnce(ctx context.Context, to string, body []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return err
		}
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: s.host}); err != nil {
			return err
		}
	}
	if s.auth != nil {
		if err := c.Auth(s.auth); err != nil {
			return err
		}
	}
	if err := c.Mail(s.from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

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
	hdr("Message-ID", "<"+hex.EncodeToString(rnd)+"@tandem>")
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
