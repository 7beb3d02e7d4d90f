package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// The goals API: GET /api/v1/engagements/{id}/goals answers how the
// partners work towards something, by kind, as the visibility matrix
// (visibility.go) lets the viewer see it:
//
//	member of the answer            learner guide manager successor program-admin admin other
//	coaching "goals",                 yes    yes    yes      yes         -          -    404
//	  "current_goal_id", "needs_next_goal"
//	coaching "evaluations",           yes    yes    yes      yes         -          -    404
//	  "rubric", "progress"
//	mentoring "themes"                yes    yes    -        -           -          -    404
//	mentoring "reflections"           yes    yes    -        -           -          -    404
//	mentoring "learnings"             yes    yes    -        -           -          -    404
//
// As for the engagement itself, a hidden member is left out, never sent
// empty. The changes answer 201 with the whole section, so a client has
// the new entry's id and the rest at once.

type goalUpdateJSON struct {
	ID      int64     `json:"id"`
	Author  nameJSON  `json:"author"`
	Value   string    `json:"value"`
	Note    string    `json:"note"`
	Reached bool      `json:"reached"`
	At      time.Time `json:"at"`
}

type goalJSON struct {
	ID             int64            `json:"id"`
	Title          string           `json:"title"`
	Measure        string           `json:"measure"`
	Baseline       string           `json:"baseline"`
	Target         string           `json:"target"`
	Due            string           `json:"due"`
	Status         string           `json:"status"`
	PreviousGoalID *int64           `json:"previous_goal_id"`
	Latest         string           `json:"latest"` // the newest value, or the baseline
	SetBy          nameJSON         `json:"set_by"`
	CreatedAt      time.Time        `json:"created_at"`
	ReachedAt      *time.Time       `json:"reached_at"`
	Updates        []goalUpdateJSON `json:"updates"`
}

type evaluationJSON struct {
	ID        int64     `json:"id"`
	Level     int       `json:"level"`      // the position in the rubric, 1 the lowest
	LevelName string    `json:"level_name"` // as it was named when evaluated
	Evidence  string    `json:"evidence"`
	Author    nameJSON  `json:"author"`
	At        time.Time `json:"at"`
}

