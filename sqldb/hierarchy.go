package sqldb

import (
	"context"
	"fmt"

	"github.com/tandemhq/tandem"
)

// Reporting lines are the manager_id column and recursive SQL, which both
// dialects run the same way. BenchmarkChain compares this with a maintained
// closure table at 100,000 people; see ARCHITECTURE.md for the figures.

// chainSQL walks up from a person: one row per manager, nearest first.
// The depth bound of 64 means data that somehow holds a cycle cannot loop;
// real hierarchies are a dozen levels at most.
const chainSQL = `WITH RECURSIVE chain(id, depth) AS (
		SELECT manager_id, 1 FROM people WHERE id = ? AND org_id = ? AND manager_id IS NOT NULL
		UNION ALL
		SELECT p.manager_id, c.depth + 1 FROM people p JOIN chain c ON p.id = c.id
		WHERE p.manager_id IS NOT NULL AND c.depth < 64
	)`

// Chain returns a person's management chain: their manager, the manager's
// manager, and so on to the top.
func (db *DB) Chain(ctx context.Context, orgID, personID int64) ([]tandem.Person, error) {
	return chain(ctx, db.q(), orgID, personID)
}

func chain(ctx context.Context, q querier, orgID, personID int64) ([]tandem.Person, error) {
	return queryPeople(ctx, q, chainSQL+` SELECT `+personColumns+` FROM chain c JOIN people p ON p.id = c.id ORDER BY c.depth`, personID, orgID)
}

// InChain reports whether manager is in person's management chain (is
// their manager, or their manager's manager, …).
func (db *DB) InChain(ctx context.Context, orgID, manager, person int64) (bool, error) {
	return inChain(ctx, db.q(), orgID, manager, person)
}

func inChain(ctx context.Context, q querier, orgID, manager, person int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, chainSQL+` SELECT COUNT(*) FROM chain WHERE id = ?`, person, orgID, manager).Scan(&n)
	return n > 0, mapError(err)
}

// Related reports whether either person is in the other's management
// chain: the test that keeps mentoring outside the supervisory hierarchy.
func (db *DB) Related(ctx context.Context, orgID, a, b int64) (bool, error) {
	if in, err := db.InChain(ctx, orgID, a, b); in || err != nil {
		return in, err
	}
	return db.InChain(ctx, orgID, b, a)
}

// Report is a direct report with the size of their own team.
type Report struct {
	tandem.Person
	DirectReports int
}

// DirectReports lists the people who report to a person, by name, with
// how many report to each of them.
func (db *DB) DirectReports(ctx context.Context, orgID, personID int64) ([]Report, error) {
	rows, err := db.q().QueryContext(ctx, `SELECT `+personColumns+`, (SELECT COUNT(*) FROM people r WHERE r.manager_id = p.id)
		FROM people p WHERE p.org_id = ? AND p.manager_id = ? ORDER BY p.name, p.id`, orgID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		var r Report
		if err := scanPerson(rows, &r.Person, &r.DirectReports); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountBelow returns how many people are below a person, at any depth.
func (db *DB) CountBelow(ctx context.Context, orgID, personID int64) (int, error) {
	var n int
	err := db.q().QueryRowContext(ctx, `WITH RECURSIVE below(id, depth) AS (
			SELECT id, 1 FROM people WHERE org_id = ? AND manager_id = ?
			UNION ALL
			SELECT p.id, b.depth + 1 FROM people p JOIN below b ON p.manager_id = b.id WHERE b.depth < 64
		) SELECT COUNT(*) FROM below`, orgID, personID).Scan(&n)
	return n, mapError(err)
}

// SetManager makes managerID the person's manager (0 for none). The manager
// must be in the same organization; a change that would make a cycle is
// EINVALID with a message that names it.
func (db *DB) SetManager(ctx context.Context, orgID, personID, managerID int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		var name string
		if err := tx.QueryRow(ctx, `SELECT name FROM people WHERE id = ? AND org_id = ?`, personID, orgID).Scan(&name); err != nil {
			return notFound(err, "No such person.")
		}
		var mgr any
		if managerID != 0 {
			var mgrName string
			if err := tx.QueryRow(ctx, `SELECT name FROM people WHERE id = ? AND org_id = ?`, managerID, orgID).Scan(&mgrName); err != nil {
				return fieldNotFound(err, "manager", "Choose a manager from your organization.")
			}
			if managerID == personID {
				return &tandem.Error{Code: tandem.EINVALID, Message: "Nobody can be their own manager.",
					Fields: map[string]string{"manager": name + " cannot be their own manager."}}
			}
			up, err := chain(ctx, tx.q(), orgID, managerID)
			if err != nil {
				return err
			}
			for i, p := range up {
				if p.ID == personID {
					cyc := tandem.Cycle{name, mgrName}
					for _, q := range up[:i] {
						cyc = append(cyc, q.Name)
					}
					return &tandem.Error{Code: tandem.EINVALID, Message: "That would make a reporting cycle: " + cyc.String() + ".",
						Fields: map[string]string{"manager": "This would make a cycle: " + cyc.String() + "."}}
				}
			}
			mgr = managerID
		}
		_, err := tx.Exec(ctx, `UPDATE people SET manager_id = ?, updated_at = ? WHERE id = ? AND org_id = ?`, mgr, tx.now, personID, orgID)
		if err != nil {
			return fmt.Errorf("set manager: %w", err)
		}
		return nil
	})
}
