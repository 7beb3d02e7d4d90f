package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/tandemtest"
)

// cli runs the tandem command in-process against a data directory, or
// against PostgreSQL when the test suite runs there.
func cli(t *testing.T, data, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	t.Setenv("TANDEM_DATA", data)
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestUserCommands(t *testing.T) {
	data := t.TempDir()
	if pg := os.Getenv(tandemtest.PostgresEnv); pg != "" {
		dbURL, _ := tandemtest.MustOpenDBURL(t)
		t.Setenv("TANDEM_DATABASE_URL", dbURL)
	}
	if out, err := cli(t, data, "", "user", "list"); err == nil || !strings.Contains(err.Error()+out, "no organization") {
		t.Fatalf("list on an empty install: %v %s", err, out)
	}
	if _, err := cli(t, data, "short\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err == nil {
		t.Fatal("a short password was accepted")
	}
	out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada")
	if err != nil || !strings.Contains(out, `created organization "Acme"`) {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte("another long password\n"), 0o600)
	if out, err := cli(t, data, "", "user", "create", "--email", "bob@acme.test", "--name", "Bob", "--password-file", pwFile); err != nil {
		t.Fatalf("create member: %v\n%s", err, out)
	}
	if _, err := cli(t, data, "", "user", "create", "--email", "eve@acme.test", "--name", "Eve"); err == nil {
		t.Error("a user was created with no password")
	}
	out, err = cli(t, data, "", "user", "list")
	if err != nil || !strings.Contains(out, "ada@acme.test") || !strings.Contains(out, "bob@acme.test") || strings.Contains(out, "eve@") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	if out, err := cli(t, data, "a reset password\n", "user", "reset-password", "--email", "bob@acme.test"); err != nil {
		t.Fatalf("reset: %v\n%s", err, out)
	}
	if _, err := cli(t, data, "a reset password\n", "user", "reset-password", "--email", "nobody@acme.test"); err == nil {
		t.Error("reset of an unknown account succeeded")
	}
}

func TestVersionAndMigrate(t *testing.T) {
	data := t.TempDir()
	out, err := cli(t, data, "", "version")
	if err != nil || !strings.HasPrefix(out, "tandem ") {
		t.Fatalf("version: %v %q", err, out)
	}
	out, err = cli(t, data, "", "migrate")
	if err != nil || !strings.Contains(out, "migrated") {
		t.Fatalf("migrate: %v %q", err, out)
	}
	out, err = cli(t, data, "", "migrate")
	if err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: %v %q", err, out)
	}
	if _, err := cli(t, data, "", "frobnicate"); err == nil {
		t.Error("an unknown command succeeded")
	}
}

// TestServeGracefulShutdown starts the server with no configuration but a
// data directory, checks the first screen, cancels the server's context as
// SIGTERM does, and checks that serve returns cleanly and stops listening.
func TestServeGracefulShutdown(t *testing.T) {
	data := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	t.Setenv("TANDEM_DATA", data)
	go func() {
		var out bytes.Buffer
		done <- run(ctx, []string{"serve", "--addr", addr, "--log-level", "warn"}, strings.NewReader(""), &out, &out)
	}()
	url := "http://" + addr
	var resp *http.Response
	// Generous: on a loaded CI machine migrations can take a while.
	for i := 0; i < 600; i++ {
		if resp, err = http.Get(url + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not start: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %d", resp.StatusCode)
	}
	resp, err = http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK { // redirected to /setup and followed
		t.Errorf("first screen: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}
