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

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

const engagementsUsage = `Usage:
  tandem engagements list [--org NAME] [--kind coaching|mentoring] [--status draft|active|ended|expired]
  tandem engagements show ID [--org NAME]

Lists an organization's coaching engagements and mentoring partnerships, or
shows one: its parties, status and dates, every version of its outcome
agreement with who agreed, and the timeline of its status and agreement.
The partners' conversation (agenda items, learnings, phase history and its
notes) is theirs: it is not shown here, as administrators see it nowhere.
`

func runEngagements(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(stderr, engagementsUsage)
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("tandem engagements "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, engagementsUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	orgName := fs.String("org", "", "organization name or slug; may be left out when there is only one")
	var kind, status *string
	if args[0] == "list" {
		kind = fs.String("kind", "", "only this kind: coaching or mentoring")
		status = fs.String("status", "", "only this status: draft, active, ended or expired")
	}
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	switch args[0] {
	case "list":
		if len(rest) > 0 {
			fs.Usage()
			return fmt.Errorf("unexpected argument %q", rest[0])
		}
	case "show":
		if len(rest) != 1 {
			fs.Usage()
			return fmt.Errorf("give one engagement id to show, not %d", len(rest))
		}
	default:
		fmt.Fprint(stderr, engagementsUsage)
		return fmt.Errorf("unknown engagements command %q", args[0])
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
	if args[0] == "list" {
		// Every engagement, a page at a time (the store returns newest first).
		f := sqldb.EngagementFilter{Kind: tandem.Kind(strings.ToLower(*kind)), Status: tandem.Status(strings.ToLower(*status)), Limit: 500}
		var list []tandem.Engagement
		for {
			page, err := a.EngagementsForOperator(ctx, org.ID, f)
			if err != nil {
				return err
			}
			list = append(list, page...)
			if len(page) < f.Limit {
				break
			}
			f.Offset += f.Limit
		}
		return listEngagements(stdout, list)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(rest[0], "#"), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%q is not an engagement id: give the number from 'tandem engagements list'", rest[0])
	}
	v, err := a.EngagementForOperator(ctx, org.ID, id)
	if err != nil {
		return err
	}
	return showEngagement(stdout, v)
}

// listEngagements writes the table of engagements, newest first.
func listEngagements(w io.Writer, list []tandem.Engagement) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "no engagements")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tLEARNER\tCOACH/MENTOR\tSKILL/PHASE\tDATES")
	for _, e := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Kind, e.Status, e.Learner.Name, e.Guide.Name, skillOrPhase(&e), dates(&e))
	}
	return tw.Flush()
}

func skillOrPhase(e *tandem.Engagement) string {
	switch {
	case e.Kind == tandem.Coaching:
		return e.SkillName
	case e.Phase != "":
		return string(e.Phase)
	}
	return "-"
}

// dates summarizes when: a coaching engagement's time frame, a mentoring
// partnership's start and next review point, and when either closed.
func dates(e *tandem.Engagement) string {
	var s string
	switch {
	case e.Kind == tandem.Coaching:
		s = string(e.Start) + " to " + string(e.End)
	case e.Status == tandem.StatusDraft:
		s = "proposed " + day(e.CreatedAt)
	case e.ActivatedAt != nil:
		s = "since " + day(*e.ActivatedAt)
		if e.Status == tandem.StatusActive && e.NextReview != "" {
			s += ", review " + string(e.NextReview)
		}
	}
	if e.Status.Closed() {
		s += ", " + string(e.Status) + " " + string(e.EndedOn)
	}
	return s
}

