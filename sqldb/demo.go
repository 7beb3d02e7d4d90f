package sqldb

import (
	"context"
	"fmt"

	"github.com/tandemhq/tandem"
)

// GiveAccounts gives each of the organization's people in ids an account
// with the password hash, for the personas of a demo organization. A
// person who has an account keeps it; a person whose email has an account
// elsewhere is linked to it, and that account keeps its password. It
// returns how many people it linked.
func (db *DB) GiveAccounts(ctx context.Context, orgID int64, ids []int64, hash string) (int, error) {
	n := 0
	err := db.Write(ctx, func(tx *Tx) error {
		n = 0
		for _, id := range ids {
			var email, name string
			var acct *int64
			err := tx.QueryRow(ctx, `SELECT email, name, account_id FROM people WHERE id = ? AND org_id = ?`, id, orgID).Scan(&email, &name, &acct)
			if err != nil {
				return fmt.Errorf("person %d: %w", id, mapError(err))
			}
			if acct != nil {
				continue
			}
			a, err := accountByEmail(ctx, tx, email)
			var accountID int64
			switch {
			case tandem.ErrorCode(err) == tandem.ENOTFOUND:
				accountID, err = tx.insert(ctx, `INSERT INTO accounts (email, name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
					email, name, hash, tx.now, tx.now)
				if err != nil {
					return fmt.Errorf("insert account: %w", err)
				}
			case err != nil:
				return err
			default:
				accountID = a.ID
			}
			if _, err := tx.Exec(ctx, `UPDATE people SET account_id = ?, updated_at = ? WHERE id = ? AND org_id = ?`,
				accountID, tx.now, id, orgID); err != nil {
				return fmt.Errorf("link person: %w", err)
			}
			n++
		}
		return nil
	})
	return n, err
}

// DemoPersonas lists the organization's active people with an account,
// with how many engagements they take part in by part and how many
// programs they run or applied to: administrators first, then by name.
func (db *DB) DemoPersonas(ctx context.Context, orgID int64) ([]tandem.DemoPersona, error) {
	rows, err := db.sql.QueryContext(ctx, db.rebind(`
		SELECT p.id, p.name, p.email, p.title, p.role,
			(SELECT COUNT(*) FROM engagements e WHERE e.guide_id = p.id AND e.kind = 'coaching'),
			(SELECT COUNT(*) FROM engagements e WHERE e.learner_id = p.id AND e.kind = 'coaching'),
			(SELECT COUNT(*) FROM engagements e WHERE e.guide_id = p.id AND e.kind = 'mentoring'),
			(SELECT COUNT(*) FROM engagements e WHERE e.learner_id = p.id AND e.kind = 'mentoring'),
			(SELECT COUNT(*) FROM engagements e WHERE e.manager_id = p.id),
			(SELECT COUNT(*) FROM program_admins pa WHERE pa.person_id = p.id),
			(SELECT COUNT(*) FROM program_applications ap WHERE ap.person_id = p.id AND ap.status <> 'withdrawn')
		FROM people p
		WHERE p.org_id = ? AND p.account_id IS NOT NULL AND p.deactivated_at IS NULL
		ORDER BY CASE p.role WHEN 'admin' THEN 0 WHEN 'program_admin' THEN 1 ELSE 2 END, p.name, p.id`), orgID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []tandem.DemoPersona
	for rows.Next() {
		var d tandem.DemoPersona
		if err := rows.Scan(&d.PersonID, &d.Name, &d.Email, &d.Title, &d.Role, &d.Coach, &d.Coachee, &d.Mentor, &d.Protege, &d.Manager, &d.Runs, &d.Applied); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, mapError(rows.Err())
}
