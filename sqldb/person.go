package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem"
)

// personColumns are the columns scanPerson reads, from people aliased p.
const personColumns = `p.id, p.org_id, p.account_id, p.email, p.name, p.role, p.created_at,
	p.manager_id, p.title, p.department, p.location, p.time_zone, p.languages, p.interests, p.bio,
	p.years_experience, p.mentor_capacity, p.guest, p.deactivated_at, COALESCE(p.deactivated_by, 0), p.deactivation_reason`

type scanner interface{ Scan(...any) error }

func scanPerson(sc scanner, p *tandem.Person, extra ...any) error {
	var acct, mgr sql.NullInt64
	var langs, interests string
	var left sql.NullTime
	dest := []any{&p.ID, &p.OrgID, &acct, &p.Email, &p.Name, &p.Role, &p.CreatedAt,
		&mgr, &p.Title, &p.Department, &p.Location, &p.TimeZone, &langs, &interests, &p.Bio,
		&p.YearsExperience, &p.MentorCapacity, &p.Guest, &left, &p.DeactivatedBy, &p.DeactivationReason}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	p.DeactivatedAt = timePtr(left)
	p.AccountID, p.ManagerID = acct.Int64, mgr.Int64
	p.Languages, p.Interests = tandem.SplitList(langs), tandem.SplitList(interests)
	return nil
}

// querier is what both *sql.DB and *Tx offer for reads, so read helpers
// serve inside and outside transactions.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// q returns a querier that rebinds placeholders, over the pool.
func (db *DB) q() querier { return rebinder{db.sql, db} }

// q returns a querier that rebinds placeholders, inside the transaction.
func (tx *Tx) q() querier { return rebinder{tx.tx, tx.db} }

type rebinder struct {
	q interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	db *DB
}

func (r rebinder) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := r.q.QueryContext(ctx, r.db.rebind(query), args...)
	return rows, mapError(err)
}

func (r rebinder) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.q.QueryRowContext(ctx, r.db.rebind(query), args...)
}

