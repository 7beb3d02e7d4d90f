package sqldb_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem"
)

func TestRubricAndEvaluations(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	db := p.db
	r, err := db.Rubric(ctx, p.org)
	if err != nil || r.Custom || len(r.Levels) != 5 {
		t.Fatalf("rubric of a new organization = %+v, %v", r, err)
	}
	ev := &tandem.Evaluation{Position: 2, Evidence: "Ran a review with help"}
	if err := db.AddEvaluation(ctx, p.org, p.coaching, p.guide, ev); err != nil {
		t.Fatal(err)
	}
	if ev.LevelName != "Beginner" {
		t.Errorf("level name %q", ev.LevelName)
	}
	own := []tandem.RubricLevel{{Name: "Learning", Description: "Needs help"}, {Name: "Doing", Description: "Alone"}, {Name: "Teaching", Description: "Shows others"}}
	if err := db.SetRubric(ctx, p.org, own); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Rubric(ctx, p.org); !r.Custom || len(r.Levels) != 3 || r.Levels[2].Name != "Teaching" || r.Levels[2].Position != 3 {
		t.Errorf("own rubric = %+v", r)
	}
	if r, _ := db.Rubric(ctx, p.otherOrg); r.Custom {
		t.Error("one organization's rubric leaked into another")
	}
	err = db.AddEvaluation(ctx, p.org, p.coaching, p.guide, &tandem.Evaluation{Position: 4, Evidence: "x"})
	if tandem.ErrorCode(err) != tandem.EINVALID || tandem.ErrorFields(err)["level"] == "" {
		t.Errorf("level outside the rubric: %v", err)
	}
	if err := db.AddEvaluation(ctx, p.org, p.coaching, p.guide, &tandem.Evaluation{Position: 3, Evidence: "Taught Sam"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddEvaluation(ctx, p.org, p.mentoring, p.guide, &tandem.Evaluation{Position: 1, Evidence: "x"}); tandem.ErrorCode(err) != tandem.EINVALID {
		t.Errorf("evaluation of mentoring: %v", err)
	}
	evs, err := db.Evaluations(ctx, p.org, p.coaching)
	if err != nil {
		t.Fatal(err)
	}
	// The first evaluation keeps the name it was given under the default.
	if len(evs) != 2 || evs[0].LevelName != "Beginner" || evs[1].LevelName != "Teaching" || evs[1].Author.Name != "Cat" {
		t.Errorf("evaluations = %+v", evs)
	}
	if evs, _ := db.Evaluations(ctx, p.otherOrg, p.coaching); len(evs) != 0 {
		t.Errorf("evaluations across organizations: %v", evs)
	}
	if err := db.SetRubric(ctx, p.org, nil); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Rubric(ctx, p.org); r.Custom || len(r.Levels) != 5 {
		t.Errorf("reset rubric = %+v", r)
	}
}
