package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNotesPublishAndDigest: publish a Markdown file with front matter
// from the CLI, refuse bad files, and send the digest through the job
// queue: a dry run first, then nothing new the second time.
func TestNotesPublishAndDigest(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "mentoring.md")
	os.WriteFile(file, []byte("---\ntitle: Mentoring vs. coaching\nsummary: Two ways to grow\ntopics: [mentoring, coaching]\n---\n\nAt its most basic level, mentoring is **helping someone learn**.\n"), 0o600)
	out, errOut, err := cliSplit(t, data, "", "notes", "publish", file, "--org", "acme", "--author", "ada@acme.test")
	if err != nil || !strings.Contains(out, `published "Mentoring vs. coaching" at`) || !strings.Contains(out, "/o/acme/notes/mentoring-vs-coaching") {
		t.Fatalf("publish: %v\n%s%s", err, out, errOut)
	}
	bad := filepath.Join(dir, "bad.md")
	for body, want := range map[string]string{
		"no front matter":                               "front matter",
		"---\ntitle: [unclosed\n---\nx":                 "not valid YAML",
		"---\ntitle: X\n---\n<script>alert(1)</script>": "cannot run scripts",
		"---\ntitle: X\ncolour: red\n---\nx":            "not valid YAML",
	} {
		os.WriteFile(bad, []byte(body), 0o600)
		if _, errOut, err := cliSplit(t, data, "", "notes", "publish", bad, "--org", "acme", "--author", "ada@acme.test"); err == nil || !strings.Contains(userMessage(err)+errOut, want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
	if _, _, err := cliSplit(t, data, "", "notes", "publish", file, "--org", "acme", "--author", "nobody@acme.test"); err == nil || !strings.Contains(userMessage(err), "No one with the email") {
		t.Errorf("unknown author: %v", err)
	}
	// A member who does not coach does not write Coach Notes.
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--org", "acme", "--email", "max@acme.test", "--name", "Max"); err != nil {
		t.Fatalf("create member: %v\n%s", err, out)
	}
	if _, _, err := cliSplit(t, data, "", "notes", "publish", file, "--org", "acme", "--author", "max@acme.test"); err == nil || !strings.Contains(userMessage(err), "does not write Coach Notes") {
		t.Errorf("a member who does not coach: %v", err)
	}

	// serve refuses a --public-org that names no organization (a typo),
	// before it listens (the deadline only stops a serve that wrongly
	// starts; the check is on the error).
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var sout, serr bytes.Buffer
	if err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--public-org", "acne"}, strings.NewReader(""), &sout, &serr); err == nil ||
		!strings.Contains(err.Error(), `--public-org: no organization has the slug "acne" (there are: acme)`) {
		t.Errorf("serve --public-org acne: %v\n%s", err, serr.String())
	}

	out, _, err = cliSplit(t, data, "", "digest", "send", "--org", "acme", "--dry-run")
	if err != nil || !strings.Contains(out, "would send 1 article(s) to 0 confirmed subscriber(s)") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	out, errOut, err = cliSplit(t, data, "", "digest", "send", "--org", "acme")
	if err != nil || !strings.Contains(out, "started") || !strings.Contains(out, "sent to 0 subscriber(s)") {
		t.Fatalf("send: %v\n%s%s", err, out, errOut)
	}
	out, _, err = cliSplit(t, data, "", "digest", "send")
	if err != nil || !strings.Contains(out, "nothing new since the last digest, nothing sent") {
		t.Fatalf("send again: %v\n%s", err, out)
	}
}
