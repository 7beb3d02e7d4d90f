package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

const programInviteUsage = `
invite invites people to apply to an enrolling program, as its admins do
on the program's Invited page: everyone in a --department or at a
--location who may enroll, --all-eligible (everyone who may enroll), or the
people of a CSV file (- for standard input) whose header names an email
column (other columns are ignored). A CSV is all or nothing: with any
problem (an unknown address, someone who may not enroll or who left) no one
is invited and every bad line is named. People who left are never invited;
someone invited before is not sent it again, and someone who applied is
left alone. Each invitation is told by a background job: a notification,
and an email as the person's programs setting says. With --remind it sends
the invitation again to those who have not answered, except anyone sent it
within the last 24 hours. It prints what was done (with --json: {"invited",
"already_invited", "already_applied": [{"person_id", "name", "email"}],
"not_eligible"}; with --remind: {"reminded", "too_soon"}; a refused CSV:
{"problems", "more_problems"}).
`

// runProgramInvite is "tandem program invite".
func runProgramInvite(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tandem program invite", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, programUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	asJSON := fs.Bool("json", false, "write JSON")
	programID := fs.Int64("program", 0, "the program's id")
	department := fs.String("department", "", "invite everyone in this department who may enroll")
	location := fs.String("location", "", "invite everyone at this location who may enroll")
	all := fs.Bool("all-eligible", false, "invite everyone who may enroll")
	remind := fs.Bool("remind", false, "send the invitation again to those who have not answered")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *programID <= 0 {
		return fmt.Errorf("give the program with --program ID")
	}
	chosen := len(rest)
	for _, set := range []bool{*department != "", *location != "", *all, *remind} {
		if set {
			chosen++
		}
	}
	if chosen != 1 || len(rest) > 1 {
		fs.Usage()
		return fmt.Errorf("give one of --department D, --location L, --all-eligible, --remind or a CSV file")
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer closeDB()
	write := func(v any) error { return printJSON(stdout, v) }
	orgID, err := a.DB.ProgramOrg(ctx, *programID)
	if err != nil {
		return err
	}
	if *remind {
		res, err := a.RemindProgramInvitationsForOperator(ctx, orgID, *programID)
		if err != nil {
			return err
		}
		if *asJSON {
			return write(map[string]int{"reminded": res.Reminded, "too_soon": res.TooSoon})
		}
		_, err = fmt.Fprintf(stdout, "%d reminded; %d invited less than a day ago, not reminded yet\n", res.Reminded, res.TooSoon)
		return err
	}
	var res *sqldb.ProgramInviteResult
	if len(rest) == 1 {
		var in io.Reader = stdin
		if rest[0] != "-" {
			f, err := os.Open(rest[0])
			if err != nil {
				return err
			}
			defer f.Close()
			in = f
		}
		r, err := a.InviteToProgramCSVForOperator(ctx, orgID, *programID, in)
		if r != nil && r.Problems != nil && !r.Problems.OK() {
			if *asJSON {
				problems := []string{}
				for _, p := range r.Problems.Problems {
					problems = append(problems, p.String())
				}
				write(map[string]any{"problems": problems, "more_problems": r.Problems.MoreProblems})
			} else {
				for _, p := range r.Problems.Problems {
					fmt.Fprintln(stderr, p.String())
				}
				if r.Problems.MoreProblems > 0 {
					fmt.Fprintf(stderr, "… and %d more problems\n", r.Problems.MoreProblems)
				}
			}
		}
		if err != nil {
			return err
		}
		res = r
	} else {
		r, err := a.InviteToProgramForOperator(ctx, orgID, *programID, app.ProgramInvite{Department: *department, Location: *location, AllEligible: *all})
		if err != nil {
			return err
		}
		res = r
	}
	if *asJSON {
		return write(app.ProgramInviteReport(res))
	}
	_, err = fmt.Fprintln(stdout, app.ProgramInviteSummary(res))
	return err
}
