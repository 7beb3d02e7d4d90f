package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"time"

	"github.com/tandemhq/tandem"
)

// Session sends many messages over one SMTP connection (a digest to
// thousands of subscribers): one dial, STARTTLS and AUTH, then MAIL, RCPT
// and DATA per message, with RSET after a refused one.
type Session struct {
	s    *SMTPMailer
	conn net.Conn
	c    *smtp.Client
}

// Open connects to the SMTP server for a Session: dial, STARTTLS when
// offered, AUTH when configured. Send opens one for each message; a digest
// keeps one for thousands.
func (s *SMTPMailer) Open(ctx context.Context) (*Session, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("smtp: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: s.host}); err != nil {
			c.Close()
			return nil, fmt.Errorf("smtp: %w", err)
		}
	}
	if s.auth != nil {
		if err := c.Auth(s.auth); err != nil {
			c.Close()
			return nil, fmt.Errorf("smtp: %w", err)
		}
	}
	return &Session{s: s, conn: conn, c: c}, nil
}

// Send delivers one message on the session's connection, within
// the mailer's timeout.
func (ss *Session) Send(ctx context.Context, m *tandem.Message) error {
	body, err := compose(ss.s.from, m, time.Now())
	if err != nil {
		return err
	}
	dl := time.Now().Add(ss.s.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	ctx, cancel := context.WithDeadline(ctx, dl)
	defer cancel()
	if err := ss.deliver(ctx, m.To, body); err != nil {
		ss.c.Reset()
		return fmt.Errorf("send mail to %s: %w", m.To, err)
	}
	return nil
}

// deliver is MAIL, RCPT and DATA for one message, within ctx's deadline.
// A 5xx reply is marked rejected (see Permanent).
func (ss *Session) deliver(ctx context.Context, to string, body []byte) error {
	if dl, ok := ctx.Deadline(); ok {
		ss.conn.SetDeadline(dl)
	}
	if err := ss.c.Mail(ss.s.from); err != nil {
		return reject(err)
	}
	if err := ss.c.Rcpt(to); err != nil {
		return reject(err)
	}
	w, err := ss.c.Data()
	if err != nil {
		return reject(err)
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	return reject(w.Close())
}

// Close says QUIT and closes the connection.
func (ss *Session) Close() error {
	ss.conn.SetDeadline(time.Now().Add(5 * time.Second))
	ss.c.Quit()
	return ss.c.Close()
}
