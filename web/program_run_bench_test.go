package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/demo"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
	"github.com/tandemhq/tandem/web"
)

// BenchmarkPreviewPage10k times the preview page of a run of 10,000
// mentees and 2,000 mentors (demo.BigCohort), through the whole
// handler stack (session, middleware, store, template), as the program's
// administrator: the first page by score, a page in the middle sorted by
// mentee, a filtered page, and the same run through the API. It reports
// the median of the requests in ms (the goal: under 300 ms). Run on
// PostgreSQL with TANDEM_TEST_POSTGRES set.
//
//	go test -run XXX -bench PreviewPage10k -benchtime 20x ./web/
func BenchmarkPreviewPage10k(b *testing.B) {
	db, _ := tandemtest.MustOpenDB(b)
	log := slog.New(web.NewLogHandler(slog.NewTextHandler(io.Discard, nil)))
	a := app.New(db, &tandemtest.Mailbox{}, log, "http://tandem.test")
	admin := tandemtest.MustOrg(b, db, "Big")
	id, err := demo.BigCohort(admin, a, 10000, 2000, 8)
	if err != nil {
		b.Fatal(err)
	}
	run, err := a.MatchProgram(admin, id, tandem.ModeOptimal, nil)
	if err != nil {
		b.Fatal(err)
	}
	// The planner's statistics of the tables just filled, as autovacuum
	// (PostgreSQL) gathers them within a minute of such inserts: the
	// benchmark measures the steady state, not plans made blind.
	if err := db.Write(context.Background(), func(tx *sqldb.Tx) error {
		_, err := tx.Exec(context.Background(), "ANALYZE")
		return err
	}); err != nil {
		b.Fatal(err)
	}
	s, err := web.New(a, log, web.Config{BaseURL: "http://tandem.test", Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	act := tandem.ActorFrom(admin)
	session, err := a.StartSession(context.Background(), act.Person.AccountID, act.Org.ID, "", "bench", "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := a.CreateAPIToken(admin, "bench")
	if err != nil {
		b.Fatal(err)
	}
	page := fmt.Sprintf("/programs/%d/runs/%d", id, run.ID)
	for _, c := range []struct{ name, path, want string }{
		{"first-page", page, "Pairs 1–50 of "},
		{"middle-by-mentee", page + "?sort=mentee&offset=5000", "Pairs 5001–5050 of "},
		{"filtered", page + "?q=person+01", "Pairs 1–50 of "},
		{"api", "/api/v1" + page + "?limit=200&offset=4000&sort=mentor", `"pairs_total": `},
	} {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				req := httptest.NewRequest("GET", "http://tandem.test"+c.path, nil)
				if strings.HasPrefix(c.path, "/api/") {
					req.Header.Set("Authorization", "Bearer "+token)
				} else {
					req.AddCookie(&http.Cookie{Name: "tandem_session", Value: session})
				}
				w := httptest.NewRecorder()
				t0 := time.Now()
				s.ServeHTTP(w, req)
				took = append(took, time.Since(t0))
				if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), c.want) {
					b.Fatalf("%s: %d, no %q in\n%.2000s", c.path, w.Code, c.want, w.Body.String())
				}
			}
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
		})
	}
}
