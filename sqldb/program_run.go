package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tandemhq/tandem"
)

// Matching the cohort: loading what the scoring reads, the admins' pins
// and forbids, and the runs with their pairs and unmatched people.

// CohortData is what a run is computed from.
type CohortData struct {
	Program   *tandem.Program
	Questions []tandem.Question
	// Mentees and Mentors hold the answers to the matching questions
	// only: the others are never scored.
	Mentees []tandem.CohortMember
	Mentors []tandem.CohortMember
	// Chain lists (mentee person id, mentor person id) pairs where either
	// is in the other's management chain (the mentoring rule, as Related).
	Chain [][2]int64
	Rules []tandem.PairRule
}

// LoadCohort reads the approved applications of a program with their
// answers and profiles, the management chains between them and the pair
// rules, in one consistent read.
func (db *DB) LoadCohort(ctx context.Context, orgID, programID int64) (*CohortData, error) {
	return db.loadCohort(ctx, orgID, programID, 0)
}

// LoadMenteeCohort is LoadCohort for one approved mentee's self-serve
// suggestions: the mentee (if approved) and the approved mentors only, the
// chains between them and the mentee's pair rules. Scoring one row needs
// no other mentee: 2,001 people read instead of the whole cohort.
func (db *DB) LoadMenteeCohort(ctx context.Context, orgID, programID, menteeID int64) (*CohortData, error) {
	return db.loadCohort(ctx, orgID, programID, menteeID)
}

