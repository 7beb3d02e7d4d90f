package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/tandemhq/tandem"
)

const leaverUsage = `Usage:
  tandem people deactivate --email EMAIL [--org NAME] [--reason TEXT] [--json]
  tandem people reactivate --email EMAIL [--org NAME] [--json]

deactivate records that a person left the organization: they can no longer
sign in to it (their sessions there end and their API tokens are revoked at
once; other organizations of their account are not affected), they leave
the directory and the pickers, and their open engagements end with the
reason "NAME left the organization.", the other parties notified. Their
history stays. The last administrator cannot be deactivated, nor someone
twice.

reactivate gives them access again; engagements that ended stay ended.

With --json the output is one object:
  {"id": 7, "email": "…", "name": "…", "deactivated_at": "2026-…Z" or null,
   "deactivation_reason": "…", "ended_engagements": [12, 15]}
(ended_engagements only for deactivate).
`

// leaverJSON is the --json output of tandem people.
type leaverJSON struct {
	ID                 int64      `json:"id"`
	Email              string     `json:"email"`
	Name               string     `json:"name"`
	DeactivatedAt      *time.Time `json:"deactivated_at"`
	DeactivationReason string     `json:"deactivation_reason"`
	EndedEngagements   *[]int64   `json:"ended_engagements,omitempty"` // deactivate only
}

// runPeopleLeaver runs tandem people deactivate and reactivate (args[0]).
func runPeopleLeaver(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	verb := args[0]
	fs := flag.NewFlagSet("tandem people "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, leaverUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	orgName := fs.String("org", "", "organization name or slug; may be left out when there is only one")
	email := fs.String("email", "", "the person's email (required)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	var reason *string
	if verb == "deactivate" {
		reason = fs.String("reason", "", "why, optional: kept with the record")
	}
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q: give the person with --email", rest[0])
	}
	if *email == "" {
		fs.Usage()
		return errors.New("give the person's --email")
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
	var p *tandem.Person
	var ended []int64
	if verb == "deactivate" {
		d, err := a.DeactivateInOrg(ctx, org.ID, *email, *reason)
		if err != nil {
			return err
		}
		p, ended = &d.Person, d.Ended
		if ended == nil {
			ended = []int64{}
		}
	} else {
		if p, err = a.ReactivateInOrg(ctx, org.ID, *email); err != nil {
			return err
		}
	}
	var endedJSON *[]int64
	if verb == "deactivate" {
		endedJSON = &ended
	}
	if *asJSON {
		return printJSON(stdout, leaverJSON{ID: p.ID, Email: p.Email, Name: p.Name, DeactivatedAt: p.DeactivatedAt,
			DeactivationReason: p.DeactivationReason, EndedEngagements: endedJSON})
	}
	if verb == "deactivate" {
		fmt.Fprintf(stdout, "deactivated %s <%s> in %s; %d open engagements ended\n", p.Name, p.Email, org.Name, len(ended))
	} else {
		fmt.Fprintf(stdout, "reactivated %s <%s> in %s\n", p.Name, p.Email, org.Name)
	}
	return nil
}

// runPeople runs tandem people's verbs: invite (invite.go), deactivate
// and reactivate.
func runPeople(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	verb := ""
	if len(args) > 0 {
		verb = args[0]
	}
	switch verb {
	case "invite":
		return runPeopleInvite(ctx, cfg, args, stdout, stderr)
	case "deactivate", "reactivate":
		return runPeopleLeaver(ctx, cfg, args, stdout, stderr)
	}
	fmt.Fprint(stderr, inviteUsage+"\n"+leaverUsage)
	if verb == "" || verb == "-h" || verb == "--help" || verb == "help" {
		return flag.ErrHelp
	}
	return fmt.Errorf("unknown people command %q: use invite, deactivate or reactivate", verb)
}
