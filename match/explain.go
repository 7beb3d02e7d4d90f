package match

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Factor is one term of a pair's score.
type Factor struct {
	// Name is the factor: skills, interests, languages, time_zone,
	// department, experience, or a question column such as q_goal.
	Name string
	// Points is the factor's weighted contribution to the score.
	Points float64
	// Detail says what earned the points, for people to read.
	Detail string
}

// Forbidden-pair reasons.
const (
	whyLanguage   = "no shared language"
	whyChain      = "in the mentee's management chain"
	whySelf       = "same person"
	whyTimeZone   = "time zones too far apart"
	whyMustPrefix = "must match: "
)

// Dims returns the number of mentees and mentors.
func (m *Model) Dims() (int, int) { return len(m.Mentees), len(m.Mentors) }

// Row computes mentee i's scores against every mentor into dst, with the
// fast scorer (score_fast.go).
func (m *Model) Row(i int, dst []float32) []float32 {
	m.rowFast(i, dst)
	return dst
}

// Score computes the score of one pair, bit for bit what Row gives (the
// reference scorer, which rowFast is tested against), for when a few
// scores of a row are needed and computing the whole row would cost
// thousands of pairs.
func (m *Model) Score(i, j int) float32 {
	if slices.Contains(m.forbidBy[i], int32(j)) {
		return Forbidden
	}
	f, why := m.eval(i, j, nil)
	if why != "" {
		return Forbidden
	}
	return combine(&m.W, f[0], f[1], f[2], f[3], f[4], f[5], f[6])
}

// rowRef is the reference scorer: every pair through eval. It is the test
// oracle of rowFast.
func (m *Model) rowRef(i int, dst []float32) []float32 {
	for j := range dst {
		f, why := m.eval(i, j, nil)
		if why != "" {
			dst[j] = Forbidden
			continue
		}
		dst[j] = combine(&m.W, f[0], f[1], f[2], f[3], f[4], f[5], f[6])
	}
	for _, j := range m.forbidBy[i] {
		dst[j] = Forbidden
	}
	return dst
}

// eval computes the raw factors of pair (i, j), each in [0, 1] except the
// last, which is the weighted sum over questions; qs, when not nil,
// receives each question's similarity. why is non-empty when a rule
// forbids the pair.
func (m *Model) eval(i, j int, qs []float64) (f [7]float64, why string) {
	n := len(m.Mentees)
	t := n + j // mentor's index in the per-person arrays
	// Languages.
	la, lb := m.lang[i*m.langW:(i+1)*m.langW], m.lang[t*m.langW:(t+1)*m.langW]
	if popcount(la) > 0 && popcount(lb) > 0 {
		if andCount(la, lb) == 0 {
			return f, whyLanguage
		}
		f[2] = 1
	}
	// Skills: the mentor must be above the mentee's level to help.
	if ws := m.want[i]; len(ws) > 0 {
		lv := m.mentorLvl[j*m.nskill : (j+1)*m.nskill]
		sum := 0.0
		for _, w := range ws {
			sum += skillPart(lv[w.skill], w)
		}
		f[0] = sum / float64(len(ws))
	}
	// Interests: the share of the mentee's interests the mentor has.
	if c := m.interN[i]; c > 0 {
		f[1] = float64(andCount(m.inter[i*m.intW:(i+1)*m.intW], m.inter[t*m.intW:(t+1)*m.intW])) / float64(c)
	}
	// Time zones: distance on the 24-hour circle.
	a, b := &m.Mentees[i], &m.Mentors[j]
	if a.HasTZ && b.HasTZ {
		v, ok := tzFactor(a.TZOffset, b.TZOffset, m.W.MaxTimeZoneHours)
		if !ok {
			return f, whyTimeZone
		}
		f[3] = v
	}
	// Department: mentoring across departments is better.
	if da, db := m.dept[i], m.dept[t]; da >= 0 && db >= 0 && da != db {
		f[4] = 1
	}
	// Experience: full credit at ten more years.
	if a.Years >= 0 && b.Years >= 0 {
		f[5] = expFactor(a.Years, b.Years)
	}
	for q := range m.questions {
		qc := &m.questions[q]
		s := 0.0
		if qc.answered[i] && qc.answered[t] {
			inter := andCount(qc.sets[i*qc.words:(i+1)*qc.words], qc.sets[t*qc.words:(t+1)*qc.words])
			s = float64(inter) / float64(qc.setCounts[i]+qc.setCounts[t]-inter)
		}
		if qc.must && s == 0 {
			return f, whyMustPrefix + qc.name
		}
		if qs != nil {
			qs[q] = s
		}
		f[6] += float64(qc.weight * s)
	}
	if len(m.must) > 0 {
		for name, k := range map[string]int{"skills": 0, "interests": 1, "time_zone": 3, "department": 4, "experience": 5} {
			if m.must[name] && f[k] == 0 {
				return f, whyMustPrefix + name
			}
		}
	}
	return f, ""
}