// queryPeople runs a query selecting personColumns and scans every row.
func queryPeople(ctx context.Context, q querier, query string, args ...any) ([]tandem.Person, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []tandem.Person
	for rows.Next() {
		var p tandem.Person
		if err := scanPerson(rows, &p); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

func personByEmail(ctx context.Context, tx *Tx, orgID int64, email string) (*tandem.Person, error) {
	var p tandem.Person
	err := scanPerson(tx.QueryRow(ctx, `SELECT `+personColumns+` FROM people p WHERE p.org_id = ? AND p.email = ?`, orgID, email), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No person with that email.")
	}
	if err != nil {
		return nil, fmt.Errorf("person by email: %w", mapError(err))
	}
	return &p, nil
}

// PersonByID returns a person of the organization with their skills, or
// ENOTFOUND; a person of another organization is not found.
func (db *DB) PersonByID(ctx context.Context, orgID, id int64) (*tandem.Person, error) {
	var p tandem.Person
	err := scanPerson(db.q().QueryRowContext(ctx, `SELECT `+personColumns+` FROM people p WHERE p.org_id = ? AND p.id = ?`, orgID, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such person.")
	}
	if err != nil {
		return nil, mapError(err)
	}
	skills, err := personSkills(ctx, db.q(), orgID, []int64{p.ID})
	if err != nil {
		return nil, err
	}
	p.Skills = skills[p.ID]
	return &p, nil
}

// ListMembers lists the active people of an organization who have an
// account, by name, for the administrators' page and the CLI.
func (db *DB) ListMembers(ctx context.Context, orgID int64) ([]tandem.Person, error) {
	return queryPeople(ctx, db.q(), `SELECT `+personColumns+` FROM people p
		WHERE p.org_id = ? AND p.account_id IS NOT NULL AND p.deactivated_at IS NULL ORDER BY p.name, p.id`, orgID)
}

// ListLeavers lists the people of an organization who have been
// deactivated, most recent first.
func (db *DB) ListLeavers(ctx context.Context, orgID int64) ([]tandem.Person, error) {
	return queryPeople(ctx, db.q(), `SELECT `+personColumns+` FROM people p
		WHERE p.org_id = ? AND p.deactivated_at IS NOT NULL ORDER BY p.deactivated_at DESC, p.id`, orgID)
}

// CountMembers counts the organization's active people with an account.
func (db *DB) CountMembers(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := db.q().QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE org_id = ? AND account_id IS NOT NULL AND deactivated_at IS NULL`, orgID).Scan(&n)
	return n, err
}

// personSkills loads the skills of the given people, by person id.
func personSkills(ctx context.Context, q querier, orgID int64, ids []int64) (map[int64][]tandem.PersonSkill, error) {
	out := map[int64][]tandem.PersonSkill{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		batch := ids[:n]
		ids = ids[n:]
		args := []any{orgID}
		for _, id := range batch {
			args = append(args, id)
		}
		rows, err := q.QueryContext(ctx, `SELECT ps.person_id, s.id, s.name, ps.level, ps.coaches, s.retired_at IS NOT NULL
			FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
			WHERE ps.org_id = ? AND ps.person_id IN (`+placeholders(len(batch))+`)
			ORDER BY ps.level DESC, s.name`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var pid int64
			var s tandem.PersonSkill
			if err := rows.Scan(&pid, &s.SkillID, &s.Name, &s.Level, &s.Coaches, &s.Retired); err != nil {
				rows.Close()
				return nil, err
			}
			out[pid] = append(out[pid], s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// placeholders returns "?, ?, …" with n question marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// UpdateProfile saves a person's name and profile, replacing their skills.
// Skills must be in the catalogue; a retired skill may stay on a profile
// that has it but cannot be added.
func (db *DB) UpdateProfile(ctx context.Context, orgID, personID int64, name string, prof *tandem.Profile) error {
	return db.Write(ctx, func(tx *Tx) error {
		old, err := skillsOf(ctx, tx, orgID, personID)
		if err != nil {
			return err
		}
		for i := range prof.Skills {
			s := &prof.Skills[i]
			sk, err := skillByName(ctx, tx, orgID, s.Name)
			if tandem.ErrorCode(err) == tandem.ENOTFOUND {
				return &tandem.Error{Code: tandem.EINVALID, Message: "Choose skills from the catalogue.",
					Fields: map[string]string{"skills": fmt.Sprintf("%q is not in the skill catalogue.", s.Name)}}
			}
			if err != nil {
				return err
			}
			if sk.Retired() && !old[sk.ID] {
				return &tandem.Error{Code: tandem.EINVALID, Message: "Choose skills that are not retired.",
					Fields: map[string]string{"skills": fmt.Sprintf("%s is retired and cannot be added.", sk.Name)}}
			}
			s.SkillID, s.Name = sk.ID, sk.Name
		}
		res, err := tx.Exec(ctx, `UPDATE people SET name = ?, title = ?, department = ?, location = ?, time_zone = ?, languages = ?,
			interests = ?, bio = ?, years_experience = ?, mentor_capacity = ?, updated_at = ? WHERE id = ? AND org_id = ?`,
			name, prof.Title, prof.Department, prof.Location, prof.TimeZone, tandem.JoinList(prof.Languages),
			tandem.JoinList(prof.Interests), prof.Bio, prof.YearsExperience, prof.MentorCapacity, tx.now, personID, orgID)
		if err != nil {
			return fmt.Errorf("update profile: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.ENOTFOUND, "No such person.")
		}
		return replaceSkills(ctx, tx, orgID, personID, prof.Skills)
	})
}

func skillsOf(ctx context.Context, tx *Tx, orgID, personID int64) (map[int64]bool, error) {
	rows, err := tx.Query(ctx, `SELECT skill_id FROM person_skills WHERE org_id = ? AND person_id = ?`, orgID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func replaceSkills(ctx context.Context, tx *Tx, orgID, personID int64, skills []tandem.PersonSkill) error {
	if _, err := tx.Exec(ctx, `DELETE FROM person_skills WHERE org_id = ? AND person_id = ?`, orgID, personID); err != nil {
		return err
	}
	for _, s := range skills {
		if _, err := tx.Exec(ctx, `INSERT INTO person_skills (org_id, person_id, skill_id, level, coaches) VALUES (?, ?, ?, ?, ?)`,
			orgID, personID, s.SkillID, int(s.Level), s.Coaches); err != nil {
			return fmt.Errorf("insert skill: %w", err)
		}
	}
	return nil
}

// SetRole changes a person's role. The last administrator cannot stop
// being one, so an organization is never left without.
func (db *DB) SetRole(ctx context.Context, orgID, personID int64, role string) error {
	return db.Write(ctx, func(tx *Tx) error {
		var cur string
		err := tx.QueryRow(ctx, `SELECT role FROM people WHERE id = ? AND org_id = ?`, personID, orgID).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return tandem.Errorf(tandem.ENOTFOUND, "No such person.")
		}
		if err != nil {
			return err
		}
		if cur == tandem.RoleAdmin && role != tandem.RoleAdmin {
			var admins int
			admins, err := countAdmins(ctx, tx, orgID)
			if err != nil {
				return err
			}
			if admins <= 1 {
				return &tandem.Error{Code: tandem.EINVALID, Message: "An organization needs at least one administrator.",
					Fields: map[string]string{"role": "This is the last administrator; make someone else administrator first."}}
			}
		}
		_, err = tx.Exec(ctx, `UPDATE people SET role = ?, updated_at = ? WHERE id = ? AND org_id = ?`, role, tx.now, personID, orgID)
		return err
	})
}

// countAdmins counts the organization's active administrators who can
// sign in.
func countAdmins(ctx context.Context, tx *Tx, orgID int64) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM people WHERE org_id = ? AND role = 'admin' AND account_id IS NOT NULL AND deactivated_at IS NULL`, orgID).Scan(&n)
	return n, err
}

// PersonIDByEmail returns the id of the active person with the email in
// the organization, or ENOTFOUND: someone who left is not offered.
func (db *DB) PersonIDByEmail(ctx context.Context, orgID int64, email string) (int64, error) {
	var id int64
	err := db.q().QueryRowContext(ctx, `SELECT id FROM people WHERE org_id = ? AND email = ? AND deactivated_at IS NULL`, orgID, email).Scan(&id)
	return id, notFound(err, "No one with that email.")
}

// queryAll runs a query and reads every row with scan, in order; nil for
// no rows.
func queryAll[T any](ctx context.Context, q querier, scan func(rows *sql.Rows, v *T) error, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
