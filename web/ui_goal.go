package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tandemhq/tandem"
)

// ProgressChart draws the coachee's evaluations for the engagement page
// (eng_goals.html); the table beside it holds the same data.
func (p *engagementPage) ProgressChart() template.HTML {
	if p.Goals == nil {
		return ""
	}
	return progressChart(p.Goals.Progress, fmt.Sprintf("progress-%d", p.Goals.Engagement.ID))
}

// AreaChoices lists the partnership's areas for the theme form.
func (p *engagementPage) AreaChoices() []tandem.Area {
	if p.Goals == nil {
		return nil
	}
	return p.Goals.Engagement.Areas
}

func (s *Server) handleSetGoal() http.HandlerFunc {
	return s.engagementAction("goal", "Goal set.", func(r *http.Request, id int64) error {
		f := r.PostForm
		_, err := s.app.SetGoal(r.Context(), id, tandem.Goal{Title: f.Get("title"), Measure: f.Get("measure"), Baseline: f.Get("baseline"),
			Target: f.Get("target"), Due: tandem.Date(f.Get("due"))})
		return err
	})
}

func (s *Server) handleGoalUpdate() http.HandlerFunc {
	return s.engagementAction("goal_update", "Progress recorded.", func(r *http.Request, id int64) error {
		goalID, _ := strconv.ParseInt(r.PathValue("goal"), 10, 64)
		f := r.PostForm
		_, err := s.app.UpdateGoal(r.Context(), id, goalID, tandem.GoalUpdate{Value: f.Get("value"), Note: f.Get("note"), Reached: f.Get("reached") == "1"})
		return err
	})
}

func (s *Server) handleEvaluate() http.HandlerFunc {
	return s.engagementAction("evaluate", "Evaluation recorded; the coachee sees it.", func(r *http.Request, id int64) error {
		level, _ := strconv.Atoi(r.PostForm.Get("level"))
		_, err := s.app.Evaluate(r.Context(), id, tandem.Evaluation{Position: level, Evidence: r.PostForm.Get("evidence")})
		return err
	})
}

func (s *Server) handleAddTheme() http.HandlerFunc {
	return s.engagementAction("theme", "Theme added.", func(r *http.Request, id int64) error {
		_, err := s.app.AddTheme(r.Context(), id, tandem.Theme{Area: tandem.Area(r.PostForm.Get("area")), Title: r.PostForm.Get("title")})
		return err
	})
}

func (s *Server) handleReflect() http.HandlerFunc {
	return s.engagementAction("reflect", "Reflection added.", func(r *http.Request, id int64) error {
		theme, _ := strconv.ParseInt(r.PostForm.Get("theme"), 10, 64)
		_, err := s.app.Reflect(r.Context(), id, tandem.Reflection{ThemeID: theme, Body: r.PostForm.Get("body")})
		return err
	})
}

// rubricPage is the administrator's page for the organization's rubric.
type rubricPage struct {
	Page
	Rubric tandem.Rubric
	Rows   []tandem.RubricLevel // the form's rows: the levels and a few empty ones
	Form   Form
}

// rubricRows gives the form the levels and empty rows up to the maximum.
func rubricRows(levels []tandem.RubricLevel) []tandem.RubricLevel {
	rows := append([]tandem.RubricLevel(nil), levels...)
	for len(rows) < tandem.MaxRubricLevels && len(rows) < len(levels)+3 {
		rows = append(rows, tandem.RubricLevel{})
	}
	return rows
}

func (s *Server) showRubric(w http.ResponseWriter, r *http.Request, status int, rows []tandem.RubricLevel, form Form) {
	if !tandem.ActorFrom(r.Context()).Person.IsAdmin() {
		s.serverError(w, r, tandem.Errorf(tandem.EFORBIDDEN, "Only administrators change the organization's rubric."))
		return
	}
	rb, err := s.app.Rubric(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if rows == nil {
		rows = rubricRows(rb.Levels)
	}
	s.render(w, r, status, "rubric", &rubricPage{Page: Page{Title: "Evaluation rubric", Nav: "admin"}, Rubric: rb, Rows: rows, Form: form})
}

func (s *Server) handleRubricForm(w http.ResponseWriter, r *http.Request) {
	s.showRubric(w, r, http.StatusOK, nil, Form{})
}

func (s *Server) handleRubric(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.serverError(w, r, err)
		return
	}
	var levels []tandem.RubricLevel
	if r.PostForm.Get("reset") == "" {
		names, descs := r.PostForm["name"], r.PostForm["description"]
		for i, n := range names {
			d := ""
			if i < len(descs) {
				d = descs[i]
			}
			levels = append(levels, tandem.RubricLevel{Name: n, Description: d})
		}
		if len(levels) == 0 {
			levels = []tandem.RubricLevel{{}} // an empty form is not a reset
		}
	}
	_, err := s.app.SetRubric(r.Context(), levels)
	switch {
	case err == nil:
		s.redirect(w, r, "/admin/rubric", "Rubric saved. Evaluations already made keep their level.")
	case isInput(err):
		s.showRubric(w, r, s.status(r, err), rubricRows(levels), Form{Values: url.Values{}, Errors: tandem.ErrorFields(err), Message: tandem.ErrorMessage(err)})
	default:
		s.serverError(w, r, err)
	}
}

// FormOf returns the page's form values and errors when the named form
// was the one submitted, and an empty form otherwise, so each form on the
// page shows only its own errors.
func (p *engagementPage) FormOf(name string) Form {
	if p.FormFor == name {
		return p.Form
	}
	return Form{}
}

// Sides lists the two partners, protégé first, for the page that shows
// both sides of a partnership.
func (p *engagementPage) Sides() []tandem.PersonRef {
	if p.Goals == nil {
		return nil
	}
	return []tandem.PersonRef{p.Goals.Engagement.Learner, p.Goals.Engagement.Guide}
}
