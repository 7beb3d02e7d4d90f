package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestJobsPage: an invitation the mail server refuses for good (550) is a
// cancelled job with the server's reply on the administrator's queue page
// and in the API; the administrator retries it once the cause is fixed,
// and it is delivered; a job that completed cannot be retried.
func TestJobsPage(t *testing.T) {
	e := newEnv(t)
	srv := tandemtest.StartSMTPServer(t)
	srv.SetMode(tandemtest.SMTPReject)
	m, err := mail.NewSMTPMailer(srv.URL("tandem@acme.test"))
	if err != nil {
		t.Fatal(err)
	}
	e.app.Mailer = m // before any job runs
	b := e.setup("Acme", "Ada", "ada@acme.test")
	token := b.token("script")
	if r := b.post("/admin/invitations", url.Values{"email": {"bob@acme.test"}, "name": {"Bob"}, "role": {"member"}}); r.status != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", r.status, r.body)
	}
	idle := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := e.jobs.WaitIdle(ctx); err != nil {
			t.Fatal(err)
		}
	}
	idle()

	r := b.get("/admin/jobs?state=failed")
	for _, want := range []string{"invitation_email", "cancelled", "550", "No such mailbox", "1 of 12", `action="/admin/jobs/`} {
		if r.status != http.StatusOK || !strings.Contains(r.body, want) {
			t.Errorf("the queue page (%d) lacks %q:\n%s", r.status, want, r.body)
		}
	}
	if r := b.get("/admin/jobs?state=lost"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Choose a job state") {
		t.Errorf("a made-up state: %d", r.status)
	}
	st, q, _ := e.api("GET", "/api/v1/jobs?state=failed", token, "")
	jobs, _ := q["jobs"].([]any)
	if st != http.StatusOK || len(jobs) != 1 || q["counts"].(map[string]any)["cancelled"] != 1.0 {
		t.Fatalf("GET /api/v1/jobs: %d %v", st, q)
	}
	job := jobs[0].(map[string]any)
	errs, _ := job["errors"].([]any)
	if job["state"] != "cancelled" || job["attempt"] != 1.0 || len(errs) != 1 || !strings.Contains(fmt.Sprint(errs[0]), "550") || job["retryable"] != true {
		t.Errorf("job %v", job)
	}
	if _, hasArgs := job["args"]; hasArgs {
		t.Errorf("the API shows a job's arguments: %v", job)
	}
	if st, p, _ := e.api("GET", "/api/v1/jobs?state=lost", token, ""); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["state"] == nil {
		t.Errorf("a made-up state: %d %v", st, p)
	}
	id := int64(job["id"].(float64))

	srv.SetMode(tandemtest.SMTPAccept)
	if r := b.post(fmt.Sprintf("/admin/jobs/%d/retry", id), nil); r.status != http.StatusSeeOther {
		t.Fatalf("retry: %d\n%s", r.status, r.body)
	}
	got := srv.WaitMessages(t, 1)
	idle()
	if len(got) != 1 || got[0].To[0] != "bob@acme.test" {
		t.Fatalf("after the retry: %v", got)
	}
	if r := b.post(fmt.Sprintf("/admin/jobs/%d/retry", id), nil); r.status != http.StatusConflict || !strings.Contains(r.body, "only a job that failed for good") {
		t.Errorf("retrying a sent email: %d", r.status)
	}
	if st, _, _ := e.api("POST", fmt.Sprintf("/api/v1/jobs/%d/retry", id), token, "{}"); st != http.StatusConflict {
		t.Errorf("API retry of a sent email: %d", st)
	}
	if st, _, _ := e.api("POST", "/api/v1/jobs/999999/retry", token, "{}"); st != http.StatusNotFound {
		t.Errorf("API retry of a made-up job: %d", st)
	}
	if len(srv.Messages()) != 1 {
		t.Errorf("%d messages", len(srv.Messages()))
	}
}
