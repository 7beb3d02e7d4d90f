package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/sqldb"
)

// DigestArgs is the job that sends one digest: it fans out into batches.
// Job arguments carry ids only, never a link: the batch worker signs each
// recipient's unsubscribe link when it sends. OrgID puts it (and its
// batches) on the organization's queue page.
type DigestArgs struct {
	DigestID int64 `json:"digest_id"`
	OrgID    int64 `json:"org_id"`
}

// Kind names the job in the queue.
func (DigestArgs) Kind() string { return "notes_digest" }

// JobOrgID is the digest's organization.
func (a DigestArgs) JobOrgID() int64 { return a.OrgID }

// DigestBatchArgs sends a digest to the confirmed subscribers with ids in
// (After, UpTo] who do not have it yet.
type DigestBatchArgs struct {
	DigestID int64 `json:"digest_id"`
	OrgID    int64 `json:"org_id"`
	After    int64 `json:"after"`
	UpTo     int64 `json:"up_to"`
}

// Kind names the job in the queue.
func (DigestBatchArgs) Kind() string { return "notes_digest_batch" }

// JobOrgID is the digest's organization.
func (a DigestBatchArgs) JobOrgID() int64 { return a.OrgID }

// DigestScheduleArgs is the periodic job that starts the digests that are
// due.
type DigestScheduleArgs struct{}

// Kind names the job in the queue.
func (DigestScheduleArgs) Kind() string { return "notes_digest_schedule" }

// DigestBatchSize is how many recipients one batch job sends to.
var DigestBatchSize = 1000

// DigestPlan says what a digest holds or would hold.
type DigestPlan struct {
	DigestID    int64
	Articles    []tandem.Article
	Subscribers int
	Since       time.Time
}

// SendDigestNow starts a digest of the organization's articles published
// since its last digest, for the operator's CLI; with dryRun it only says
// what would be sent. With nothing new, nothing is sent (DigestID 0).
func (a *App) SendDigestNow(ctx context.Context, orgID int64, dryRun bool) (*DigestPlan, error) {
	now := a.DB.Now().UTC()
	plan, err := a.digestPlan(ctx, orgID, now)
	if err != nil || dryRun || len(plan.Articles) == 0 {
		return plan, err
	}
	d := &sqldb.Digest{OrgID: orgID, Period: "manual-" + now.Format(time.RFC3339Nano), Since: plan.Since, Until: now, Articles: len(plan.Articles)}
	if _, err := a.DB.CreateDigest(ctx, d, func(id int64) river.JobArgs { return DigestArgs{DigestID: id, OrgID: d.OrgID} }); err != nil {
		return nil, err
	}
	plan.DigestID = d.ID
	return plan, nil
}

