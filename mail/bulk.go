package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"time"

	"github.com/tandemhq/tandem"
)

// Session sends many messages over one SMTP connection (a digest to
// thousands of subscribers): one dial, STARTTLS and AUTH, then MAIL, RCPT
// and DATA per message, with RSET after a refused one.
type Session struct {
	s      *SMTPMailer
	conn   *countingConn
	c      *smtp.Client
	broken error // set when the conversation cannot go on
}

// Open connects to the SMTP server for a Session: dial, STARTTLS when
// offered, AUTH when configured. Send opens one for each message; a digest
// keeps one for thousands.
func (s *SMTPMailer) Open(ctx context.Context) (*Session, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	conn := &countingConn{Conn: raw}
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

// Claim lets the caller record a delivery in its own store as part of
// sending it. SMTP cannot commit with a database: the server takes the
// message when it reads the final "." of DATA, and the sender learns it
// only from the reply, so a process that dies between the two cannot tell
// a delivered message from one that was not (RFC 1047). Record is called
// once the envelope is accepted and the body written, before the final
// dot; it commits a record that counts as delivered from then on.
// Release removes it when the message was not delivered after all: the
// server refused it (a 4xx or 5xx reply to the dot; Permanent tells
// which from Send's error) or the connection failed before the dot was
// written. When the dot was written and no reply came, the message is
// taken as delivered and the record stays: the server most likely has
// it, and sending it again is the duplicate RFC 1047 describes.
type Claim struct {
	// Record commits the delivery's record. ErrClaimed says another
	// sender has it already: the message is not sent.
	Record func(ctx context.Context) error
	// Release removes the record. It runs even when the send's context
	// has ended (with ten seconds of its own).
	Release func(ctx context.Context) error
}

// ErrClaimed is what Claim.Record returns when the delivery is someone
// else's already (a batch rescued while its first run still sends).
var ErrClaimed = errors.New("delivery claimed by another sender")

// Send delivers one message on the session's connection, within the
// mailer's timeout. With a claim, the delivery is recorded before the
// final dot (see Claim). After a failure that leaves the conversation in
// an unknown state the session is closed and every later Send fails.
func (ss *Session) Send(ctx context.Context, m *tandem.Message, claim *Claim) error {
	if ss.broken != nil {
		return fmt.Errorf("send mail to %s: %w", m.To, ss.broken)
	}
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
	if err := ss.deliver(ctx, m.To, body, claim); err != nil {
		if ss.broken == nil {
			ss.c.Reset()
		}
		return fmt.Errorf("send mail to %s: %w", m.To, err)
	}
	return nil
}

// deliver is MAIL, RCPT and DATA for one message, within ctx's deadline.
// A 5xx reply is marked rejected (see Permanent). With a claim, the body
// is flushed to the server before claim.Record, so that after the record
// commits only the three bytes of the final dot remain to be written: a
// process killed in between loses that one message, never sends it twice.
func (ss *Session) deliver(ctx context.Context, to string, body []byte, claim *Claim) error {
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
		return ss.fail(err)
	}
	if claim == nil {
		return reject(w.Close())
	}
	if err := ss.c.Text.W.Flush(); err != nil {
		return ss.fail(err)
	}
	if err := claim.Record(ctx); err != nil {
		// There is no way to take back a DATA but to hang up before the
		// dot: the server drops what it read.
		return ss.fail(err)
	}
	release := func() error {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return claim.Release(rctx)
	}
	// The dot: w.Close writes ".\r\n", flushes, and reads the reply. Tell
	// a failed write (the server never saw the dot: not delivered) from a
	// missing reply (delivered as far as anyone can tell: the record stays).
	writes := ss.conn.writes
	err = w.Close()
	if err == nil {
		return nil
	}
	var te *textproto.Error
	if !errors.As(err, &te) && ss.conn.writes > writes {
		ss.fail(err)
		return fmt.Errorf("no reply to the end of the message, taken as delivered: %w", err)
	}
	if te == nil {
		ss.fail(err)
	}
	err = reject(err)
	if rerr := release(); rerr != nil {
		return errors.Join(err, fmt.Errorf("release the delivery record: %w", rerr))
	}
	return err
}

// fail closes a connection left in the middle of a conversation; the
// session's later sends fail with err.
func (ss *Session) fail(err error) error {
	if ss.broken == nil {
		ss.broken = err
		ss.conn.Close()
	}
	return err
}

// countingConn counts the writes that succeeded, so deliver can tell
// whether the final dot left.
type countingConn struct {
	net.Conn
	writes int
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if err == nil {
		c.writes++
	}
	return n, err
}

// Close says QUIT and closes the connection.
func (ss *Session) Close() error {
	if ss.broken != nil {
		return nil
	}
	ss.conn.SetDeadline(time.Now().Add(5 * time.Second))
	ss.c.Quit()
	return ss.c.Close()
}
