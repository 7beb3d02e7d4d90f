package tandem

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tandemhq/tandem/match"
)

// Matching the cohort: the criteria (the questionnaire's matching
// questions and the profile fields, which need no question), the people
// (approved applications with their answers and profiles), and the score
// matrix the match package solves. Scoring is pure: the store loads, the
// app decides who may run it.

// Profile criteria keys: profile fields that are criteria without asking
// again. Question criteria are keyed "q<id>".
const (
	CritDepartment = "profile_department"
	CritLocation   = "profile_location"
	CritLanguages  = "profile_languages"
	CritSkills     = "profile_skills"
	CritTimeZone   = "profile_time_zone"
)

// profileCriteria are the profile fields as criteria with their default
// rule and weight (the admin changes weights per run).
var profileCriteria = []Criterion{
	{Key: CritDepartment, Label: "Department", Rule: RuleDifferent, Weight: 1},
	{Key: CritLocation, Label: "Location", Rule: RuleSame, Weight: 1},
	{Key: CritLanguages, Label: "Languages", Rule: RuleOverlap, Weight: 2},
	{Key: CritSkills, Label: "Profile skills", Rule: RuleMentorAbove, Weight: 2},
	{Key: CritTimeZone, Label: "Time zone", Rule: RuleWithinHours, Weight: 1, Hours: 3},
}

// Criterion is one thing a pair scores on: a rule and a weight.
type Criterion struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Rule   Rule   `json:"rule"`
	Weight int    `json:"weight"`
	Hours  int    `json:"hours,omitempty"`

	question int64        // the question, or 0 for a profile field
	qtype    QuestionType // how answers are read
}

// Hard reports whether the criterion forbids the pairs that fail it.
func (c *Criterion) Hard() bool { return c.Rule == RuleMustShare }

