package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/demo"
)

const demoUsage = `Usage:
  tandem demo --email E --name N [--org NAME] [--people 300] [--password-file F]

Creates an organization marked as demo data, with you as its administrator,
filled with generated people: a five-level hierarchy across departments and
sites, with skills, coaches and mentors, about three dozen engagements in
every state with their history, and programs: two enrolling (with
applications and invitations), one matching with a run to preview, one
running with its partnerships under way. Everyone who takes part has an
account with your password; the demo page (/demo) lists them with their
roles, to sign in as each. The same seed gives the same demo.
It works on an empty install and next to existing organizations.

The password is read from --password-file, from standard input when it is not
a terminal, or asked for at the terminal. There is no default password.
`

func runDemo(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tandem demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, demoUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	email := fs.String("email", "", "the administrator's email")
	name := fs.String("name", "", "the administrator's name")
	orgName := fs.String("org", demo.OrgName, "name of the demo organization")
	people := fs.Int("people", demo.DefaultPeople, fmt.Sprintf("how many people to generate, %d to %d", demo.MinPeople, demo.MaxPeople))
	pwFile := fs.String("password-file", "", "read the password from this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	pw, err := readPassword(*pwFile, stdin, stderr)
	if err != nil {
		return err
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer closeDB()
	p, err := demo.Load(ctx, a, app.SetupInput{OrgName: *orgName, Name: *name, Email: *email, Password: pw}, *people)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created demo organization %q with %d people; sign in as %s, then open /demo to sign in as each role with the same password\n",
		*orgName, *people, p.Email)
	return nil
}
