package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/sqldb"
)

const importUsage = `Usage:
  tandem import people FILE [--org NAME] [--deactivate-missing] [--dry-run]

Imports a people CSV (FILE, or - for standard input) into the organization,
all or nothing: with any problem, the problems are listed (the first 1,000,
then how many more) and nothing is written. People are matched by email; columns absent from the file keep
their stored values.

--deactivate-missing also deactivates everyone active who is not in the file
(guests aside), as 'tandem people deactivate' does, in the same transaction,
and lists them. It refuses a file that leaves out every administrator.
--dry-run checks the file and prints what the import would do (with
--deactivate-missing: who would be deactivated), changing nothing.
`

const exportUsage = `Usage:
  tandem export people [--org NAME] [--out FILE]

Writes the organization's people as CSV, in the shape import reads, to
standard output or to FILE (replaced only once the export is complete).
`

func runImport(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := oneVerb(args, "people", importUsage, stderr); err != nil {
		return err
	}
	fs := flag.NewFlagSet("tandem import people", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, importUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	orgName := fs.String("org", "", "organization name or slug; may be left out when there is only one")
	deactivate := fs.Bool("deactivate-missing", false, "deactivate everyone active who is not in the file (guests aside)")
	dryRun := fs.Bool("dry-run", false, "check and report what the import would do, change nothing")
	files, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return fmt.Errorf("give one file to import (- for standard input), not %d", len(files))
	}
	var in io.Reader = stdin
	if files[0] != "-" {
		f, err := os.Open(files[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}

	a, closeDB, err := openApp(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer closeDB()
	org, err := findOrg(ctx, a.DB, *orgName)
	if err != nil {
		return err
	}
	bar := newProgressLine(stderr, 0)
	opts := app.ImportOptions{DeactivateMissing: *deactivate, DryRun: *dryRun}
	rep, err := a.ImportPeopleIntoWith(ctx, org.ID, in, opts, func(done, total int) { bar.show("importing", done, total) })
	bar.end()
	if rep != nil && !rep.OK() {
		for _, p := range rep.Problems {
			fmt.Fprintln(stderr, p.String())
		}
		if rep.MoreProblems > 0 {
			fmt.Fprintf(stderr, "and %d more problems\n", rep.MoreProblems)
		}
	}
	if err != nil {
		return err
	}
	if rep.DryRun {
		fmt.Fprintf(stdout, "dry run, nothing changed: importing %d people into %s would create %d and update %d\n", rep.Rows, org.Name, rep.Created, rep.Updated)
	} else {
		fmt.Fprintf(stdout, "imported %d people into %s: %d created, %d updated\n", rep.Rows, org.Name, rep.Created, rep.Updated)
	}
	if *deactivate {
		verb := "deactivated"
		if rep.DryRun {
			verb = "would deactivate"
		}
		fmt.Fprintf(stdout, "%s %d people not in the file (%d open engagements end):\n", verb, len(rep.Deactivated), rep.EndedEngagements)
		for _, p := range rep.Deactivated {
			fmt.Fprintf(stdout, "  %s <%s>\n", p.Name, p.Email)
		}
	}
	if len(rep.NewSkills) > 0 {
		fmt.Fprintf(stdout, "new skills in the catalogue: %s\n", strings.Join(rep.NewSkills, ", "))
	}
	if len(rep.UnknownColumns) > 0 {
		fmt.Fprintf(stdout, "ignored unknown columns: %s\n", strings.Join(rep.UnknownColumns, ", "))
	}
	return nil
}

func runExport(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if err := oneVerb(args, "people", exportUsage, stderr); err != nil {
		return err
	}
	fs := flag.NewFlagSet("tandem export people", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, exportUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	orgName := fs.String("org", "", "organization name or slug; may be left out when there is only one")
	out := fs.String("out", "", "write to this file instead of standard output")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q: use --out FILE to write to a file", rest[0])
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, false)
	if err != nil {
		return err
	}
	defer closeDB()
	org, err := findOrg(ctx, a.DB, *orgName)
	if err != nil {
		return err
	}
	if *out == "" {
		return a.ExportPeopleFrom(ctx, org.ID, stdout)
	}
	return writeAtomically(*out, func(w io.Writer) error { return a.ExportPeopleFrom(ctx, org.ID, w) })
}

// openApp opens the database and builds the App the way `user` does, with
// warnings only on stderr so that a command's own output stays readable.
// A command that writes migrates the database first; one that only reads
// leaves the schema alone and refuses a database behind this binary.
func openApp(ctx context.Context, cfg Config, stderr io.Writer, writes bool) (*app.App, func(), error) {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var db *sqldb.DB
	var err error
	if writes {
		db, err = openDB(ctx, cfg, log)
	} else {
		db, err = openDBToRead(ctx, cfg)
	}
	if err != nil {
		return nil, nil, err
	}
	return app.New(db, &mail.DevMailer{Log: log, Store: db}, log, cfg.BaseURL), func() { db.Close() }, nil
}

// openDBToRead opens the configured database without migrating or
// creating it.
func openDBToRead(ctx context.Context, cfg Config) (*sqldb.DB, error) {
	db, err := sqldb.OpenExisting(ctx, cfg.databaseURL())
	if err != nil {
		return nil, fmt.Errorf("%w: run `tandem migrate` (or start the server) first", err)
	}
	current, latest, err := db.SchemaVersion(ctx)
	if err == nil && current < latest {
		err = fmt.Errorf("the database schema is at version %d and this tandem needs %d: run `tandem migrate` (or start the server) first", current, latest)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// parseInterspersed parses flags that may come before or after positional
// arguments (`import people big.csv --org acme`), which the flag package
// alone stops at. A lone "-" is a positional argument (standard input).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil // after --, nothing is a flag
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// writeAtomically writes a file through a temporary file in the same
// directory, renamed over the target only when complete, so a failed or
// interrupted export never leaves a truncated file where a good one was.
// The file is readable by its owner only: it holds personal data.
func writeAtomically(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
