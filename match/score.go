package match

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// Skill levels, from novice (1) to expert (5). Zero means "not stated".
const (
	Novice = 1 + iota
	Beginner
	Intermediate
	Advanced
	Expert
)

// LevelNames are the names of the skill levels, indexed by level.
var LevelNames = [...]string{"", "novice", "beginner", "intermediate", "advanced", "expert"}

// Skill is a named skill at a level.
type Skill struct {
	Name  string
	Level int
}

// Profile is what the scoring model knows of a person.
type Profile struct {
	Email, Name, Title, Department, Location string
	// TZOffset is the UTC offset in minutes; HasTZ says whether it is known.
	TZOffset int
	HasTZ    bool
	// ManagerEmail is the email of the person's manager, if any.
	ManagerEmail string
	Languages    []string
	Skills       []Skill
	Interests    []string
	// Years is the years of experience, or a negative number if unknown.
	Years float64
	// Wants lists the skills a mentee wants, each with the level it wants
	// to reach (zero: one level above its own, at least advanced).
	Wants []Skill
	// Capacity is how many mentees a mentor takes.
	Capacity int
	// Answers holds the program questionnaire: question to answers.
	Answers map[string][]string
}

// Weights is the scoring model: one weight per factor, and rules that
// forbid pairs. Every factor is worth between 0 and 1 before weighting, so
// a pair's score lies between 0 and the sum of the weights.
type Weights struct {
	// Skills weighs how far the mentor's levels lift the mentee toward the
	// levels it wants, averaged over the wanted skills.
	Skills float64 `json:"skills"`
	// Interests weighs the share of the mentee's interests the mentor has.
	Interests float64 `json:"interests"`
	// Languages weighs sharing a language. Sharing none is always forbidden
	// when both sides list languages.
	Languages float64 `json:"languages"`
	// TimeZone weighs closeness in time: 1 at the same offset, 0 at 12 hours.
	TimeZone float64 `json:"time_zone"`
	// MaxTimeZoneHours, when positive, forbids pairs further apart.
	MaxTimeZoneHours float64 `json:"max_time_zone_hours"`
	// Department weighs being in different departments.
	Department float64 `json:"department"`
	// Experience weighs the mentor's extra years, full at 10 years more.
	Experience float64 `json:"experience"`
	// Must lists factors that must be non-zero for a pair to be allowed:
	// "skills", "interests", "department", "time_zone", "experience".
	Must []string `json:"must_match"`
	// Questions holds a rule per questionnaire question (column name, such
	// as q_goal). Questions without a rule weigh DefaultQuestion.
	Questions map[string]QuestionRule `json:"questions"`
	// DefaultQuestion is the weight of questions without a rule.
	DefaultQuestion float64 `json:"default_question"`
}

// QuestionRule weighs one question: the Jaccard similarity of the two
// answer sets, times Weight. MustMatch forbids pairs that share no answer
// (an unanswered question shares none).
type QuestionRule struct {
	Weight    float64 `json:"weight"`
	MustMatch bool    `json:"must_match"`
}

// DefaultWeights returns the weights used when a program sets none.
func DefaultWeights() Weights {
	return Weights{Skills: 3, Interests: 1, Languages: 0.5, TimeZone: 1, Department: 0.5, Experience: 1, DefaultQuestion: 1}
}

// Validate checks that weights are finite and not negative and that Must
// names known factors.
func (w *Weights) Validate() error {
	for name, v := range map[string]float64{"skills": w.Skills, "interests": w.Interests, "languages": w.Languages,
		"time_zone": w.TimeZone, "department": w.Department, "experience": w.Experience,
		"max_time_zone_hours": w.MaxTimeZoneHours, "default_question": w.DefaultQuestion} {
		if v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Errorf("match: weight %s = %v: must be a finite non-negative number", name, v)
		}
	}
	for q, r := range w.Questions {
		if r.Weight < 0 || math.IsInf(r.Weight, 0) || math.IsNaN(r.Weight) {
			return fmt.Errorf("match: weight of question %s = %v: must be a finite non-negative number", q, r.Weight)
		}
	}
	for _, f := range w.Must {
		switch f {
		case "skills", "interests", "department", "time_zone", "experience":
		default:
			return fmt.Errorf("match: must_match names unknown factor %q", f)
		}
	}
	return nil
}

// Model scores mentees against mentors from their profiles. It compiles
// the profiles into small integer and bit-set forms so that a pair costs a
// few dozen nanoseconds, and it implements Scores, so the engine computes
// rows on demand and never needs the full matrix.
type Model struct {
	Mentees, Mentors []Profile
	W                Weights

	must      map[string]bool
	forbid    map[[2]int32]string // explicit and org-chart exclusions
	forbidBy  [][]int32           // the same, by mentee
	nskill    int
	want      [][]wantC // per mentee
	mentorLvl []int8    // mentor j, skill s at j*nskill+s
	langW     int
	lang      []uint64 // per person (mentees then mentors), langW words
	intW      int
	inter     []uint64
	interN    []int // interests per mentee
	dept      []int32
	questions []question
	fast      fastC // mentor-side arrays of the fast scorer (score_fast.go)
}

type wantC struct {
	skill       int32
	cur, target int8
}

type question struct {
	name      string
	weight    float64
	must      bool
	words     int
	sets      []uint64 // per person, words each; mentees then mentors
	answered  []bool
	setCounts []int
}

// interner assigns small integers to strings, case-insensitively.
type interner map[string]int

func (t interner) id(s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	if id, ok := t[s]; ok {
		return id
	}
	t[s] = len(t)
	return len(t) - 1
}

