package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
)

func newGoal() tandem.Goal {
	return tandem.Goal{Title: "Lead incident reviews", Measure: "reviews led alone", Baseline: "0", Target: "3", Due: "2026-05-01"}
}

func TestGoalRules(t *testing.T) {
	c := newCast(t)
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, e.ID, "lee", "coach", "boss")

	for _, who := range []string{"lee", "boss"} {
		if _, err := c.a.SetGoal(c.ctx[who], e.ID, newGoal()); code(err) != tandem.EFORBIDDEN {
			t.Errorf("%s sets a goal: %v", who, err)
		}
	}
	if _, err := c.a.SetGoal(c.ctx["other"], e.ID, newGoal()); code(err) != tandem.ENOTFOUND {
		t.Errorf("other sets a goal: %v", err)
	}
	bad := newGoal()
	bad.Measure = ""
	if _, err := c.a.SetGoal(c.ctx["coach"], e.ID, bad); tandem.ErrorFields(err)["measure"] == "" {
		t.Errorf("goal without a measure: %v", err)
	}
	bad = newGoal()
	bad.Due = "soon"
	if _, err := c.a.SetGoal(c.ctx["coach"], e.ID, bad); tandem.ErrorFields(err)["due"] == "" {
		t.Errorf("due date not a date: %v", err)
	}
	for _, due := range []tandem.Date{"2026-03-01", "2026-06-02"} { // the day before today; after the end
		bad = newGoal()
		bad.Due = due
		if _, err := c.a.SetGoal(c.ctx["coach"], e.ID, bad); tandem.ErrorFields(err)["due"] == "" {
			t.Errorf("goal due %s in an engagement of 2026-03-02 to 2026-06-01 (today 2026-03-02): %v", due, err)
		}
	}
	g, err := c.a.SetGoal(c.ctx["coach"], e.ID, newGoal())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.UpdateGoal(c.ctx["lee"], e.ID, g.ID, tandem.GoalUpdate{Value: "1", Note: "Led Tuesday's"}); err != nil {
		t.Fatalf("the coachee's progress: %v", err)
	}
	if _, err := c.a.UpdateGoal(c.ctx["lee"], e.ID, g.ID, tandem.GoalUpdate{Value: "3", Reached: true}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("the coachee marks the goal reached: %v", err)
	}
	if _, err := c.a.UpdateGoal(c.ctx["boss"], e.ID, g.ID, tandem.GoalUpdate{Value: "2"}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("the manager updates progress: %v", err)
	}
	if _, err := c.a.UpdateGoal(c.ctx["coach"], e.ID, g.ID, tandem.GoalUpdate{Value: "3", Reached: true}); err != nil {
		t.Fatal(err)
	}
	v, err := c.a.Goals(c.ctx["coach"], e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !v.NeedsNextGoal() || !v.CanSetGoal || v.CanUpdateGoal || len(v.Goals) != 1 || len(v.Goals[0].Updates) != 2 {
		t.Errorf("after the goal is reached: next %v set %v update %v goals %+v", v.NeedsNextGoal(), v.CanSetGoal, v.CanUpdateGoal, v.Goals)
	}
	if _, err := c.a.UpdateGoal(c.ctx["lee"], e.ID, g.ID, tandem.GoalUpdate{Value: "4"}); tandem.ErrorFields(err)["goal"] == "" {
		t.Errorf("progress on a reached goal: %v", err)
	}
	g2, err := c.a.SetGoal(c.ctx["coach"], e.ID, newGoal())
	if err != nil || g2.PreviousGoalID != g.ID {
		t.Fatalf("next goal: %+v %v", g2, err)
	}

	// Who sees the goals: partners, the manager; not administrators.
	for who, see := range map[string]bool{"lee": true, "coach": true, "boss": true, "prog": false, "admin": false} {
		v, err := c.a.Goals(c.ctx[who], e.ID)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		if v.SeeGoals != see || (len(v.Goals) == 2) != see || v.SeeEvaluations != see {
			t.Errorf("%s sees %d goals (see %v), want %v", who, len(v.Goals), v.SeeGoals, see)
		}
	}
	if _, err := c.a.Goals(c.ctx["other"], e.ID); code(err) != tandem.ENOTFOUND {
		t.Errorf("other: %v", err)
	}

	if _, err := c.a.End(c.ctx["lee"], e.ID, "Done"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.UpdateGoal(c.ctx["lee"], e.ID, g2.ID, tandem.GoalUpdate{Value: "1"}); code(err) != tandem.EINVALID {
		t.Errorf("progress on an ended engagement: %v", err)
	}
	if v, _ := c.a.Goals(c.ctx["coach"], e.ID); v.CanSetGoal || v.CanUpdateGoal || v.CanEvaluate {
		t.Error("an ended engagement offers changes")
	}
}

func TestEvaluationRules(t *testing.T) {
	c := newCast(t)
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, e.ID, "lee", "coach", "boss")
	if _, err := c.a.Evaluate(c.ctx["lee"], e.ID, tandem.Evaluation{Position: 3, Evidence: "x"}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("the coachee evaluates: %v", err)
	}
	if _, err := c.a.Evaluate(c.ctx["coach"], e.ID, tandem.Evaluation{Position: 6, Evidence: "x"}); tandem.ErrorFields(err)["level"] == "" {
		t.Errorf("level outside the rubric: %v", err)
	}
	if _, err := c.a.Evaluate(c.ctx["coach"], e.ID, tandem.Evaluation{Position: 2, Evidence: "Ran the review with help"}); err != nil {
		t.Fatal(err)
	}
	levels := []tandem.RubricLevel{{Name: "Learning", Description: "With help"}, {Name: "Doing", Description: "Alone"}}
	if _, err := c.a.SetRubric(c.ctx["coach"], levels); code(err) != tandem.EFORBIDDEN {
		t.Errorf("a member sets the rubric: %v", err)
	}
	r, err := c.a.SetRubric(c.ctx["admin"], levels)
	if err != nil || !r.Custom || len(r.Levels) != 2 {
		t.Fatalf("rubric: %+v %v", r, err)
	}
	if _, err := c.a.Evaluate(c.ctx["coach"], e.ID, tandem.Evaluation{Position: 3, Evidence: "x"}); tandem.ErrorFields(err)["level"] == "" {
		t.Errorf("level 3 of a two-level rubric: %v", err)
	}
	v, err := c.a.Goals(c.ctx["lee"], e.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The old evaluation keeps its position; the scale grows to hold it.
	if len(v.Evaluations) != 1 || v.Evaluations[0].LevelName != "Beginner" || len(v.Progress.Levels) != 2 || len(v.Progress.Points) != 1 {
		t.Errorf("the coachee's view: %+v %+v", v.Evaluations, v.Progress)
	}
}

func TestThemeRules(t *testing.T) {
	c := newCast(t)
	m := c.mentoring(t, "lee", "lee", "mentor")
	if _, err := c.a.AddTheme(c.ctx["mentor"], m.ID, tandem.Theme{Area: tandem.AreaCareer, Title: "Too early"}); code(err) != tandem.EINVALID {
		t.Errorf("a theme before the agreement is in effect: %v", err)
	}
	c.agreeAll(t, m.ID, "lee", "mentor", "boss")
	th, err := c.a.AddTheme(c.ctx["mentor"], m.ID, tandem.Theme{Area: tandem.AreaCareer, Title: "Speaking up"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.AddTheme(c.ctx["boss"], m.ID, tandem.Theme{Area: tandem.AreaCareer, Title: "x"}); code(err) != tandem.EFORBIDDEN {
		t.Errorf("the manager adds a theme: %v", err)
	}
	if _, err := c.a.Reflect(c.ctx["lee"], m.ID, tandem.Reflection{ThemeID: th.ID, Body: "I spoke first"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Reflect(c.ctx["lee"], m.ID, tandem.Reflection{Body: " "}); tandem.ErrorFields(err)["body"] == "" {
		t.Errorf("empty reflection: %v", err)
	}
	if _, err := c.a.SetGoal(c.ctx["mentor"], m.ID, newGoal()); code(err) != tandem.EINVALID {
		t.Errorf("a goal on mentoring: %v", err)
	}
	if _, err := c.a.AddItem(c.ctx["lee"], m.ID, true, "How Max plans"); err != nil {
		t.Fatal(err)
	}
	for who, see := range map[string]bool{"lee": true, "mentor": true, "boss": false, "prog": false, "admin": false} {
		v, err := c.a.Goals(c.ctx[who], m.ID)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		if (len(v.Themes) == 1) != see || (len(v.Reflections) == 1) != see || (len(v.Learnings) == 1) != see {
			t.Errorf("%s sees themes %v reflections %v learnings %v, want %v", who, v.Themes, v.Reflections, v.Learnings, see)
		}
	}
	v, _ := c.a.Goals(c.ctx["mentor"], m.ID)
	if len(v.ReflectionsBy(c.id["lee"])) != 1 || len(v.LearningsBy(c.id["mentor"])) != 0 {
		t.Errorf("sides: %+v", v)
	}
}

// TestGoalDueInCoachZone: "today" for a due date is the coach's day. At
// 03:00 UTC on 2 March it is still 1 March in Los Angeles.
func TestGoalDueInCoachZone(t *testing.T) {
	c := newCast(t)
	e := c.coaching(t, "lee", "lee", "coach", "Go")
	c.agreeAll(t, e.ID, "lee", "coach", "boss")
	c.clock.Set(time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC))
	g := newGoal()
	g.Due = "2026-03-01"
	if _, err := c.a.SetGoal(c.ctx["coach"], e.ID, g); tandem.ErrorFields(err)["due"] == "" {
		t.Errorf("due yesterday in UTC: %v", err)
	}
	act := *tandem.ActorFrom(c.ctx["coach"])
	p := *act.Person
	p.TimeZone = "America/Los_Angeles"
	act.Person = &p
	if _, err := c.a.SetGoal(tandem.WithActor(context.Background(), &act), e.ID, g); err != nil {
		t.Errorf("due today in Los Angeles: %v", err)
	}
}
