// Command tandem serves Tandem and administers its database: serve,
// migrate, user, import, export, demo, match and version. Run `tandem help`
// for the list.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"syscall"

	"github.com/tandemhq/tandem"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// it is read from the module's build information.
var version = ""

const usage = `Tandem: coaching engagements and mentoring partnerships.

Usage: tandem <command> [flags]

Commands:
  serve        run the web server (runs migrations first)
  migrate      bring the database schema up to date
  user         create, reset-password, list: manage accounts
  import       people FILE: import a people CSV, all or nothing
  export       people: write the people CSV that import reads
  people       invite, deactivate, reactivate: invite people; when someone leaves (or comes back)
  demo         create an organization filled with generated demo people
  match        run, solve: compute optimal or stable mentoring matches
  engagements  list, show: coaching engagements and mentoring partnerships
  program      create, state, import-applications: cohort programs
  jobs         list, retry: background jobs (email) of the whole installation
  notes        publish FILE.md: publish a Coach Notes article
  digest       send: send the Coach Notes digest now
  bench        program: time a 10,000-mentee cohort program on a scratch database
  version      print the version

Run 'tandem <command> -h' for the flags of a command. Every flag can also be
set with a TANDEM_* environment variable; see the README.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "tandem:", userMessage(err))
		}
		os.Exit(2)
	}
}

// run dispatches a subcommand. It is main without the process, for tests.
// Help asked for (-h, --help or help, on any command or subcommand) is
// an answer, not a failure: the usage is printed and run returns nil, so
// the exit status is 0; a command run without what it needs prints its
// usage and fails.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, stdin, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) && slices.ContainsFunc(args, isHelp) {
		return nil
	}
	return err
}

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cfg := defaultConfig()
	if err := cfg.fromEnv(os.Getenv); err != nil {
		return err
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, cfg, args[1:], stderr)
	case "migrate":
		return runMigrate(ctx, cfg, args[1:], stdout, stderr)
	case "user":
		return runUser(ctx, cfg, args[1:], stdin, stdout, stderr)
	case "import":
		return runImport(ctx, cfg, args[1:], stdin, stdout, stderr)
	case "export":
		return runExport(ctx, cfg, args[1:], stdout, stderr)
	case "people":
		return runPeople(ctx, cfg, args[1:], stdout, stderr)
	case "demo":
		return runDemo(ctx, cfg, args[1:], stdin, stdout, stderr)
	case "match":
		return runMatch(ctx, args[1:], stdout, stderr)
	case "engagements":
		return runEngagements(ctx, cfg, args[1:], stdout, stderr)
	case "program":
		return runProgram(ctx, cfg, args[1:], stdin, stdout, stderr)
	case "jobs":
		return runJobs(ctx, cfg, args[1:], stdout, stderr)
	case "notes":
		return runNotes(ctx, cfg, args[1:], stdout, stderr)
	case "digest":
		return runDigest(ctx, cfg, args[1:], stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "version":
		if len(args) > 1 && isHelp(args[1]) {
			fmt.Fprint(stdout, "Usage: tandem version\n\nPrints the version of this binary: a release, or dev- and the commit it was built from.\n")
			return nil
		}
		fmt.Fprintln(stdout, "tandem", buildVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

// buildVersion returns the version stamped at build time or recorded by
// the Go toolchain.
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
		if len(rev) >= 12 {
			rev = rev[:12]
			if dirty {
				rev += "+dirty"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}

// userMessage prefers a tandem.Error's message and field errors, which are
// written for people, over the wrapped chain.
func userMessage(err error) string {
	var te *tandem.Error
	if errors.As(err, &te) && te.Code != tandem.EINTERNAL {
		msg := te.Message
		for k, v := range te.Fields {
			msg += fmt.Sprintf("\n  %s: %s", k, v)
		}
		return msg
	}
	return err.Error()
}

// oneVerb checks that a command with a single verb (import people, notes
// publish…) was given it; otherwise it prints the command's usage and
// returns flag.ErrHelp, or an error naming the verb it takes.
func oneVerb(args []string, verb, usage string, stderr io.Writer) error {
	if len(args) > 0 && args[0] == verb {
		return nil
	}
	fmt.Fprint(stderr, usage)
	if len(args) == 0 || isHelp(args[0]) {
		return flag.ErrHelp
	}
	return fmt.Errorf("unknown command %q: the only one here is %q", args[0], verb)
}

// printJSON writes v as indented JSON: the --json output of every command,
// which scripts read.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
