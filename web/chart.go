package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/tandemhq/tandem"
)

// The progress chart is drawn on the server as inline SVG: no image
// service, no JavaScript, and it prints. It is built here in Go rather than
// in a template because every coordinate is arithmetic; all text in it
// (level names are an organization's own words) goes through
// template.HTMLEscapeString, and the rest is numbers, so the result is
// safe to mark as template.HTML. Screen readers get role="img" with a
// <title> and <desc>, and the page puts a table with the same data next to
// it (eng_goals.html), built from the same tandem.ProgressSeries.

const (
	chartW, chartH                               = 640, 260
	chartLeft, chartRight, chartTop, chartBottom = 130, 24, 20, 44
)

// progressChart draws the evaluations of a series as a line over the
// rubric's levels, oldest on the left. id makes the element ids unique on
// the page. With no evaluations it draws nothing: the page says so in
// words instead.
func progressChart(s tandem.ProgressSeries, id string) template.HTML {
	if len(s.Points) == 0 || len(s.Levels) == 0 {
		return ""
	}
	esc := template.HTMLEscapeString
	plotW, plotH := float64(chartW-chartLeft-chartRight), float64(chartH-chartTop-chartBottom)
	y := func(pos int) float64 {
		if len(s.Levels) == 1 {
			return chartTop + plotH/2
		}
		return chartTop + plotH*float64(len(s.Levels)-pos)/float64(len(s.Levels)-1)
	}
	x := func(i int) float64 {
		if len(s.Points) == 1 {
			return chartLeft + plotW/2
		}
		return chartLeft + plotW*float64(i)/float64(len(s.Points)-1)
	}

	var desc []string
	for _, p := range s.Points {
		desc = append(desc, fmt.Sprintf("%s: %s (level %d of %d)", p.At.UTC().Format("2 January 2006"), p.Level, p.Position, len(s.Levels)))
	}
	title := "Progress in " + s.Skill
	first, last := s.Points[0], s.Points[len(s.Points)-1]
	summary := fmt.Sprintf("%d evaluations from %s to %s, on a scale from %s (1) to %s (%d). %s.",
		len(s.Points), first.At.UTC().Format("2 January 2006"), last.At.UTC().Format("2 January 2006"),
		s.Levels[0], s.Levels[len(s.Levels)-1], len(s.Levels), strings.Join(desc, "; "))
	if len(s.Points) == 1 {
		summary = fmt.Sprintf("One evaluation, on a scale from %s (1) to %s (%d). %s.", s.Levels[0], s.Levels[len(s.Levels)-1], len(s.Levels), desc[0])
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="progress-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-title %s-desc" font-family="sans-serif" font-size="12">`,
		chartW, chartH, id, id)
	fmt.Fprintf(&b, "\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, esc(title), id, esc(summary))
	// The grid: one line per level, named on the left. Lines and text use
	// currentColor, so the chart follows the page's colours and prints in
	// black.
	b.WriteString(`<g aria-hidden="true">` + "\n")
	for i, name := range s.Levels {
		yy := y(i + 1)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="currentColor" stroke-opacity="0.25"/>`+"\n", chartLeft, yy, chartW-chartRight, yy)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle" fill="currentColor">%s</text>`+"\n", chartLeft-8, yy, esc(name))
	}
	// Dates under the points; with many points, every few, so they stay
	// readable (the table has them all).
	step := (len(s.Points) + 7) / 8
	for i, p := range s.Points {
		if i%step == 0 || i == len(s.Points)-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="currentColor">%s</text>`+"\n", x(i), chartH-chartBottom+20, esc(p.At.UTC().Format("2 Jan")))
		}
	}
	b.WriteString("</g>\n")
	if len(s.Points) > 1 {
		var pts []string
		for i, p := range s.Points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Position)))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="currentColor" stroke-width="2"/>`+"\n", strings.Join(pts, " "))
	}
	for i, p := range s.Points {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" fill="currentColor"><title>%s</title></circle>`+"\n", x(i), y(p.Position), esc(desc[i]))
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}
