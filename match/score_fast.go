package match

import (
	"math"
	"math/bits"
	"sync"
)

// The fast scorer. NewModel compiles every person once into small
// integers and bit sets (score.go); this file adds the mentor-side arrays
// the row loop reads in mentor order, and computes a whole row with
// per-row tables for the factors that depend on few values (skill levels,
// time-zone offsets, interest counts). It computes exactly what eval does,
// in the same float64 operations in the same order, so scores are
// bit-for-bit those of the reference (rowRef, kept as the test oracle).

// fastC is the mentor-side data of the fast scorer.
type fastC struct {
	lvMin  int8    // smallest mentor level of any skill (0 = not stated)
	nlv    int     // number of level values, lvMax-lvMin+1
	lvlT   []uint8 // skill s, mentor j at s*M+j: level minus lvMin
	zeroLv []uint8 // M zeros: the levels of a missing wanted skill
	// one says every bit set (languages, interests, answers) fits one
	// word, so the row loop reads the per-mentor words below.
	one   bool
	lang  []uint64 // per mentor, when one
	inter []uint64
	qset  []uint64 // question q, mentor j at q*M+j, when one
	qcnt  []uint8  // answers of question q by mentor j, when qmax <= maxQTab
	qmax  []int    // per question: most answers by one mentor
	tzID  []int32  // per mentor: 0 unknown, else 1 + index in tzOff
	tzOff []int    // distinct mentor offsets
	years []float64
	yID   []int32   // per mentor: 0 unknown, else 1 + index in yVal; nil when too many values
	yVal  []float64 // distinct mentor years
	mDept []int32

	mustSkills, mustInterests, mustTZ, mustDept, mustExp bool

	pool sync.Pool // *rowScratch
}

// rowScratch holds one row's tables; reused through a pool so that a row
// allocates nothing.
type rowScratch struct {
	skill []float64 // per mentor: sum of the wanted skills' credit
	tab   []float64 // skill credit per level value
	stab  []float64 // weighted skill factor by the levels of up to 3 skills
	parts []float64 // credit of wanted skill x at level l, x*nlv+l
	tz    []float64 // per tzID: factor, NaN when forbidden
	inter []float64 // x shared interests: x / count
	exp   []float64 // per yID: experience factor
	q     []float64 // per question: weighted similarity by (shared, count)
	qoff  []int     // start of each question's table in q
}

// maxQTab is the most answers to one question by one mentor for which the
// row keeps a table of similarities; beyond, the loop divides.
const maxQTab = 64

