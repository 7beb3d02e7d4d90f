package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/tandemtest"
)

// cliSplit is cli with standard output and standard error apart, for
// commands whose output is data (export) or whose problems go to stderr.
func cliSplit(t *testing.T, data, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	t.Setenv("TANDEM_DATA", data)
	err = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// usePostgres points the CLI at a fresh PostgreSQL schema when the suite
// runs there.
func usePostgres(t *testing.T) {
	t.Helper()
	if os.Getenv(tandemtest.PostgresEnv) != "" {
		dbURL, _ := tandemtest.MustOpenDBURL(t)
		t.Setenv("TANDEM_DATABASE_URL", dbURL)
	}
}

func TestImportExportPeople(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	// A byte-order mark, CRLF line ends, a quoted comma, UTF-8 and an
	// unknown column, as spreadsheets write them.
	file := filepath.Join(t.TempDir(), "people.csv")
	body := "\xef\xbb\xbf" + strings.Join([]string{
		"email,name,title,time_zone,manager_email,skills,coach_skills,shoe_size",
		`ceo@acme.test,Chidi Okafor,Chief Executive,Africa/Lagos,,Leadership:expert,,43`,
		`zoe@acme.test,"Zoë Ångström","Head of Research, Europe",Europe/Stockholm,ceo@acme.test,Go:expert;SQL:advanced,Go,44`,
	}, "\r\n") + "\r\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := cliSplit(t, data, "", "import", "people", file, "--org", "acme")
	if err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	for _, want := range []string{"2 created, 0 updated", "new skills in the catalogue: Leadership, Go, SQL", "ignored unknown columns: shoe_size"} {
		if !strings.Contains(out, want) {
			t.Errorf("import report lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" { // no progress bar when stderr is not a terminal
		t.Errorf("import wrote to stderr: %q", errOut)
	}

	first, _, err := cliSplit(t, data, "", "export", "people")
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if !strings.Contains(first, `zoe@acme.test,Zoë Ångström,"Head of Research, Europe",,,Europe/Stockholm,ceo@acme.test`) {
		t.Errorf("export:\n%s", first)
	}

	t.Run("RoundTrip", func(t *testing.T) {
		// Standard input, then an export to a file: byte for byte the same.
		out, errOut, err := cliSplit(t, data, first, "import", "people", "-")
		if err != nil || !strings.Contains(out, "0 created, 3 updated") {
			t.Fatalf("import from stdin: %v\n%s%s", err, out, errOut)
		}
		dst := filepath.Join(t.TempDir(), "export.csv")
		if out, errOut, err := cliSplit(t, data, "", "export", "people", "--org", "Acme", "--out", dst); err != nil || out != "" {
			t.Fatalf("export --out: %v\n%s%s", err, out, errOut)
		}
		second, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		if string(second) != first {
			t.Errorf("round trip changed the export:\n%s\nthen\n%s", first, second)
		}
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dst), ".*.tmp")); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})

	t.Run("ErrProblems", func(t *testing.T) {
		bad := tandemtest.CSV(
			"email,name,time_zone,manager_email",
			"new@acme.test,New Person,Europe/London,",
			"zoe@acme.test,Zoë,Mars/Olympus,nobody@acme.test",
		)
		out, errOut, err := cliSplit(t, data, bad, "import", "people", "-")
		if err == nil {
			t.Fatalf("a bad file was imported:\n%s", out)
		}
		if !strings.Contains(errOut, "line 3, time_zone: ") || !strings.Contains(errOut, "line 3, manager_email: ") {
			t.Errorf("problems not listed on stderr:\n%s", errOut)
		}
		after, _, err := cliSplit(t, data, "", "export", "people")
		if err != nil || after != first {
			t.Errorf("a refused import changed the organization: %v\n%s", err, after)
		}
	})

	t.Run("ErrBadFirstField", func(t *testing.T) {
		// A bare quote in the first field of the first row: no field parses,
		// which crashed the command (issue 11).
		out, errOut, err := cliSplit(t, data, "email,name\na\"b@x.test,c\n", "import", "people", "-")
		if err == nil {
			t.Fatalf("a bad file was imported:\n%s", out)
		}
		if !strings.Contains(errOut, "line 2: This line is not valid CSV") {
			t.Errorf("the problem does not name line 2:\n%s", errOut)
		}
	})

	t.Run("ErrManyProblems", func(t *testing.T) {
		// Two problems on each of 600 rows: 1,000 listed, the rest counted.
		var b strings.Builder
		b.WriteString("email,name,time_zone\n")
		for i := range 600 {
			fmt.Fprintf(&b, "bad-%d,Bad,Mars/Olympus\n", i)
		}
		_, errOut, err := cliSplit(t, data, b.String(), "import", "people", "-")
		if err == nil || !strings.Contains(err.Error(), "1200 problems") {
			t.Fatalf("err = %v", err)
		}
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if len(lines) != 1001 || lines[1000] != "and 200 more problems" {
			t.Errorf("%d lines on stderr, ending %q", len(lines), lines[len(lines)-1])
		}
	})

	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{
			{"import"}, {"import", "skills", file}, {"import", "people"}, {"import", "people", file, file},
			{"export"}, {"export", "people", "extra"}, {"import", "people", filepath.Join(data, "missing.csv")},
		} {
			if _, _, err := cliSplit(t, data, "", args...); err == nil {
				t.Errorf("%v succeeded", args)
			}
		}
	})
}

func TestDemoCommand(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if _, _, err := cliSplit(t, data, "", "demo", "--email", "ada@acme.test", "--name", "Ada"); err == nil {
		t.Fatal("a demo was created with no password")
	}
	out, errOut, err := cliSplit(t, data, "correct horse battery\n", "demo", "--email", "ada@acme.test", "--name", "Ada", "--people", "40")
	if err != nil || !strings.Contains(out, `created demo organization "Northwind Demo" with 40 people`) {
		t.Fatalf("demo: %v\n%s%s", err, out, errOut)
	}
	csv, _, err := cliSplit(t, data, "", "export", "people", "--org", "northwind-demo")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(csv, "\n"); n != 1+40+1 { // header, generated people, the administrator
		t.Errorf("export has %d lines:\n%s", n, csv)
	}
	if _, _, err := cliSplit(t, data, "correct horse battery\n", "demo", "--email", "ada@acme.test", "--name", "Ada"); err == nil {
		t.Error("a second demo with the same name was created")
	}
}

// TestReadingCommandsLeaveTheSchema: a command that only reads does not
// migrate; on a database that was never migrated it says what to run.
func TestReadingCommandsLeaveTheSchema(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	for _, args := range [][]string{{"export", "people", "--org", "acme"}, {"engagements", "list", "--org", "acme"}} {
		_, errOut, err := cliSplit(t, data, "", args...)
		if err == nil || !strings.Contains(err.Error()+errOut, "tandem migrate") {
			t.Errorf("%v on an empty database: %v\n%s", args, err, errOut)
		}
	}
	if os.Getenv(tandemtest.PostgresEnv) == "" {
		if _, err := os.Stat(filepath.Join(data, "tandem.db")); err == nil {
			t.Error("a reading command created the SQLite database")
		}
	}
	if _, errOut, err := cliSplit(t, data, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut)
	}
	if _, _, err := cliSplit(t, data, "", "engagements", "list", "--org", "acme"); err == nil || strings.Contains(err.Error(), "tandem migrate") {
		t.Errorf("after migrate, the refusal should be about the organization: %v", err)
	}
}