func (a *App) digestPlan(ctx context.Context, orgID int64, until time.Time) (*DigestPlan, error) {
	plan := &DigestPlan{}
	last, err := a.DB.LastDigest(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if last != nil {
		plan.Since = last.Until
	}
	if plan.Articles, err = a.DB.Articles(ctx, orgID, sqldb.ArticleFilter{Published: true, Since: plan.Since, Until: until, Limit: 100}); err != nil {
		return nil, err
	}
	plan.Subscribers, err = a.DB.CountSubscribers(ctx, orgID, tandem.SubscriberConfirmed)
	return plan, err
}

// lateDigest is how late a scheduled digest may still start (a server
// down on the 1st sends it on the 2nd).
const lateDigest = 3 * 24 * time.Hour

// ScheduleDigests starts each organization's digest whose scheduled time
// has come and that has not been started for that time, when articles
// were published since the last one. The periodic job calls it; the
// digest row is unique per organization and slot, so running it twice, or
// on two replicas, starts one digest.
func (a *App) ScheduleDigests(ctx context.Context) (int, error) {
	orgs, err := a.DB.ListOrgs(ctx)
	if err != nil {
		return 0, err
	}
	now := a.DB.Now().UTC()
	started := 0
	for _, org := range orgs {
		sch, err := a.DB.DigestSchedule(ctx, org.ID)
		if err != nil {
			return started, err
		}
		slot, _ := sch.LastSlot(now)
		if slot.IsZero() || now.Sub(slot) > lateDigest {
			continue // a slot long past is not sent late: the next one takes its articles
		}
		period := slot.UTC().Format("2006-01-02T15:04Z")
		last, err := a.DB.LastDigest(ctx, org.ID)
		if err != nil {
			return started, err
		}
		if last != nil && (last.Period == period || !last.CreatedAt.Before(slot)) {
			continue // sent for this slot already, or by hand since
		}
		plan, err := a.digestPlan(ctx, org.ID, now)
		if err != nil {
			return started, err
		}
		if len(plan.Articles) == 0 {
			continue // nothing new, nothing sent
		}
		d := &sqldb.Digest{OrgID: org.ID, Period: period, Since: plan.Since, Until: now, Articles: len(plan.Articles)}
		ok, err := a.DB.CreateDigest(ctx, d, func(id int64) river.JobArgs { return DigestArgs{DigestID: id, OrgID: d.OrgID} })
		if err != nil {
			return started, err
		}
		if ok {
			started++
		}
	}
	return started, nil
}

// FanOutDigest renders the digest once (see digestContent) and splits its
// recipients into batch jobs, each unique by its arguments, so a retried
// fan-out adds none twice.
func (a *App) FanOutDigest(ctx context.Context, digestID int64) (int, error) {
	d, err := a.DB.Digest(ctx, digestID)
	if err != nil {
		return 0, err
	}
	if _, err := a.digestContent(ctx, d); err != nil {
		return 0, err
	}
	ranges, err := a.DB.DigestBatches(ctx, d.OrgID, DigestBatchSize)
	if err != nil {
		return 0, err
	}
	jobs := make([]river.JobArgs, len(ranges))
	for i, r := range ranges {
		jobs[i] = DigestBatchArgs{DigestID: d.ID, OrgID: d.OrgID, After: r[0], UpTo: r[1]}
	}
	return len(jobs), a.DB.EnqueueAll(ctx, jobs, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
}

// unsubscribePlaceholder stands for each recipient's unsubscribe link in
// a digest rendered once.
const unsubscribePlaceholder = "https://unsubscribe.invalid/PLACEHOLDER"

// digestContent returns the digest's message, rendered once for every
// recipient and stored with the digest (with unsubscribePlaceholder for
// each recipient's link): the fan-out renders it, and every batch and
// every retry sends what was stored, even if an article was edited since.
// A digest with nothing stored yet (fanned out before the content was
// kept) is rendered and stored by the first batch to need it.
func (a *App) digestContent(ctx context.Context, d *sqldb.Digest) (*tandem.Message, error) {
	if !d.Rendered {
		org, err := a.DB.OrgByID(ctx, d.OrgID)
		if err != nil {
			return nil, err
		}
		arts, err := a.DB.Articles(ctx, d.OrgID, sqldb.ArticleFilter{Published: true, Since: d.Since, Until: d.Until, Limit: 100})
		if err != nil {
			return nil, err
		}
		type item struct{ Title, Summary, URL, Date string }
		items := make([]item, len(arts))
		for i, art := range arts {
			items[i] = item{art.Title, art.Summary, a.NotesURL(ctx, org) + "/" + art.Slug, art.PublishedAt.Format("2 Jan 2006")}
		}
		m, err := mail.Render("notes_digest", map[string]any{"Org": org.Name, "Articles": items, "Notes": a.NotesURL(ctx, org), "Unsubscribe": unsubscribePlaceholder})
		if err != nil {
			return nil, err
		}
		if d, err = a.DB.SetDigestContent(ctx, d.ID, m.Subject, m.Text, m.HTML); err != nil {
			return nil, err
		}
	}
	return &tandem.Message{Subject: d.Subject, Text: d.Text, HTML: d.HTML}, nil
}

// sender sends the messages of one batch: over one SMTP connection when
// the mailer can hold one open, else one Send at a time.
type sender interface {
	Send(ctx context.Context, m *tandem.Message, claim *mail.Claim) error
	Close() error
}

// plainSender sends through any other mailer (the development mailer,
// tests' mailbox) with the same claim as an SMTP session: recorded before
// the send, released when it fails.
type plainSender struct{ tandem.Mailer }

func (p plainSender) Send(ctx context.Context, m *tandem.Message, claim *mail.Claim) error {
	if err := claim.Record(ctx); err != nil {
		return err
	}
	if err := p.Mailer.Send(ctx, m); err != nil {
		return errors.Join(err, claim.Release(context.WithoutCancel(ctx)))
	}
	return nil
}

func (plainSender) Close() error { return nil }

func (a *App) openSender(ctx context.Context) (sender, error) {
	if m, ok := a.Mailer.(*mail.SMTPMailer); ok {
		return m.Open(ctx)
	}
	return plainSender{a.Mailer}, nil
}

// ErrDigestBatchPaused is what SendDigestBatch returns when it stopped
// between two messages because its time is nearly up: the job worker
// snoozes the batch, which goes on where it stopped.
var ErrDigestBatchPaused = errors.New("digest batch paused: its time is up, the rest follows")

// digestSendRoom is how much of its time a batch keeps unused (at most
// half of it): it starts no message with less left (an SMTP send may take
// the mailer's 30 s), so no message is cut off by the job's timeout
// halfway.
const digestSendRoom = 30 * time.Second

// SendDigestBatch sends a digest to the recipients of one batch who do
// not have it yet, and returns how many it sent.
//
// Exactly once across crashes: a recipient's delivery is recorded as a
// claim committed before the final "." of DATA is written (mail.Claim):
// MAIL, RCPT, DATA and the body go out, the claim commits, then the dot,
// then the server's reply. A 4xx or 5xx reply, or a connection that
// fails before the dot, removes the claim (a 5xx then records the
// refusal, so no retry sends it again, and the batch goes on); a claim
// that survives a crash counts as delivered. SMTP cannot commit with
// the database (RFC 1047): a process killed after the server took the
// message and before its record is written sends it again, one killed
// after the record and before the dot loses it. Recording after the
// server's 250 put the SMTP reply and a commit in the window and sent
// duplicates (TestDigestKill9: 2 in 3,000); recording before the dot
// leaves the end of a commit and a three-byte write, on the side of a
// miss, and a restarted batch skips whoever was claimed. See
// ARCHITECTURE.md for why that side. A claim is confirmed once the
// server's 250 is read, in the next claim's transaction (no commit of
// its own) or at the batch's end, so the claims never confirmed are the
// deliveries no one can vouch for: DigestReports counts them per digest
// and a batch that resumes logs them.
func (a *App) SendDigestBatch(ctx context.Context, args DigestBatchArgs) (int, error) {
	d, err := a.DB.Digest(ctx, args.DigestID)
	if err != nil {
		return 0, err
	}
	recips, err := a.DB.DigestRecipients(ctx, d, args.After, args.UpTo)
	if err != nil || len(recips) == 0 {
		return 0, err
	}
	org, err := a.DB.OrgByID(ctx, d.OrgID)
	if err != nil {
		return 0, err
	}
	tmpl, err := a.digestContent(ctx, d)
	if err != nil {
		return 0, err
	}
	// Claims in this range that no run confirmed: an earlier run died (or
	// its final dot got no reply) between the claim and the server's
	// answer. They are not sent again; say who they are.
	if unsure, err := a.DB.UnconfirmedDigestSends(ctx, d.ID, args.After, args.UpTo); err != nil {
		return 0, err
	} else if len(unsure) > 0 {
		a.Log.WarnContext(ctx, "digest batch resumes after deliveries claimed and never confirmed: each most likely arrived, or was lost before its final dot",
			"digest", d.ID, "uncertain", len(unsure), "subscribers", unsure[:min(len(unsure), 20)])
	}
	key, err := a.linkKey(ctx)
	if err != nil {
		return 0, err
	}
	s, err := a.openSender(ctx)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	base := a.NotesURL(ctx, org) + "/unsubscribe/"
	host := messageHost(a.linkBase(ctx, d.OrgID))
	dl, hasDeadline := ctx.Deadline()
	room := min(digestSendRoom, time.Until(dl)/2)
	sent := 0
	// confirm holds the recipients whose message the server accepted and
	// whose claim is not yet confirmed: the next claim's transaction
	// confirms them, and the batch's end the last ones.
	var confirm []int64
	defer func() {
		if err := a.DB.ConfirmDigestSends(context.WithoutCancel(ctx), d.ID, confirm); err != nil {
			a.Log.ErrorContext(ctx, "digest: confirm deliveries", "digest", d.ID, "err", err)
		}
	}()
	for i := range recips {
		r := &recips[i]
		if hasDeadline && time.Until(dl) < room {
			return sent, ErrDigestBatchPaused
		}
		if tandem.CheckEmail(r.Email) != "" {
			a.Log.WarnContext(ctx, "digest: recipient without a valid email skipped", "subscriber", r.ID)
			continue
		}
		link := base + tokenWith(key, "unsubscribe", r, time.Time{})
		m := *tmpl
		m.To, m.OrgID, m.Secret = r.Email, d.OrgID, true
		m.Text = strings.ReplaceAll(tmpl.Text, unsubscribePlaceholder, link)
		m.HTML = strings.ReplaceAll(tmpl.HTML, unsubscribePlaceholder, link)
		m.Headers = map[string]string{"List-Unsubscribe": "<" + link + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Precedence": "bulk",
			// One Message-ID per digest and recipient, the same on every
			// attempt.
			"Message-ID": fmt.Sprintf("<digest-%d-%d@%s>", d.ID, r.ID, host)}
		claim := &mail.Claim{
			Record: func(ctx context.Context) error {
				ok, err := a.DB.ClaimDigestSend(ctx, d.ID, r.ID, confirm)
				if err != nil {
					return err
				}
				confirm = confirm[:0] // committed with the claim
				if !ok {
					return mail.ErrClaimed
				}
				return nil
			},
			Release: func(ctx context.Context) error { return a.DB.ReleaseDigestSend(ctx, d.ID, r.ID) },
		}
		err := s.Send(ctx, &m, claim)
		switch {
		case err == nil:
			sent++
			confirm = append(confirm, r.ID)
		case mail.Permanent(err):
			// Refused for good (an unknown mailbox): recorded, and the
			// others still get theirs.
			a.Log.WarnContext(ctx, "digest: recipient refused", "digest", d.ID, "subscriber", r.ID, "err", err)
			if err := a.DB.RefuseDigestSend(ctx, d.ID, r.ID, err.Error()); err != nil {
				return sent, err
			}
		default:
			return sent, err
		}
	}
	return sent, nil
}

// DigestReportLimit is how many digests the administrators' page shows.
const DigestReportLimit = 50

// DigestReports returns the organization's latest digests with how many
// were delivered, refused and uncertain (administrators).
func (a *App) DigestReports(ctx context.Context) ([]sqldb.DigestReport, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	return a.DB.DigestReports(ctx, act.Org.ID, DigestReportLimit)
}

// DigestSchedule returns the organization's digest schedule (administrators).
func (a *App) DigestSchedule(ctx context.Context) (tandem.DigestSchedule, error) {
	act, err := admin(ctx)
	if err != nil {
		return tandem.DigestSchedule{}, err
	}
	return a.DB.DigestSchedule(ctx, act.Org.ID)
}

// SetDigestSchedule changes when the organization's digest goes out.
func (a *App) SetDigestSchedule(ctx context.Context, s tandem.DigestSchedule) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return a.DB.SetDigestSchedule(ctx, act.Org.ID, s)
}

// subscriberHeader is the subscriber CSV's header.
var subscriberHeader = []string{"email", "status", "consent_at", "consent_source"}

// ExportSubscribers writes the organization's subscribers as CSV
// (administrators).
func (a *App) ExportSubscribers(ctx context.Context, w io.Writer) error {
	act, err := admin(ctx)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(subscriberHeader)
	err = a.DB.EachSubscriber(ctx, act.Org.ID, func(s *tandem.Subscriber) error {
		consent := ""
		if s.ConsentAt != nil {
			consent = s.ConsentAt.Format(time.RFC3339)
		}
		return cw.Write([]string{EscapeCSVCell(s.Email), s.Status, consent, EscapeCSVCell(s.ConsentSource)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// MaxSubscriberRows bounds one subscriber import: every data row read
// counts, kept or not, so the bound holds whatever the file holds. The
// file is also at most MaxImportBytes, like a people import.
const MaxSubscriberRows = 200_000

// ImportSubscribers adds the subscribers of a CSV with columns email,
// consent_at (RFC 3339 or 2006-01-02) and consent_source (and optionally
// status, whose rows other than "confirmed" are skipped), all or nothing:
// a row without a valid email, a consent time or its source is refused
// with the others, since no one is subscribed without recorded consent.
// Addresses already known are left as they are (one who unsubscribed
// stays unsubscribed). Like the people import, the file is read as a
// stream, the report lists the first tandem.MaxImportProblems problems
// and counts the rest, and a file over MaxSubscriberRows rows or
// MaxImportBytes is refused (ETOOLARGE). With problems, the report comes
// back with EINVALID; Created says how many were added.
func (a *App) ImportSubscribers(ctx context.Context, r io.Reader) (*tandem.ImportReport, error) {
	act, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(&importReader{r: r, what: "subscriber list"}, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &tandem.Error{Code: tandem.EINVALID, Message: "The file is empty: send a CSV with a header line (email,consent_at,consent_source).",
			Fields: map[string]string{"file": "Send a CSV with a header line."}}
	}
	if err != nil {
		return nil, readError(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"email", "consent_at", "consent_source"} {
		if _, ok := col[need]; !ok {
			return nil, &tandem.Error{Code: tandem.EINVALID, Message: fmt.Sprintf("The file has no %s column: every subscriber needs an address and recorded consent (consent_at, consent_source).", need),
				Fields: map[string]string{"file": "Add the column " + need + "."}}
		}
	}
	var rec []string
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return UnescapeCSVCell(strings.TrimSpace(rec[i]))
		}
		return ""
	}
	rep := &tandem.ImportReport{}
	var subs []tandem.Subscriber
	firstLine := map[string]int{}
	now := a.DB.Now()
	for {
		rec, err = cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rep.Add(pe.Line, "", "", "This line is not valid CSV: "+pe.Err.Error()+". Check the quotes on it.")
				return rep, rep.Err()
			}
			return nil, readError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if rep.Rows++; rep.Rows > MaxSubscriberRows {
			return nil, tandem.Errorf(tandem.ETOOLARGE, "The file has more than %s subscribers (line %d); split it into files of at most %s.",
				thousands(MaxSubscriberRows), line, thousands(MaxSubscriberRows))
		}
		if st := get("status"); st != "" && st != tandem.SubscriberConfirmed {
			continue // pending or unsubscribed rows of an export are not subscriptions
		}
		ok := true
		email := tandem.NormalizeEmail(get("email"))
		if msg := tandem.CheckEmail(email); msg != "" {
			rep.Add(line, "email", get("email"), msg)
			ok = false
		} else if prev, dup := firstLine[email]; dup {
			rep.Add(line, "email", email, fmt.Sprintf("%s is also on line %d; each address appears once.", email, prev))
			ok = false
		} else {
			firstLine[strings.Clone(email)] = line
		}
		raw := get("consent_at")
		at, terr := time.Parse(time.RFC3339, raw)
		if terr != nil {
			at, terr = time.Parse("2006-01-02", raw)
		}
		switch {
		case raw == "":
			rep.Add(line, "consent_at", "", "No consent time recorded.")
		case terr != nil:
			rep.Add(line, "consent_at", raw, "Not a time like 2026-03-01T09:00:00Z or a date like 2026-03-01.")
		case at.After(now):
			rep.Add(line, "consent_at", raw, "The consent time is in the future.")
		}
		source := get("consent_source")
		if source == "" {
			rep.Add(line, "consent_source", "", "How the person agreed is not recorded.")
		}
		if !ok || !rep.OK() {
			continue // nothing will be written: keep no rows
		}
		subs = append(subs, tandem.Subscriber{Email: strings.Clone(email), ConsentAt: &at, ConsentSource: strings.Clone(source)})
	}
	if !rep.OK() {
		return rep, rep.Err()
	}
	if rep.Created, err = a.DB.ImportSubscribers(ctx, act.Org.ID, subs); err != nil {
		return nil, err
	}
	return rep, nil
}

// DigestSentCount says to how many subscribers a digest was sent.
func (a *App) DigestSentCount(ctx context.Context, digestID int64) (int, error) {
	return a.DB.DigestSent(ctx, digestID)
}