// compileFast fills m.fast from the compiled profiles.
func (m *Model) compileFast() {
	n, k := len(m.Mentees), len(m.Mentors)
	f := &m.fast
	lo, hi := int8(0), int8(0)
	for _, l := range m.mentorLvl {
		lo, hi = min(lo, l), max(hi, l)
	}
	f.lvMin, f.nlv = lo, int(hi)-int(lo)+1
	f.lvlT = make([]uint8, m.nskill*k)
	f.zeroLv = make([]uint8, k)
	for j := range k {
		for s := range m.nskill {
			f.lvlT[s*k+j] = uint8(int(m.mentorLvl[j*m.nskill+s]) - int(lo))
		}
	}
	f.one = m.langW == 1 && m.intW == 1
	for q := range m.questions {
		f.one = f.one && m.questions[q].words == 1
	}
	if f.one {
		f.lang = m.lang[n:]
		f.inter = m.inter[n:]
		f.qset = make([]uint64, len(m.questions)*k)
		for q := range m.questions {
			copy(f.qset[q*k:], m.questions[q].sets[n:])
		}
	}
	f.qcnt = make([]uint8, len(m.questions)*k)
	f.qmax = make([]int, len(m.questions))
	for q := range m.questions {
		for j := range k {
			c := m.questions[q].setCounts[n+j]
			f.qcnt[q*k+j] = uint8(min(c, 255))
			f.qmax[q] = max(f.qmax[q], c)
		}
	}
	f.tzID = make([]int32, k)
	f.years = make([]float64, k)
	f.mDept = make([]int32, k)
	ids := map[int]int32{}
	for j := range m.Mentors {
		p := &m.Mentors[j]
		if p.HasTZ {
			id, ok := ids[p.TZOffset]
			if !ok {
				f.tzOff = append(f.tzOff, p.TZOffset)
				id = int32(len(f.tzOff))
				ids[p.TZOffset] = id
			}
			f.tzID[j] = id
		}
		f.years[j] = p.Years
		f.mDept[j] = m.dept[n+j]
	}
	// Experience by distinct mentor years, unless they are many.
	f.yID = make([]int32, k)
	yids := map[float64]int32{}
	for j := range m.Mentors {
		y := f.years[j]
		if y < 0 {
			continue
		}
		id, ok := yids[y]
		if !ok {
			f.yVal = append(f.yVal, y)
			id = int32(len(f.yVal))
			yids[y] = id
		}
		f.yID[j] = id
	}
	if len(f.yVal) > max(64, k/8) {
		f.yID, f.yVal = nil, nil
	}
	f.mustSkills, f.mustInterests, f.mustTZ = m.must["skills"], m.must["interests"], m.must["time_zone"]
	f.mustDept, f.mustExp = m.must["department"], m.must["experience"]
	f.pool.New = func() any { return new(rowScratch) }
}

// skillPart is one wanted skill's credit for a mentor at level l.
func skillPart(l int8, w wantC) float64 {
	if l > w.cur {
		return min(1, float64(l-w.cur)/float64(w.target-w.cur))
	}
	return 0
}

// tzFactor is the time-zone factor of two offsets in minutes; ok is false
// when the weights forbid pairs that far apart.
func tzFactor(a, b int, maxHours float64) (f float64, ok bool) {
	d := math.Abs(float64(a-b)) / 60
	d = min(d, 24-d)
	if maxHours > 0 && d > maxHours {
		return 0, false
	}
	return 1 - min(d, 12)/12, true
}

// expFactor is the experience factor: full credit at ten more years.
func expFactor(a, b float64) float64 {
	return max(0, min(1, (b-a)/10))
}

