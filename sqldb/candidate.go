package sqldb

import (
	"context"
	"database/sql"
	"strings"
)

// inList returns "?, ?, …" for ids and the ids as arguments.
func inList(ids []int64) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "?", id
	}
	return strings.Join(marks, ", "), args
}

// InChainWith returns which of the people are in the person's management
// chain, above or below them: one query on the closure table.
func (db *DB) InChainWith(ctx context.Context, orgID, personID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	marks, idArgs := inList(ids)
	args := append([]any{orgID, personID}, idArgs...)
	args = append(append(args, orgID, personID), idArgs...)
	rows, err := queryAll(ctx, db.q(), func(rows *sql.Rows, id *int64) error { return rows.Scan(id) },
		`SELECT c.descendant FROM people_closure c WHERE c.org_id = ? AND c.ancestor = ? AND c.descendant IN (`+marks+`)
		UNION SELECT c.ancestor FROM people_closure c WHERE c.org_id = ? AND c.descendant = ? AND c.ancestor IN (`+marks+`)`,
		args...)
	if err != nil {
		return nil, err
	}
	for _, id := range rows {
		if id != personID {
			out[id] = true
		}
	}
	return out, nil
}

// OpenMentoring counts the open (draft or active) mentoring partnerships
// each of the people mentors, for their capacity.
func (db *DB) OpenMentoring(ctx context.Context, orgID int64, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	marks, idArgs := inList(ids)
	type count struct {
		id int64
		n  int
	}
	rows, err := queryAll(ctx, db.q(), func(rows *sql.Rows, c *count) error { return rows.Scan(&c.id, &c.n) },
		`SELECT e.guide_id, COUNT(*) FROM engagements e WHERE e.org_id = ? AND e.kind = 'mentoring' AND e.status IN ('draft', 'active')
		AND e.guide_id IN (`+marks+`) GROUP BY e.guide_id`, append([]any{orgID}, idArgs...)...)
	if err != nil {
		return nil, err
	}
	for _, c := range rows {
		out[c.id] = c.n
	}
	return out, nil
}