// loadCohort reads the cohort, or with mentee set only the approved
// mentors and that mentee.
func (db *DB) loadCohort(ctx context.Context, orgID, programID, mentee int64) (*CohortData, error) {
	// only narrows every read of applications (alias a) to the mentors
	// and the mentee; onlyArgs are its parameters.
	var only string
	var onlyArgs []any
	if mentee != 0 {
		only = ` AND (a.role = '` + string(tandem.AsMentor) + `' OR a.person_id = ?)`
		onlyArgs = []any{mentee}
	}
	d := &CohortData{}
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		if d.Program, err = programByID(ctx, tx.q(), orgID, programID); err != nil {
			return err
		}
		if d.Questions, err = uncountedQuestions(ctx, tx.q(), orgID, programID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT a.id, a.role, a.capacity, pe.id, pe.name, pe.email, pe.title, pe.department, pe.location,
			pe.time_zone, pe.languages FROM program_applications a JOIN people pe ON pe.id = a.person_id
			WHERE a.org_id = ? AND a.program_id = ? AND a.status = ?`+only+` ORDER BY pe.id`,
			append([]any{orgID, programID, tandem.AppApproved}, onlyArgs...)...)
		if err != nil {
			return err
		}
		byApp := map[int64]*tandem.CohortMember{}
		var appOrder []int64
		var members []tandem.CohortMember
		for rows.Next() {
			var m tandem.CohortMember
			var appID int64
			var langs string
			if err := rows.Scan(&appID, &m.Role, &m.Capacity, &m.Person.ID, &m.Person.Name, &m.Person.Email, &m.Person.Title,
				&m.Department, &m.Location, &m.TimeZone, &langs); err != nil {
				rows.Close()
				return err
			}
			m.Languages = tandem.SplitList(langs)
			m.Answers = map[int64]tandem.Answer{}
			members = append(members, m)
			appOrder = append(appOrder, appID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		byPerson := map[int64]*tandem.CohortMember{}
		for k := range members {
			byApp[appOrder[k]] = &members[k]
			byPerson[members[k].Person.ID] = &members[k]
		}
		// The answers to the matching questions (the others are never
		// scored; filtered here, not in the query, whose question index
		// would drive the read over every answer of the program), decoded
		// on every core while the next rows are read: for 10,000 mentees
		// the JSON is most of the load.
		criterion := map[int64]bool{}
		for _, q := range d.Questions {
			criterion[q.ID] = q.Criterion()
		}
		rows, err = tx.Query(ctx, `SELECT an.application_id, an.question_id, an.value FROM program_answers an
			JOIN program_applications a ON a.id = an.application_id WHERE a.org_id = ? AND a.program_id = ? AND a.status = ?`+only,
			append([]any{orgID, programID, tandem.AppApproved}, onlyArgs...)...)
		if err != nil {
			return err
		}
		raws, err := readAnswers(rows, func(q int64) bool { return criterion[q] })
		if err != nil {
			return err
		}
		for _, r := range raws {
			if byApp[r.app] != nil {
				byApp[r.app].Answers[r.q] = r.ans
			}
		}
		rows, err = tx.Query(ctx, `SELECT ps.person_id, ps.skill_id, ps.level FROM person_skills ps
			JOIN program_applications a ON a.person_id = ps.person_id
			WHERE a.org_id = ? AND a.program_id = ? AND a.status = ? AND ps.org_id = ?`+only,
			append([]any{orgID, programID, tandem.AppApproved, orgID}, onlyArgs...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid, sid int64
			var lv int
			if err := rows.Scan(&pid, &sid, &lv); err != nil {
				rows.Close()
				return err
			}
			if m := byPerson[pid]; m != nil {
				if m.Skills == nil {
					m.Skills = map[int64]tandem.Level{}
				}
				m.Skills[sid] = tandem.Level(lv)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range members {
			if m.Role == tandem.AsMentor {
				d.Mentors = append(d.Mentors, m)
			} else {
				d.Mentees = append(d.Mentees, m)
			}
		}
		// The management chains between mentees and mentors: every chain
		// above an applicant, sorted out here by the roles read above. (A
		// join of the closure with both sides' applications let
		// PostgreSQL, with statistics older than a bulk enrollment, loop
		// over every mentee for every mentor: seconds for 10,000.)
		type link struct{ ancestor, descendant int64 }
		links, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, l *link) error { return rows.Scan(&l.ancestor, &l.descendant) },
			`SELECT c.ancestor, c.descendant FROM people_closure c
			JOIN program_applications a ON a.person_id = c.descendant AND a.program_id = ? AND a.status = ?
			WHERE c.org_id = ?`+only, append([]any{programID, tandem.AppApproved, orgID}, onlyArgs...)...)
		if err != nil {
			return err
		}
		role := func(id int64) tandem.ApplicationRole {
			if m := byPerson[id]; m != nil {
				return m.Role
			}
			return ""
		}
		for _, l := range links {
			switch up, down := role(l.ancestor), role(l.descendant); {
			case down == tandem.AsMentee && up == tandem.AsMentor:
				d.Chain = append(d.Chain, [2]int64{l.descendant, l.ancestor})
			case down == tandem.AsMentor && up == tandem.AsMentee:
				d.Chain = append(d.Chain, [2]int64{l.ancestor, l.descendant})
			}
		}
		if d.Rules, err = pairRules(ctx, tx.q(), orgID, programID); err != nil || mentee == 0 {
			return err
		}
		d.Rules = slices.DeleteFunc(d.Rules, func(r tandem.PairRule) bool { return r.MenteeID != mentee })
		return nil
	})
	return d, err
}

// rawAnswer is one stored answer and its decoded value.
type rawAnswer struct {
	app, q int64
	v      []byte
	ans    tandem.Answer
}

// readAnswers scans (application id, question id, JSON value) rows of the
// questions keep says to keep, and closes them. The values are decoded on every core in batches while the
// next rows are read; the answers come back in the rows' order, and the
// error is the first bad row's.
func readAnswers(rows *sql.Rows, keep func(q int64) bool) ([]rawAnswer, error) {
	defer rows.Close()
	type batch struct {
		raws []rawAnswer
		err  error
	}
	const per = 512
	work := make(chan *batch, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				for k := range b.raws {
					r := &b.raws[k]
					if err := json.Unmarshal(r.v, &r.ans); err != nil {
						b.err = fmt.Errorf("answer %d/%d: %w", r.app, r.q, err)
						break
					}
				}
			}
		}()
	}
	var all []*batch
	cur := &batch{raws: make([]rawAnswer, 0, per)}
	var scanErr error
	var app, q int64 // scanned into here, not a row on the heap each
	var v []byte
	for rows.Next() {
		if scanErr = rows.Scan(&app, &q, &v); scanErr != nil { // Scan copies the bytes: the worker may keep them
			break
		}
		if !keep(q) {
			continue
		}
		cur.raws = append(cur.raws, rawAnswer{app: app, q: q, v: v})
		if len(cur.raws) == per {
			all = append(all, cur)
			work <- cur
			cur = &batch{raws: make([]rawAnswer, 0, per)}
		}
	}
	if len(cur.raws) > 0 {
		all = append(all, cur)
		work <- cur
	}
	close(work)
	wg.Wait()
	if scanErr != nil {
		return nil, scanErr
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	n := 0
	for _, b := range all {
		n += len(b.raws)
	}
	out := make([]rawAnswer, 0, n)
	for _, b := range all {
		if b.err != nil {
			return nil, b.err
		}
		out = append(out, b.raws...)
	}
	return out, nil
}

func pairRules(ctx context.Context, q querier, orgID, programID int64) ([]tandem.PairRule, error) {
	return queryAll(ctx, q, func(rows *sql.Rows, r *tandem.PairRule) error { return rows.Scan(&r.Kind, &r.MenteeID, &r.MentorID) },
		`SELECT kind, mentee_id, mentor_id FROM program_pair_rules WHERE org_id = ? AND program_id = ? ORDER BY created_at, mentee_id, mentor_id`,
		orgID, programID)
}

// PairRules returns the program's pins and forbids.
func (db *DB) PairRules(ctx context.Context, orgID, programID int64) ([]tandem.PairRule, error) {
	return pairRules(ctx, db.q(), orgID, programID)
}

// approvedRole returns the role of a person's approved application to the
// program, or "".
func approvedRole(ctx context.Context, q querier, orgID, programID, personID int64) (tandem.ApplicationRole, error) {
	var role tandem.ApplicationRole
	err := q.QueryRowContext(ctx, `SELECT role FROM program_applications WHERE org_id = ? AND program_id = ? AND person_id = ? AND status = ?`,
		orgID, programID, personID, tandem.AppApproved).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return role, err
}

// SetPairRule pins or forbids a pair of approved applicants while the
// program is matching. Pinning a forbidden pair, or a mentor in the
// mentee's management chain, is refused; a mentee has at most one pin
// (a new one replaces it); forbidding a pinned pair replaces the pin.
func (db *DB) SetPairRule(ctx context.Context, orgID, programID int64, r tandem.PairRule) error {
	return db.Write(ctx, func(tx *Tx) error {
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		if err := p.State.CheckAllows(tandem.WorkMatch); err != nil {
			return err
		}
		if role, err := approvedRole(ctx, tx.q(), orgID, programID, r.MenteeID); err != nil {
			return err
		} else if role != tandem.AsMentee {
			return &tandem.Error{Code: tandem.EINVALID, Message: "The mentee is not an approved mentee of this program.", Fields: map[string]string{"mentee_id": "Not an approved mentee of this program."}}
		}
		if role, err := approvedRole(ctx, tx.q(), orgID, programID, r.MentorID); err != nil {
			return err
		} else if role != tandem.AsMentor {
			return &tandem.Error{Code: tandem.EINVALID, Message: "The mentor is not an approved mentor of this program.", Fields: map[string]string{"mentor_id": "Not an approved mentor of this program."}}
		}
		var cur tandem.PairRuleKind
		err = tx.QueryRow(ctx, `SELECT kind FROM program_pair_rules WHERE program_id = ? AND mentee_id = ? AND mentor_id = ? AND org_id = ?`,
			programID, r.MenteeID, r.MentorID, orgID).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if r.Kind == tandem.PairPin {
			if cur == tandem.PairForbid {
				return tandem.Errorf(tandem.ECONFLICT, "This pair is forbidden; remove the forbid before pinning it.")
			}
			chain, err := inChain(ctx, tx.q(), orgID, r.MentorID, r.MenteeID)
			if err != nil {
				return err
			}
			if chain {
				return tandem.Errorf(tandem.ECONFLICT, "The mentor is in the mentee's management chain: a mentor is never their own report's mentor.")
			}
			if _, err := tx.Exec(ctx, `DELETE FROM program_pair_rules WHERE program_id = ? AND mentee_id = ? AND kind = 'pin' AND org_id = ?`,
				programID, r.MenteeID, orgID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM program_pair_rules WHERE program_id = ? AND mentee_id = ? AND mentor_id = ? AND org_id = ?`,
			programID, r.MenteeID, r.MentorID, orgID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO program_pair_rules (org_id, program_id, mentee_id, mentor_id, kind, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			orgID, programID, r.MenteeID, r.MentorID, r.Kind, tx.now)
		return err
	})
}

