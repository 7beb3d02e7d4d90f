package app

import (
	"context"

	"github.com/tandemhq/tandem"
)

// GoalsView is how partners work towards something, as one viewer may see
// it: for coaching the chain of goals and the evaluations, for mentoring
// the development themes, reflections and what each partner learned from
// the other. Every part the visibility matrix hides from the viewer is
// empty, so no surface can show it by mistake.
type GoalsView struct {
	Engagement *tandem.Engagement
	Viewer     tandem.Viewer
	// What the viewer may see (tandem.Can for the goals, evaluations,
	// reflections and agenda facets of the engagement's kind).
	SeeGoals, SeeEvaluations, SeeReflections, SeeLearnings bool

	// Coaching.
	Goals       []tandem.Goal // the chain, oldest first
	Current     *tandem.Goal  // the open goal; nil when there is none
	Evaluations []tandem.Evaluation
	Rubric      tandem.Rubric
	Progress    tandem.ProgressSeries

	// Mentoring.
	Themes      []tandem.Theme
	Reflections []tandem.Reflection
	Learnings   []tandem.Item // agenda items marked learned: one list, shared with the agenda

	// What the viewer may do now.
	CanSetGoal, CanUpdateGoal, CanMarkReached, CanEvaluate, CanAddTheme, CanReflect bool
}

// NeedsNextGoal reports whether the last goal is reached and none is set
// after it: the page then asks the coach to set the next.
func (v *GoalsView) NeedsNextGoal() bool {
	return v.SeeGoals && v.Engagement.Kind == tandem.Coaching && v.Current == nil && len(v.Goals) > 0
}

// ReflectionsBy returns the reflections one partner wrote.
func (v *GoalsView) ReflectionsBy(personID int64) []tandem.Reflection {
	var out []tandem.Reflection
	for _, r := range v.Reflections {
		if r.Author.ID == personID {
			out = append(out, r)
		}
	}
	return out
}

// LearningsBy returns what one partner learned from the other.
func (v *GoalsView) LearningsBy(personID int64) []tandem.Item {
	var out []tandem.Item
	for _, it := range v.Learnings {
		if it.Author.ID == personID {
			out = append(out, it)
		}
	}
	return out
}

// Goals returns the engagement's goals, evaluations, themes, reflections
// and learnings as the actor may see them. Someone who is not part of the
// engagement gets ENOTFOUND, as for the engagement itself.
func (a *App) Goals(ctx context.Context, id int64) (*GoalsView, error) {
	act, e, v, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.goalsView(ctx, act, e, v, nil)
}

// goalsView builds Goals' view; items, when not nil, are the engagement's
// agenda items and learnings already loaded (the engagement page has them).
func (a *App) goalsView(ctx context.Context, act *tandem.Actor, e *tandem.Engagement, v tandem.Viewer, items []tandem.Item) (*GoalsView, error) {
	id := e.ID
	var err error
	k := e.Kind
	view := &GoalsView{Engagement: e, Viewer: v,
		SeeGoals:       tandem.Can(k, v, tandem.FacetGoals),
		SeeEvaluations: tandem.Can(k, v, tandem.FacetEvaluations),
		SeeReflections: tandem.Can(k, v, tandem.FacetReflections),
		SeeLearnings:   k == tandem.Mentoring && tandem.Can(k, v, tandem.FacetAgenda),
	}
	// Work starts once agreed, and waits while the org chart puts mentoring
	// partners in one chain.
	open := e.Status == tandem.StatusActive && !e.ChainConflict()
	me := act.Person.ID
	if k == tandem.Coaching {
		if view.SeeGoals {
			if view.Goals, err = a.DB.Goals(ctx, e.OrgID, id); err != nil {
				return nil, err
			}
			for i := range view.Goals {
				if view.Goals[i].Status == tandem.GoalOpen {
					view.Current = &view.Goals[i]
				}
			}
		}
		if view.SeeEvaluations {
			if view.Evaluations, err = a.DB.Evaluations(ctx, e.OrgID, id); err != nil {
				return nil, err
			}
			if view.Rubric, err = a.DB.Rubric(ctx, e.OrgID); err != nil {
				return nil, err
			}
			view.Progress = tandem.Progress(e.SkillName, view.Rubric, view.Evaluations)
		}
		view.CanSetGoal = open && me == e.Guide.ID && view.Current == nil
		view.CanUpdateGoal = open && e.IsPartner(me) && view.Current != nil
		view.CanMarkReached = view.CanUpdateGoal && me == e.Guide.ID
		view.CanEvaluate = open && me == e.Guide.ID
		return view, nil
	}
	if view.SeeGoals {
		if view.Themes, err = a.DB.Themes(ctx, e.OrgID, id); err != nil {
			return nil, err
		}
	}
	if view.SeeReflections {
		if view.Reflections, err = a.DB.Reflections(ctx, e.OrgID, id); err != nil {
			return nil, err
		}
	}
	if view.SeeLearnings {
		if items == nil {
			if items, err = a.DB.Items(ctx, e.OrgID, id); err != nil {
				return nil, err
			}
		}
		for _, it := range items {
			if it.Learned {
				view.Learnings = append(view.Learnings, it)
			}
		}
	}
	view.CanAddTheme = open && e.IsPartner(me)
	view.CanReflect = open && e.IsPartner(me)
	return view, nil
}

