package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
)

// TestDigestReportPage: a digest claim never confirmed (a process killed
// between the claim and the server's reply, simulated by a claim left
// behind) shows as uncertain on /admin/digest and in GET /api/v1/digests.
func TestDigestReportPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	org := orgOf(t, e, "acme")
	if r := admin.post("/articles", formOf("title", "First", "body", "Hello", "status", "published")); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d", r.status)
	}
	at := e.clock.Now().Add(-time.Hour)
	if _, err := e.db.ImportSubscribers(ctx, org.ID, []tandem.Subscriber{{Email: "r1@example.com", ConsentAt: &at, ConsentSource: "test"},
		{Email: "r2@example.com", ConsentAt: &at, ConsentSource: "test"}}); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Minute)
	plan, err := e.app.SendDigestNow(ctx, org.ID, false)
	if err != nil || plan.DigestID == 0 {
		t.Fatalf("digest: %+v %v", plan, err)
	}
	d, _ := e.db.Digest(ctx, plan.DigestID)
	recips, err := e.db.DigestRecipients(ctx, d, 0, 1<<40)
	if err != nil || len(recips) != 2 {
		t.Fatalf("recipients: %v %v", recips, err)
	}
	if _, err := e.db.ClaimDigestSend(ctx, d.ID, recips[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(sqldb.DigestClaimSettled + time.Minute)

	page := admin.get("/admin/digest")
	if page.status != http.StatusOK || !strings.Contains(page.body, "<strong>1</strong>") || !strings.Contains(page.body, "Uncertain") {
		t.Errorf("the digest page: %d\n%s", page.status, page.body)
	}
	code, out, _ := e.api("GET", "/api/v1/digests", admin.token("digests"), "")
	list, _ := out["digests"].([]any)
	if code != http.StatusOK || len(list) != 1 {
		t.Fatalf("GET /api/v1/digests: %d %v", code, out)
	}
	if got := list[0].(map[string]any); got["uncertain"] != float64(1) || got["delivered"] != float64(1) || got["refused"] != float64(0) {
		t.Errorf("the digest in the API: %v", got)
	}
}