func day(t time.Time) string     { return t.UTC().Format(time.DateOnly) }
func instant(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// showEngagement writes one engagement: the facts, each agreement version
// with its answers, and the timeline.
func showEngagement(w io.Writer, v *app.EngagementView) error {
	e := v.Engagement
	fmt.Fprintf(w, "#%d %s\n\n", e.ID, e.Title())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, val string) {
		if val != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, val)
		}
	}
	status := string(e.Status)
	switch {
	case e.ActivatedAt == nil:
	case e.Status == tandem.StatusActive:
		status += " since " + day(*e.ActivatedAt)
	default:
		status += ", active from " + day(*e.ActivatedAt)
	}
	row("Kind", e.Kind.Label())
	row("Status", status)
	row(e.Kind.LearnerLabel(), personLine(e.Learner))
	row(e.Kind.GuideLabel(), personLine(e.Guide))
	switch {
	case e.Manager.ID == 0:
		row("Manager", "none (not a party)")
	case e.ManagerRequired:
		row("Manager", personLine(e.Manager)+", must agree")
	default:
		row("Manager", personLine(e.Manager)+", asked; agreement optional")
	}
	if e.Kind == tandem.Coaching {
		row("Skill", e.SkillName)
		row("Setting", e.Setting)
		row("Time frame", string(e.Start)+" to "+string(e.End))
		if e.PreviousID != 0 {
			shared := "history not shared with the new coach"
			if e.ShareHistory {
				shared = "history shared with the new coach"
			}
			row("Moved on from", fmt.Sprintf("#%d (%s)", e.PreviousID, shared))
		}
	} else {
		areas := make([]string, len(e.Areas))
		for i, a := range e.Areas {
			areas[i] = string(a)
		}
		row("Areas", strings.Join(areas, ", "))
		row("Phase", string(e.Phase))
		if e.Status == tandem.StatusActive {
			row("Next review", fmt.Sprintf("%s (every %d months)", e.NextReview, e.ReviewMonths))
		}
		if e.Exception != "" {
			row("Exception", fmt.Sprintf("allowed by %s: %s", e.ExceptionBy.Name, e.Exception))
		}
		if e.ChainConflict() {
			row("Hierarchy", "the partners are now in one management chain; new work waits for an administrator's exception")
		}
	}
	row("Proposed", instant(e.CreatedAt))
	if e.Status.Closed() {
		end := string(e.EndedOn)
		if e.EndedBy.ID != 0 {
			end += " by " + e.EndedBy.Name
		}
		row(strings.ToUpper(string(e.Status[:1]))+string(e.Status[1:]), end+": "+e.EndReason)
	}
	agreement := fmt.Sprintf("version %d is the newest", e.CurrentVersion)
	if e.AgreedVersion != 0 {
		agreement = fmt.Sprintf("version %d in effect; %s", e.AgreedVersion, agreement)
	}
	row("Agreement", agreement)
	if !e.Status.Closed() && (e.Status == tandem.StatusDraft || e.AgreedVersion != e.CurrentVersion) {
		row("Waiting for", strings.Join(v.Waiting(), ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	for _, ag := range v.Versions {
		fmt.Fprintf(w, "\nAgreement version %d, written by %s on %s\n", ag.Version, ag.CreatedByName, instant(ag.CreatedAt))
		fmt.Fprintln(w, "  Outcomes:")
		for _, o := range ag.Outcomes {
			fmt.Fprintf(w, "    - %s\n", o)
		}
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		row("  Cadence", ag.Cadence)
		row("  Channels", ag.Channels)
		row("  Confidentiality", ag.Confidentiality)
		row("  Progress review", ag.ReviewMethod)
		row("  Exit terms", ag.ExitTerms)
		if e.Kind == tandem.Coaching {
			row("  Skill", ag.SkillName)
			row("  Time frame", string(ag.Start)+" to "+string(ag.End))
			row("  Evaluation", ag.EvaluationMethod)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		answers := v.ResponsesTo(ag.Version)
		if len(answers) > 0 {
			fmt.Fprintln(tw, "  Answers:")
		}
		for _, r := range answers {
			what := "agreed"
			if !r.Agreed {
				what = "asked for changes"
			}
			line := fmt.Sprintf("    %s\t%s\t%s (%s)", instant(r.At), what, r.PersonName, partyLabel(e.Kind, r.Party))
			if r.Comment != "" {
				line += ": " + quote(r.Comment)
			}
			fmt.Fprintln(tw, line)
		}
		if len(answers) == 0 {
			fmt.Fprintln(tw, "  Answers: none yet")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintln(w, "\nTimeline (status and agreement; the partners' conversation is not shown):")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, ev := range v.Events {
		who := ev.Actor.Name
		if ev.Actor.ID == 0 {
			who = "Tandem"
		}
		line := fmt.Sprintf("  %s\t%s\t%s\t%s", instant(ev.At), strings.ReplaceAll(string(ev.Type), "_", " "), who, ev.Detail)
		if ev.Note != "" {
			line += ": " + quote(ev.Note)
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

func personLine(p tandem.PersonRef) string {
	s := p.Name + " <" + p.Email + ">"
	if p.Title != "" {
		s += ", " + p.Title
	}
	return s
}

// partyLabel names a party in the kind's words: coachee, coach, manager.
func partyLabel(k tandem.Kind, p tandem.Party) string {
	switch p {
	case tandem.PartyLearner:
		return strings.ToLower(k.LearnerLabel())
	case tandem.PartyGuide:
		return strings.ToLower(k.GuideLabel())
	}
	return string(p)
}

// quote puts a person's words on one line in quotation marks, so a
// multi-line comment cannot break the layout.
func quote(s string) string { return "“" + strings.Join(strings.Fields(s), " ") + "”" }