// ForbiddenReason returns why pair (i, j) is forbidden, or "" if it is
// allowed.
func (m *Model) ForbiddenReason(i, j int) string {
	if why, ok := m.forbid[[2]int32{int32(i), int32(j)}]; ok {
		return why
	}
	_, why := m.eval(i, j, nil)
	return why
}

// Explain returns the factors of pair (i, j) that earned points, largest
// first, at most top of them (all if top <= 0).
func (m *Model) Explain(i, j, top int) []Factor {
	qs := make([]float64, len(m.questions))
	f, _ := m.eval(i, j, qs)
	a, b := &m.Mentees[i], &m.Mentors[j]
	var out []Factor
	add := func(name string, w, v float64, detail string) {
		if p := w * v; p > 0 {
			out = append(out, Factor{name, p, detail})
		}
	}
	var lifted []string
	lv := m.mentorLvl[j*m.nskill : (j+1)*m.nskill]
	for _, w := range m.want[i] {
		if l := lv[w.skill]; l > w.cur {
			lifted = append(lifted, skillName(a.Wants, b.Skills, int(l)))
		}
	}
	add("skills", m.W.Skills, f[0], strings.Join(slices.Compact(lifted), ", "))
	add("interests", m.W.Interests, f[1], strings.Join(shared(a.Interests, b.Interests), ", "))
	add("languages", m.W.Languages, f[2], strings.Join(shared(a.Languages, b.Languages), ", "))
	if f[3] > 0 {
		add("time_zone", m.W.TimeZone, f[3], fmt.Sprintf("%gh apart", math.Round((1-f[3])*12*10)/10))
	}
	add("department", m.W.Department, f[4], a.Department+" / "+b.Department)
	add("experience", m.W.Experience, f[5], fmt.Sprintf("%g more years", b.Years-a.Years))
	for q, qc := range m.questions {
		add(qc.name, qc.weight, qs[q], strings.Join(shared(a.Answers[qc.name], b.Answers[qc.name]), ", "))
	}
	slices.SortStableFunc(out, func(x, y Factor) int {
		switch {
		case x.Points > y.Points:
			return -1
		case x.Points < y.Points:
			return 1
		}
		return 0
	})
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out
}

// Reasons formats factors on one line, as the reasons column of matches.csv.
func Reasons(fs []Factor) string {
	var b strings.Builder
	for t, f := range fs {
		if t > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s +%.2f", f.Name, f.Points)
		if f.Detail != "" {
			fmt.Fprintf(&b, " (%s)", f.Detail)
		}
	}
	return b.String()
}

// skillName names the mentor skill that matches one of the wants at level l.
func skillName(wants, have []Skill, l int) string {
	for _, w := range wants {
		for _, h := range have {
			if strings.EqualFold(w.Name, h.Name) && h.Level == l {
				return h.Name + ":" + LevelNames[l]
			}
		}
	}
	return LevelNames[l]
}

// shared returns the strings in both a and b, case-insensitively.
func shared(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(y)) {
				out = append(out, strings.TrimSpace(x))
				break
			}
		}
	}
	return out
}

// UnmatchedReason says why mentee i is unmatched in an assignment: either
// every mentor is forbidden (with the commonest reasons), or every allowed
// mentor's seats went to others. reason, when not nil, names why a pair is
// forbidden.
func UnmatchedReason(src Scores, i int, reason func(i, j int) string) string {
	_, m := src.Dims()
	row := src.Row(i, make([]float32, m))
	allowed := 0
	counts := map[string]int{}
	for j, v := range row {
		if v == v {
			allowed++
		} else if reason != nil {
			counts[reason(i, j)]++
		}
	}
	if allowed > 0 {
		return fmt.Sprintf("all %d allowed mentors are full with mentees the optimum placed there", allowed)
	}
	if len(counts) == 0 {
		return fmt.Sprintf("every one of the %d mentors is forbidden", m)
	}
	keys := sortedKeys(counts)
	slices.SortStableFunc(keys, func(x, y string) int { return counts[y] - counts[x] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s (%d)", k, counts[k]))
	}
	return "every mentor is forbidden: " + strings.Join(parts, ", ")
}
