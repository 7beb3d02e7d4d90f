package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
)

func TestRender(t *testing.T) {
	m, err := Render("invitation", map[string]string{"Name": "Zoë <b>", "InviterName": "Ada", "OrgName": "Acme & Co",
		"Link": "https://tandem.test/invitations/abc", "Expires": "9 March 2026"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Ada invited you to Acme & Co on Tandem" {
		t.Errorf("subject %q", m.Subject)
	}
	if !strings.Contains(m.Text, "Hello Zoë <b>,") || !strings.Contains(m.Text, "https://tandem.test/invitations/abc") {
		t.Errorf("text part:\n%s", m.Text)
	}
	// The HTML part escapes what people typed.
	if !strings.Contains(m.HTML, "Zoë &lt;b&gt;") || !strings.Contains(m.HTML, "Acme &amp; Co") {
		t.Errorf("HTML part does not escape:\n%s", m.HTML)
	}
	if _, err := Render("no-such-template", nil); err == nil {
		t.Error("a missing template rendered")
	}
}

// TestCompose parses the SMTP message back with the standard library's
// MIME readers: headers, both parts, quoted-printable bodies.
func TestCompose(t *testing.T) {
	msg := &tandem.Message{To: "zoe@acme.test", Subject: "Réinitialiser", Text: "Line one\nA long line " + strings.Repeat("é", 60), HTML: "<p>Hello</p>"}
	raw, err := compose("tandem@acme.test", msg, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	if subj, _ := dec.DecodeHeader(parsed.Header.Get("Subject")); subj != "Réinitialiser" {
		t.Errorf("subject %q", subj)
	}
	mt, params, err := mime.ParseMediaType(parsed.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q: %v", mt, err)
	}
	mr := multipart.NewReader(parsed.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p) // multipart decodes quoted-printable
		parts = append(parts, p.Header.Get("Content-Type")+"|"+strings.ReplaceAll(string(body), "\r\n", "\n"))
	}
	if len(parts) != 2 || !strings.HasPrefix(parts[0], "text/plain") || !strings.HasSuffix(parts[0], msg.Text) ||
		!strings.HasPrefix(parts[1], "text/html") || !strings.HasSuffix(parts[1], msg.HTML) {
		t.Errorf("parts = %q", parts)
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line of %d octets", len(line))
		}
	}
}

func TestNewSMTPMailer(t *testing.T) {
	for _, bad := range []string{"", "http://x", "smtp://", "smtp://host:25"} {
		if _, err := NewSMTPMailer(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	m, err := NewSMTPMailer("smtp://user:secret@mail.test?from=tandem@acme.test")
	if err != nil || m.addr != "mail.test:587" || m.from != "tandem@acme.test" || m.auth == nil {
		t.Errorf("mailer %+v, %v", m, err)
	}
}
