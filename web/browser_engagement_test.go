package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserEngagementPages opens a coaching engagement (goals and an
// evaluation chart) and a mentoring partnership (themes and reflections)
// at 1280 and at 390 px, saving screenshots of the overview and of the
// goals part, and checks what a phone needs: nothing wider than the
// screen, and the chart's text at a readable size.
func TestBrowserEngagementPages(t *testing.T) {
	o := newSessionOrg(t)
	coaching := o.eng
	o.must(t, http.StatusCreated, "dev", "POST", o.base+"/sessions", map[string]any{"start": "2026-03-10T10:00:00Z", "minutes": 60, "place": "Room 1"})
	o.must(t, http.StatusCreated, "ops", "POST", o.base+"/goals", goalBody("Lead an incident review alone"))
	// Unequal gaps: three days, then three weeks.
	for _, ev := range []struct {
		level int
		after time.Duration
	}{{1, 0}, {2, 72 * time.Hour}, {3, 21 * 24 * time.Hour}} {
		o.e.clock.Add(ev.after)
		o.must(t, http.StatusCreated, "ops", "POST", o.base+"/evaluations", map[string]any{"level": ev.level, "evidence": "Seen in a review"})
	}
	st, out := o.call(t, "dev", "POST", "/api/v1/engagements", map[string]any{"kind": "mentoring", "learner_id": o.id["dev"], "guide_id": o.id["ops"],
		"areas": []string{"career", "purpose"}, "agreement": agreementBody()})
	if st != http.StatusCreated {
		t.Fatalf("propose mentoring: %d %v", st, out)
	}
	mentoring := int64(out["id"].(float64))
	mbase := fmt.Sprintf("/api/v1/engagements/%d", mentoring)
	for _, who := range []string{"dev", "ops", "vp"} {
		o.must(t, http.StatusOK, who, "POST", mbase+"/responses", map[string]any{"version": 1, "agreed": true})
	}
	o.must(t, http.StatusCreated, "ops", "POST", mbase+"/themes", map[string]any{"area": "career", "title": "Speaking up in design reviews"})
	o.must(t, http.StatusCreated, "dev", "POST", mbase+"/reflections", map[string]any{"body": "I spoke first today, and it went well."})

	ctx := chrome(t)
	signInAs(t, ctx, o.e.srv.URL, "dev@acme.test", "another good password")
	for _, c := range []struct {
		name string
		id   int64
	}{{"coaching", coaching}, {"mentoring", mentoring}} {
		for _, width := range []int64{1280, 390} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 844)); err != nil {
				t.Fatal(err)
			}
			for _, tab := range []string{"", "goals"} {
				url := fmt.Sprintf("%s/engagements/%d", o.e.srv.URL, c.id)
				name := fmt.Sprintf("engagement-%s-%d", c.name, width)
				if tab != "" {
					url += "?tab=" + tab
					name += "-" + tab
				}
				if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(`nav.tabs`)); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				scrollW, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
				if err != nil {
					t.Fatal(err)
				}
				if scrollW > width {
					t.Errorf("%s is %d px wide on a %d px screen", name, scrollW, width)
				}
				if c.name == "coaching" && tab == "goals" {
					chartText(t, ctx, name)
				}
				screenshot(t, ctx, name)
			}
		}
	}
}

// chartText checks the progress chart's smallest text is at least 11 px
// high on screen (it was about 5 px at 390 px).
func chartText(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	px, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.min(...Array.from(document.querySelectorAll('svg.progress-chart text')).map(e => e.getBoundingClientRect().height))`))
	if err != nil {
		t.Fatalf("%s: chart text: %v", name, err)
	}
	if px < 11 {
		t.Errorf("%s: the chart's text is %.1f px high", name, px)
	}
}
