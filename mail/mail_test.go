package mail

import (
	"bytes"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"regexp"
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

// TestSubjectFolding: a subject is written in lines of at most 78 octets
// (RFC 5322), a non-ASCII one as RFC 2047 encoded-words of at most 75,
// and both read back as they were with the standard library's decoder.
func TestSubjectFolding(t *testing.T) {
	for _, subject := range []string{
		"Réinitialiser",
		"Zoë Ångström-Øster invited you to Crème Brûlée Coopérative Société Générale on Tandem — accept by Friday",
		strings.Repeat("日本語の件名 ", 20),
		"Plain ASCII subject that is long enough to need folding at one of its spaces, twice over for the test",
		"Line\r\nBcc: injected@evil.test",
		"",
	} {
		raw, err := compose("tandem@acme.test", &tandem.Message{To: "zoe@acme.test", Subject: subject, Text: "x", HTML: "<p>x</p>",
			Attachments: []tandem.Attachment{{Filename: "session.ics", ContentType: "text/calendar; charset=utf-8; method=REQUEST", Data: []byte("x")}}},
			time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
		for _, line := range strings.Split(head, "\r\n") {
			if len(line) > 78 {
				t.Errorf("%q: header line of %d octets: %q", subject, len(line), line)
			}
			for _, w := range strings.Fields(line) {
				if strings.HasPrefix(w, "=?") && len(w) > 75 {
					t.Errorf("%q: encoded-word of %d octets", subject, len(w))
				}
			}
		}
		parsed, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if parsed.Header.Get("Bcc") != "" {
			t.Errorf("%q: a header was injected", subject)
		}
		got, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
		want := subject // an encoded subject reads back exactly
		if mime.QEncoding.Encode("utf-8", subject) == subject {
			want = strings.Join(strings.Fields(subject), " ") // ASCII is folded at its spaces
		}
		if err != nil || got != want {
			t.Errorf("subject read back %q, %v; want %q", got, err, want)
		}
	}
}

// TestMessageIDHasDomain: a message without a Message-ID from its job gets
// one whose right-hand side is a domain (the host's name), never empty.
func TestMessageIDHasDomain(t *testing.T) {
	raw, err := compose("tandem@acme.test", &tandem.Message{To: "zoe@acme.test", Subject: "Hi", Text: "x", HTML: "<p>x</p>"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	addr, err := mail.ParseAddress(parsed.Header.Get("Message-ID"))
	if err != nil {
		t.Fatalf("Message-ID %q: %v", parsed.Header.Get("Message-ID"), err)
	}
	if _, domain, _ := strings.Cut(addr.Address, "@"); domain == "" || domain != Hostname() {
		t.Errorf("Message-ID %q: domain %q, want %q", addr.Address, domain, Hostname())
	}
}

// TestTemplatesHaveTitle: every HTML part has a <title> (an HTML document
// without one is invalid, and some clients show it).
func TestTemplatesHaveTitle(t *testing.T) {
	for _, tpl := range htmlTemplates.Templates() {
		name := strings.TrimSuffix(tpl.Name(), ".html")
		m, err := Render(name, map[string]any{"Subject": "News <here>", "Org": "Acme", "OrgName": "Acme & Co", "InviterName": "Ada", "Name": "Zoë",
			"Items": []any{}, "Articles": []any{}})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		title := regexp.MustCompile(`(?s)<head>.*<title>(.*?)</title>.*</head>\s*<body`).FindStringSubmatch(m.HTML)
		if title == nil || html.UnescapeString(title[1]) != m.Subject {
			t.Errorf("%s: want <title>%s</title> in <head>, HTML part:\n%s", name, m.Subject, m.HTML)
		}
	}
}
