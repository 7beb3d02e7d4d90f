package tandem

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tandemhq/tandem/match"
)

// MatchMode is how the cohort is matched.
type MatchMode string

// The modes.
const (
	ModeOptimal MatchMode = "optimal" // the highest total score under mentor capacity
	ModeStable  MatchMode = "stable"  // no mentee and mentor both prefer each other to what they got
)

// PairRuleKind is what an admin said about one pair.
type PairRuleKind string

// The pair rules.
const (
	PairPin    PairRuleKind = "pin"    // this pair, whatever else
	PairForbid PairRuleKind = "forbid" // never this pair
)

// PairRule is a pin or a forbid on a mentee and a mentor of a program.
type PairRule struct {
	Kind     PairRuleKind
	MenteeID int64
	MentorID int64
}

// RunPair is one proposed pair of a run.
type RunPair struct {
	Mentee  PersonRef `json:"mentee"`
	Mentor  PersonRef `json:"mentor"`
	Score   float64   `json:"score"`
	Reasons []string  `json:"reasons"`
	Pinned  bool      `json:"pinned"`
}

// RunUnmatched is someone a run left without a partner, and why.
type RunUnmatched struct {
	Person PersonRef       `json:"person"`
	Role   ApplicationRole `json:"role"`
	Why    string          `json:"why"`
}

// RunCertificate is what proves the run's claim.
type RunCertificate struct {
	// Claim is the sentence for people: "optimal: no other matching
	// scores higher" or "stable: …".
	Claim string `json:"claim"`
	// For optimal runs, the duality certificate's figures.
	Primal       float64 `json:"primal,omitempty"`
	Dual         float64 `json:"dual,omitempty"`
	Gap          float64 `json:"gap,omitempty"`
	MaxViolation float64 `json:"max_violation,omitempty"`
	Tolerance    float64 `json:"tolerance,omitempty"`
}

// MatchRun is one run of the matching of a program's cohort: a preview
// until it is published.
type MatchRun struct {
	ID        int64          `json:"id"`
	ProgramID int64          `json:"program_id"`
	Mode      MatchMode      `json:"mode"`
	Weights   map[string]int `json:"weights"`
	Mentees   int            `json:"mentees"`
	Mentors   int            `json:"mentors"`
	Matched   int            `json:"matched"`
	Total     float64        `json:"total"`
	// MaxScore is the score of a pair meeting every criterion fully;
	// Distribution counts the pairs by tenths of it (10 buckets).
	MaxScore     float64        `json:"max_score"`
	Distribution []int          `json:"distribution"`
	Certificate  RunCertificate `json:"certificate"`
	Pairs        []RunPair      `json:"pairs,omitempty"`
	Unmatched    []RunUnmatched `json:"unmatched,omitempty"`
	// Approved lists the person ids of the approved applications the run
	// was made from (mentees then mentors, each sorted): publishing
	// compares it with the applications then.
	Approved    []int64    `json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	CreatedBy   int64      `json:"-"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Stats       RunStats   `json:"-"`
}

// RunStats says where a run's time went.
type RunStats struct {
	Load, Score, Solve, Explain, Store time.Duration
}

