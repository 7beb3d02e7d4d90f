package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/jobs"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// start runs a Runner on db until the test ends.
func start(t *testing.T, db *sqldb.DB) *app.App {
	t.Helper()
	a := app.New(db, &tandemtest.Mailbox{}, quiet(), "http://tandem.test")
	r, err := jobs.Start(context.Background(), a, quiet(), jobs.Config{PollInterval: 100 * time.Millisecond})
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
	return a
}

// waitJobs waits until n jobs of the kind have completed and returns them;
// it fails the test if that has not happened within 20 s.
func waitJobs(t *testing.T, db *sqldb.DB, kind string, n int) []*rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		all, err := db.ListJobs(context.Background(), 100, rivertype.JobStateCompleted)
		if err != nil {
			t.Fatal(err)
		}
		var done []*rivertype.JobRow
		for _, j := range all {
			if j.Kind == kind {
				done = append(done, j)
			}
		}
		if len(done) >= n || time.Now().After(deadline) {
			if len(done) < n {
				t.Fatalf("%d %s jobs completed, want %d", len(done), kind, n)
			}
			return done
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestMaintenanceRunsOnStart: the periodic maintenance job runs when a
// replica starts and deletes what has expired.
func TestMaintenanceRunsOnStart(t *testing.T) {
	db, clock := tandemtest.MustOpenDB(t)
	ctx := tandemtest.MustOrg(t, db, "Acme")
	act := tandem.ActorFrom(ctx)
	if err := db.CreateSession(context.Background(), &tandem.Session{IDHash: "old", AccountID: act.Account.ID, OrgID: act.Org.ID}, "", "test", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(tandem.SessionAbsolute + time.Hour))
	start(t, db)
	waitJobs(t, db, "maintenance", 1)
	if _, err := db.ActorBySession(context.Background(), "old"); tandem.ErrorCode(err) != tandem.ENOTFOUND {
		t.Fatalf("the expired session is still there: %v", err)
	}
}

// TestMaintenanceOncePerPeriod: two replicas on one database run the
// periodic job once in its period, not once each.
func TestMaintenanceOncePerPeriod(t *testing.T) {
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
	db, other := open(), open()
	start(t, db)
	start(t, other)
	waitJobs(t, db, "maintenance", 1)
	time.Sleep(time.Second) // room for a second replica's run, which must not come
	all, err := db.ListJobs(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, j := range all {
		if j.Kind == "maintenance" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d maintenance jobs for one period on two replicas", n)
	}
}

// TestPasswordResetJob: /forgot's email is a queued job that holds the
// address and never the link; working it mints the link and sends it, and
// an address without an account gets nothing.
func TestPasswordResetJob(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	mb := &tandemtest.Mailbox{}
	a := app.New(db, mb, quiet(), "http://tandem.test")
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	ctx := context.Background()
	if _, err := a.Setup(ctx, app.SetupInput{OrgName: "Acme", Name: "Ada", Email: "ada@acme.test", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"ada@acme.test", "nobody@acme.test"} {
		if err := a.RequestPasswordReset(ctx, email, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(mb.Messages()); n != 0 {
		t.Fatalf("%d messages sent on the request path", n)
	}
	queued, err := db.ListJobs(ctx, 10, rivertype.JobStateAvailable)
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) != 2 {
		t.Fatalf("%d jobs queued, want one per request", len(queued))
	}
	for _, j := range queued {
		if strings.Contains(string(j.EncodedArgs), "/reset/") {
			t.Errorf("a queued job holds a reset link: %s", j.EncodedArgs)
		}
	}
	if err := jobs.Drain(ctx, a, quiet()); err != nil {
		t.Fatal(err)
	}
	ms := mb.Messages()
	if len(ms) != 1 || ms[0].To != "ada@acme.test" || !ms[0].Secret {
		t.Fatalf("sent %+v, want one secret message to ada@acme.test", ms)
	}
	link := mb.MustLastLink(t, "ada@acme.test")
	if err := a.CheckPasswordReset(ctx, strings.TrimPrefix(link, "http://tandem.test/reset/")); err != nil {
		t.Fatalf("the emailed link does not work: %v", err)
	}
}
