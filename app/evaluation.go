package app

import (
	"context"

	"github.com/tandemhq/tandem"
)

// Rubric returns the organization's rubric, its own or the default; every
// member may read the scale they are evaluated on.
func (a *App) Rubric(ctx context.Context) (tandem.Rubric, error) {
	act, err := actor(ctx)
	if err != nil {
		return tandem.Rubric{}, err
	}
	return a.DB.Rubric(ctx, act.Org.ID)
}

// SetRubric replaces the organization's rubric with its own levels, lowest
// first; no levels at all restores the default. Administrators only.
// Evaluations already made keep the level name they were given.
func (a *App) SetRubric(ctx context.Context, levels []tandem.RubricLevel) (tandem.Rubric, error) {
	act, err := admin(ctx)
	if err != nil {
		return tandem.Rubric{}, err
	}
	if len(levels) > 0 {
		if levels, err = tandem.CleanRubricLevels(levels); err != nil {
			return tandem.Rubric{}, err
		}
	}
	if err := a.DB.SetRubric(ctx, act.Org.ID, levels); err != nil {
		return tandem.Rubric{}, err
	}
	return a.DB.Rubric(ctx, act.Org.ID)
}

// Evaluate records the coach's evaluation of the coachee on the
// engagement's skill: a level of the rubric, with evidence. Only the
// coach; a level outside the rubric is EINVALID on "level".
func (a *App) Evaluate(ctx context.Context, id int64, ev tandem.Evaluation) (*tandem.Evaluation, error) {
	act, e, err := a.coachAction(ctx, id, "evaluations")
	if err != nil {
		return nil, err
	}
	r, err := a.DB.Rubric(ctx, e.OrgID)
	if err != nil {
		return nil, err
	}
	// Checked here for a quick answer, and again in the store's
	// transaction against the rubric as it is then.
	if err := ev.Validate(r); err != nil {
		return nil, err
	}
	if err := a.DB.AddEvaluation(ctx, e.OrgID, id, act.Person.ID, &ev); err != nil {
		return nil, err
	}
	ev.Author = tandem.PersonRef{ID: act.Person.ID, Name: act.Person.Name}
	return &ev, nil
}