// combine weighs the factors into a score. Each product is rounded on its
// own (the conversions forbid fused multiply-adds), so every caller gets
// the same bits.
func combine(w *Weights, f0, f1, f2, f3, f4, f5, f6 float64) float32 {
	s := float64(w.Skills * f0)
	s += float64(w.Interests * f1)
	s += float64(w.Languages * f2)
	s += float64(w.TimeZone * f3)
	s += float64(w.Department * f4)
	s += float64(w.Experience * f5)
	return float32(s + f6)
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// rowFast computes mentee i's scores against every mentor into dst.
func (m *Model) rowFast(i int, dst []float32) {
	f := &m.fast
	k := len(m.Mentors)
	dst = dst[:k]
	sc := f.pool.Get().(*rowScratch)
	defer f.pool.Put(sc)
	w := &m.W
	a := &m.Mentees[i]

	// Skills, one pass per wanted skill over the mentors, summed in the
	// wanted skills' order as eval does.
	ws := m.want[i]
	sc.tab = grow(sc.tab, f.nlv)
	var skill []float64
	nq := len(m.questions)
	one := f.one && f.yID != nil && nq <= 1 && (nq == 0 || f.qmax[0] <= maxQTab)
	if len(ws) > 0 && !(one && len(ws) <= 3) { // else rowOne uses a table by levels
		sc.skill = grow(sc.skill, k)
		skill = sc.skill
		clear(skill)
		for _, wc := range ws {
			for l := range sc.tab {
				sc.tab[l] = skillPart(int8(l+int(f.lvMin)), wc)
			}
			tab := sc.tab
			for j, l := range f.lvlT[int(wc.skill)*k : int(wc.skill+1)*k] {
				skill[j] += tab[l]
			}
		}
	}
	// Time zones: one entry per distinct mentor offset.
	sc.tz = grow(sc.tz, len(f.tzOff)+1)
	sc.tz[0] = 0
	for x, off := range f.tzOff {
		v, ok := 0.0, true
		if a.HasTZ {
			v, ok = tzFactor(a.TZOffset, off, w.MaxTimeZoneHours)
		}
		if !ok {
			v = math.NaN()
		}
		sc.tz[x+1] = v
	}
	tz := sc.tz
	// Interests: shared count over the mentee's count.
	ic := m.interN[i]
	sc.inter = grow(sc.inter, ic+1)
	for x := range sc.inter {
		sc.inter[x] = float64(x) / float64(ic)
	}
	inter := sc.inter
	// Experience by distinct mentor years.
	ay := a.Years
	sc.exp = grow(sc.exp, len(f.yVal)+1)
	sc.exp[0] = 0
	for x, y := range f.yVal {
		v := 0.0
		if ay >= 0 {
			v = expFactor(ay, y)
		}
		sc.exp[x+1] = v
	}
	exp := sc.exp
	// Questions: weighted similarity by (shared answers, mentor's count),
	// NaN when a must-match question shares none.
	sc.qoff = sc.qoff[:0]
	sc.q = sc.q[:0]
	for q := range m.questions {
		qc := &m.questions[q]
		ci := qc.setCounts[i]
		sc.qoff = append(sc.qoff, len(sc.q))
		if f.qmax[q] > maxQTab {
			continue
		}
		for x := range ci + 1 {
			for c := range f.qmax[q] + 1 {
				s := 0.0
				if ci > 0 && c > 0 && ci+c-x > 0 {
					s = float64(x) / float64(ci+c-x)
				}
				v := float64(qc.weight * s)
				if qc.must && s == 0 {
					v = math.NaN()
				}
				sc.q = append(sc.q, v)
			}
		}
	}
	qtab, qoff := sc.q, sc.qoff

	aLang := popcount(m.lang[i*m.langW:(i+1)*m.langW]) > 0
	nan := float32(math.NaN())
	if one {
		m.rowOne(i, dst, sc, skill, aLang, tz, inter, exp, qtab)
	} else {
		m.rowGeneric(i, dst, skill, aLang, tz, inter, exp, qtab, qoff)
	}
	for _, j := range m.forbidBy[i] {
		dst[j] = nan
	}
}

// b2u is 1 for true, 0 for false.
func b2u(b bool) uint {
	if b {
		return 1
	}
	return 0
}

// rowOne is the row loop when every bit set fits one word, mentor years
// are few and there is at most one question with a table: branch free,
// each factor a table lookup already weighted, NaN for a forbidding rule
// (NaN propagates through the sum). The additions are those of combine, in
// its order.
func (m *Model) rowOne(i int, dst []float32, sc *rowScratch, skill []float64, aLang bool, tz, inter, exp, qtab []float64) {
	f := &m.fast
	w := &m.W
	k := len(dst)
	nan := math.NaN()
	// Weighted, NaN-marked tables.
	var skillC []float64
	if skill != nil {
		nw := float64(len(m.want[i]))
		for j, v := range skill[:k] {
			c := float64(w.Skills * (v / nw))
			if f.mustSkills && v/nw == 0 {
				c = nan
			}
			skill[j] = c
		}
		skillC = skill[:k]
	}
	skill0 := float64(w.Skills * 0)
	if f.mustSkills {
		skill0 = nan
	}
	// Up to three wanted skills: one table by the mentor's levels in them,
	// index l0 + nlv*l1 + nlv²*l2, each entry summed as eval sums.
	ws := m.want[i]
	nlv := f.nlv
	var stab []float64
	lv0, lv1, lv2 := f.zeroLv[:k], f.zeroLv[:k], f.zeroLv[:k]
	if skill == nil && len(ws) > 0 {
		size := 1
		for range ws {
			size *= nlv
		}
		sc.stab = grow(sc.stab, size)
		sc.parts = grow(sc.parts, 3*nlv)
		for x, wc := range ws {
			for l := range nlv {
				sc.parts[x*nlv+l] = skillPart(int8(l+int(f.lvMin)), wc)
			}
		}
		nw := float64(len(ws))
		d1, d2 := 1, 1
		if len(ws) > 1 {
			d1 = nlv
		}
		if len(ws) > 2 {
			d2 = nlv
		}
		for l2 := range d2 {
			for l1 := range d1 {
				for l0 := range nlv {
					sum := 0.0
					sum += sc.parts[l0]
					if len(ws) > 1 {
						sum += sc.parts[nlv+l1]
					}
					if len(ws) > 2 {
						sum += sc.parts[2*nlv+l2]
					}
					c := float64(w.Skills * (sum / nw))
					if f.mustSkills && sum/nw == 0 {
						c = nan
					}
					sc.stab[l0+nlv*l1+nlv*nlv*l2] = c
				}
			}
		}
		stab = sc.stab
		lvOf := func(x int) []uint8 {
			s := int(ws[x].skill)
			return f.lvlT[s*k : (s+1)*k]
		}
		lv0 = lvOf(0)
		if len(ws) > 1 {
			lv1 = lvOf(1)
		}
		if len(ws) > 2 {
			lv2 = lvOf(2)
		}
	}
	nlv2 := nlv * nlv
	for x, v := range inter {
		c := float64(w.Interests * v)
		if f.mustInterests && v == 0 {
			c = nan
		}
		inter[x] = c
	}
	inter0 := float64(w.Interests * 0)
	if f.mustInterests {
		inter0 = nan
	}
	ic := m.interN[i]
	for x, v := range tz {
		c := float64(w.TimeZone * v)
		if f.mustTZ && v == 0 {
			c = nan
		}
		tz[x] = c
	}
	for x, v := range exp {
		c := float64(w.Experience * v)
		if f.mustExp && v == 0 {
			c = nan
		}
		exp[x] = c
	}
	// Languages by (mentor lists one) + (they share one).
	var lang [3]float64
	lang[0] = float64(w.Languages * 0)
	lang[1], lang[2] = lang[0], float64(w.Languages*1)
	if aLang {
		lang[1] = nan
	}
	// Department: index 1 when both are known and differ.
	dept := [2]float64{float64(w.Department * 0), float64(w.Department * 1)}
	if f.mustDept {
		dept[0] = nan
	}
	da := m.dept[i]
	la, ia := m.lang[i], m.inter[i]
	if !aLang {
		la = 0
	}
	var qa uint64
	var qcnt []uint8
	var qset []uint64
	qw := 0
	nq := len(m.questions)
	if nq == 1 {
		qa = m.questions[0].sets[i]
		qcnt, qset = f.qcnt[:k], f.qset[:k]
		qw = f.qmax[0] + 1
	}
	mLang, mInter, tzID, yID, mDept := f.lang[:k], f.inter[:k], f.tzID[:k], f.yID[:k], f.mDept[:k]
	for j := range dst {
		s := skill0
		if skillC != nil {
			s = skillC[j]
		} else if stab != nil {
			s = stab[int(lv0[j])+nlv*int(lv1[j])+nlv2*int(lv2[j])]
		}
		if ic > 0 {
			s += inter[bits.OnesCount64(ia&mInter[j])]
		} else {
			s += inter0
		}
		s += lang[b2u(mLang[j] != 0)+b2u(la&mLang[j] != 0)]
		s += tz[tzID[j]]
		db := mDept[j]
		s += dept[b2u(da >= 0 && db >= 0 && da != db)]
		s += exp[yID[j]]
		if nq == 1 {
			s += 0 + qtab[bits.OnesCount64(qa&qset[j])*qw+int(qcnt[j])]
		}
		dst[j] = float32(s)
	}
}

// rowGeneric is the row loop for any model: bit sets of several words,
// many questions or many distinct mentor years.
func (m *Model) rowGeneric(i int, dst []float32, skill []float64, aLang bool, tz, inter, exp, qtab []float64, qoff []int) {
	f := &m.fast
	w := &m.W
	n, k := len(m.Mentees), len(m.Mentors)
	nq := len(m.questions)
	nw := float64(len(m.want[i]))
	ic := m.interN[i]
	ay := m.Mentees[i].Years
	da := m.dept[i]
	nan := float32(math.NaN())
	la1, ia1 := m.lang[i*m.langW], m.inter[i*m.intW]
	var qa1 [8]uint64
	if f.one {
		for q := range min(nq, len(qa1)) {
			qa1[q] = m.questions[q].sets[i]
		}
	}
	ok := true
	for j := range dst {
		t := n + j
		// Languages.
		f2 := 0.0
		if aLang {
			var shared, has bool
			if f.one {
				shared, has = la1&f.lang[j] != 0, f.lang[j] != 0
			} else {
				lb := m.lang[t*m.langW : (t+1)*m.langW]
				shared, has = andCount(m.lang[i*m.langW:(i+1)*m.langW], lb) > 0, popcount(lb) > 0
			}
			if has {
				if !shared {
					dst[j] = nan
					continue
				}
				f2 = 1
			}
		}
		// Time zone.
		f3 := tz[f.tzID[j]]
		if f3 != f3 {
			dst[j] = nan
			continue
		}
		f0 := 0.0
		if skill != nil {
			f0 = skill[j] / nw
		}
		f1 := 0.0
		if ic > 0 {
			if f.one {
				f1 = inter[bits.OnesCount64(ia1&f.inter[j])]
			} else {
				f1 = inter[andCount(m.inter[i*m.intW:(i+1)*m.intW], m.inter[t*m.intW:(t+1)*m.intW])]
			}
		}
		f4 := 0.0
		if db := f.mDept[j]; da >= 0 && db >= 0 && da != db {
			f4 = 1
		}
		var f5 float64
		if f.yID != nil {
			f5 = exp[f.yID[j]]
		} else if by := f.years[j]; ay >= 0 && by >= 0 {
			f5 = expFactor(ay, by)
		}
		f6 := 0.0
		for q := range nq {
			if f.qmax[q] > maxQTab {
				qc := &m.questions[q]
				s := 0.0
				if qc.answered[i] && qc.answered[t] {
					x := andCount(qc.sets[i*qc.words:(i+1)*qc.words], qc.sets[t*qc.words:(t+1)*qc.words])
					s = float64(x) / float64(qc.setCounts[i]+qc.setCounts[t]-x)
				}
				if qc.must && s == 0 {
					ok = false
					break
				}
				f6 += float64(qc.weight * s)
				continue
			}
			c := int(f.qcnt[q*k+j])
			var x int
			if f.one && q < len(qa1) {
				x = bits.OnesCount64(qa1[q] & f.qset[q*k+j])
			} else {
				qc := &m.questions[q]
				x = andCount(qc.sets[i*qc.words:(i+1)*qc.words], qc.sets[t*qc.words:(t+1)*qc.words])
			}
			v := qtab[qoff[q]+x*(f.qmax[q]+1)+c]
			if v != v {
				ok = false
				break
			}
			f6 += v
		}
		if !ok || f.mustSkills && f0 == 0 || f.mustInterests && f1 == 0 || f.mustTZ && f3 == 0 ||
			f.mustDept && f4 == 0 || f.mustExp && f5 == 0 {
			ok = true
			dst[j] = nan
			continue
		}
		dst[j] = combine(w, f0, f1, f2, f3, f4, f5, f6)
	}
}