// DeletePairRule removes a pin or forbid; ENOTFOUND when there is none.
func (db *DB) DeletePairRule(ctx context.Context, orgID, programID, menteeID, mentorID int64) error {
	res, err := db.sql.ExecContext(ctx, db.rebind(`DELETE FROM program_pair_rules WHERE program_id = ? AND mentee_id = ? AND mentor_id = ? AND org_id = ?`),
		programID, menteeID, mentorID, orgID)
	if err != nil {
		return mapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tandem.Errorf(tandem.ENOTFOUND, "That pair is neither pinned nor forbidden.")
	}
	return nil
}

func joinIDs(ids []int64) string {
	var b strings.Builder
	for k, id := range ids {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Fields(s) {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// approvedIDs lists the person ids of the program's approved applications,
// sorted.
func approvedIDs(ctx context.Context, q querier, orgID, programID int64) ([]int64, error) {
	return queryAll(ctx, q, func(rows *sql.Rows, id *int64) error { return rows.Scan(id) },
		`SELECT person_id FROM program_applications WHERE org_id = ? AND program_id = ? AND status = ? ORDER BY person_id`,
		orgID, programID, tandem.AppApproved)
}

// SaveRun stores a run with its rows, while the program is matching and
// its approved applications are still those the run was made from.
func (db *DB) SaveRun(ctx context.Context, orgID, programID, by int64, run *tandem.MatchRun) error {
	weights, err := json.Marshal(run.Weights)
	if err != nil {
		return err
	}
	dist, _ := json.Marshal(run.Distribution)
	cert, _ := json.Marshal(run.Certificate)
	var byArg any
	if by != 0 {
		byArg = by
	}
	return db.Write(ctx, func(tx *Tx) error {
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		if err := p.State.CheckAllows(tandem.WorkMatch); err != nil {
			return err
		}
		now, err := approvedIDs(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		if joinIDs(now) != joinIDs(run.Approved) {
			return tandem.Errorf(tandem.ECONFLICT, "The applications changed while the matching ran; run it again.")
		}
		run.ID, err = tx.insert(ctx, `INSERT INTO program_runs (org_id, program_id, mode, weights, mentees, mentors, matched, total, max_score,
			distribution, certificate, approved, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, programID, run.Mode, string(weights), run.Mentees, run.Mentors, run.Matched, run.Total, run.MaxScore,
			string(dist), string(cert), joinIDs(run.Approved), byArg, tx.now)
		if err != nil {
			return err
		}
		run.ProgramID, run.CreatedAt, run.CreatedBy = programID, tx.now, by
		// One row per pair, then one per unmatched person, in bulk (typed
		// arrays on PostgreSQL: thousands of bound parameters per
		// statement cost it a second for 12,000 rows).
		cols := []column{{"run_id", "bigint"}, {"org_id", "bigint"}, {"position", "integer"}, {"person_id", "bigint"}, {"role", "text"},
			{"mentor_id", "bigint"}, {"score", "float8"}, {"reasons", "text"}, {"pinned", "boolean"}}
		row := func(pos int) []any {
			if pos < len(run.Pairs) {
				pr := run.Pairs[pos]
				return []any{run.ID, orgID, pos, pr.Mentee.ID, string(tandem.AsMentee), pr.Mentor.ID, pr.Score, strings.Join(pr.Reasons, "\n"), pr.Pinned}
			}
			u := run.Unmatched[pos-len(run.Pairs)]
			return []any{run.ID, orgID, pos, u.Person.ID, string(u.Role), nil, 0.0, u.Why, false}
		}
		return inBatches(tx, len(run.Pairs)+len(run.Unmatched), len(cols), func(from, to int) error {
			rows := make([][]any, to-from)
			for k := range rows {
				rows[k] = row(from + k)
			}
			q, args := tx.db.insertMany("program_run_rows", cols, len(rows), func(i, j int) any { return rows[i][j] })
			_, err := tx.Exec(ctx, q, args...)
			return err
		})
	})
}

const runColumns = `r.id, r.program_id, r.mode, r.weights, r.mentees, r.mentors, r.matched, r.total, r.max_score, r.distribution,
	r.certificate, r.approved, COALESCE(r.created_by, 0), r.created_at, r.published_at`

func scanRun(sc scanner, r *tandem.MatchRun) error {
	var weights, dist, cert, approved string
	var pub sql.NullTime
	if err := sc.Scan(&r.ID, &r.ProgramID, &r.Mode, &weights, &r.Mentees, &r.Mentors, &r.Matched, &r.Total, &r.MaxScore, &dist,
		&cert, &approved, &r.CreatedBy, &r.CreatedAt, &pub); err != nil {
		return err
	}
	r.PublishedAt = timePtr(pub)
	r.Approved = splitIDs(approved)
	if err := json.Unmarshal([]byte(weights), &r.Weights); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(dist), &r.Distribution); err != nil {
		return err
	}
	return json.Unmarshal([]byte(cert), &r.Certificate)
}

// Runs lists a program's runs, newest first, without their rows.
func (db *DB) Runs(ctx context.Context, orgID, programID int64) ([]tandem.MatchRun, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, r *tandem.MatchRun) error { return scanRun(rows, r) },
		`SELECT `+runColumns+` FROM program_runs r WHERE r.org_id = ? AND r.program_id = ? ORDER BY r.id DESC`, orgID, programID)
}

// Run returns one run of a program with its pairs (by score, best first)
// and unmatched people.
func (db *DB) Run(ctx context.Context, orgID, programID, runID int64) (*tandem.MatchRun, error) {
	var r tandem.MatchRun
	err := db.Read(ctx, func(tx *Tx) error {
		return runWithRows(ctx, tx.q(), orgID, programID, runID, &r)
	})
	return &r, err
}

func runWithRows(ctx context.Context, q querier, orgID, programID, runID int64, r *tandem.MatchRun) error {
	err := scanRun(q.QueryRowContext(ctx, `SELECT `+runColumns+` FROM program_runs r WHERE r.org_id = ? AND r.program_id = ? AND r.id = ?`,
		orgID, programID, runID), r)
	if err != nil {
		return notFound(err, "No such run.")
	}
	rows, err := q.QueryContext(ctx, `SELECT x.person_id, pe.name, pe.email, pe.title, x.role, COALESCE(x.mentor_id, 0), COALESCE(mo.name, ''),
		COALESCE(mo.email, ''), COALESCE(mo.title, ''), x.score, x.reasons, x.pinned
		FROM program_run_rows x JOIN people pe ON pe.id = x.person_id LEFT JOIN people mo ON mo.id = x.mentor_id
		WHERE x.run_id = ? AND x.org_id = ? ORDER BY x.position`, runID, orgID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p, mo tandem.PersonRef
		var role tandem.ApplicationRole
		var score float64
		var reasons string
		var pinned bool
		if err := rows.Scan(&p.ID, &p.Name, &p.Email, &p.Title, &role, &mo.ID, &mo.Name, &mo.Email, &mo.Title, &score, &reasons, &pinned); err != nil {
			return err
		}
		if mo.ID != 0 {
			r.Pairs = append(r.Pairs, tandem.RunPair{Mentee: p, Mentor: mo, Score: score, Reasons: splitLines(reasons), Pinned: pinned})
		} else {
			r.Unmatched = append(r.Unmatched, tandem.RunUnmatched{Person: p, Role: role, Why: reasons})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sort.SliceStable(r.Pairs, func(a, b int) bool { return r.Pairs[a].Score > r.Pairs[b].Score })
	return nil
}

// PublishResult says what publishing did.
type PublishResult struct {
	// Engagements is how many proposed partnerships were created; 0 when
	// the run had been published already (Already).
	Engagements int
	Already     bool
	// IDs of the created engagements, in the run's pair order.
	IDs []int64
}

// PublishRun turns a run into proposed mentoring partnerships, each with a
// draft agreement prefilled from the program, all in one transaction that
// first locks the program's row: two admins publishing at once, or one
// twice, give one set. The program must be matching; a run whose approved
// applications changed since is refused with what changed; publishing the
// run again does nothing (Already); another run of the program published
// before is a conflict.
func (db *DB) PublishRun(ctx context.Context, orgID, programID, runID, by int64) (*PublishResult, error) {
	res := &PublishResult{}
	err := db.Write(ctx, func(tx *Tx) error {
		if err := lockProgram(ctx, tx, orgID, programID); err != nil {
			return err
		}
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		var run tandem.MatchRun
		if err := runWithRows(ctx, tx.q(), orgID, programID, runID, &run); err != nil {
			return err
		}
		if run.PublishedAt != nil {
			res.Already = true
			return nil
		}
		if err := p.State.CheckAllows(tandem.WorkMatch); err != nil {
			return err
		}
		var other int64
		err = tx.QueryRow(ctx, `SELECT id FROM program_runs WHERE program_id = ? AND org_id = ? AND published_at IS NOT NULL`, programID, orgID).Scan(&other)
		if err == nil {
			return tandem.Errorf(tandem.ECONFLICT, "Run %d of this program was published already; its partnerships are proposed.", other)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now, err := approvedIDs(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		if joinIDs(now) != joinIDs(run.Approved) {
			names := map[int64]string{}
			type nm struct {
				id   int64
				name string
			}
			list, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, x *nm) error { return rows.Scan(&x.id, &x.name) },
				`SELECT pe.id, pe.name FROM program_applications a JOIN people pe ON pe.id = a.person_id WHERE a.program_id = ? AND a.org_id = ?`,
				programID, orgID)
			if err != nil {
				return err
			}
			for _, x := range list {
				names[x.id] = x.name
			}
			return tandem.Errorf(tandem.ECONFLICT, "%s", run.StaleSince(now, names))
		}
		// The mentoring rule again: managers may have changed since.
		var related int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM program_run_rows x JOIN people_closure c
			ON (c.ancestor = x.mentor_id AND c.descendant = x.person_id) OR (c.ancestor = x.person_id AND c.descendant = x.mentor_id)
			WHERE x.run_id = ? AND x.org_id = ? AND x.mentor_id IS NOT NULL`, runID, orgID).Scan(&related); err != nil {
			return err
		}
		if related > 0 {
			return tandem.Errorf(tandem.ECONFLICT, "Reporting lines changed since this run: %d of its pairs are now in a management chain. Run the matching again.", related)
		}
		if by == 0 {
			// The operator publishes in the name of a program admin, or of
			// the organization's first administrator.
			err := tx.QueryRow(ctx, `SELECT COALESCE((SELECT MIN(person_id) FROM program_admins WHERE program_id = ?),
				(SELECT MIN(id) FROM people WHERE org_id = ? AND role = 'admin'))`, programID, orgID).Scan(&by)
			if err != nil {
				return err
			}
		}
		settings, err := orgSettings(ctx, tx.q(), orgID)
		if err != nil {
			return err
		}
		type mgr struct{ person, manager int64 }
		mgrs, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, x *mgr) error { return rows.Scan(&x.person, &x.manager) },
			`SELECT pe.id, pe.manager_id FROM program_applications a JOIN people pe ON pe.id = a.person_id
			WHERE a.program_id = ? AND a.org_id = ? AND a.role = 'mentee' AND pe.manager_id IS NOT NULL`, programID, orgID)
		if err != nil {
			return err
		}
		managerOf := map[int64]int64{}
		for _, x := range mgrs {
			managerOf[x.person] = x.manager
		}
		ag := programAgreement(p, by)
		es := make([]*tandem.Engagement, len(run.Pairs))
		for k, pr := range run.Pairs {
			es[k] = programEngagement(p, settings, by, ag, pr.Mentee, pr.Mentor, managerOf[pr.Mentee.ID])
		}
		// The rows insertEngagement writes for each, in bulk.
		if err := proposeMany(ctx, tx, es, ag); err != nil {
			return err
		}
		res.IDs = make([]int64, len(es))
		for k, e := range es {
			res.IDs[k] = e.ID
		}
		res.Engagements = len(res.IDs)
		_, err = tx.Exec(ctx, `UPDATE program_runs SET published_at = ?, published_by = ? WHERE id = ? AND org_id = ?`, tx.now, by, runID, orgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// programEngagement is the partnership a program proposes between a mentee
// and a mentor, with the mentee's manager (unless that is the mentor) as
// the third party: the same whether a cohort run is published or a mentor
// accepts a request.
func programEngagement(p *tandem.Program, settings tandem.Settings, by int64, ag tandem.Agreement, mentee, mentor tandem.PersonRef, manager int64) *tandem.Engagement {
	e := &tandem.Engagement{OrgID: p.OrgID, Kind: tandem.Mentoring, CreatedBy: by, Learner: mentee, Guide: mentor,
		Areas: p.Areas, ReviewMonths: settings.ReviewMonths, Start: ag.Start, End: ag.End, ProgramID: p.ID}
	if manager != 0 && manager != mentor.ID {
		e.Manager = tandem.PersonRef{ID: manager}
		e.ManagerRequired = !settings.MentoringManagerOptional
	}
	return e
}

// programAgreement is the draft agreement a program's partnerships start
// from: the parties change it and agree as for any partnership.
func programAgreement(p *tandem.Program, by int64) tandem.Agreement {
	outcome := "Agree on what you want from this mentoring in " + p.Name
	if len(p.Areas) > 0 {
		parts := make([]string, len(p.Areas))
		for i, a := range p.Areas {
			parts[i] = string(a)
		}
		outcome = "Grow in " + strings.Join(parts, ", ") + " (" + p.Name + ")"
	}
	return tandem.Agreement{Version: 1, Outcomes: []string{outcome}, Cadence: "Every two weeks", Channels: "In person or video",
		Confidentiality: "What we discuss stays between us", ReviewMethod: "A review at each review point of the program",
		ExitTerms: "Either of us may end it after a conversation", Start: tandem.Date(p.MatchingOn), End: tandem.Date(p.EndsOn), CreatedBy: by}
}
