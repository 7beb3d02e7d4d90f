package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/jobs"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// notesOrg makes an organization with a published article and n
// confirmed subscribers (s0@…), one pending and one unsubscribed.
func notesOrg(t testing.TB, db *sqldb.DB, a *app.App, n int) (context.Context, *tandem.Org) {
	t.Helper()
	ctx := tandemtest.MustOrg(t, db, "Acme")
	if _, err := a.SaveArticle(ctx, 0, tandem.ArticleInput{Title: "First note", Summary: "Hello", Body: "Hello **there**.", Status: tandem.ArticlePublished}); err != nil {
		t.Fatal(err)
	}
	org := tandem.ActorFrom(ctx).Org
	at := db.Now().Add(-time.Hour)
	subs := make([]tandem.Subscriber, n)
	for i := range subs {
		subs[i] = tandem.Subscriber{Email: fmt.Sprintf("s%d@example.com", i), ConsentAt: &at, ConsentSource: "test"}
	}
	for len(subs) > 0 { // in transactions of 5,000
		k := min(len(subs), 5000)
		if _, err := db.ImportSubscribers(context.Background(), org.ID, subs[:k]); err != nil {
			t.Fatal(err)
		}
		subs = subs[k:]
	}
	if _, err := db.Subscribe(context.Background(), org.ID, "pending@example.com"); err != nil {
		t.Fatal(err)
	}
	gone, err := db.Subscribe(context.Background(), org.ID, "gone@example.com")
	if err != nil {
		t.Fatal(err)
	}
	db.ConfirmSubscriber(context.Background(), org.ID, gone.ID, "test")
	db.Unsubscribe(context.Background(), org.ID, gone.ID)
	return ctx, org
}

