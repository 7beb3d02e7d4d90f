package web

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestProgressChart compares the chart with a golden file; run
// go test ./web -run TestProgressChart -update after a deliberate change,
// and look at the SVG in a browser.
func TestProgressChart(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	r := tandem.DefaultRubric()
	r.Levels[3].Name = `Advanced <b>&</b> "ready"` // an organization's own words are escaped
	s := tandem.Progress("Go <script>", r, []tandem.Evaluation{
		{Position: 1, LevelName: "Novice", At: day(2), Author: tandem.PersonRef{Name: "Cat"}},
		{Position: 2, LevelName: "Beginner", At: day(16), Author: tandem.PersonRef{Name: "Cat"}},
		{Position: 4, LevelName: `Advanced <b>&</b> "ready"`, At: day(30), Author: tandem.PersonRef{Name: "Cat"}},
	})
	got := string(progressChart(s, "chart-7"))
	for _, bad := range []string{"<script>", "<b>"} {
		if strings.Contains(got, bad) {
			t.Errorf("the chart carries %q unescaped", bad)
		}
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="chart-7-title chart-7-desc"`, "<title id=\"chart-7-title\">", "<desc id=\"chart-7-desc\">"} {
		if !strings.Contains(got, want) {
			t.Errorf("the chart lacks %s", want)
		}
	}
	golden := filepath.Join("testdata", "progress_chart.svg")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got+"\n" != string(want) {
		t.Errorf("the chart differs from %s; run with -update if the change is meant:\n%s", golden, got)
	}
	if progressChart(tandem.Progress("Go", r, nil), "x") != "" {
		t.Error("a chart without evaluations")
	}
	one := string(progressChart(tandem.Progress("Go", r, []tandem.Evaluation{{Position: 3, LevelName: "Intermediate", At: day(2)}}), "x"))
	if !strings.Contains(one, "One evaluation") || strings.Contains(one, "polyline") {
		t.Errorf("one evaluation: %s", one)
	}
}
