package tandem

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"
)

// TestCohortRowEqualsFactor: the per-criterion loops of Row give exactly
// what the per-pair reference (factor) gives, on random answers to every
// rule, missing answers included.
func TestCohortRowEqualsFactor(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	qs, member := randomCohort(rng)
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

// randomCohort returns questions of every type with each of its rules
// and a maker of members answering them at random (some answers missing).
func randomCohort(rng *rand.Rand) ([]Question, func() CohortMember) {
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
	return qs, member
}

// TestSolveCohortParallel: the score matrix, the reasons and the whys of a
// run are the same on one core as on several (the rows are spread over
// GOMAXPROCS workers).
func TestSolveCohortParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	qs, member := randomCohort(rng)
	var sub []Question
	for _, q := range qs {
		if rng.IntN(4) == 0 || q.Type == QuestionLanguages && q.Rule == RuleMustShare {
			sub = append(sub, q)
		}
	}
	cr, err := Criteria(sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	var mentees, mentors []CohortMember
	for k := range 400 {
		m := member()
		m.Person = PersonRef{ID: int64(1 + k), Name: fmt.Sprint("mentee ", k)}
		mentees = append(mentees, m)
	}
	for k := range 60 {
		m := member()
		m.Person = PersonRef{ID: int64(1001 + k), Name: fmt.Sprint("mentor ", k)}
		m.Capacity = 1 + rng.IntN(4)
		mentors = append(mentors, m)
	}
	var chain [][2]int
	for range 300 {
		chain = append(chain, [2]int{rng.IntN(len(mentees)), rng.IntN(len(mentors))})
	}
	rules := []PairRule{{Kind: PairPin, MenteeID: 5, MentorID: 1003}}
	for range 300 {
		rules = append(rules, PairRule{Kind: PairForbid, MenteeID: int64(10 + rng.IntN(390)), MentorID: int64(1001 + rng.IntN(60))})
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	solve := func(procs int) (*MatchRun, []float32) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		co := NewCohort(cr, mentees, mentors, at)
		run, err := SolveCohort(co, ModeOptimal, slices.Clone(chain), rules)
		if err != nil {
			t.Fatal(err)
		}
		run.Stats = RunStats{}
		return run, co.Matrix().Data
	}
	one, m1 := solve(1)
	four, m4 := solve(4)
	if len(one.Unmatched) == 0 || len(one.Pairs) == 0 {
		t.Fatalf("want pairs and unmatched people, got %d and %d", len(one.Pairs), len(one.Unmatched))
	}
	if !slices.EqualFunc(m1, m4, func(a, b float32) bool { return a == b || (a != a && b != b) }) {
		t.Fatal("the matrices differ")
	}
	if !reflect.DeepEqual(one, four) {
		t.Fatalf("the runs differ:\n%+v\n%+v", one, four)
	}
}
