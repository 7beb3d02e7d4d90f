package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

const jobsUsage = `Usage:
  tandem jobs list [--state STATE] [--limit N] [--json]
  tandem jobs retry ID

Lists the background jobs of the whole installation, newest first, with
counts by state: every organization's (the email sent for them) and the
operator's own (maintenance, password resets), which no organization's
administrator sees. STATE is one of available, scheduled, pending,
running, retryable, completed, discarded, cancelled, or failed (retryable,
discarded or cancelled). retry runs a discarded or cancelled job again now.
Arguments of jobs are not shown.
`

func runJobs(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(stderr, jobsUsage)
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("tandem jobs "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, jobsUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	var state *string
	var limit *int
	var asJSON *bool
	if args[0] == "list" {
		state = fs.String("state", "", "only jobs in this state")
		limit = fs.Int("limit", 50, "how many of the latest jobs")
		asJSON = fs.Bool("json", false, "write JSON")
	}
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	var id int64
	switch args[0] {
	case "list":
		if len(rest) > 0 {
			fs.Usage()
			return fmt.Errorf("unexpected argument %q", rest[0])
		}
		if *limit < 1 || *limit > 10000 {
			return fmt.Errorf("--limit: give a number from 1 to 10000")
		}
	case "retry":
		if len(rest) != 1 {
			fs.Usage()
			return fmt.Errorf("give one job id to retry, not %d", len(rest))
		}
		if id, err = strconv.ParseInt(rest[0], 10, 64); err != nil || id <= 0 {
			return fmt.Errorf("job id %q: give a number", rest[0])
		}
	default:
		fmt.Fprint(stderr, jobsUsage)
		return fmt.Errorf("unknown jobs command %q", args[0])
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, false)
	if err != nil {
		return err
	}
	defer closeDB()
	if args[0] == "retry" {
		j, err := a.RetryAnyJob(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "job %d (%s) will run again now\n", j.ID, j.Kind)
		return nil
	}
	q, err := a.AllJobs(ctx, *state, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, q)
	}
	var counts []string
	for _, s := range []string{"available", "scheduled", "pending", "running", "retryable", "completed", "discarded", "cancelled"} {
		counts = append(counts, fmt.Sprintf("%s %d", s, q.Counts[s]))
	}
	fmt.Fprintln(stdout, strings.Join(counts, ", "))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATE\tATTEMPTS\tORG\tSCHEDULED\tLAST ERROR")
	for _, j := range q.Jobs {
		org, last := "-", ""
		if j.OrgID != 0 {
			org = strconv.FormatInt(j.OrgID, 10)
		}
		if len(j.Errors) > 0 {
			last = j.Errors[0].At.Format(time.RFC3339) + " " + strings.ReplaceAll(j.Errors[0].Error, "\n", " ")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%s\t%s\t%s\n", j.ID, j.Kind, j.State, j.Attempt, j.MaxAttempts, org, j.ScheduledAt.Format(time.RFC3339), last)
	}
	return tw.Flush()
}
