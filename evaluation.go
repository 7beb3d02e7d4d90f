package tandem

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// RubricLevel is one step of a rubric: its position (1 is the lowest),
// a short name and what a person at that level can do.
type RubricLevel struct {
	Position    int
	Name        string
	Description string
}

// Rubric is the scale a coach evaluates a coachee against: the
// organization's own, or DefaultRubric when it has none.
type Rubric struct {
	Levels []RubricLevel // by position, from 1
	Custom bool          // the organization defined it
}

// MaxRubricLevels is the most levels a rubric may have: a longer scale
// stops meaning anything to the people evaluated on it.
const MaxRubricLevels = 10

// DefaultRubric returns the rubric of an organization that has not
// defined its own: the five skill levels, described.
func DefaultRubric() Rubric {
	desc := map[Level]string{
		Novice:       "Knows the basics from instruction; follows rules and needs close guidance to apply them.",
		Beginner:     "Handles routine cases with some help; starts to recognise recurring situations.",
		Intermediate: "Works on their own in normal situations; plans ahead and copes when things go off the usual path.",
		Advanced:     "Sees the whole situation, chooses what matters and adapts the approach; others ask them for advice.",
		Expert:       "Acts fluently and intuitively in new and difficult situations; shapes how others practise the skill.",
	}
	r := Rubric{}
	for _, l := range Levels {
		r.Levels = append(r.Levels, RubricLevel{Position: int(l), Name: l.Label(), Description: desc[l]})
	}
	return r
}

// Level returns the level at a position and whether the rubric has it.
func (r Rubric) Level(position int) (RubricLevel, bool) {
	for _, l := range r.Levels {
		if l.Position == position {
			return l, true
		}
	}
	return RubricLevel{}, false
}

// CleanRubricLevels tidies an organization's levels, numbering them in the
// order given, and reports EINVALID with a "levels" field error when they
// do not make a scale: fewer than two, more than MaxRubricLevels, a level
// without a name or description, or two levels with one name.
func CleanRubricLevels(in []RubricLevel) ([]RubricLevel, error) {
	var out []RubricLevel
	var fe FieldErrors
	seen := map[string]bool{}
	for _, l := range in {
		l.Name, l.Description = strings.Join(strings.Fields(l.Name), " "), strings.TrimSpace(l.Description)
		if l.Name == "" && l.Description == "" {
			continue // an empty row of the form
		}
		switch key := strings.ToLower(l.Name); {
		case l.Name == "":
			fe.Add("levels", "Give every level a name.")
		case l.Description == "":
			fe.Add("levels", fmt.Sprintf("Describe level %q: what can a person at this level do?", l.Name))
		case utf8.RuneCountInString(l.Name) > 60 || utf8.RuneCountInString(l.Description) > 500:
			fe.Add("levels", "Keep names under 60 characters and descriptions under 500.")
		case seen[key]:
			fe.Add("levels", fmt.Sprintf("Two levels are called %q; give each its own name.", l.Name))
		default:
			seen[key] = true
		}
		l.Position = len(out) + 1
		out = append(out, l)
	}
	switch {
	case len(out) < 2:
		fe.Add("levels", "A rubric needs at least two levels, lowest first.")
	case len(out) > MaxRubricLevels:
		fe.Add("levels", fmt.Sprintf("Use at most %d levels.", MaxRubricLevels))
	}
	return out, fe.Err()
}

// Evaluation is a coach's evaluation of the coachee on the engagement's
// skill: a level of the rubric, with the evidence for it. The level's
// name is kept as it was, so a later change of the rubric does not
// rewrite history.
type Evaluation struct {
	ID           int64
	EngagementID int64
	Position     int    // the level's position in the rubric
	LevelName    string // the level's name when evaluated
	Evidence     string
	Author       PersonRef
	At           time.Time
}

// Validate checks the evaluation against the rubric and reports EINVALID
// with field errors (level, evidence). It fills LevelName.
func (ev *Evaluation) Validate(r Rubric) error {
	var fe FieldErrors
	if l, ok := r.Level(ev.Position); ok {
		ev.LevelName = l.Name
	} else {
		fe.Add("level", fmt.Sprintf("Choose a level of the rubric, from 1 (%s) to %d (%s).",
			r.Levels[0].Name, len(r.Levels), r.Levels[len(r.Levels)-1].Name))
	}
	ev.Evidence = strings.TrimSpace(ev.Evidence)
	switch {
	case ev.Evidence == "":
		fe.Add("evidence", "Note the evidence: what did you see the coachee do?")
	case utf8.RuneCountInString(ev.Evidence) > maxText:
		fe.Add("evidence", fmt.Sprintf("Use at most %d characters.", maxText))
	}
	return fe.Err()
}

// ProgressPoint is one evaluation as a point of a progress chart.
type ProgressPoint struct {
	At       time.Time
	Position int
	Level    string
	Author   string
}

// ProgressSeries is the data of a progress chart, independent of how it
// is drawn: the scale's level names, lowest first, and the evaluations
// oldest first. The chart and its table alternative are drawn from it, so
// they always hold the same data.
type ProgressSeries struct {
	Skill  string
	Levels []string
	Points []ProgressPoint
}

// Progress builds the series of an engagement's evaluations on a rubric.
// Evaluations made on an earlier, longer rubric keep their position: the
// scale grows to hold them.
func Progress(skill string, r Rubric, evs []Evaluation) ProgressSeries {
	s := ProgressSeries{Skill: skill}
	for _, l := range r.Levels {
		s.Levels = append(s.Levels, l.Name)
	}
	for _, ev := range evs {
		for len(s.Levels) < ev.Position {
			s.Levels = append(s.Levels, fmt.Sprintf("Level %d", len(s.Levels)+1))
		}
		s.Points = append(s.Points, ProgressPoint{At: ev.At, Position: ev.Position, Level: ev.LevelName, Author: ev.Author.Name})
	}
	return s
}
