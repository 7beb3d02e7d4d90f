package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/jobs"
	"github.com/tandemhq/tandem/mail"
)

const notesUsage = `Usage:
  tandem notes publish FILE.md --org ORG --author EMAIL

Publishes a Markdown file as a Coach Notes article of the organization, by
the person with the email, who must write Coach Notes: an administrator, or
a coach (open to coach a skill on their profile, or the coach of an agreed
coaching engagement); guests do not. The file starts with YAML front matter:

  ---
  title: Mentoring vs coaching
  summary: Two ways to grow, and when each fits
  topics: [mentoring, coaching]
  ---

(slug is optional: it is made from the title). An article with the same
slug is updated. It appears at once on /o/ORG-SLUG/notes and in its feed.
`

func runNotes(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if err := oneVerb(args, "publish", notesUsage, stderr); err != nil {
		return err
	}
	fs := flag.NewFlagSet("tandem notes publish", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, notesUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	orgName := fs.String("org", "", "organization name or slug; may be left out when there is only one")
	authorEmail := fs.String("author", "", "email of the coach or administrator who wrote it (required)")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("give one Markdown file to publish, not %d", len(rest))
	}
	if *authorEmail == "" {
		return fmt.Errorf("--author EMAIL is required")
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return err
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
	art, err := a.PublishFile(ctx, org.ID, *authorEmail, data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published %q at %s/%s\n", art.Title, a.NotesURL(ctx, org), art.Slug)
	return nil
}

const digestUsage = `Usage:
  tandem digest send [--org ORG] [--dry-run]

Sends the Coach Notes digest now: the articles published since the last
digest, to the confirmed subscribers of the organization (of every
organization without --org). With nothing new, nothing is sent. The digest
goes through the same durable jobs as the scheduled one: this command
inserts the digest's job and works the queue until the digest is sent, so it
is safe beside running servers (each recipient is sent the digest once).
--dry-run only says what would be sent.
`

func runDigest(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if err := oneVerb(args, "send", digestUsage, stderr); err != nil {
		return err
	}
	fs := flag.NewFlagSet("tandem digest send", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, digestUsage); fs.PrintDefaults() }
	cfg.register(fs, false)
	orgName := fs.String("org", "", "organization name or slug; every organization when left out")
	dryRun := fs.Bool("dry-run", false, "say what would be sent, send nothing")
	wait := fs.Duration("wait", 30*time.Minute, "how long to wait for the digest to be sent")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	a, closeDB, err := openApp(ctx, cfg, stderr, true)
	if err != nil {
		return err
	}
	defer closeDB()
	if cfg.SMTPURL != "" {
		m, err := mail.NewSMTPMailer(cfg.SMTPURL)
		if err != nil {
			return err
		}
		a.Mailer = m
	}
	var orgs []tandem.Org
	if *orgName != "" {
		org, err := findOrg(ctx, a.DB, *orgName)
		if err != nil {
			return err
		}
		orgs = []tandem.Org{*org}
	} else if orgs, err = a.DB.ListOrgs(ctx); err != nil {
		return err
	}
	var started []int64
	for _, org := range orgs {
		plan, err := a.SendDigestNow(ctx, org.ID, *dryRun)
		if err != nil {
			return err
		}
		switch {
		case len(plan.Articles) == 0:
			fmt.Fprintf(stdout, "%s: nothing new since the last digest, nothing sent\n", org.Name)
		case *dryRun:
			fmt.Fprintf(stdout, "%s: would send %d article(s) to %d confirmed subscriber(s)\n", org.Name, len(plan.Articles), plan.Subscribers)
			for _, art := range plan.Articles {
				fmt.Fprintf(stdout, "  %s  %s\n", art.PublishedAt.Format("2006-01-02"), art.Title)
			}
		default:
			fmt.Fprintf(stdout, "%s: digest %d of %d article(s) to %d confirmed subscriber(s) started\n", org.Name, plan.DigestID, len(plan.Articles), plan.Subscribers)
			started = append(started, plan.DigestID)
		}
	}
	if len(started) == 0 {
		return nil
	}
	return workDigests(ctx, a, started, *wait, stdout, stderr)
}

// workDigests works the job queue beside any running server until no
// digest job is left, then reports what each digest sent.
func workDigests(ctx context.Context, a *app.App, ids []int64, wait time.Duration, stdout, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r, err := jobs.Start(context.WithoutCancel(ctx), a, log, jobs.Config{PollInterval: 200 * time.Millisecond})
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		r.Stop(sctx)
	}()
	deadline := time.Now().Add(wait)
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("interrupted: the digest goes on in the queue, worked by any running server or the next `tandem digest send`")
		case <-time.After(300 * time.Millisecond):
		}
		n, err := a.DB.UnfinishedJobs(ctx, app.DigestArgs{}.Kind(), app.DigestBatchArgs{}.Kind())
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the digest is not sent after %s: %d job(s) remain in the queue (a server works them)", wait, n)
		}
	}
	for _, id := range ids {
		n, err := a.DigestSentCount(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "digest %d: sent to %d subscriber(s)\n", id, n)
	}
	return nil
}