// waitDigest waits until no digest job is left and returns how many
// subscribers the digest was sent to.
func waitDigest(t testing.TB, a *app.App, id int64) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		n, err := a.DB.UnfinishedJobs(context.Background(), app.DigestArgs{}.Kind(), app.DigestBatchArgs{}.Kind())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			sent, err := a.DigestSentCount(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			return sent
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d digest jobs still unfinished", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDigestDelivery: a digest goes through the River jobs to a real SMTP
// server, once to each confirmed subscriber and to no one else, in
// batches that reuse one connection each, with RFC 8058 headers and each
// recipient's own unsubscribe link. A recipient the server refuses for
// good (550) is recorded as refused and the rest of the batch still gets
// theirs; a retry sends to no one, the refused included.
func TestDigestDelivery(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	sink := tandemtest.StartSMTPServer(t)
	sink.Refuse("s7@example.com")
	m, err := mail.NewSMTPMailer(sink.URL("notes@tandem.test"))
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(db, m, quiet(), "https://tandem.test")
	admin, org := notesOrg(t, db, a, 23)
	old := app.DigestBatchSize
	app.DigestBatchSize = 5
	t.Cleanup(func() { app.DigestBatchSize = old })
	r, err := jobs.Start(context.Background(), a, quiet(), jobs.Config{PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop(context.Background())

	plan, err := a.SendDigestNow(context.Background(), org.ID, false)
	if err != nil || plan.DigestID == 0 || plan.Subscribers != 23 {
		t.Fatalf("plan %+v %v", plan, err)
	}
	if sent := waitDigest(t, a, plan.DigestID); sent != 22 {
		t.Fatalf("sent to %d, want 22", sent)
	}
	// The digest and its batches are on the organization's queue page.
	q, err := a.Jobs(admin, "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, j := range q.Jobs {
		kinds[j.Kind]++
	}
	if kinds["notes_digest"] != 1 || kinds["notes_digest_batch"] != 5 {
		t.Errorf("the administrator's queue: %v", kinds)
	}
	counts := sink.Counts()
	for i := 0; i < 23; i++ {
		if c, want := counts[fmt.Sprintf("s%d@example.com", i)], 1-btoi(i == 7); c != want {
			t.Errorf("s%d received %d digests, want %d", i, c, want)
		}
	}
	if counts["pending@example.com"] != 0 || counts["gone@example.com"] != 0 || sink.Total() != 22 || sink.Refused() != 1 {
		t.Errorf("sent to the unconfirmed or the unsubscribed: %v", counts)
	}
	if c := sink.Connections(); c > 5 {
		t.Errorf("%d SMTP connections for 5 batches: connections are not reused", c)
	}
	links := map[string]bool{}
	for _, r := range sink.Messages() {
		msg, err := r.Parse()
		if err != nil {
			t.Fatal(err)
		}
		lu := msg.Header.Get("List-Unsubscribe")
		if msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(lu, "<https://tandem.test/o/acme/notes/unsubscribe/") {
			t.Fatalf("headers: %v", msg.Header)
		}
		links[lu] = true
	}
	if len(links) != 22 {
		t.Errorf("%d distinct unsubscribe links for 22 recipients", len(links))
	}
	// A batch run again (a retry) sends nothing, and asks nothing of the
	// server for the refused address.
	if n, err := a.SendDigestBatch(context.Background(), app.DigestBatchArgs{DigestID: plan.DigestID, After: 0, UpTo: 1 << 40}); n != 0 || err != nil || sink.Refused() != 1 {
		t.Fatalf("retry sent %d (%v), %d refusals", n, err, sink.Refused())
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestDigestSchedule: the digest starts at its slot in the
// organization's time zone, once per slot, only with something new; a
// day that does not exist in every month is refused.
func TestDigestSchedule(t *testing.T) {
	db, clock := tandemtest.MustOpenDB(t)
	a := app.New(db, &tandemtest.Mailbox{}, quiet(), "https://tandem.test")
	clock.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	ctx, org := notesOrg(t, db, a, 2)
	for _, bad := range []tandem.DigestSchedule{{Days: []int{1, 31}, Hour: 9, TimeZone: "UTC"}, {Days: []int{15}, Hour: 24}, {Days: []int{15}, Hour: 9, TimeZone: "Mars/Olympus"}, {}} {
		err := a.SetDigestSchedule(ctx, bad)
		if tandem.ErrorCode(err) != tandem.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if err := a.SetDigestSchedule(ctx, tandem.DigestSchedule{Days: []int{31}, Hour: 9}); !strings.Contains(tandem.ErrorFields(err)["days"], "Day 31 does not exist in every month") {
		t.Errorf("the 31st: %v", err)
	}
	if err := a.SetDigestSchedule(ctx, tandem.DigestSchedule{Days: []int{15, 1}, Hour: 9, TimeZone: "Europe/Paris"}); err != nil {
		t.Fatal(err)
	}
	run := func(at time.Time, want int) {
		t.Helper()
		clock.Set(at)
		n, err := a.ScheduleDigests(context.Background())
		if err != nil || n != want {
			t.Fatalf("at %s: %d digests started (%v), want %d", at, n, err, want)
		}
	}
	run(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), 0) // the 1st is long past
	run(time.Date(2026, 3, 15, 7, 59, 0, 0, time.UTC), 0) // 08:59 in Paris
	run(time.Date(2026, 3, 15, 8, 0, 0, 0, time.UTC), 1)  // 09:00 in Paris
	run(time.Date(2026, 3, 15, 8, 5, 0, 0, time.UTC), 0)  // once per slot
	run(time.Date(2026, 4, 1, 7, 0, 0, 0, time.UTC), 0)   // 09:00 CEST, summer time: nothing new anyway
	if _, err := a.SaveArticle(ctx, 0, tandem.ArticleInput{Title: "Second", Body: "More.", Status: tandem.ArticlePublished}); err != nil {
		t.Fatal(err)
	}
	run(time.Date(2026, 4, 1, 6, 59, 0, 0, time.UTC), 0)
	run(time.Date(2026, 4, 1, 7, 0, 0, 0, time.UTC), 1)
	last, _ := db.LastDigest(context.Background(), org.ID)
	if last.Articles != 1 || last.Period != "2026-04-01T07:00Z" {
		t.Fatalf("second digest: %+v", last)
	}
}

// TestDigestRenderedOnce: the digest is rendered when it is fanned out
// and stored with it; a batch sent after an article was edited sends what
// was rendered, the same to everyone but for the unsubscribe link.
func TestDigestRenderedOnce(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	mb := &tandemtest.Mailbox{}
	a := app.New(db, mb, quiet(), "https://tandem.test")
	ctx, org := notesOrg(t, db, a, 3)
	bg := context.Background()
	plan, err := a.SendDigestNow(bg, org.ID, false)
	if err != nil || plan.DigestID == 0 {
		t.Fatalf("plan %+v %v", plan, err)
	}
	if _, err := a.FanOutDigest(bg, plan.DigestID); err != nil {
		t.Fatal(err)
	}
	arts, err := db.Articles(bg, org.ID, sqldb.ArticleFilter{Limit: 10})
	if err != nil || len(arts) != 1 {
		t.Fatalf("articles %v %v", arts, err)
	}
	if _, err := a.SaveArticle(ctx, arts[0].ID, tandem.ArticleInput{Title: "Edited title", Summary: "Changed", Body: "New body.", Status: tandem.ArticlePublished}); err != nil {
		t.Fatal(err)
	}
	if n, err := a.SendDigestBatch(bg, app.DigestBatchArgs{DigestID: plan.DigestID, After: 0, UpTo: 1 << 40}); n != 3 || err != nil {
		t.Fatalf("sent %d (%v)", n, err)
	}
	msgs := mb.Messages()
	if len(msgs) != 3 {
		t.Fatalf("%d messages", len(msgs))
	}
	var text, html string
	for _, m := range msgs {
		link := strings.Trim(m.Headers["List-Unsubscribe"], "<>")
		if !strings.Contains(m.Text, "First note") || strings.Contains(m.Text+m.HTML+m.Subject, "Edited") || !strings.Contains(m.Text, link) {
			t.Errorf("to %s: not the digest as rendered at the fan-out:\n%s", m.To, m.Text)
		}
		tx, h := strings.ReplaceAll(m.Text, link, "LINK"), strings.ReplaceAll(m.HTML, link, "LINK")
		if text == "" {
			text, html = tx, h
		}
		if tx != text || h != html || m.Subject != msgs[0].Subject {
			t.Errorf("to %s: the message differs from the others by more than the unsubscribe link", m.To)
		}
	}
	if sent, err := a.DigestSentCount(bg, plan.DigestID); sent != 3 || err != nil {
		t.Errorf("%d deliveries recorded (%v)", sent, err)
	}
}

// slowMailer takes its time over each message.
type slowMailer struct {
	tandemtest.Mailbox
	delay time.Duration
}

func (m *slowMailer) Send(ctx context.Context, msg *tandem.Message) error {
	time.Sleep(m.delay)
	return m.Mailbox.Send(ctx, msg)
}

// TestDigestBatchPauses: a batch whose mail goes slower than its timeout
// allows stops between two messages, is snoozed (not failed: no attempt is
// counted) and goes on where it stopped, until everyone has it once.
func TestDigestBatchPauses(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	mb := &slowMailer{delay: 20 * time.Millisecond}
	a := app.New(db, mb, quiet(), "https://tandem.test")
	_, org := notesOrg(t, db, a, 30)
	old := jobs.DigestBatchTimeout
	jobs.DigestBatchTimeout = 300 * time.Millisecond // 30 messages take 600 ms at least
	t.Cleanup(func() { jobs.DigestBatchTimeout = old })
	r, err := jobs.Start(context.Background(), a, quiet(), jobs.Config{PollInterval: 100 * time.Millisecond, NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop(context.Background())
	plan, err := a.SendDigestNow(context.Background(), org.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if sent := waitDigest(t, a, plan.DigestID); sent != 30 {
		t.Fatalf("sent to %d, want 30", sent)
	}
	seen := map[string]int{}
	for _, m := range mb.Messages() {
		seen[m.To]++
	}
	if len(seen) != 30 || len(mb.Messages()) != 30 {
		t.Errorf("%d messages to %d recipients, want 30 to 30", len(mb.Messages()), len(seen))
	}
	all, err := db.ListJobs(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range all {
		if j.Kind != (app.DigestBatchArgs{}).Kind() {
			continue
		}
		var meta struct {
			Snoozes int `json:"snoozes"`
		}
		json.Unmarshal(j.Metadata, &meta)
		if j.State != rivertype.JobStateCompleted || j.Attempt != 1 || meta.Snoozes < 1 || len(j.Errors) != 0 {
			t.Errorf("batch %s, attempt %d, %d snoozes, errors %v", j.State, j.Attempt, meta.Snoozes, j.Errors)
		}
	}
}

// TestDigestUncertainDeliveries: a claim that was never confirmed (a
// process that died between the claim's commit and the server's reply,
// simulated by a claim written and left) is not sent again, is logged
// when its batch resumes, and counts as uncertain on the administrators'
// report once no run can still confirm it; every delivery the server
// accepted is confirmed, the batch's last one included.
func TestDigestUncertainDeliveries(t *testing.T) {
	db, clock := tandemtest.MustOpenDB(t)
	var logs strings.Builder
	a := app.New(db, &tandemtest.Mailbox{}, slog.New(slog.NewTextHandler(&logs, nil)), "https://tandem.test")
	admin, org := notesOrg(t, db, a, 6)
	ctx := context.Background()
	plan, err := a.SendDigestNow(ctx, org.ID, false)
	if err != nil || plan.DigestID == 0 {
		t.Fatalf("digest: %+v %v", plan, err)
	}
	d, err := db.Digest(ctx, plan.DigestID)
	if err != nil {
		t.Fatal(err)
	}
	recips, err := db.DigestRecipients(ctx, d, 0, 1<<40)
	if err != nil || len(recips) != 6 {
		t.Fatalf("recipients: %d %v", len(recips), err)
	}
	lost := recips[2].ID
	if ok, err := db.ClaimDigestSend(ctx, d.ID, lost, nil); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	sent, err := a.SendDigestBatch(ctx, app.DigestBatchArgs{DigestID: d.ID, OrgID: org.ID, After: 0, UpTo: 1 << 40})
	if err != nil || sent != 5 {
		t.Fatalf("batch sent %d (%v), want 5: the claimed one is not sent again", sent, err)
	}
	if !strings.Contains(logs.String(), "never confirmed") || !strings.Contains(logs.String(), fmt.Sprintf("subscribers=[%d]", lost)) {
		t.Errorf("the resumed batch did not log the uncertain claim:\n%s", logs.String())
	}
	if got, err := db.UnconfirmedDigestSends(ctx, d.ID, 0, 1<<40); err != nil || len(got) != 1 || got[0] != lost {
		t.Errorf("unconfirmed after the batch: %v %v, want only %d", got, err, lost)
	}
	report := func() sqldb.DigestReport {
		t.Helper()
		list, err := a.DigestReports(admin)
		if err != nil || len(list) != 1 {
			t.Fatalf("reports: %+v %v", list, err)
		}
		return list[0]
	}
	// Young, it may be in flight still; once no run can confirm it, it
	// is uncertain.
	if r := report(); r.Delivered != 6 || r.Uncertain != 0 {
		t.Errorf("at once: %+v", r)
	}
	clock.Add(sqldb.DigestClaimSettled + time.Second)
	if r := report(); r.Delivered != 6 || r.Refused != 0 || r.Uncertain != 1 {
		t.Errorf("later: delivered %d, refused %d, uncertain %d; want 6, 0, 1", r.Delivered, r.Refused, r.Uncertain)
	}
	// Only administrators read it, and only their organization's.
	member := tandemtest.MustMember(t, db, admin, "m@acme.test", "M", tandem.RoleMember)
	if _, err := a.DigestReports(member); tandem.ErrorCode(err) != tandem.EFORBIDDEN {
		t.Errorf("a member reads the digest report: %v", err)
	}
	if list, err := a.DigestReports(tandemtest.MustOrg(t, db, "Elsewhere")); err != nil || len(list) != 0 {
		t.Errorf("another organization's report: %+v %v", list, err)
	}
}
