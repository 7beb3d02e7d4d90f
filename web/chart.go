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

// The drawing is 360 units wide, about a phone's width in CSS pixels, so
// that at 390 px its 12-unit text shows at about 12 px; on a wide screen
// the stylesheet caps its width (.progress-chart), so the text grows to at
// most about 19 px. Level names sit above their grid lines rather than in
// a column to the left, which leaves the width to the time axis.
const (
	chartW, chartH                               = 360, 240
	chartLeft, chartRight, chartTop, chartBottom = 14, 14, 22, 34
	chartFont                                    = 12
	// chartLabelGap is the least distance between two date labels.
	chartLabelGap = 64
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
	// The time axis is scaled by the real dates: two evaluations a week
	// apart sit closer than two a month apart.
	first, last := s.Points[0], s.Points[len(s.Points)-1]
	span := last.At.Sub(first.At)
	x := func(i int) float64 {
		if span <= 0 {
			return chartLeft + plotW/2
		}
		return chartLeft + plotW*float64(s.Points[i].At.Sub(first.At))/float64(span)
	}
	dateFormat := "2 Jan"
	if first.At.UTC().Year() != last.At.UTC().Year() {
		dateFormat = "Jan 2006"
	}

	var desc []string
	for _, p := range s.Points {
		desc = append(desc, fmt.Sprintf("%s: %s (level %d of %d)", p.At.UTC().Format("2 January 2006"), p.Level, p.Position, len(s.Levels)))
	}
	title := "Progress in " + s.Skill
	summary := fmt.Sprintf("%d evaluations from %s to %s, on a scale from %s (1) to %s (%d). %s.",
		len(s.Points), first.At.UTC().Format("2 January 2006"), last.At.UTC().Format("2 January 2006"),
		s.Levels[0], s.Levels[len(s.Levels)-1], len(s.Levels), strings.Join(desc, "; "))
	if len(s.Points) == 1 {
		summary = fmt.Sprintf("One evaluation, on a scale from %s (1) to %s (%d). %s.", s.Levels[0], s.Levels[len(s.Levels)-1], len(s.Levels), desc[0])
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="progress-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-title %s-desc" font-family="sans-serif" font-size="%d">`,
		chartW, chartH, id, id, chartFont)
	fmt.Fprintf(&b, "\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, esc(title), id, esc(summary))
	// The grid: one line per level, named above it, indented past the
	// first point's dot. Lines and text use
	// currentColor, so the chart follows the page's colours and prints in
	// black.
	b.WriteString(`<g aria-hidden="true">` + "\n")
	for i, name := range s.Levels {
		yy := y(i + 1)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="currentColor" stroke-opacity="0.25"/>`+"\n", chartLeft, yy, chartW-chartRight, yy)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" fill="currentColor" fill-opacity="0.8">%s</text>`+"\n", chartLeft+12, yy-4, esc(name))
	}
	// Dates under the points: the first and the last, and those between
	// that keep clear of their neighbours (the table has them all).
	labelled := []int{0}
	if len(s.Points) > 1 && x(len(s.Points)-1)-x(0) >= chartLabelGap {
		labelled = append(labelled, len(s.Points)-1)
	}
	for i := 1; i < len(s.Points)-1; i++ {
		clear := true
		for _, j := range labelled {
			if d := x(i) - x(j); d < chartLabelGap && d > -chartLabelGap {
				clear = false
			}
		}
		if clear {
			labelled = append(labelled, i)
		}
	}
	for _, i := range labelled {
		anchor := "middle"
		switch {
		case x(i) < chartLeft+chartLabelGap/2:
			anchor = "start"
		case x(i) > chartW-chartRight-chartLabelGap/2:
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="%s" fill="currentColor">%s</text>`+"\n", x(i), chartH-chartBottom+22, anchor, esc(s.Points[i].At.UTC().Format(dateFormat)))
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