// SolveCohort runs the engine on the cohort: chain lists (mentee index,
// mentor index) pairs in a management chain, rules the admins' pins and
// forbids (by person id). The run's pairs, unmatched people with why,
// totals, distribution and certificate are filled; ids and times are the
// store's.
func SolveCohort(co *Cohort, mode MatchMode, chain [][2]int, rules []PairRule) (*MatchRun, error) {
	n, m := co.Dims()
	if n == 0 {
		return nil, Errorf(ECONFLICT, "The program has no approved mentees: approve some applications first.")
	}
	if m == 0 {
		return nil, Errorf(ECONFLICT, "The program has no approved mentors: approve some applications first.")
	}
	if mode == "" {
		mode = ModeOptimal
	}
	if mode != ModeOptimal && mode != ModeStable {
		return nil, fieldError("mode", "Choose optimal or stable.")
	}
	menteeIdx := make(map[int64]int, n)
	for i, p := range co.Mentees {
		menteeIdx[p.Person.ID] = i
	}
	mentorIdx := make(map[int64]int, m)
	for j, p := range co.Mentors {
		mentorIdx[p.Person.ID] = j
	}
	inChain := make(map[[2]int]bool, len(chain))
	for _, c := range chain {
		inChain[c] = true
	}
	forbidden := map[[2]int]bool{}
	pins := map[int]int{} // mentee → mentor
	for _, r := range rules {
		i, ok1 := menteeIdx[r.MenteeID]
		j, ok2 := mentorIdx[r.MentorID]
		if !ok1 || !ok2 {
			continue // no longer approved: the rule does not apply
		}
		if r.Kind == PairForbid {
			forbidden[[2]int{i, j}] = true
		} else {
			pins[i] = j
		}
	}
	caps := make([]int, m)
	for j, p := range co.Mentors {
		caps[j] = p.Capacity
	}
	// Pinned mentees leave the problem and take their seat first.
	for i, j := range pins {
		if inChain[[2]int{i, j}] {
			return nil, Errorf(ECONFLICT, "%s is in %s's management chain; the pin cannot hold.", co.Mentors[j].Person.Name, co.Mentees[i].Person.Name)
		}
		caps[j]--
		if caps[j] < 0 {
			return nil, Errorf(ECONFLICT, "%s has more pinned mentees than their capacity of %d.", co.Mentors[j].Person.Name, co.Mentors[j].Capacity)
		}
	}
	free := make([]int, 0, n-len(pins))
	for i := range n {
		if _, ok := pins[i]; !ok {
			free = append(free, i)
		}
	}
	t0 := time.Now()
	full := co.Matrix()
	sub := full
	if len(pins) > 0 {
		sub = match.NewMatrix(len(free), m)
		for k, i := range free {
			copy(sub.Data[k*m:(k+1)*m], full.Data[i*m:(i+1)*m])
		}
	}
	rowOf := make([]int, n) // mentee → row of sub, or -1
	for i := range rowOf {
		rowOf[i] = -1
	}
	for k, i := range free {
		rowOf[i] = k
	}
	for c := range inChain {
		if k := rowOf[c[0]]; k >= 0 {
			sub.Set(k, c[1], nan32)
		}
	}
	for c := range forbidden {
		if k := rowOf[c[0]]; k >= 0 {
			sub.Set(k, c[1], nan32)
		}
	}
	run := &MatchRun{Mode: mode, Mentees: n, Mentors: m, MaxScore: co.MaxScore, Distribution: make([]int, 10),
		Weights: map[string]int{}}
	for _, c := range co.Criteria {
		run.Weights[c.Key] = c.Weight
	}
	run.Stats.Score = time.Since(t0)
	t0 = time.Now()
	var mentorOf []int
	if len(free) > 0 {
		switch mode {
		case ModeOptimal:
			a, err := match.Assign(sub, caps, match.Options{})
			if err != nil {
				return nil, err
			}
			cert := a.Certificate
			if cert == nil {
				if cert, err = match.Certify(sub, caps, a, 0); err != nil {
					return nil, fmt.Errorf("the matching did not certify: %w", err)
				}
			}
			mentorOf = a.Mentor
			run.Certificate = RunCertificate{Claim: "optimal: no other matching of as many mentees scores higher",
				Primal: cert.Primal, Dual: cert.Dual, Gap: cert.Gap, MaxViolation: cert.MaxViolation, Tolerance: cert.Tolerance}
		case ModeStable:
			s, err := match.Stable(sub, caps, match.Options{})
			if err != nil {
				return nil, err
			}
			if i, j, bad := match.BlockingPair(sub, caps, s.Mentor); bad {
				return nil, fmt.Errorf("the stable matching has a blocking pair (%d, %d)", i, j)
			}
			mentorOf = s.Mentor
			run.Certificate = RunCertificate{Claim: "stable: no mentee and mentor both prefer each other to what they got (checked pair by pair)"}
		}
	} else {
		run.Certificate = RunCertificate{Claim: "every mentee is pinned"}
	}
	run.Stats.Solve = time.Since(t0)
	t0 = time.Now()
	assigned := make([]int, n)
	for i := range assigned {
		assigned[i] = -1
	}
	for i, j := range pins {
		assigned[i] = j
	}
	for k, i := range free {
		assigned[i] = mentorOf[k]
	}
	// The pairs and the unmatched in order; their reasons and whys are
	// filled on every core below, each into its own slot, so the result
	// is the same as one after the other.
	load := make([]int, m)
	var placed [][2]int // (mentee, mentor) of each pair
	for i, j := range assigned {
		if j < 0 {
			continue
		}
		load[j]++
		s := float64(full.At(i, j))
		_, pinned := pins[i]
		run.Pairs = append(run.Pairs, RunPair{Mentee: co.Mentees[i].Person, Mentor: co.Mentors[j].Person, Score: s, Pinned: pinned})
		placed = append(placed, [2]int{i, j})
		run.Matched++
		run.Total += s
		b := 0
		if co.MaxScore > 0 {
			b = min(9, max(0, int(s/co.MaxScore*10)))
		}
		run.Distribution[b]++
	}
	var left []int // unmatched mentees
	for i, j := range assigned {
		if j < 0 {
			left = append(left, i)
			run.Unmatched = append(run.Unmatched, RunUnmatched{Person: co.Mentees[i].Person, Role: AsMentee})
		}
	}
	// Why a mentor is excluded for a mentee, by mentee: looked up only
	// for the unmatched.
	excluded := map[int]map[int]string{}
	exclude := func(c [2]int, why string) {
		if excluded[c[0]] == nil {
			excluded[c[0]] = map[int]string{}
		}
		excluded[c[0]][c[1]] = why
	}
	for c := range forbidden {
		exclude(c, whyForbidden)
	}
	for c := range inChain {
		exclude(c, whyChain) // the chain first, as before
	}
	forEachRow(len(placed)+len(left), func(k int) {
		if k < len(placed) {
			run.Pairs[k].Reasons = co.Reasons(placed[k][0], placed[k][1], 3)
			return
		}
		i := left[k-len(placed)]
		run.Unmatched[k-len(placed)].Why = unmatchedWhy(co, sub.Data[rowOf[i]*m:(rowOf[i]+1)*m], i, excluded[i])
	})
	for j := range m {
		if load[j] == 0 {
			run.Unmatched = append(run.Unmatched, RunUnmatched{Person: co.Mentors[j].Person, Role: AsMentor,
				Why: "every mentee who could take them went to a mentor who scores higher with them"})
		}
	}
	run.Stats.Explain = time.Since(t0)
	return run, nil
}

