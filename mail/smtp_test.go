package mail

import (
	"bufio"
	"context"
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
		go f.session(c)
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
			f.mu.Unlock()
			say("250 queued")
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