// Criteria lists the program's matching criteria: the questions that are
// criteria, then the profile fields, with weights overridden by weights
// (criterion key → 0..10). An unknown key or a weight out of range is
// EINVALID naming the key.
func Criteria(qs []Question, weights map[string]int) ([]Criterion, error) {
	var out []Criterion
	for _, q := range qs {
		if !q.Criterion() {
			continue
		}
		out = append(out, Criterion{Key: "q" + strconv.FormatInt(q.ID, 10), Label: q.Label, Rule: q.Rule, Weight: q.Weight,
			Hours: q.Hours, question: q.ID, qtype: q.Type})
	}
	for _, c := range profileCriteria {
		switch c.Key {
		case CritLanguages:
			c.qtype = QuestionLanguages
		case CritSkills:
			c.qtype = QuestionSkills
		case CritTimeZone:
			c.qtype = QuestionTimeZone
		default:
			c.qtype = QuestionSingle
		}
		out = append(out, c)
	}
	var fe FieldErrors
	for k, w := range weights {
		i := slices.IndexFunc(out, func(c Criterion) bool { return c.Key == k })
		switch {
		case i < 0:
			fe.Add("weights", fmt.Sprintf("%q is not a matching criterion of this program.", k))
		case w < 0 || w > MaxWeight:
			fe.Add("weights", fmt.Sprintf("Give %s a weight from 0 to %d.", out[i].Label, MaxWeight))
		default:
			out[i].Weight = w
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	total := 0
	for _, c := range out {
		total += c.Weight
	}
	if total == 0 {
		return nil, fieldError("weights", "Every criterion weighs 0, so every pair would score the same: give at least one criterion a weight.")
	}
	return out, nil
}

// CohortMember is one approved applicant with what the criteria read.
type CohortMember struct {
	Person     PersonRef
	Role       ApplicationRole
	Capacity   int
	Department string
	Location   string
	TimeZone   string
	Languages  []string
	Skills     map[int64]Level // profile skills by catalogue id
	Answers    map[int64]Answer
}

// compiled values of one criterion for one side: a bit set of answers
// (set kinds), skills with levels, a time-zone offset or a scale.
type critCol struct {
	c     Criterion
	words int
	// set kinds: bits per person (words each), count of answers
	set []uint64
	cnt []int32
	// skills: per mentee, list of (skill index, level); per mentor dense
	// levels (nskills each)
	menteeSkills [][]skillLv
	mentorLevels []uint8
	nskills      int
	// time zone (minutes) / scale, -1 when missing (ints are per person,
	// mentees then mentors)
	num []int32
	// interned values, for reasons
	names []string
}

type skillLv struct {
	idx int32
	lv  uint8
}

// Cohort is the compiled scoring problem: mentees × mentors.
type Cohort struct {
	Criteria []Criterion
	Mentees  []CohortMember
	Mentors  []CohortMember
	cols     []critCol
	// MaxScore is the score of a pair that meets every criterion fully.
	MaxScore float64
}

func memberValues(c *Criterion, m *CohortMember) []string {
	switch c.Key {
	case CritDepartment:
		if m.Department == "" {
			return nil
		}
		return []string{strings.ToLower(m.Department)}
	case CritLocation:
		if m.Location == "" {
			return nil
		}
		return []string{strings.ToLower(m.Location)}
	case CritLanguages:
		out := make([]string, 0, len(m.Languages))
		for _, l := range m.Languages {
			out = append(out, strings.ToLower(l))
		}
		return out
	}
	a := m.Answers[c.question]
	out := make([]string, 0, len(a.Choices))
	for _, v := range a.Choices {
		out = append(out, strings.ToLower(v))
	}
	return out
}

func memberSkills(c *Criterion, m *CohortMember) []AnswerSkill {
	if c.Key == CritSkills {
		out := make([]AnswerSkill, 0, len(m.Skills))
		for id, lv := range m.Skills {
			out = append(out, AnswerSkill{SkillID: id, Level: lv})
		}
		return out
	}
	return m.Answers[c.question].Skills
}

// tzOffsets caches time-zone offsets (minutes east of UTC) at one instant.
type tzOffsets struct {
	at    time.Time
	cache map[string]int32
}

func (z *tzOffsets) offset(name string) int32 {
	if name == "" {
		return -1 << 20
	}
	if v, ok := z.cache[name]; ok {
		return v
	}
	v := int32(-1 << 20)
	if loc, err := time.LoadLocation(name); err == nil {
		_, off := z.at.In(loc).Zone()
		v = int32(off / 60)
	}
	z.cache[name] = v
	return v
}

const noTZ = -1 << 20

// NewCohort compiles the criteria for the mentees and mentors; at is the
// instant time-zone offsets are taken at.
func NewCohort(criteria []Criterion, mentees, mentors []CohortMember, at time.Time) *Cohort {
	co := &Cohort{Criteria: criteria, Mentees: mentees, Mentors: mentors}
	n := len(mentees) + len(mentors)
	person := func(k int) *CohortMember {
		if k < len(mentees) {
			return &mentees[k]
		}
		return &mentors[k-len(mentees)]
	}
	z := &tzOffsets{at: at, cache: map[string]int32{}}
	for _, c := range criteria {
		co.MaxScore += float64(c.Weight)
		col := critCol{c: c}
		switch c.qtype {
		case QuestionSingle, QuestionMultiple, QuestionLanguages:
			ids := map[string]int{}
			vals := make([][]string, n)
			for k := range n {
				vals[k] = memberValues(&c, person(k))
				for _, v := range vals[k] {
					if _, ok := ids[v]; !ok {
						ids[v] = len(col.names)
						col.names = append(col.names, v)
					}
				}
			}
			col.words = max(1, (len(ids)+63)/64)
			col.set = make([]uint64, n*col.words)
			col.cnt = make([]int32, n)
			for k := range n {
				for _, v := range vals[k] {
					id := ids[v]
					w := &col.set[k*col.words+id/64]
					if *w&(1<<(id%64)) == 0 {
						*w |= 1 << (id % 64)
						col.cnt[k]++
					}
				}
			}
		case QuestionSkills:
			ids := map[int64]int32{}
			intern := func(id int64) int32 {
				if v, ok := ids[id]; ok {
					return v
				}
				ids[id] = int32(len(ids))
				return ids[id]
			}
			col.menteeSkills = make([][]skillLv, len(mentees))
			for i := range mentees {
				for _, s := range memberSkills(&c, &mentees[i]) {
					col.menteeSkills[i] = append(col.menteeSkills[i], skillLv{intern(s.SkillID), uint8(s.Level)})
				}
			}
			ms := make([][]AnswerSkill, len(mentors))
			for j := range mentors {
				ms[j] = memberSkills(&c, &mentors[j])
				for _, s := range ms[j] {
					intern(s.SkillID)
				}
			}
			col.nskills = max(1, len(ids))
			col.mentorLevels = make([]uint8, len(mentors)*col.nskills)
			for j := range mentors {
				for _, s := range ms[j] {
					col.mentorLevels[j*col.nskills+int(ids[s.SkillID])] = uint8(s.Level)
				}
			}
		case QuestionTimeZone, QuestionScale:
			col.num = make([]int32, n)
			for k := range n {
				m := person(k)
				switch {
				case c.qtype == QuestionScale:
					col.num[k] = int32(m.Answers[c.question].Scale)
					if col.num[k] == 0 {
						col.num[k] = noTZ
					}
				case c.Key == CritTimeZone:
					col.num[k] = z.offset(m.TimeZone)
				default:
					col.num[k] = z.offset(m.Answers[c.question].Text)
				}
			}
		}
		co.cols = append(co.cols, col)
	}
	return co
}

// Dims returns the numbers of mentees and mentors.
func (co *Cohort) Dims() (int, int) { return len(co.Mentees), len(co.Mentors) }

var nan32 = float32(math.NaN())

// factor returns criterion col's factor in [0,1] for mentee i and mentor
// j, and false when the pair fails a hard rule.
func (co *Cohort) factor(col *critCol, i, j int) (float64, bool) {
	c := &col.c
	switch {
	case col.set != nil:
		w := col.words
		a := col.set[i*w : i*w+w]
		jj := len(co.Mentees) + j
		b := col.set[jj*w : jj*w+w]
		shared := 0
		for k := range w {
			shared += bits.OnesCount64(a[k] & b[k])
		}
		na, nb := int(col.cnt[i]), int(col.cnt[jj])
		switch c.Rule {
		case RuleMustShare:
			return 1, shared > 0
		case RuleSame:
			if na > 0 && na == nb && shared == na {
				return 1, true
			}
		case RuleDifferent:
			if na > 0 && nb > 0 && shared == 0 {
				return 1, true
			}
		case RuleOverlap:
			if na > 0 {
				return float64(shared) / float64(na), true
			}
		}
		return 0, true
	case col.menteeSkills != nil:
		want := col.menteeSkills[i]
		lv := col.mentorLevels[j*col.nskills : (j+1)*col.nskills]
		has, above := 0, 0
		for _, s := range want {
			if l := lv[s.idx]; l > 0 {
				has++
				if l > s.lv {
					above++
				}
			}
		}
		switch c.Rule {
		case RuleMustShare:
			return 1, has > 0
		case RuleOverlap:
			if len(want) > 0 {
				return float64(has) / float64(len(want)), true
			}
		case RuleMentorAbove:
			if len(want) > 0 {
				return float64(above) / float64(len(want)), true
			}
		}
		return 0, true
	case col.num != nil:
		a, b := col.num[i], col.num[len(co.Mentees)+j]
		if a == noTZ || b == noTZ {
			return 0, true
		}
		switch c.Rule {
		case RuleSame:
			if a == b {
				return 1, true
			}
		case RuleDifferent:
			if a != b {
				return 1, true
			}
		case RuleMentorAbove:
			if b > a {
				return 1, true
			}
		case RuleWithinHours:
			d := a - b
			if d < 0 {
				d = -d
			}
			if d > 12*60 {
				d = 24*60 - d
			}
			if int(d) <= c.Hours*60 {
				return 1, true
			}
		}
	}
	return 0, true
}

// Row computes mentee i's scores against every mentor into dst (NaN for a
// pair a hard rule forbids). Each criterion runs its own loop over the
// mentors; factor is the reference the tests compare it with.
func (co *Cohort) Row(i int, dst []float32) []float32 {
	m := len(co.Mentors)
	if cap(dst) < m {
		dst = make([]float32, m)
	}
	dst = dst[:m]
	clear(dst)
	for k := range co.cols {
		col := &co.cols[k]
		w := float32(col.c.Weight)
		if w == 0 && !col.c.Hard() {
			continue
		}
		switch {
		case col.set != nil && col.words == 1:
			co.rowSet1(col, i, w, dst)
		case col.menteeSkills != nil:
			co.rowSkills(col, i, w, dst)
		case col.num != nil:
			co.rowNum(col, i, w, dst)
		default:
			for j := range m {
				f, ok := co.factor(col, i, j)
				if !ok {
					dst[j] = nan32
					continue
				}
				dst[j] += w * float32(f)
			}
		}
	}
	return dst
}

func (co *Cohort) rowSet1(col *critCol, i int, w float32, dst []float32) {
	nm := len(co.Mentees)
	a, na := col.set[i], int(col.cnt[i])
	bs := col.set[nm : nm+len(dst)]
	switch col.c.Rule {
	case RuleMustShare:
		for j, b := range bs {
			if a&b == 0 {
				dst[j] = nan32
			} else {
				dst[j] += w
			}
		}
	case RuleSame:
		if na == 0 {
			return
		}
		for j, b := range bs {
			if b == a {
				dst[j] += w
			}
		}
	case RuleDifferent:
		if na == 0 {
			return
		}
		for j, b := range bs {
			if b != 0 && a&b == 0 {
				dst[j] += w
			}
		}
	case RuleOverlap:
		if na == 0 {
			return
		}
		var tab [65]float32
		for k := range tab {
			tab[k] = w * float32(float64(k)/float64(na))
		}
		for j, b := range bs {
			dst[j] += tab[bits.OnesCount64(a&b)]
		}
	}
}

func (co *Cohort) rowSkills(col *critCol, i int, w float32, dst []float32) {
	want := col.menteeSkills[i]
	ns := col.nskills
	lv := col.mentorLevels
	hard := col.c.Rule == RuleMustShare
	if len(want) == 0 {
		if hard {
			for j := range dst {
				dst[j] = nan32
			}
		}
		return
	}
	tab := make([]float32, len(want)+1)
	for k := range tab {
		tab[k] = w * float32(float64(k)/float64(len(want)))
	}
	above := col.c.Rule == RuleMentorAbove
	for j := range dst {
		row := lv[j*ns : (j+1)*ns]
		has, up := 0, 0
		for _, s := range want {
			if l := row[s.idx]; l > 0 {
				has++
				if l > s.lv {
					up++
				}
			}
		}
		switch {
		case hard && has == 0:
			dst[j] = nan32
		case hard:
			dst[j] += w
		case above:
			dst[j] += tab[up]
		default:
			dst[j] += tab[has]
		}
	}
}

func (co *Cohort) rowNum(col *critCol, i int, w float32, dst []float32) {
	a := col.num[i]
	if a == noTZ {
		return
	}
	nm := len(co.Mentees)
	bs := col.num[nm : nm+len(dst)]
	// One loop per rule, the rule's test alone inside: this is the
	// innermost loop of the matrix (20 million pairs for 10,000 mentees).
	switch col.c.Rule {
	case RuleSame:
		for j, b := range bs {
			if b == a {
				dst[j] += w
			}
		}
	case RuleDifferent:
		for j, b := range bs {
			if b != noTZ && b != a {
				dst[j] += w
			}
		}
	case RuleMentorAbove:
		for j, b := range bs {
			if b > a { // noTZ is below every value
				dst[j] += w
			}
		}
	case RuleWithinHours:
		hours := int32(col.c.Hours * 60)
		for j, b := range bs {
			d := a - b
			if d < 0 {
				d = -d
			}
			if d > 12*60 {
				d = 24*60 - d
			}
			if b != noTZ && d <= hours {
				dst[j] += w
			}
		}
	}
}

// Matrix computes every score in parallel.
func (co *Cohort) Matrix() *match.Matrix {
	n, m := co.Dims()
	mx := match.NewMatrix(n, m)
	forEachRow(n, func(i int) { co.Row(i, mx.Data[i*m:(i+1)*m]) })
	return mx
}

// forEachRow calls f(0…n-1) on GOMAXPROCS workers, rows interleaved. Each
// call must write only its own row's results: then the outcome is the
// same as calling f one row after the other.
func forEachRow(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// Reasons names the criteria that contributed most to the pair's score,
// at most top of them, best first: "Languages: english (+2.0)". Only the
// top ones are worded (the explain stage words 10,000 pairs).
func (co *Cohort) Reasons(i, j, top int) []string {
	type part struct {
		pts float64
		col *critCol
	}
	var buf [16]part
	parts := buf[:0]
	for k := range co.cols {
		col := &co.cols[k]
		f, ok := co.factor(col, i, j)
		if !ok {
			continue
		}
		pts := f * float64(col.c.Weight)
		if pts <= 0 && !col.c.Hard() {
			continue
		}
		parts = append(parts, part{pts, col})
	}
	slices.SortStableFunc(parts, func(a, b part) int {
		switch {
		case a.pts > b.pts:
			return -1
		case a.pts < b.pts:
			return 1
		}
		return 0
	})
	out := make([]string, 0, top)
	for k := 0; k < len(parts) && k < top; k++ {
		out = append(out, co.reasonText(parts[k].col, i, j, parts[k].pts))
	}
	if len(out) == 0 {
		out = append(out, "meets no weighted criterion: matched so that no one is left without a partner")
	}
	return out
}

// reasonText words one criterion's part of the pair's score.
func (co *Cohort) reasonText(col *critCol, i, j int, pts float64) string {
	text := col.c.Label
	if col.set != nil && (col.c.Rule == RuleMustShare || col.c.Rule == RuleOverlap || col.c.Rule == RuleSame) {
		var sh []string
		w := col.words
		jj := len(co.Mentees) + j
		for id, name := range col.names {
			bit := uint64(1) << (id % 64)
			if col.set[i*w+id/64]&bit != 0 && col.set[jj*w+id/64]&bit != 0 {
				sh = append(sh, name)
			}
		}
		if len(sh) > 0 {
			text += ": " + strings.Join(sh, ", ")
		}
	} else if col.c.Rule == RuleDifferent {
		text += ": different"
	} else if col.c.Rule == RuleMentorAbove {
		text += ": mentor above"
	} else if col.c.Rule == RuleWithinHours {
		text += fmt.Sprintf(": within %d h", col.c.Hours)
	}
	return fmt.Sprintf("%s (+%.1f)", text, pts)
}

// HardFailure names the first hard criterion the pair fails, or "".
func (co *Cohort) HardFailure(i, j int) string {
	for k := range co.cols {
		col := &co.cols[k]
		if !col.c.Hard() {
			continue
		}
		if _, ok := co.factor(col, i, j); !ok {
			return col.c.Label
		}
	}
	return ""
}
