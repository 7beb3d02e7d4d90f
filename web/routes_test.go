package web_test

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/tandemtest"
	"github.com/tandemhq/tandem/web"
)

// TestRoutesDeclared checks that every route of the table declares who may
// call it, and that nothing registers a route outside the table: routes()
// is the one place that calls HandleFunc, in its loop over the table.
func TestRoutesDeclared(t *testing.T) {
	db, _ := tandemtest.MustOpenDB(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := web.New(app.New(db, &tandemtest.Mailbox{}, log, ""), log, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rt := range web.RouteTable(s) {
		if rt.Kind == "" {
			t.Errorf("route %q has no declaration of who may call it", rt.Pattern)
		}
		if seen[rt.Pattern] {
			t.Errorf("route %q is listed twice", rt.Pattern)
		}
		seen[rt.Pattern] = true
	}
	files, _ := filepath.Glob("*.go")
	calls := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(string(b), "HandleFunc(") + strings.Count(string(b), `.Handle("`) + strings.Count(string(b), "http.Handle(")
		if n > 0 && f != "routes.go" {
			t.Errorf("%s registers %d route(s) outside the route table", f, n)
		}
		calls += n
	}
	if calls != 1 {
		t.Errorf("routes.go calls HandleFunc/Handle %d times; it registers the table in one loop", calls)
	}
}
