package tandem_test

import (
	"math"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
)

// TestCohortRules checks each rule's contribution on one mentee against
// mentors built to pass or fail it, one criterion weighing at a time.
func TestCohortRules(t *testing.T) {
	at := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	qs := []tandem.Question{
		{ID: 1, Type: tandem.QuestionLanguages, Label: "Langs", Rule: tandem.RuleMustShare, Weight: 1},
		{ID: 2, Type: tandem.QuestionSingle, Label: "Track", Options: []string{"A", "B"}, Rule: tandem.RuleSame, Weight: 1},
		{ID: 3, Type: tandem.QuestionSingle, Label: "Dept", Options: []string{"A", "B"}, Rule: tandem.RuleDifferent, Weight: 1},
		{ID: 4, Type: tandem.QuestionMultiple, Label: "Topics", Options: []string{"x", "y", "z", "w"}, Rule: tandem.RuleOverlap, Weight: 1},
		{ID: 5, Type: tandem.QuestionSkills, Label: "Skills", Rule: tandem.RuleMentorAbove, Weight: 1},
		{ID: 6, Type: tandem.QuestionTimeZone, Label: "Zone", Rule: tandem.RuleWithinHours, Hours: 2, Weight: 1},
		{ID: 7, Type: tandem.QuestionScale, Label: "Seniority", Rule: tandem.RuleMentorAbove, Weight: 1},
	}
	mentee := tandem.CohortMember{Role: tandem.AsMentee, Answers: map[int64]tandem.Answer{
		1: {Choices: []string{"English", "French"}}, 2: {Choices: []string{"A"}}, 3: {Choices: []string{"A"}},
		4: {Choices: []string{"x", "y", "z", "w"}}, 5: {Skills: []tandem.AnswerSkill{{SkillID: 10, Level: tandem.Beginner}, {SkillID: 11, Level: tandem.Advanced}}},
		6: {Text: "Europe/Paris"}, 7: {Scale: 2},
	}}
	good := tandem.CohortMember{Role: tandem.AsMentor, Capacity: 1, Answers: map[int64]tandem.Answer{
		1: {Choices: []string{"french"}}, 2: {Choices: []string{"A"}}, 3: {Choices: []string{"B"}},
		4: {Choices: []string{"x", "y"}}, 5: {Skills: []tandem.AnswerSkill{{SkillID: 10, Level: tandem.Expert}, {SkillID: 11, Level: tandem.Advanced}}},
		6: {Text: "Europe/Helsinki"}, 7: {Scale: 4},
	}}
	bad := tandem.CohortMember{Role: tandem.AsMentor, Capacity: 1, Answers: map[int64]tandem.Answer{
		1: {Choices: []string{"German"}}, 2: {Choices: []string{"B"}}, 3: {Choices: []string{"A"}},
		4: {Choices: []string{"v"}}, 5: {Skills: []tandem.AnswerSkill{{SkillID: 12, Level: tandem.Expert}}},
		6: {Text: "America/New_York"}, 7: {Scale: 2},
	}}
	only := func(qs []tandem.Question, key string) map[string]int {
		w := map[string]int{}
		for _, q := range qs {
			w["q"+string(rune('0'+q.ID))] = 0
		}
		for _, k := range []string{tandem.CritDepartment, tandem.CritLocation, tandem.CritLanguages, tandem.CritSkills, tandem.CritTimeZone} {
			w[k] = 0
		}
		w[key] = 4
		return w
	}
	// good scores the full weight on each criterion but overlap (2 of 4
	// topics: half) and skills (above on one of two: half); bad nothing,
	// and fails the must-share rule whatever weighs.
	for _, x := range []struct {
		key       string
		good, bad float64
	}{
		{"q1", 4, math.NaN()}, {"q2", 4, math.NaN()}, {"q3", 4, math.NaN()}, {"q4", 2, math.NaN()},
		{"q5", 2, math.NaN()}, {"q6", 4, math.NaN()}, {"q7", 4, math.NaN()},
	} {
		cr, err := tandem.Criteria(qs, only(qs, x.key))
		if err != nil {
			t.Fatal(err)
		}
		co := tandem.NewCohort(cr, []tandem.CohortMember{mentee}, []tandem.CohortMember{good, bad}, at)
		row := co.Row(0, nil)
		if float64(row[0]) != x.good || !math.IsNaN(float64(row[1])) {
			t.Errorf("%s: good %v (want %v), bad %v (want forbidden by Langs)", x.key, row[0], x.good, row[1])
		}
		if x.key == "q1" && co.HardFailure(0, 1) != "Langs" {
			t.Errorf("hard failure %q", co.HardFailure(0, 1))
		}
	}
	// Without the must-share rule, bad scores 0 on each soft criterion.
	soft := qs[1:]
	for _, key := range []string{"q2", "q3", "q4", "q5", "q6", "q7"} {
		cr, err := tandem.Criteria(soft, only(soft, key))
		if err != nil {
			t.Fatal(err)
		}
		co := tandem.NewCohort(cr, []tandem.CohortMember{mentee}, []tandem.CohortMember{bad}, at)
		if v := co.Row(0, nil)[0]; v != 0 {
			t.Errorf("%s: bad scores %v, want 0", key, v)
		}
	}
	// Profile fields are criteria too.
	me := tandem.CohortMember{Department: "Sales", Location: "Lyon", Languages: []string{"English"}, TimeZone: "Europe/Paris",
		Skills: map[int64]tandem.Level{10: tandem.Novice}}
	mo := tandem.CohortMember{Department: "Build", Location: "lyon", Languages: []string{"english", "Basque"}, TimeZone: "Europe/London",
		Skills: map[int64]tandem.Level{10: tandem.Expert}, Capacity: 1}
	cr, err := tandem.Criteria(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	co := tandem.NewCohort(cr, []tandem.CohortMember{me}, []tandem.CohortMember{mo}, at)
	if v, want := co.Row(0, nil)[0], float32(1+1+2+2+1); v != want {
		t.Errorf("profile score %v, want %v", v, want)
	}
	if _, err := tandem.Criteria(qs, map[string]int{"q1": 11}); tandem.ErrorFields(err)["weights"] == "" {
		t.Errorf("weight 11: %v", err)
	}
}

// TestSolveCohort: chain pairs are never proposed, pins hold, and no
// mentees or mentors is a clear error.
func TestSolveCohort(t *testing.T) {
	cr, _ := tandem.Criteria(nil, nil)
	person := func(id int64, dept string, capacity int) tandem.CohortMember {
		return tandem.CohortMember{Person: tandem.PersonRef{ID: id, Name: "p" + string(rune('0'+id))}, Department: dept, Capacity: capacity}
	}
	mentees := []tandem.CohortMember{person(1, "A", 0), person(2, "A", 0)}
	mentors := []tandem.CohortMember{person(3, "B", 1), person(4, "A", 1)}
	co := tandem.NewCohort(cr, mentees, mentors, time.Now())
	run, err := tandem.SolveCohort(co, tandem.ModeOptimal, [][2]int{{0, 0}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range run.Pairs {
		if p.Mentee.ID == 1 && p.Mentor.ID == 3 {
			t.Errorf("a mentor in the mentee's chain was proposed")
		}
	}
	if run.Matched != 2 {
		t.Errorf("matched %d", run.Matched)
	}
	run, err = tandem.SolveCohort(co, tandem.ModeOptimal, nil, []tandem.PairRule{{Kind: tandem.PairPin, MenteeID: 2, MentorID: 4}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range run.Pairs {
		if p.Mentee.ID == 2 && (p.Mentor.ID != 4 || !p.Pinned) {
			t.Errorf("the pin did not hold: %+v", p)
		}
	}
	if _, err := tandem.SolveCohort(tandem.NewCohort(cr, nil, mentors, time.Now()), tandem.ModeOptimal, nil, nil); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("no mentees: %v", err)
	}
	if _, err := tandem.SolveCohort(tandem.NewCohort(cr, mentees, nil, time.Now()), tandem.ModeStable, nil, nil); tandem.ErrorCode(err) != tandem.ECONFLICT {
		t.Errorf("no mentors: %v", err)
	}
}
