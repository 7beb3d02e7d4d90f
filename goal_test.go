package tandem_test

import (
	"testing"
	"time"

	"github.com/tandemhq/tandem"
)

func TestGoalValidate(t *testing.T) {
	ok := func() tandem.Goal {
		return tandem.Goal{Title: "Lead incident reviews", Measure: "reviews led alone", Baseline: "0", Target: "3", Due: "2026-05-01"}
	}
	for name, tc := range map[string]struct {
		edit  func(g *tandem.Goal)
		field string
	}{
		"OK":            {func(*tandem.Goal) {}, ""},
		"NoMeasure":     {func(g *tandem.Goal) { g.Measure = "  " }, "measure"},
		"NoTarget":      {func(g *tandem.Goal) { g.Target = "" }, "target"},
		"NoBaseline":    {func(g *tandem.Goal) { g.Baseline = "" }, "baseline"},
		"NoDue":         {func(g *tandem.Goal) { g.Due = "" }, "due"},
		"DueNotADate":   {func(g *tandem.Goal) { g.Due = "next Friday" }, "due"},
		"DueImpossible": {func(g *tandem.Goal) { g.Due = "2026-02-30" }, "due"},
	} {
		t.Run(name, func(t *testing.T) {
			g := ok()
			tc.edit(&g)
			err := g.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if tandem.ErrorCode(err) != tandem.EINVALID || tandem.ErrorFields(err)[tc.field] == "" {
				t.Errorf("err = %v, want a field error on %s", err, tc.field)
			}
		})
	}
}

func TestThemeValidate(t *testing.T) {
	th := tandem.Theme{Area: tandem.AreaCareer, Title: "Speaking up"}
	if err := th.Validate([]tandem.Area{tandem.AreaCareer}); err != nil {
		t.Fatal(err)
	}
	if err := th.Validate([]tandem.Area{tandem.AreaEthics}); tandem.ErrorFields(err)["area"] == "" {
		t.Errorf("a theme outside the areas in scope: %v", err)
	}
}

func TestRubric(t *testing.T) {
	r := tandem.DefaultRubric()
	if len(r.Levels) != 5 || r.Levels[0].Name != "Novice" || r.Levels[4].Position != 5 || r.Levels[2].Description == "" {
		t.Fatalf("default rubric = %+v", r)
	}
	for _, pos := range []int{0, 6, -1} {
		ev := tandem.Evaluation{Position: pos, Evidence: "Ran the review"}
		if err := ev.Validate(r); tandem.ErrorFields(err)["level"] == "" {
			t.Errorf("level %d: %v", pos, err)
		}
	}
	ev := tandem.Evaluation{Position: 3, Evidence: "Ran the review"}
	if err := ev.Validate(r); err != nil || ev.LevelName != "Intermediate" {
		t.Errorf("level 3: %v %q", err, ev.LevelName)
	}
	levels, err := tandem.CleanRubricLevels([]tandem.RubricLevel{{Name: " Learning ", Description: "x"}, {}, {Name: "Doing", Description: "y"}})
	if err != nil || len(levels) != 2 || levels[1].Position != 2 || levels[0].Name != "Learning" {
		t.Errorf("clean = %+v, %v", levels, err)
	}
	for _, bad := range [][]tandem.RubricLevel{{{Name: "One", Description: "x"}}, {{Name: "A", Description: "x"}, {Name: "a", Description: "y"}},
		{{Name: "A", Description: "x"}, {Name: "B"}}} {
		if _, err := tandem.CleanRubricLevels(bad); tandem.ErrorFields(err)["levels"] == "" {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	s := tandem.Progress("Go", r, []tandem.Evaluation{{Position: 2, LevelName: "Beginner", At: time.Now()}, {Position: 7, LevelName: "Old top"}})
	if len(s.Levels) != 7 || len(s.Points) != 2 {
		t.Errorf("series = %+v", s)
	}
}