// NewModel compiles a scoring model. forbid lists pairs (mentee index,
// mentor index) an admin excluded; the org chart adds every mentor in a
// mentee's chain of managers (followed by email across both lists).
func NewModel(mentees, mentors []Profile, w Weights, forbid [][2]int) (*Model, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Mentees: mentees, Mentors: mentors, W: w, must: map[string]bool{}, forbid: map[[2]int32]string{}}
	for _, f := range w.Must {
		m.must[f] = true
	}
	for _, p := range forbid {
		m.forbid[[2]int32{int32(p[0]), int32(p[1])}] = "excluded by an admin"
	}
	m.chain()
	n, k := len(mentees), len(mentors)
	m.forbidBy = make([][]int32, n)
	for p := range m.forbid {
		if p[0] < 0 || int(p[0]) >= n || p[1] < 0 || int(p[1]) >= k {
			return nil, fmt.Errorf("match: forbidden pair (%d, %d) is out of range", p[0], p[1])
		}
		m.forbidBy[p[0]] = append(m.forbidBy[p[0]], p[1])
	}

	skills := interner{}
	m.want = make([][]wantC, n)
	for i, p := range mentees {
		cur := map[string]int{}
		for _, s := range p.Skills {
			cur[strings.ToLower(s.Name)] = s.Level
		}
		for _, s := range p.Wants {
			c := cur[strings.ToLower(s.Name)]
			t := s.Level
			if t == 0 {
				t = max(c+1, Advanced)
			}
			t = min(t, Expert)
			if t <= c {
				continue // already there
			}
			m.want[i] = append(m.want[i], wantC{int32(skills.id(s.Name)), int8(c), int8(t)})
		}
	}
	m.nskill = len(skills)
	m.mentorLvl = make([]int8, k*m.nskill)
	for j, p := range mentors {
		for _, s := range p.Skills {
			if id, ok := skills[strings.ToLower(strings.TrimSpace(s.Name))]; ok {
				m.mentorLvl[j*m.nskill+id] = int8(s.Level)
			}
		}
	}
	all := append(append([]Profile(nil), mentees...), mentors...)
	m.langW, m.lang = bitsets(all, func(p *Profile) []string { return p.Languages })
	m.intW, m.inter = bitsets(all, func(p *Profile) []string { return p.Interests })
	m.interN = make([]int, n)
	for i := range mentees {
		m.interN[i] = popcount(m.inter[i*m.intW : (i+1)*m.intW])
	}
	depts := interner{}
	m.dept = make([]int32, len(all))
	for t, p := range all {
		m.dept[t] = -1
		if strings.TrimSpace(p.Department) != "" {
			m.dept[t] = int32(depts.id(p.Department))
		}
	}
	names := map[string]bool{}
	for _, p := range all {
		for q := range p.Answers {
			names[q] = true
		}
	}
	for _, q := range sortedKeys(names) {
		rule, ok := w.Questions[q]
		if !ok {
			rule = QuestionRule{Weight: w.DefaultQuestion}
		}
		qc := question{name: q, weight: rule.Weight, must: rule.MustMatch, answered: make([]bool, len(all))}
		qc.words, qc.sets = bitsets(all, func(p *Profile) []string { return p.Answers[q] })
		qc.setCounts = make([]int, len(all))
		for t, p := range all {
			qc.answered[t] = len(p.Answers[q]) > 0
			qc.setCounts[t] = popcount(qc.sets[t*qc.words : (t+1)*qc.words])
		}
		m.questions = append(m.questions, qc)
	}
	m.compileFast()
	return m, nil
}

// bitsets turns one string-set field of every person into bit sets of a
// common width.
func bitsets(all []Profile, field func(*Profile) []string) (int, []uint64) {
	t := interner{}
	for i := range all {
		for _, s := range field(&all[i]) {
			t.id(s)
		}
	}
	words := max(1, (len(t)+63)/64)
	sets := make([]uint64, words*len(all))
	for i := range all {
		for _, s := range field(&all[i]) {
			id := t.id(s)
			sets[i*words+id/64] |= 1 << (id % 64)
		}
	}
	return words, sets
}

func popcount(a []uint64) int {
	c := 0
	for _, x := range a {
		c += bits.OnesCount64(x)
	}
	return c
}

func andCount(a, b []uint64) int {
	c := 0
	for t := range a {
		c += bits.OnesCount64(a[t] & b[t])
	}
	return c
}

// chain forbids, for every mentee, the mentors in its chain of managers
// (followed by email through both lists, so a chain may pass through other
// mentees and mentors) and a mentor who is the mentee.
func (m *Model) chain() {
	key := func(e string) string { return strings.ToLower(strings.TrimSpace(e)) }
	manager := map[string]string{}
	mentorAt := map[string][]int{}
	for _, p := range m.Mentees {
		manager[key(p.Email)] = key(p.ManagerEmail)
	}
	for j, p := range m.Mentors {
		if _, ok := manager[key(p.Email)]; !ok {
			manager[key(p.Email)] = key(p.ManagerEmail)
		}
		mentorAt[key(p.Email)] = append(mentorAt[key(p.Email)], j)
	}
	for i, p := range m.Mentees {
		for _, j := range mentorAt[key(p.Email)] {
			m.forbid[[2]int32{int32(i), int32(j)}] = whySelf
		}
		seen := map[string]bool{key(p.Email): true}
		for e := key(p.ManagerEmail); e != "" && !seen[e]; e = manager[e] {
			seen[e] = true
			for _, j := range mentorAt[e] {
				m.forbid[[2]int32{int32(i), int32(j)}] = whyChain
			}
		}
	}
}

// sortedKeys returns a map's keys in order, for deterministic iteration.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