type rubricLevelJSON struct {
	Level       int    `json:"level"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type rubricJSON struct {
	Custom bool              `json:"custom"` // false: the default rubric
	Levels []rubricLevelJSON `json:"levels"`
}

type themeJSON struct {
	ID            int64      `json:"id"`
	Area          string     `json:"area"`
	Title         string     `json:"title"`
	Author        nameJSON   `json:"author"`
	CreatedAt     time.Time  `json:"created_at"`
	Reflections   int        `json:"reflections"`
	LastRevisited *time.Time `json:"last_revisited"`
}

type reflectionJSON struct {
	ID      int64     `json:"id"`
	ThemeID *int64    `json:"theme_id"`
	Theme   string    `json:"theme,omitempty"`
	Author  nameJSON  `json:"author"`
	Body    string    `json:"body"`
	At      time.Time `json:"at"`
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func toNameJSON(p tandem.PersonRef) nameJSON { return nameJSON{ID: p.ID, Name: p.Name} }

func toRubricJSON(r tandem.Rubric) rubricJSON {
	out := rubricJSON{Custom: r.Custom, Levels: []rubricLevelJSON{}}
	for _, l := range r.Levels {
		out.Levels = append(out.Levels, rubricLevelJSON{Level: l.Position, Name: l.Name, Description: l.Description})
	}
	return out
}

// toGoalsJSON writes the section, leaving out every member the viewer may
// not see.
func toGoalsJSON(v *app.GoalsView) map[string]any {
	e := v.Engagement
	out := map[string]any{"engagement_id": e.ID, "kind": string(e.Kind), "viewer": string(v.Viewer)}
	if e.Kind == tandem.Coaching {
		if v.SeeGoals {
			goals := []goalJSON{}
			for _, g := range v.Goals {
				gj := goalJSON{ID: g.ID, Title: g.Title, Measure: g.Measure, Baseline: g.Baseline, Target: g.Target, Due: string(g.Due),
					Status: string(g.Status), PreviousGoalID: optID(g.PreviousGoalID), Latest: g.Latest(), SetBy: toNameJSON(g.SetBy),
					CreatedAt: g.CreatedAt, ReachedAt: g.ReachedAt, Updates: []goalUpdateJSON{}}
				for _, u := range g.Updates {
					gj.Updates = append(gj.Updates, goalUpdateJSON{ID: u.ID, Author: toNameJSON(u.Author), Value: u.Value, Note: u.Note, Reached: u.Reached, At: u.At})
				}
				goals = append(goals, gj)
			}
			out["goals"] = goals
			out["current_goal_id"] = nil
			if v.Current != nil {
				out["current_goal_id"] = v.Current.ID
			}
			out["needs_next_goal"] = v.NeedsNextGoal()
		}
		if v.SeeEvaluations {
			evs := []evaluationJSON{}
			for _, ev := range v.Evaluations {
				evs = append(evs, evaluationJSON{ID: ev.ID, Level: ev.Position, LevelName: ev.LevelName, Evidence: ev.Evidence,
					Author: toNameJSON(ev.Author), At: ev.At})
			}
			out["evaluations"] = evs
			out["rubric"] = toRubricJSON(v.Rubric)
		}
		return out
	}
	if v.SeeGoals {
		themes := []themeJSON{}
		for _, t := range v.Themes {
			themes = append(themes, themeJSON{ID: t.ID, Area: string(t.Area), Title: t.Title, Author: toNameJSON(t.Author),
				CreatedAt: t.CreatedAt, Reflections: t.Reflections, LastRevisited: t.LastRevisited})
		}
		out["themes"] = themes
	}
	if v.SeeReflections {
		rs := []reflectionJSON{}
		for _, r := range v.Reflections {
			rs = append(rs, reflectionJSON{ID: r.ID, ThemeID: optID(r.ThemeID), Theme: r.ThemeTitle, Author: toNameJSON(r.Author), Body: r.Body, At: r.At})
		}
		out["reflections"] = rs
	}
	if v.SeeLearnings {
		ls := []itemJSON{}
		for i := range v.Learnings {
			ls = append(ls, toItemJSON(&v.Learnings[i]))
		}
		out["learnings"] = ls
	}
	return out
}

func (s *Server) writeGoals(w http.ResponseWriter, r *http.Request, status int, id int64) {
	v, err := s.app.Goals(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, status, toGoalsJSON(v))
}

func (s *Server) apiGoals(w http.ResponseWriter, r *http.Request) {
	id, err := pathEngagementID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeGoals(w, r, http.StatusOK, id)
}

// apiGoalChange is a change answered 201 with the goals section.
func apiGoalChange[T any](s *Server, do func(r *http.Request, id int64, in *T) error) http.HandlerFunc {
	return apiChange(s, do, func(w http.ResponseWriter, r *http.Request, id int64) { s.writeGoals(w, r, http.StatusCreated, id) })
}

// goalInput takes the due date as a string, so a date that is not a date
// is a field error on "due" (422), not a malformed body.
type goalInput struct {
	Title    string `json:"title"`
	Measure  string `json:"measure"`
	Baseline string `json:"baseline"`
	Target   string `json:"target"`
	Due      string `json:"due"`
}

type goalUpdateInput struct {
	Value   string `json:"value"`
	Note    string `json:"note"`
	Reached bool   `json:"reached"`
}

type evaluationInput struct {
	Level    *int   `json:"level"`
	Evidence string `json:"evidence"`
}

type themeInput struct {
	Area  string `json:"area"`
	Title string `json:"title"`
}

type reflectionInput struct {
	ThemeID int64  `json:"theme_id"`
	Body    string `json:"body"`
}

func (s *Server) apiSetGoal() http.HandlerFunc {
	return apiGoalChange(s, func(r *http.Request, id int64, in *goalInput) error {
		_, err := s.app.SetGoal(r.Context(), id, tandem.Goal{Title: in.Title, Measure: in.Measure, Baseline: in.Baseline,
			Target: in.Target, Due: tandem.Date(in.Due)})
		return err
	})
}

func (s *Server) apiUpdateGoal() http.HandlerFunc {
	return apiGoalChange(s, func(r *http.Request, id int64, in *goalUpdateInput) error {
		// An unreadable goal id is a goal that does not exist; the use case
		// still loads the engagement first, so a stranger gets the
		// engagement's 404, not a hint that it exists.
		goalID, _ := strconv.ParseInt(r.PathValue("goal"), 10, 64)
		_, err := s.app.UpdateGoal(r.Context(), id, goalID, tandem.GoalUpdate{Value: in.Value, Note: in.Note, Reached: in.Reached})
		return err
	})
}

func (s *Server) apiEvaluate() http.HandlerFunc {
	return apiGoalChange(s, func(r *http.Request, id int64, in *evaluationInput) error {
		level := 0
		if in.Level != nil {
			level = *in.Level
		}
		_, err := s.app.Evaluate(r.Context(), id, tandem.Evaluation{Position: level, Evidence: in.Evidence})
		return err
	})
}

func (s *Server) apiAddTheme() http.HandlerFunc {
	return apiGoalChange(s, func(r *http.Request, id int64, in *themeInput) error {
		_, err := s.app.AddTheme(r.Context(), id, tandem.Theme{Area: tandem.Area(in.Area), Title: in.Title})
		return err
	})
}

func (s *Server) apiReflect() http.HandlerFunc {
	return apiGoalChange(s, func(r *http.Request, id int64, in *reflectionInput) error {
		_, err := s.app.Reflect(r.Context(), id, tandem.Reflection{ThemeID: in.ThemeID, Body: in.Body})
		return err
	})
}

func (s *Server) apiRubric(w http.ResponseWriter, r *http.Request) {
	rb, err := s.app.Rubric(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRubricJSON(rb))
}

type rubricInput struct {
	Levels []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"levels"`
}

// apiSetRubric replaces the organization's rubric; an empty list of
// levels restores the default.
func (s *Server) apiSetRubric(w http.ResponseWriter, r *http.Request) {
	var in rubricInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var levels []tandem.RubricLevel
	for _, l := range in.Levels {
		levels = append(levels, tandem.RubricLevel{Name: l.Name, Description: l.Description})
	}
	rb, err := s.app.SetRubric(r.Context(), levels)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRubricJSON(rb))
}
