package sqldb

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"github.com/tandemhq/tandem"
)

// The preview of a run, one page at a time: a run of 10,000 mentees is
// read a page of rows at a time, filtered and sorted in the database, so
// the preview page never loads (nor renders) every pair.

// RunQuery selects one page of a run's rows.
type RunQuery struct {
	// Unmatched selects the people left without a partner rather than
	// the pairs.
	Unmatched bool
	// Text keeps the rows where a name or email of either side, or a
	// reason, contains it (any case).
	Text string
	// Sort is "score" (the default, best first), "mentee" or "mentor"
	// (by name, A to Z); Reverse turns it around.
	Sort    string
	Reverse bool
	// Limit of 0 is 50.
	Limit, Offset int
}

// The sorts of RunQuery.
const (
	RunSortScore  = "score"
	RunSortMentee = "mentee"
	RunSortMentor = "mentor"
)

// RunPage is one page of a run's rows and how many rows match in all.
type RunPage struct {
	Pairs     []tandem.RunPair
	Unmatched []tandem.RunUnmatched
	Total     int
}

// RunHeader returns one run of a program without its rows.
func (db *DB) RunHeader(ctx context.Context, orgID, programID, runID int64) (*tandem.MatchRun, error) {
	var r tandem.MatchRun
	err := scanRun(db.q().QueryRowContext(ctx, `SELECT `+runColumns+` FROM program_runs r WHERE r.org_id = ? AND r.program_id = ? AND r.id = ?`,
		orgID, programID, runID), &r)
	if err != nil {
		return nil, notFound(err, "No such run.")
	}
	return &r, nil
}

// RunRows returns one page of a run's pairs (or unmatched people), the
// run being the program's. It reads in two steps so that a page costs
// little whatever the run's size: the positions of the page's rows
// (joining people only when the sort or the filter reads a name), then
// those rows with their people.
func (db *DB) RunRows(ctx context.Context, orgID, programID, runID int64, q RunQuery) (*RunPage, error) {
	where := []string{"x.run_id = ?", "x.org_id = ?"}
	args := []any{runID, orgID}
	if q.Unmatched {
		where = append(where, "x.mentor_id IS NULL")
	} else {
		where = append(where, "x.mentor_id IS NOT NULL")
	}
	joinMentee, joinMentor := q.Sort == RunSortMentee || q.Sort == RunSortMentor, q.Sort == RunSortMentor
	if t := strings.TrimSpace(q.Text); t != "" {
		joinMentee, joinMentor = true, true
		like := "%" + likeEscape(strings.ToLower(t)) + "%"
		where = append(where, `(LOWER(pe.name) LIKE ? ESCAPE '\' OR LOWER(pe.email) LIKE ? ESCAPE '\'
			OR LOWER(COALESCE(mo.name, '')) LIKE ? ESCAPE '\' OR LOWER(COALESCE(mo.email, '')) LIKE ? ESCAPE '\'
			OR LOWER(x.reasons) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like)
	}
	from := ` FROM program_run_rows x`
	if joinMentee {
		from += ` JOIN people pe ON pe.id = x.person_id`
	}
	if joinMentor {
		from += ` LEFT JOIN people mo ON mo.id = x.mentor_id`
	}
	from += ` WHERE ` + strings.Join(where, " AND ")
	dir := func(asc bool) string {
		if asc != q.Reverse {
			return " ASC"
		}
		return " DESC"
	}
	// Ties keep the run's own order (its position), so pages never
	// overlap.
	var order string
	switch q.Sort {
	case RunSortMentee:
		order = "LOWER(pe.name)" + dir(true) + ", x.position"
	case RunSortMentor:
		order = "LOWER(COALESCE(mo.name, ''))" + dir(true) + ", LOWER(pe.name), x.position"
	default:
		order = "x.score" + dir(false) + ", x.position"
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	page := &RunPage{}
	err := db.Read(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM program_runs WHERE id = ? AND org_id = ? AND program_id = ?`, runID, orgID, programID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return tandem.Errorf(tandem.ENOTFOUND, "No such run.")
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&page.Total); err != nil {
			return err
		}
		positions, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, p *int64) error { return rows.Scan(p) },
			`SELECT x.position`+from+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, q.Limit, max(q.Offset, 0))...)
		if err != nil || len(positions) == 0 {
			return err
		}
		rank := make(map[int64]int, len(positions))
		pargs := []any{runID, orgID}
		for k, p := range positions {
			rank[p] = k
			pargs = append(pargs, p)
		}
		type row struct {
			pos    int64
			pair   tandem.RunPair
			single tandem.RunUnmatched
		}
		rows, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, r *row) error {
			var p, mo tandem.PersonRef
			var reasons string
			if err := rows.Scan(&r.pos, &p.ID, &p.Name, &p.Email, &p.Title, &r.single.Role, &mo.ID, &mo.Name, &mo.Email, &mo.Title,
				&r.pair.Score, &reasons, &r.pair.Pinned); err != nil {
				return err
			}
			r.pair.Mentee, r.pair.Mentor, r.pair.Reasons = p, mo, splitLines(reasons)
			r.single.Person, r.single.Why = p, reasons
			return nil
		}, `SELECT x.position, x.person_id, pe.name, pe.email, pe.title, x.role, COALESCE(x.mentor_id, 0), COALESCE(mo.name, ''),
			COALESCE(mo.email, ''), COALESCE(mo.title, ''), x.score, x.reasons, x.pinned
			FROM program_run_rows x JOIN people pe ON pe.id = x.person_id LEFT JOIN people mo ON mo.id = x.mentor_id
			WHERE x.run_id = ? AND x.org_id = ? AND x.position IN (`+placeholders(len(positions))+`)`, pargs...)
		if err != nil {
			return err
		}
		sort.Slice(rows, func(i, j int) bool { return rank[rows[i].pos] < rank[rows[j].pos] })
		for _, r := range rows {
			if q.Unmatched {
				page.Unmatched = append(page.Unmatched, r.single)
			} else {
				page.Pairs = append(page.Pairs, r.pair)
			}
		}
		return nil
	})
	if err != nil {
		return nil, mapError(err)
	}
	return page, nil
}

// NamedPairRule is a pin or forbid with who it is about.
type NamedPairRule struct {
	Kind   tandem.PairRuleKind
	Mentee tandem.PersonRef
	Mentor tandem.PersonRef
}

// PairRulesNamed returns the program's pins and forbids with the names of
// the mentee and the mentor, for the pages that list them.
func (db *DB) PairRulesNamed(ctx context.Context, orgID, programID int64) ([]NamedPairRule, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, r *NamedPairRule) error {
		return rows.Scan(&r.Kind, &r.Mentee.ID, &r.Mentee.Name, &r.Mentee.Email, &r.Mentor.ID, &r.Mentor.Name, &r.Mentor.Email)
	}, `SELECT pr.kind, me.id, me.name, me.email, mo.id, mo.name, mo.email FROM program_pair_rules pr
		JOIN people me ON me.id = pr.mentee_id JOIN people mo ON mo.id = pr.mentor_id
		WHERE pr.org_id = ? AND pr.program_id = ? ORDER BY pr.created_at, pr.mentee_id, pr.mentor_id`, orgID, programID)
}
