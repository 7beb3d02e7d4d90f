package jobs_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
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

// Reliability of email delivery, against a real SMTP server in the test
// process (tandemtest.SMTPServer, github.com/emersion/go-smtp), on both
// databases: every message arrives exactly once through an outage, a
// permanent refusal is not retried and shows on the queue, and two
// replicas send each message once.

// fastRetry retries a failed job after 100 ms instead of River's attempt⁴
// seconds, so an outage of a few seconds spans several attempts.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(100 * time.Millisecond)
}

const baseURL = "https://tandem.example"

// startMailing runs a Runner whose app sends through the SMTP server.
func startMailing(t *testing.T, db *sqldb.DB, srv *tandemtest.SMTPServer) (*app.App, *jobs.Runner) {
	t.Helper()
	m, err := mail.NewSMTPMailer(srv.URL("tandem@acme.test"))
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(db, m, quiet(), baseURL)
	r, err := jobs.Start(context.Background(), a, quiet(), jobs.Config{PollInterval: 100 * time.Millisecond, RetryPolicy: fastRetry{}, NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return a, r
}

// enqueueNotices inserts n non-secret emails, one transaction each.
func enqueueNotices(t *testing.T, db *sqldb.DB, orgID int64, prefix string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		err := db.Write(context.Background(), func(tx *sqldb.Tx) error {
			return app.EnqueueEmail(context.Background(), tx, app.EmailArgs{OrgID: orgID, To: fmt.Sprintf("%s%d@acme.test", prefix, i), Template: "notice",
				Data: map[string]string{"Subject": "Notice " + prefix, "Name": "Reader", "Body": "Something happened.", "Link": baseURL + "/engagements", "LinkText": "Open Tandem"}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// waitJobStates waits until every job of the kinds is in one of the
// states, and returns them.
func waitJobStates(t *testing.T, db *sqldb.DB, want func(*rivertype.JobRow) bool, n int) []*rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		all, err := db.ListJobs(context.Background(), 500)
		if err != nil {
			t.Fatal(err)
		}
		ok := 0
		for _, j := range all {
			if want(j) {
				ok++
			}
		}
		if ok >= n {
			return all
		}
		if time.Now().After(deadline) {
			var s []string
			for _, j := range all {
				s = append(s, fmt.Sprintf("%d %s %s attempt %d", j.ID, j.Kind, j.State, j.Attempt))
			}
			t.Fatalf("%d of %d jobs as wanted:\n%s", ok, n, strings.Join(s, "\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+`)

// checkMessage reads a message's headers and parts, and returns its
// first link, which must be absolute on the site.
func checkMessage(t *testing.T, r tandemtest.Received) (*tandemtest.ParsedMail, string) {
	t.Helper()
	p, err := r.Parse()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, r.Raw)
	}
	if len(r.To) != 1 || p.Header.Get("To") != r.To[0] || p.Header.Get("From") != "tandem@acme.test" || r.From != "tandem@acme.test" {
		t.Errorf("envelope %s → %v, headers From %q To %q", r.From, r.To, p.Header.Get("From"), p.Header.Get("To"))
	}
	if !regexp.MustCompile(`^<job-\d+\.\d+@tandem\.example>$`).MatchString(p.Header.Get("Message-ID")) {
		t.Errorf("Message-ID %q", p.Header.Get("Message-ID"))
	}
	if p.Subject == "" || p.Text == "" || !strings.Contains(p.HTML, "<p>") {
		t.Errorf("subject %q, text %q, html %q", p.Subject, p.Text, p.HTML)
	}
	link := linkRE.FindString(p.Text)
	if !strings.HasPrefix(link, baseURL+"/") || !strings.Contains(p.HTML, `href="`+link+`"`) {
		t.Errorf("link %q in the text, not the same absolute link in the HTML:\n%s", link, p.HTML)
	}
	return p, link
}

// TestDeliveryThroughOutage: the SMTP server is down, then refuses with
// 451, then is back: every message (invitations, whose link is minted at
// sending, and plain notices) arrives exactly once, with the Message-ID it
// had on its failed attempts, and an invitation's link from a failed
// attempt no longer works while the delivered one does.
func TestDeliveryThroughOutage(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	srv := tandemtest.StartSMTPServer(t)
	srv.Down()
	a, _ := startMailing(t, db, srv)
	admin := tandemtest.MustOrg(t, db, "Acme")
	orgID := tandem.ActorFrom(admin).Org.ID
	const invites, notices = 4, 4
	for i := 0; i < invites; i++ {
		if _, err := a.Invite(admin, fmt.Sprintf("invitee%d@acme.test", i), "Invitee", tandem.RoleMember, false); err != nil {
			t.Fatal(err)
		}
	}
	enqueueNotices(t, db, orgID, "notice", notices)
	total := invites + notices

	// Down: every job fails at least twice (connection refused) and waits.
	waitJobStates(t, db, func(j *rivertype.JobRow) bool { return j.Attempt >= 2 }, total)
	// 451 after DATA: the server sees each message, and refuses it.
	srv.Up()
	srv.SetMode(tandemtest.SMTPTempFail)
	deadline := time.Now().Add(30 * time.Second)
	for len(srv.Deferred()) < total*2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	deferred := srv.Deferred()
	if len(srv.Messages()) != 0 || len(deferred) < total {
		t.Fatalf("%d accepted, %d deferred during the 451s", len(srv.Messages()), len(deferred))
	}
	srv.SetMode(tandemtest.SMTPAccept)
	got := srv.WaitMessages(t, total)
	waitJobStates(t, db, func(j *rivertype.JobRow) bool { return j.State == rivertype.JobStateCompleted }, total)
	time.Sleep(300 * time.Millisecond) // room for a duplicate, which must not come
	got = srv.Messages()
	if len(got) != total {
		t.Fatalf("%d messages arrived, want %d", len(got), total)
	}
	byID := map[string]*tandemtest.ParsedMail{}
	var to []string
	for _, r := range got {
		p, link := checkMessage(t, r)
		id := p.Header.Get("Message-ID")
		if byID[id] != nil {
			t.Errorf("two messages with Message-ID %s", id)
		}
		byID[id] = p
		to = append(to, r.To[0])
		if strings.HasPrefix(r.To[0], "invitee") {
			if !strings.Contains(link, "/invitations/") {
				t.Errorf("invitation link %q", link)
			}
			if _, _, _, err := a.InvitationByToken(context.Background(), strings.TrimPrefix(link, baseURL+"/invitations/")); err != nil {
				t.Errorf("the delivered invitation link does not work: %v", err)
			}
		}
	}
	sort.Strings(to)
	if want := "invitee0@acme.test invitee1@acme.test invitee2@acme.test invitee3@acme.test notice0@acme.test notice1@acme.test notice2@acme.test notice3@acme.test"; strings.Join(to, " ") != want {
		t.Errorf("recipients %v", to)
	}
	for _, r := range deferred {
		p, link := checkMessage(t, r)
		if byID[p.Header.Get("Message-ID")] == nil {
			t.Errorf("a deferred attempt to %v had Message-ID %s, which no delivered message has", r.To, p.Header.Get("Message-ID"))
		}
		if strings.Contains(link, "/invitations/") {
			if _, _, _, err := a.InvitationByToken(context.Background(), strings.TrimPrefix(link, baseURL+"/invitations/")); tandem.ErrorCode(err) != tandem.ENOTFOUND {
				t.Errorf("the link of a failed attempt still works (%v)", err)
			}
		}
	}
}

// TestPermanentFailureNotRetried: a 550 cancels the job after one attempt,
// with the server's reply as its error on the organization's queue (and
// on no other organization's); after the cause is fixed, the
// administrator retries it and it is delivered once.
func TestPermanentFailureNotRetried(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	srv := tandemtest.StartSMTPServer(t)
	srv.SetMode(tandemtest.SMTPReject)
	a, _ := startMailing(t, db, srv)
	admin := tandemtest.MustOrg(t, db, "Acme")
	other := tandemtest.MustOrg(t, db, "Globex")
	if _, err := a.Invite(admin, "nobody@acme.test", "Nobody", tandem.RoleMember, false); err != nil {
		t.Fatal(err)
	}
	waitJobStates(t, db, func(j *rivertype.JobRow) bool { return j.State == rivertype.JobStateCancelled }, 1)
	time.Sleep(300 * time.Millisecond) // room for a retry, which must not come
	q, err := a.Jobs(admin, "failed")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Jobs) != 1 || q.Counts["cancelled"] != 1 {
		t.Fatalf("the administrator's failed jobs: %+v", q)
	}
	j := q.Jobs[0]
	if j.Kind != "invitation_email" || j.State != "cancelled" || j.Attempt != 1 || len(j.Errors) != 1 ||
		!strings.Contains(j.Errors[0].Error, "550") || !j.Retryable || j.Errors[0].At.IsZero() {
		t.Errorf("job %+v", j)
	}
	if srv.Refused() != 1 || len(srv.Messages()) != 0 {
		t.Errorf("%d refusals, %d messages: a permanent failure was retried", srv.Refused(), len(srv.Messages()))
	}
	if q, err := a.Jobs(other, ""); err != nil || len(q.Jobs) != 0 || q.Counts["cancelled"] != 0 {
		t.Errorf("another organization's administrator sees %+v (%v)", q, err)
	}
	if _, err := a.RetryJob(other, j.ID); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Errorf("another organization retried the job: %v", err)
	}
	if _, err := a.Jobs(admin, "lost"); tandem.ErrorFields(err)["state"] == "" {
		t.Errorf("a made-up state: %v", err)
	}

	srv.SetMode(tandemtest.SMTPAccept)
	if _, err := a.RetryJob(admin, j.ID); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitMessages(t, 1)
	waitJobStates(t, db, func(j *rivertype.JobRow) bool { return j.State == rivertype.JobStateCompleted }, 1)
	if _, err := a.RetryJob(admin, j.ID); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("a sent email retried: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if got = srv.Messages(); len(got) != 1 || got[0].To[0] != "nobody@acme.test" {
		t.Fatalf("after the retry: %d messages", len(got))
	}
	checkMessage(t, got[0])
}

// TestTwoReplicasSendOnce: two Runners on one database, each inserting
// half of the mail; every message is sent once.
func TestTwoReplicasSendOnce(t *testing.T) {
	url, _ := tandemtest.MustOpenDBURL(t)
	open := func() *sqldb.DB {
		db, err := sqldb.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	db1, db2 := open(), open()
	srv := tandemtest.StartSMTPServer(t)
	startMailing(t, db1, srv)
	startMailing(t, db2, srv)
	admin := tandemtest.MustOrg(t, db1, "Acme")
	orgID := tandem.ActorFrom(admin).Org.ID
	const n = 20
	enqueueNotices(t, db1, orgID, "one", n)
	enqueueNotices(t, db2, orgID, "two", n)
	srv.WaitMessages(t, 2*n)
	waitJobStates(t, db1, func(j *rivertype.JobRow) bool { return j.State == rivertype.JobStateCompleted }, 2*n)
	time.Sleep(300 * time.Millisecond) // room for a duplicate, which must not come
	got := srv.Messages()
	seen := map[string]bool{}
	for _, r := range got {
		p, _ := checkMessage(t, r)
		if seen[r.To[0]] || seen[p.Header.Get("Message-ID")] {
			t.Errorf("%s received twice", r.To[0])
		}
		seen[r.To[0]], seen[p.Header.Get("Message-ID")] = true, true
	}
	if len(got) != 2*n {
		t.Errorf("%d messages for %d jobs", len(got), 2*n)
	}
}

// TestEmailKeyIsUnique: two email jobs with one key are one job.
func TestEmailKeyIsUnique(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	admin := tandemtest.MustOrg(t, db, "Acme")
	orgID := tandem.ActorFrom(admin).Org.ID
	for i := 0; i < 2; i++ {
		err := db.Write(context.Background(), func(tx *sqldb.Tx) error {
			return app.EnqueueEmail(context.Background(), tx, app.EmailArgs{OrgID: orgID, To: "zoe@acme.test", Template: "notice", Key: "reminder:7", Data: map[string]string{"Subject": "x"}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if all, err := db.ListJobs(context.Background(), 10); err != nil || len(all) != 1 {
		t.Fatalf("%d jobs for one key (%v)", len(all), err)
	}
	err := db.Write(context.Background(), func(tx *sqldb.Tx) error {
		return app.EnqueueEmail(context.Background(), tx, app.EmailArgs{OrgID: orgID, Template: "notice"})
	})
	if tandem.ErrorCode(err) != tandem.EINVALID {
		t.Errorf("an email with no recipient: %v", err)
	}
}
