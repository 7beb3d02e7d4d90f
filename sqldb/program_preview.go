package sqldb

import (
	"context"
	"database/sql"
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
// run being the program's.
func (db *DB) RunRows(ctx context.Context, orgID, programID, runID int64, q RunQuery) (*RunPage, error) {
	where := []string{"x.run_id = ?", "x.org_id = ?", "r.program_id = ?"}
	args := []any{runID, orgID, programID}
	if q.Unmatched {
		where = append(where, "x.mentor_id IS NULL")
	} else {
		where = append(where, "x.mentor_id IS NOT NULL")
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		like := "%" + likeEscape(strings.ToLower(t)) + "%"
		where = append(where, `(LOWER(pe.name) LIKE ? ESCAPE '\' OR LOWER(pe.email) LIKE ? ESCAPE '\'
			OR LOWER(COALESCE(mo.name, '')) LIKE ? ESCAPE '\' OR LOWER(COALESCE(mo.email, '')) LIKE ? ESCAPE '\'
			OR LOWER(x.reasons) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like)
	}
	from := ` FROM program_run_rows x JOIN program_runs r ON r.id = x.run_id JOIN people pe ON pe.id = x.person_id
		LEFT JOIN people mo ON mo.id = x.mentor_id WHERE ` + strings.Join(where, " AND ")
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
		if err := tx.QueryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&page.Total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT x.person_id, pe.name, pe.email, pe.title, x.role, COALESCE(x.mentor_id, 0), COALESCE(mo.name, ''),
			COALESCE(mo.email, ''), COALESCE(mo.title, ''), x.score, x.reasons, x.pinned`+from+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
			append(args, q.Limit, max(q.Offset, 0))...)
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
				page.Pairs = append(page.Pairs, tandem.RunPair{Mentee: p, Mentor: mo, Score: score, Reasons: splitLines(reasons), Pinned: pinned})
			} else {
				page.Unmatched = append(page.Unmatched, tandem.RunUnmatched{Person: p, Role: role, Why: reasons})
			}
		}
		return rows.Err()
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
