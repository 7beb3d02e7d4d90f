package tandem

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// GoalStatus is where a coaching goal stands. There are only two: a goal
// is worked on until it is reached, and then the coach sets the next one.
type GoalStatus string

// The goal statuses.
const (
	GoalOpen    GoalStatus = "open"
	GoalReached GoalStatus = "reached"
)

// Goal is a coaching goal: specific, short-term and measurable. The goals
// of an engagement form a chain, each pointing to the one reached before
// it, so the page can show how the coachee moved from goal to goal.
type Goal struct {
	ID           int64
	EngagementID int64
	Title        string // what the coachee will be able to do
	Measure      string // how progress is measured, e.g. "incident reviews led alone"
	Baseline     string // where the measure stands today
	Target       string // where it should stand on the due date
	Due          Date
	Status       GoalStatus
	// PreviousGoalID is the goal reached before this one, 0 for the first.
	PreviousGoalID int64
	SetBy          PersonRef
	CreatedAt      time.Time
	ReachedAt      *time.Time
	Updates        []GoalUpdate // oldest first
}

// Reached reports whether the goal is reached.
func (g *Goal) Reached() bool { return g.Status == GoalReached }

// Latest returns the newest progress value, or the baseline before any.
func (g *Goal) Latest() string {
	for i := len(g.Updates) - 1; i >= 0; i-- {
		if g.Updates[i].Value != "" {
			return g.Updates[i].Value
		}
	}
	return g.Baseline
}

// Validate tidies the goal and reports EINVALID with field errors named as
// in forms and the API (title, measure, baseline, target, due). A goal
// without a measure is refused: without one nobody can tell it is reached.
func (g *Goal) Validate() error {
	var fe FieldErrors
	for _, f := range []struct {
		name, missing string
		v             *string
		max           int
	}{
		{"title", "Say what the coachee will be able to do.", &g.Title, 200},
		{"measure", "Say how progress is measured: a goal without a measure cannot be reached.", &g.Measure, 200},
		{"baseline", "Say where the measure stands today.", &g.Baseline, 200},
		{"target", "Say where the measure should stand on the due date.", &g.Target, 200},
	} {
		*f.v = strings.TrimSpace(*f.v)
		switch {
		case *f.v == "":
			fe.Add(f.name, f.missing)
		case utf8.RuneCountInString(*f.v) > f.max:
			fe.Add(f.name, fmt.Sprintf("Use at most %d characters.", f.max))
		}
	}
	switch d, ok := ParseDate(string(g.Due)); {
	case strings.TrimSpace(string(g.Due)) == "":
		fe.Add("due", "Enter the due date: coaching goals are short-term.")
	case !ok:
		fe.Add("due", "Enter the due date as a date, YYYY-MM-DD.")
	default:
		g.Due = d
	}
	return fe.Err()
}

// CheckDue holds a valid goal to "short-term": due from today on and by
// the end of its coaching engagement. It reports EINVALID on "due".
func (g *Goal) CheckDue(e *Engagement, today Date) error {
	var fe FieldErrors
	switch {
	case g.Due < today:
		fe.Add("due", fmt.Sprintf("That date has passed; choose a due date from %s on.", today.Format()))
	case e.End != "" && g.Due > e.End:
		fe.Add("due", fmt.Sprintf("Coaching goals are short-term: choose a due date by the end of the engagement, %s.", e.End.Format()))
	}
	return fe.Err()
}

// GoalUpdate is a progress update on a goal, by either partner: the
// measure's new value, a note, and whether the goal is now reached.
type GoalUpdate struct {
	ID      int64
	GoalID  int64
	Author  PersonRef
	Value   string // the measure now; may be empty for a note alone
	Note    string
	Reached bool // this update marks the goal reached
	At      time.Time
}

// Validate tidies the update and reports EINVALID with field errors
// (value, note): an update says something.
func (u *GoalUpdate) Validate() error {
	var fe FieldErrors
	u.Value, u.Note = strings.TrimSpace(u.Value), strings.TrimSpace(u.Note)
	if u.Value == "" && u.Note == "" && !u.Reached {
		fe.Add("value", "Enter where the measure stands now, or a note.")
	}
	if utf8.RuneCountInString(u.Value) > 200 {
		fe.Add("value", "Use at most 200 characters.")
	}
	if utf8.RuneCountInString(u.Note) > maxText {
		fe.Add("note", fmt.Sprintf("Use at most %d characters.", maxText))
	}
	return fe.Err()
}

// Theme is a development theme of a mentoring partnership: general
// growth in one of the partnership's development areas. Themes are never
// passed or failed; the partners revisit them with reflections.
type Theme struct {
	ID           int64
	EngagementID int64
	Area         Area
	Title        string
	Author       PersonRef
	CreatedAt    time.Time
	// Reflections counts the reflections on the theme and LastRevisited is
	// the newest one's time: how a theme shows it is alive.
	Reflections   int
	LastRevisited *time.Time
}

// Validate checks the theme against the partnership's development areas
// and reports EINVALID with field errors (area, title).
func (t *Theme) Validate(areas []Area) error {
	var fe FieldErrors
	t.Title = strings.TrimSpace(t.Title)
	switch {
	case t.Title == "":
		fe.Add("title", "Name the theme, for example \"speaking up in large meetings\".")
	case utf8.RuneCountInString(t.Title) > 200:
		fe.Add("title", "Use at most 200 characters.")
	}
	inScope := false
	for _, a := range areas {
		if a == t.Area {
			inScope = true
		}
	}
	if !inScope {
		names := make([]string, len(areas))
		for i, a := range areas {
			names[i] = string(a)
		}
		fe.Add("area", "Choose one of the partnership's development areas: "+strings.Join(names, ", ")+".")
	}
	return fe.Err()
}

// Reflection is what a partner writes looking back, optionally on one
// theme. Both partners write them, over time.
type Reflection struct {
	ID         int64
	ThemeID    int64 // 0: on the partnership as a whole
	ThemeTitle string
	Author     PersonRef
	Body       string
	At         time.Time
}

// Validate tidies the reflection and reports EINVALID with a field error
// (body) when it is empty or too long.
func (r *Reflection) Validate() error {
	var fe FieldErrors
	r.Body = strings.TrimSpace(r.Body)
	switch {
	case r.Body == "":
		fe.Add("body", "Write what you notice, looking back.")
	case utf8.RuneCountInString(r.Body) > maxText:
		fe.Add("body", fmt.Sprintf("Use at most %d characters.", maxText))
	}
	return fe.Err()
}
