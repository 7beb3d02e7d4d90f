package mail

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
)

// fakeSMTP is a minimal SMTP server on loopback that records messages. The
// first failFirst connections are dropped at once, to exercise the retry.
type fakeSMTP struct {
	ln        net.Listener
	mu        sync.Mutex
	got       []string
	failFirst int
	dotReply  string // the reply to the end of DATA: "250 queued" when empty, "-" to hang up instead
	sessions  sync.WaitGroup
}

func newFakeSMTP(t *testing.T, failFirst int) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln, failFirst: failFirst}
	go f.serve()
	t.Cleanup(func() { ln.Close() })
	return f
}

func (f *fakeSMTP) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		drop := f.failFirst > 0
		f.failFirst--
		f.mu.Unlock()
		if drop {
			c.Close()
			continue
		}
		f.sessions.Add(1)
		go func() {
			defer f.sessions.Done()
			f.session(c)
		}()
	}
}

func (f *fakeSMTP) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { c.Write([]byte(s + "\r\n")) }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 fake")
		case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"), strings.HasPrefix(cmd, "RSET"):
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.mu.Lock()
			f.got = append(f.got, b.String())
			reply := f.dotReply
			f.mu.Unlock()
			switch reply {
			case "":
				say("250 queued")
			case "-":
				return
			default:
				say(reply)
			}
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// TestSMTPMailerSend: one attempt per Send (retries are the job queue's);
// a dropped connection is a temporary failure; the Message-ID given is
// the one sent.
func TestSMTPMailerSend(t *testing.T) {
	f := newFakeSMTP(t, 1) // the first connection is dropped
	m, err := NewSMTPMailer("smtp://" + f.ln.Addr().String() + "?from=tandem@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	msg := &tandem.Message{To: "zoe@acme.test", Subject: "Hello", Text: "Plain", HTML: "<p>Rich</p>", MessageID: "job-7@tandem.test"}
	if err := m.Send(context.Background(), msg); err == nil || Permanent(err) {
		t.Fatalf("a dropped connection: %v (permanent %v), want a temporary error", err, Permanent(err))
	}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.got) != 1 || !strings.Contains(f.got[0], "To: zoe@acme.test") || !strings.Contains(f.got[0], "text/html") ||
		!strings.Contains(f.got[0], "Message-ID: <job-7@tandem.test>") {
		t.Fatalf("server got %q", f.got)
	}
}

// TestSMTPMailerTimeout: a server that accepts and then says nothing costs
// one timeout, not a worker held forever.
func TestSMTPMailerTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent until the test ends
		}
	}()
	m, err := NewSMTPMailer("smtp://" + ln.Addr().String() + "?from=tandem@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	m.timeout = 100 * time.Millisecond
	done := make(chan error, 1)
	go func() {
		done <- m.Send(context.Background(), &tandem.Message{To: "zoe@acme.test", Subject: "Hello", Text: "x", HTML: "x"})
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a silent server accepted the message")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Send did not give up on a silent server")
	}
}

// TestSessionClaim: a claimed send records the delivery after the body is
// written and before the final dot (the server has nothing yet), keeps it
// when the server takes the message or says nothing after the dot, and
// releases it when the server refuses the message; a claim that cannot be
// recorded sends nothing.
func TestSessionClaim(t *testing.T) {
	f := newFakeSMTP(t, 0)
	m, err := NewSMTPMailer("smtp://" + f.ln.Addr().String() + "?from=tandem@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	msg := &tandem.Message{To: "zoe@acme.test", Subject: "Hello", Text: "Plain", HTML: "<p>Rich</p>"}
	got := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.got)
	}
	var recorded, released, atRecord int
	claim := &Claim{
		Record:  func(context.Context) error { recorded++; atRecord = got(); return nil },
		Release: func(context.Context) error { released++; return nil },
	}
	ss, err := m.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := ss.Send(ctx, msg, claim); err != nil || recorded != 1 || released != 0 || atRecord != 0 || got() != 1 {
		t.Fatalf("accepted: %v, recorded %d released %d, the server had %d at the record and %d after", err, recorded, released, atRecord, got())
	}
	for _, c := range []struct {
		reply     string
		permanent bool
	}{{"451 4.3.0 try later", false}, {"550 5.1.1 no such mailbox", true}} {
		f.mu.Lock()
		f.dotReply = c.reply
		f.mu.Unlock()
		recorded, released = 0, 0
		err := ss.Send(ctx, msg, claim)
		if err == nil || Permanent(err) != c.permanent || recorded != 1 || released != 1 {
			t.Errorf("%s: %v (permanent %v), recorded %d released %d", c.reply, err, Permanent(err), recorded, released)
		}
	}
	f.mu.Lock()
	f.dotReply = ""
	f.mu.Unlock()
	if err := ss.Send(ctx, msg, nil); err != nil {
		t.Fatalf("the session after a refusal: %v", err)
	}
	ss.Close()

	// A record that fails hangs up before the dot: nothing is delivered.
	before := got()
	ss, err = m.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recorded, released = 0, 0
	taken := &Claim{Record: func(context.Context) error { recorded++; return ErrClaimed }, Release: claim.Release}
	if err := ss.Send(ctx, msg, taken); !errors.Is(err, ErrClaimed) || released != 0 {
		t.Errorf("claimed elsewhere: %v, released %d", err, released)
	}
	if err := ss.Send(ctx, msg, nil); err == nil {
		t.Errorf("the session went on after hanging up mid-message")
	}
	ss.Close()
	f.ln.Close()
	f.sessions.Wait() // the server has read all it will
	if got() != before {
		t.Errorf("the server took %d messages of a send whose claim failed", got()-before)
	}
}

// TestSessionClaimNoReply: the server takes the dot and hangs up without a
// reply: the claim stays (taken as delivered, as RFC 1047 advises against
// sending twice) and the send reports the failure.
func TestSessionClaimNoReply(t *testing.T) {
	f := newFakeSMTP(t, 0)
	f.dotReply = "-"
	m, err := NewSMTPMailer("smtp://" + f.ln.Addr().String() + "?from=tandem@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := m.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	var recorded, released int
	claim := &Claim{
		Record:  func(context.Context) error { recorded++; return nil },
		Release: func(context.Context) error { released++; return nil },
	}
	err = ss.Send(context.Background(), &tandem.Message{To: "zoe@acme.test", Subject: "Hello", Text: "x", HTML: "x"}, claim)
	if err == nil || Permanent(err) || !strings.Contains(err.Error(), "taken as delivered") || recorded != 1 || released != 0 {
		t.Errorf("no reply: %v, recorded %d released %d", err, recorded, released)
	}
}
