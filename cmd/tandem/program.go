package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

const programUsage = `Usage:
  tandem program create --org ORG --name NAME [--kind mentoring|coaching] [--admin EMAIL]... [--json]
  tandem program state --program ID enrolling|matching|running|closed [--json]
  tandem program mode --program ID cohort|self_serve|both [--json]
  tandem program import-applications --program ID FILE.csv [--json]
  tandem program match --program ID [--stable] [--weight KEY=N]... [--json]
  tandem program publish --program ID --run RUN [--json]
  tandem program invite --program ID [--department D | --location L | --all-eligible | --remind | FILE.csv] [--json]
  tandem program partnerships --program ID [--limit N] [--offset N] [--json]

create makes a draft program in the organization and prints its id (with
--json: {"id", "org_id", "name", "kind", "state"}). --admin names a program
admin (repeat it for several): they run this program only.

state moves a program, by the same rules as the web: draft → enrolling →
matching → running → closed, or closed from any open state. It prints
"program ID: STATE" (with --json: {"id", "name", "state", "next_states"}).

mode sets how the program's mentees find their mentors: cohort (the
program admins match the whole cohort), self_serve (each approved mentee
asks a mentor from ranked suggestions while the program is running) or
both (self-serve once the cohort run is published). It prints "program ID:
MODE" and whether mentees may ask now (with --json: {"id", "mode", "open",
"why"}).

import-applications enrolls people from a CSV file (- for standard input)
whose header is email,role,capacity then one column per question, headed
by the question's wording or q<id>; role is mentor or mentee, capacity is
how many mentees a mentor takes (1 to 20). Cells hold answers as the
enrollment form takes them: choices and languages separated by ;, skills as
name:level. All or nothing, like the people import: with any problem
nothing is enrolled and every bad line is named. The program must be
enrolling within its dates and each person eligible. It prints how many
applications were created (with --json: {"rows", "created", "problems"}).

match runs the matching of the program's approved applications (the
program must be matching) and stores the run as a preview: optimal (the
highest total score under mentor capacity, with a certificate) or, with
--stable, the stable matching. Mentors in a mentee's management chain and
forbidden pairs are never proposed; pinned pairs are kept. The criteria are
the questionnaire's matching questions (keyed q<id>) and the profile fields
profile_department, profile_location, profile_languages, profile_skills and
profile_time_zone; --weight KEY=N (0 to 10, repeatable) changes a weight for
this run. It prints the run id, the totals and every pair; with --json:
{"run_id", "mode", "mentees", "mentors", "matched", "total", "max_score",
"distribution", "certificate": {"claim", "primal", "dual", "gap",
"max_violation", "tolerance"}, "pairs": [{"mentee", "mentor", "score",
"reasons", "pinned"}] (emails), "unmatched": [{"email", "role", "why"}],
"timings_ms": {"load", "score", "solve", "explain", "store"}}.

publish turns a run into proposed mentoring partnerships (the program must
be matching), each with a draft agreement prefilled from the program, and
notifies the partners; the three parties then agree as for any
partnership. It is all or nothing, and refused with what changed when
applications were withdrawn or approved since the run. Publishing the same
run again changes nothing and says so. It prints how many partnerships were
proposed (with --json: {"run_id", "engagements", "already_published",
"engagement_ids"}).
` + programInviteUsage + programPartnershipsUsage

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runProgram(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(stderr, programUsage)
		return flag.ErrHelp
	}
	verb := args[0]
	if verb == "invite" {
		return runProgramInvite(ctx, cfg, args[1:], stdin, stdout, stderr)
	}
	if verb == "partnerships" {
		return runProgramPartnerships(ctx, cfg, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("tandem program "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, programUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	asJSON := fs.Bool("json", false, "write JSON")
	var orgName, name, kind *string
	var programID, runID *int64
	var admins, weights stringList
	var stable *bool
	switch verb {
	case "create":
		orgName = fs.String("org", "", "organization name or slug; may be left out when there is only one")
		name = fs.String("name", "", "the program's name")
		kind = fs.String("kind", "mentoring", "mentoring or coaching")
		fs.Var(&admins, "admin", "email of a program admin (repeatable)")
	case "state", "import-applications", "mode":
		programID = fs.Int64("program", 0, "the program's id")
	case "publish":
		programID = fs.Int64("program", 0, "the program's id")
		runID = fs.Int64("run", 0, "the run to publish")
	case "match":
		programID = fs.Int64("program", 0, "the program's id")
		stable = fs.Bool("stable", false, "compute the stable matching instead of the optimal one")
		fs.Var(&weights, "weight", "KEY=N: the weight of a criterion for this run (repeatable)")
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
	case "mode":
		if *programID <= 0 {
			return fmt.Errorf("give the program with --program ID")
		}
		if len(rest) != 1 {
			fs.Usage()
			return fmt.Errorf("give one matching mode (cohort, self_serve or both)")
		}
	case "publish":
		if *programID <= 0 || *runID <= 0 {
			return fmt.Errorf("give the program and the run with --program ID --run RUN")
		}
		if len(rest) > 0 {
			fs.Usage()
			return fmt.Errorf("unexpected argument %q", rest[0])
		}
	case "match":
		if *programID <= 0 {
			return fmt.Errorf("give the program with --program ID")
		}
		if len(rest) > 0 {
			fs.Usage()
			return fmt.Errorf("unexpected argument %q", rest[0])
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
	write := func(v any) error { return printJSON(stdout, v) }
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
	case "mode":
		orgID, err := a.DB.ProgramOrg(ctx, *programID)
		if err != nil {
			return err
		}
		v, err := a.SetMatchingModeForOperator(ctx, orgID, *programID, tandem.MatchingMode(strings.ToLower(rest[0])))
		if err != nil {
			return err
		}
		if *asJSON {
			return write(map[string]any{"id": *programID, "mode": v.Mode, "open": v.Open, "why": v.Why})
		}
		now := "mentees may ask mentors now"
		if !v.Open {
			now = v.Why
		}
		_, err = fmt.Fprintf(stdout, "program %d: %s (%s)\n", *programID, v.Mode, now)
		return err
	case "publish":
		orgID, err := a.DB.ProgramOrg(ctx, *programID)
		if err != nil {
			return err
		}
		res, err := a.PublishRunForOperator(ctx, orgID, *programID, *runID)
		if err != nil {
			return err
		}
		if *asJSON {
			ids := res.IDs
			if ids == nil {
				ids = []int64{}
			}
			return write(map[string]any{"run_id": *runID, "engagements": res.Engagements, "already_published": res.Already, "engagement_ids": ids})
		}
		if res.Already {
			_, err = fmt.Fprintf(stdout, "run %d was already published: nothing changed\n", *runID)
			return err
		}
		_, err = fmt.Fprintf(stdout, "run %d published: %d partnerships proposed\n", *runID, res.Engagements)
		return err
	case "match":
		return programMatch(ctx, a, *programID, *stable, weights, *asJSON, stdout, write)
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

func programMatch(ctx context.Context, a *app.App, programID int64, stable bool, weightFlags []string, asJSON bool, stdout io.Writer, write func(any) error) error {
	weights := map[string]int{}
	for _, w := range weightFlags {
		k, v, ok := strings.Cut(w, "=")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil {
			return fmt.Errorf("write --weight as KEY=N, such as profile_languages=3 (%q)", w)
		}
		weights[strings.TrimSpace(k)] = n
	}
	orgID, err := a.DB.ProgramOrg(ctx, programID)
	if err != nil {
		return err
	}
	mode := tandem.ModeOptimal
	if stable {
		mode = tandem.ModeStable
	}
	run, err := a.MatchProgramForOperator(ctx, orgID, programID, mode, weights)
	if err != nil {
		return err
	}
	if asJSON {
		type pair struct {
			Mentee  string   `json:"mentee"`
			Mentor  string   `json:"mentor"`
			Score   float64  `json:"score"`
			Reasons []string `json:"reasons"`
			Pinned  bool     `json:"pinned"`
		}
		type lone struct {
			Email string `json:"email"`
			Role  string `json:"role"`
			Why   string `json:"why"`
		}
		pairs, unmatched := make([]pair, 0, len(run.Pairs)), make([]lone, 0, len(run.Unmatched))
		for _, p := range run.Pairs {
			pairs = append(pairs, pair{p.Mentee.Email, p.Mentor.Email, p.Score, p.Reasons, p.Pinned})
		}
		for _, u := range run.Unmatched {
			unmatched = append(unmatched, lone{u.Person.Email, string(u.Role), u.Why})
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		return write(map[string]any{"run_id": run.ID, "mode": run.Mode, "mentees": run.Mentees, "mentors": run.Mentors,
			"matched": run.Matched, "total": run.Total, "max_score": run.MaxScore, "distribution": run.Distribution,
			"certificate": run.Certificate, "pairs": pairs, "unmatched": unmatched,
			"timings_ms": map[string]float64{"load": ms(run.Stats.Load), "score": ms(run.Stats.Score), "solve": ms(run.Stats.Solve),
				"explain": ms(run.Stats.Explain), "store": ms(run.Stats.Store)}})
	}
	fmt.Fprintf(stdout, "run %d (%s): %d of %d mentees matched with %d mentors, total %.1f\n%s\n", run.ID, run.Mode, run.Matched,
		run.Mentees, run.Mentors, run.Total, run.Certificate.Claim)
	for _, p := range run.Pairs {
		fmt.Fprintf(stdout, "%s\t%s\t%.1f\t%s\n", p.Mentee.Email, p.Mentor.Email, p.Score, strings.Join(p.Reasons, "; "))
	}
	for _, u := range run.Unmatched {
		fmt.Fprintf(stdout, "unmatched %s %s: %s\n", u.Role, u.Person.Email, u.Why)
	}
	return nil
}
