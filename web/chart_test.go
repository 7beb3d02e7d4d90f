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

// TestProgressChartTimeScale checks that the time axis follows the real
// dates, and that the drawing is a phone's width with 12-unit text, so
// labels read at about 12 px at 390 px.
func TestProgressChartTimeScale(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	r := tandem.DefaultRubric()
	s := tandem.Progress("Go", r, []tandem.Evaluation{
		{Position: 1, LevelName: "Novice", At: day(1)},
		{Position: 2, LevelName: "Beginner", At: day(4)},      // three days later
		{Position: 3, LevelName: "Intermediate", At: day(29)}, // four weeks after the first
	})
	got := string(progressChart(s, "c"))
	// The plot runs from x=14 to x=346: 3 of 28 days is 35.6 units of it.
	for _, want := range []string{`viewBox="0 0 360 240"`, `font-size="12"`, `cx="14.0"`, `cx="49.6"`, `cx="346.0"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the chart lacks %s:\n%s", want, got)
		}
	}
	// Labels for 1 and 4 March would overlap: the second is left out.
	if !strings.Contains(got, ">1 Mar<") || strings.Contains(got, ">4 Mar<") || !strings.Contains(got, ">29 Mar<") {
		t.Errorf("date labels: %s", got)
	}
}