// Why a mentor is not allowed for a mentee, besides a hard criterion.
const (
	whyChain     = "are in their management chain"
	whyForbidden = "were forbidden by the program admins"
)

// unmatchedWhy explains an unmatched mentee from its row of scores;
// excluded says why mentors are excluded for them (chain, forbidden).
func unmatchedWhy(co *Cohort, row []float32, i int, excluded map[int]string) string {
	allowed := 0
	counts, hard := map[string]int{}, map[string]int{}
	for j, v := range row {
		if v == v {
			allowed++
			continue
		}
		if why, ok := excluded[j]; ok {
			counts[why]++
		} else {
			hard[co.HardFailure(i, j)]++ // the sentence once per criterion, below
		}
	}
	for label, n := range hard {
		counts["do not share «"+label+"»"] = n
	}
	if allowed > 0 {
		return fmt.Sprintf("the %d mentors they could have are full with mentees who score higher with them", allowed)
	}
	if len(counts) == 1 {
		for k := range counts {
			if strings.HasPrefix(k, "do not share") {
				return "no approved mentor shares «" + strings.TrimSuffix(strings.TrimPrefix(k, "do not share «"), "»") + "» with them"
			}
			return "every approved mentor " + strings.TrimPrefix(strings.TrimPrefix(k, "are "), "were ")
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	slices.SortStableFunc(keys, func(a, b string) int { return counts[b] - counts[a] })
	parts := make([]string, len(keys))
	for k, key := range keys {
		parts[k] = fmt.Sprintf("%d %s", counts[key], key)
	}
	return "no mentor is allowed: " + strings.Join(parts, ", ")
}

// StaleSince compares the approved applications a run was made from with
// those now, and says what changed ("" when nothing did).
func (r *MatchRun) StaleSince(now []int64, names map[int64]string) string {
	was := map[int64]bool{}
	for _, id := range r.Approved {
		was[id] = true
	}
	is := map[int64]bool{}
	for _, id := range now {
		is[id] = true
	}
	var gone, added []string
	for _, id := range r.Approved {
		if !is[id] {
			gone = append(gone, names[id])
		}
	}
	for _, id := range now {
		if !was[id] {
			added = append(added, names[id])
		}
	}
	if len(gone) == 0 && len(added) == 0 {
		return ""
	}
	var parts []string
	if len(gone) > 0 {
		parts = append(parts, fmt.Sprintf("%d no longer approved (%s)", len(gone), listSome(gone)))
	}
	if len(added) > 0 {
		parts = append(parts, fmt.Sprintf("%d approved since (%s)", len(added), listSome(added)))
	}
	return "The applications changed since this run: " + strings.Join(parts, "; ") + ". Run the matching again."
}

func listSome(names []string) string {
	sort.Strings(names)
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
