package tandem

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestCohortRowEqualsFactor: the per-criterion loops of Row give exactly
// what the per-pair reference (factor) gives, on random answers to every
// rule, missing answers included.
func TestCohortRowEqualsFactor(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	var qs []Question
	id := int64(1)
	for _, typ := range []QuestionType{QuestionSingle, QuestionMultiple, QuestionLanguages, QuestionSkills, QuestionTimeZone, QuestionScale} {
		for _, r := range RulesFor(typ) {
			qs = append(qs, Question{ID: id, Type: typ, Label: fmt.Sprint(id), Options: []string{"a", "b", "c", "d"}, Rule: r, Weight: 1 + rng.IntN(10), Hours: 1 + rng.IntN(5)})
			id++
		}
	}
	zones := []string{"Europe/Paris", "Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", ""}
	member := func() CohortMember {
		m := CohortMember{Answers: map[int64]Answer{}, Capacity: 1, Department: []string{"", "A", "B"}[rng.IntN(3)],
			Languages: []string{"en", "fr", "de"}[:rng.IntN(3)], TimeZone: zones[rng.IntN(len(zones))], Skills: map[int64]Level{}}
		for k := range rng.IntN(4) {
			m.Skills[int64(k+rng.IntN(3))] = Level(1 + rng.IntN(5))
		}
		for _, q := range qs {
			if rng.IntN(5) == 0 {
				continue
			}
			var a Answer
			switch q.Type {
			case QuestionSingle:
				a.Choices = []string{q.Options[rng.IntN(4)]}
			case QuestionMultiple, QuestionLanguages:
				for _, o := range q.Options {
					if rng.IntN(2) == 0 {
						a.Choices = append(a.Choices, o)
					}
				}
			case QuestionSkills:
				for k := range 1 + rng.IntN(3) {
					a.Skills = append(a.Skills, AnswerSkill{SkillID: int64(10*k + rng.IntN(4)), Level: Level(1 + rng.IntN(5))})
				}
			case QuestionTimeZone:
				a.Text = zones[rng.IntN(len(zones))]
			case QuestionScale:
				a.Scale = 1 + rng.IntN(5)
			}
			m.Answers[q.ID] = a
		}
		return m
	}
	for round := range 20 {
		var mentees, mentors []CohortMember
		for range 15 {
			mentees = append(mentees, member())
		}
		for range 12 {
			mentors = append(mentors, member())
		}
		// A few criteria at a time, so that not every pair is forbidden.
		var sub []Question
		for _, q := range qs {
			if rng.IntN(3) == 0 {
				sub = append(sub, q)
			}
		}
		cr, err := Criteria(sub, nil)
		if err != nil {
			t.Fatal(err)
		}
		co := NewCohort(cr, mentees, mentors, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		for i := range mentees {
			row := co.Row(i, nil)
			for j := range mentors {
				want := float32(0)
				for k := range co.cols {
					col := &co.cols[k]
					if col.c.Weight == 0 && !col.c.Hard() {
						continue
					}
					f, ok := co.factor(col, i, j)
					if !ok {
						want = float32(math.NaN())
						break
					}
					want += float32(col.c.Weight) * float32(f)
				}
				if row[j] != want && !(row[j] != row[j] && want != want) {
					t.Fatalf("round %d, pair %d,%d: Row %v, reference %v", round, i, j, row[j], want)
				}
			}
		}
	}
}
