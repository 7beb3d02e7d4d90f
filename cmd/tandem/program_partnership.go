package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"
)

const programPartnershipsUsage = `
partnerships lists the partnerships a program proposed (by its published
run or accepted self-serve requests), newest first, as its admins see them
on the program's Partnerships page: the mentee, the mentor, the status, the
phase, when it was proposed and started, and when the last session was
held; never the agreement nor the notes. --limit (1 to 200, default 50) and
--offset page through them. With --json: {"partnerships": [{"engagement_id",
"mentee", "mentor" (emails), "status", "phase", "proposed_at", "started_at",
"last_session"}], "total"}; phase is "" before the start, started_at and
last_session null until then.
`

// runProgramPartnerships is "tandem program partnerships".
func runProgramPartnerships(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tandem program partnerships", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, programUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	asJSON := fs.Bool("json", false, "write JSON")
	programID := fs.Int64("program", 0, "the program's id")
	limit := fs.Int("limit", 50, "how many partnerships at most (1 to 200)")
	offset := fs.Int("offset", 0, "how many to skip")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *programID <= 0 {
		return fmt.Errorf("give the program with --program ID")
	}
	if len(rest) > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	if *limit == 0 { // 0 would be the default page, not what was asked
		*limit = -1
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer closeDB()
	orgID, err := a.DB.ProgramOrg(ctx, *programID)
	if err != nil {
		return err
	}
	list, total, err := a.ProgramPartnershipsForOperator(ctx, orgID, *programID, *limit, *offset)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			EngagementID int64      `json:"engagement_id"`
			Mentee       string     `json:"mentee"`
			Mentor       string     `json:"mentor"`
			Status       string     `json:"status"`
			Phase        string     `json:"phase"`
			ProposedAt   time.Time  `json:"proposed_at"`
			StartedAt    *time.Time `json:"started_at"`
			LastSession  *time.Time `json:"last_session"`
		}
		rows := make([]row, len(list))
		for i, p := range list {
			rows[i] = row{p.EngagementID, p.Mentee.Email, p.Mentor.Email, string(p.Status), string(p.Phase), p.ProposedAt, p.StartedAt, p.LastSession}
		}
		return printJSON(stdout, map[string]any{"partnerships": rows, "total": total})
	}
	day := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.Format(time.DateOnly)
	}
	for _, p := range list {
		phase := string(p.Phase)
		if phase == "" {
			phase = "-"
		}
		fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\t%s\tproposed %s\tstarted %s\tlast session %s\n", p.EngagementID, p.Mentee.Email, p.Mentor.Email,
			p.Status, phase, p.ProposedAt.Format(time.DateOnly), day(p.StartedAt), day(p.LastSession))
	}
	_, err = fmt.Fprintf(stdout, "%d of %d partnerships\n", len(list), total)
	return err
}