// coachAction loads a coaching engagement for a change only its coach
// makes: "the coach instructs and evaluates".
func (a *App) coachAction(ctx context.Context, id int64, what string) (*tandem.Actor, *tandem.Engagement, error) {
	act, e, _, err := a.load(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if e.Kind != tandem.Coaching {
		return nil, nil, tandem.Errorf(tandem.EINVALID, "Only coaching has %s; a mentoring partnership keeps development themes and reflections.", what)
	}
	if act.Person.ID != e.Guide.ID {
		return nil, nil, tandem.Errorf(tandem.EFORBIDDEN, "Only the coach, %s, sets %s.", e.Guide.Name, what)
	}
	if err := workOpen(e); err != nil {
		return nil, nil, err
	}
	return act, e, nil
}

// SetGoal sets the next goal of a coaching engagement; only the coach,
// and only when there is no current goal ("when one is reached, the coach
// sets the next"). A goal without a measure, target, baseline or a due
// date that is a date is EINVALID with field errors, and so is one due
// before today or after the engagement ends: coaching goals are
// short-term.
func (a *App) SetGoal(ctx context.Context, id int64, g tandem.Goal) (*tandem.Goal, error) {
	act, e, err := a.coachAction(ctx, id, "goals")
	if err != nil {
		return nil, err
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	// Today where the coach is: a date is a day on their calendar.
	if err := g.CheckDue(e, a.Today(ctx)); err != nil {
		return nil, err
	}
	if err := a.DB.SetGoal(ctx, e.OrgID, id, act.Person.ID, &g); err != nil {
		return nil, err
	}
	g.SetBy = tandem.PersonRef{ID: act.Person.ID, Name: act.Person.Name}
	return &g, nil
}

// UpdateGoal records progress on a goal; either partner. Only the coach
// marks a goal reached, as the one who evaluates. Progress on a goal
// already reached is EINVALID on "goal".
func (a *App) UpdateGoal(ctx context.Context, id, goalID int64, u tandem.GoalUpdate) (*tandem.GoalUpdate, error) {
	act, e, err := a.workAction(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Kind != tandem.Coaching {
		return nil, tandem.Errorf(tandem.EINVALID, "Progress on goals belongs to coaching; in mentoring, write a reflection.")
	}
	if u.Reached && act.Person.ID != e.Guide.ID {
		msg := "The coach marks a goal reached; add your progress and they will."
		return nil, &tandem.Error{Code: tandem.EFORBIDDEN, Message: msg, Fields: map[string]string{"reached": msg}}
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := a.DB.AddGoalUpdate(ctx, e.OrgID, id, goalID, act.Person.ID, &u); err != nil {
		return nil, err
	}
	u.Author = tandem.PersonRef{ID: act.Person.ID, Name: act.Person.Name}
	return &u, nil
}

// AddTheme adds a development theme to a mentoring partnership, in one of
// its development areas; either partner.
func (a *App) AddTheme(ctx context.Context, id int64, t tandem.Theme) (*tandem.Theme, error) {
	act, e, err := a.workAction(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Kind != tandem.Mentoring {
		return nil, tandem.Errorf(tandem.EINVALID, "Development themes belong to mentoring; coaching sets goals with a measure.")
	}
	if err := t.Validate(e.Areas); err != nil {
		return nil, err
	}
	if err := a.DB.AddTheme(ctx, e.OrgID, id, act.Person.ID, &t); err != nil {
		return nil, err
	}
	t.Author = tandem.PersonRef{ID: act.Person.ID, Name: act.Person.Name}
	return &t, nil
}

// Reflect records a partner's reflection on a mentoring partnership,
// optionally on one of its themes; either partner.
func (a *App) Reflect(ctx context.Context, id int64, r tandem.Reflection) (*tandem.Reflection, error) {
	act, e, err := a.workAction(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Kind != tandem.Mentoring {
		return nil, tandem.Errorf(tandem.EINVALID, "Reflections belong to mentoring; in coaching the coach evaluates.")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := a.DB.AddReflection(ctx, e.OrgID, id, act.Person.ID, &r); err != nil {
		return nil, err
	}
	r.Author = tandem.PersonRef{ID: act.Person.ID, Name: act.Person.Name}
	return &r, nil
}
