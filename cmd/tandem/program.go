package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
)

const programUsage = `Usage:
  tandem program create --org ORG --name NAME [--kind mentoring|coaching] [--admin EMAIL]... [--json]
  tandem program state --program ID enrolling|matching|running|closed [--json]
  tandem program import-applications --program ID FILE.csv [--json]

create makes a draft program in the organization and prints its id (with
--json: {"id", "org_id", "name", "kind", "state"}). --admin names a program
admin (repeat it for several): they run this program only.

state moves a program, by the same rules as the web: draft → enrolling →
matching → running → closed, or closed from any open state. It prints
"program ID: STATE" (with --json: {"id", "name", "state", "next_states"}).

import-applications enrolls people from a CSV file (- for standard input)
whose header is email,role,capacity then one column per question, headed
by the question's wording or q<id>; role is mentor or mentee, capacity is
how many mentees a mentor takes (1 to 20). Cells hold answers as the
enrollment form takes them: choices and languages separated by ;, skills as
name:level. All or nothing, like the people import: with any problem
nothing is enrolled and every bad line is named. The program must be
enrolling within its dates and each person eligible. It prints how many
applications were created (with --json: {"rows", "created", "problems"}).
`

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runProgram(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, programUsage)
		return flag.ErrHelp
	}
	verb := args[0]
	fs := flag.NewFlagSet("tandem program "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, programUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	asJSON := fs.Bool("json", false, "write JSON")
	var orgName, name, kind *string
	var programID *int64
	var admins stringList
	switch verb {
	case "create":
		orgName = fs.String("org", "", "organization name or slug; may be left out when there is only one")
		name = fs.String("name", "", "the program's name")
		kind = fs.String("kind", "mentoring", "mentoring or coaching")
		fs.Var(&admins, "admin", "email of a program admin (repeatable)")
	case "state", "import-applications":
		programID = fs.Int64("program", 0, "the program's id")
	default:
		fmt.Fprint(stderr, programUsage)
		return fmt.Errorf("unknown program command %q", verb)
	}
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	switch verb {
	case "create":
		if len(rest) > 0 {
			fs.Usage()
			return fmt.Errorf("unexpected argument %q", rest[0])
		}
	case "state":
		if *programID <= 0 {
			return fmt.Errorf("give the program with --program ID")
		}
		if len(rest) != 1 {
			fs.Usage()
			return fmt.Errorf("give one state to move to (enrolling, matching, running or closed)")
		}
	case "import-applications":
		if *programID <= 0 {
			return fmt.Errorf("give the program with --program ID")
		}
		if len(rest) != 1 {
			fs.Usage()
			return fmt.Errorf("give one CSV file to import (- for standard input)")
		}
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer closeDB()
	write := func(v any) error {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	switch verb {
	case "create":
		org, err := findOrg(ctx, a.DB, *orgName)
		if err != nil {
			return err
		}
		p, err := a.CreateProgramForOperator(ctx, org.ID, tandem.Program{Name: *name, Kind: tandem.Kind(strings.ToLower(*kind))}, admins)
		if err != nil {
			return err
		}
		if *asJSON {
			return write(map[string]any{"id": p.ID, "org_id": p.OrgID, "name": p.Name, "kind": p.Kind, "state": p.State})
		}
		_, err = fmt.Fprintln(stdout, p.ID)
		return err
	case "state":
		orgID, err := a.DB.ProgramOrg(ctx, *programID)
		if err != nil {
			return err
		}
		p, err := a.MoveProgramForOperator(ctx, orgID, *programID, tandem.ProgramState(strings.ToLower(rest[0])))
		if err != nil {
			return err
		}
		if *asJSON {
			next := p.State.Next()
			if next == nil {
				next = []tandem.ProgramState{}
			}
			return write(map[string]any{"id": p.ID, "name": p.Name, "state": p.State, "next_states": next})
		}
		_, err = fmt.Fprintf(stdout, "program %d: %s\n", p.ID, p.State)
		return err
	}
	var in io.Reader = stdin
	if rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	rep, err := a.ImportApplicationsForOperator(ctx, *programID, in)
	if rep != nil && !rep.OK() {
		if *asJSON {
			write(importJSON(rep))
		} else {
			for _, p := range rep.Problems {
				fmt.Fprintln(stderr, p.String())
			}
			if rep.MoreProblems > 0 {
				fmt.Fprintf(stderr, "… and %d more problems\n", rep.MoreProblems)
			}
		}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return write(importJSON(rep))
	}
	_, err = fmt.Fprintf(stdout, "%s applications imported into program %d\n", strconv.Itoa(rep.Created), *programID)
	return err
}

func importJSON(rep *tandem.ImportReport) map[string]any {
	problems := []string{}
	for _, p := range rep.Problems {
		problems = append(problems, p.String())
	}
	return map[string]any{"rows": rep.Rows, "created": rep.Created, "problems": problems, "more_problems": rep.MoreProblems}
}
