package app_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestSubscriberImportReportBounded: like the people import, a subscriber
// import lists the first MaxImportProblems problems and counts the rest,
// and imports nothing.
func TestSubscriberImportReportBounded(t *testing.T) {
	a, _ := newApp(t)
	ctx := tandemtest.MustOrg(t, a.DB, "Acme")
	var b strings.Builder
	b.WriteString("email,consent_at,consent_source\n")
	b.WriteString("good@example.com,2026-01-05,paper form\n")
	for i := range 1500 { // one problem a row: no consent source
		fmt.Fprintf(&b, "s%d@example.com,2026-01-05,\n", i)
	}
	rep, err := a.ImportSubscribers(ctx, strings.NewReader(b.String()))
	if tandem.ErrorCode(err) != tandem.EINVALID || rep == nil {
		t.Fatalf("import: %v", err)
	}
	if len(rep.Problems) != tandem.MaxImportProblems || rep.MoreProblems != 500 || rep.Rows != 1501 {
		t.Errorf("%d problems listed, %d more, %d rows", len(rep.Problems), rep.MoreProblems, rep.Rows)
	}
	if p := rep.Problems[0]; p.Line != 3 || p.Column != "consent_source" {
		t.Errorf("first problem %+v", p)
	}
	if msg := tandem.ErrorMessage(err); !strings.Contains(msg, "1500 problems") || !strings.Contains(msg, "nothing was imported") {
		t.Errorf("message %q", msg)
	}
	org := tandem.ActorFrom(ctx).Org
	if n, _ := a.DB.CountSubscribers(context.Background(), org.ID, tandem.SubscriberConfirmed); n != 0 {
		t.Errorf("%d subscribers stored by a refused import", n)
	}
	// Each kind of problem says its column.
	rep, _ = a.ImportSubscribers(ctx, strings.NewReader("email,consent_at,consent_source\nbad,2026-01-05,web\nx@example.com,soon,web\ny@example.com,2999-01-01,web\ny@example.com,,web\n"))
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Column))
	}
	if want := "2 email,3 consent_at,4 consent_at,5 email,5 consent_at"; strings.Join(got, ",") != want {
		t.Errorf("problems %v, want %s", got, want)
	}
}

// TestSubscriberImportRowLimit: every data row counts towards
// MaxSubscriberRows, kept or not (a file of bad rows too), and a file
// over MaxImportBytes is refused as it is read.
func TestSubscriberImportRowLimit(t *testing.T) {
	a, _ := newApp(t)
	ctx := tandemtest.MustOrg(t, a.DB, "Acme")
	file := func(n int, row string) io.Reader {
		return io.MultiReader(strings.NewReader("email,consent_at,consent_source\n"), io.LimitReader(&endless{line: row}, int64(n*len(row))))
	}
	for _, row := range []string{"bad-address,,\n", "x@example.com,2026-01-05,web,unsubscribed\n"} {
		_, err := a.ImportSubscribers(ctx, file(app.MaxSubscriberRows+1, row))
		if tandem.ErrorCode(err) != tandem.ETOOLARGE || !strings.Contains(tandem.ErrorMessage(err), "200,000") {
			t.Errorf("%q: over the limit: %v", row, err)
		}
	}
	// Exactly at the limit, with a status column skipping every row: read
	// to the end, nothing to import.
	r := io.MultiReader(strings.NewReader("email,consent_at,consent_source,status\n"),
		io.LimitReader(&endless{line: "x@example.com,2026-01-05,web,unsubscribed\n"}, int64(app.MaxSubscriberRows*len("x@example.com,2026-01-05,web,unsubscribed\n"))))
	if rep, err := a.ImportSubscribers(ctx, r); err != nil || rep.Rows != app.MaxSubscriberRows || rep.Created != 0 {
		t.Errorf("at the limit: %+v %v", rep, err)
	}
	// Rows of a kilobyte: the size limit comes first.
	cr := &countingReader{r: io.MultiReader(strings.NewReader("email,consent_at,consent_source\n"), &endless{line: "a@example.com,2026-01-05,\"" + strings.Repeat("x", 1000) + "\"\n"})}
	if _, err := a.ImportSubscribers(ctx, cr); tandem.ErrorCode(err) != tandem.ETOOLARGE || !strings.Contains(tandem.ErrorMessage(err), "64 MiB") ||
		cr.n > app.MaxImportBytes+1<<20 {
		t.Errorf("endless file: %v after reading %d bytes", err, cr.n)
	}
}
