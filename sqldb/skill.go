package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tandemhq/tandem"
)

const skillColumns = `s.id, s.org_id, s.name, s.created_at, s.retired_at`

func scanSkill(sc scanner, s *tandem.Skill, extra ...any) error {
	var retired sql.NullTime
	if err := sc.Scan(append([]any{&s.ID, &s.OrgID, &s.Name, &s.CreatedAt, &retired}, extra...)...); err != nil {
		return err
	}
	s.RetiredAt = timePtr(retired)
	return nil
}

// ListSkills returns the organization's skill catalogue by name, with how
// many profiles list each skill.
func (db *DB) ListSkills(ctx context.Context, orgID int64) ([]tandem.Skill, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, s *tandem.Skill) error {
		return scanSkill(rows, s, &s.People)
	}, `SELECT `+skillColumns+`, (SELECT COUNT(*) FROM person_skills ps WHERE ps.skill_id = s.id)
		FROM skills s WHERE s.org_id = ? ORDER BY s.name_key`, orgID)
}

// SkillByID returns one skill of the organization, or ENOTFOUND.
func (db *DB) SkillByID(ctx context.Context, orgID, id int64) (*tandem.Skill, error) {
	var s tandem.Skill
	err := scanSkill(db.q().QueryRowContext(ctx, `SELECT `+skillColumns+` FROM skills s WHERE s.org_id = ? AND s.id = ?`, orgID, id), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such skill.")
	}
	return &s, mapError(err)
}

func skillByName(ctx context.Context, tx *Tx, orgID int64, name string) (*tandem.Skill, error) {
	var s tandem.Skill
	err := scanSkill(tx.QueryRow(ctx, `SELECT `+skillColumns+` FROM skills s WHERE s.org_id = ? AND s.name_key = ?`, orgID, tandem.SkillKey(name)), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No skill %q in the catalogue.", name)
	}
	return &s, mapError(err)
}

func skillTaken(name string) error {
	return &tandem.Error{Code: tandem.ECONFLICT, Message: "That skill is already in the catalogue.",
		Fields: map[string]string{"name": fmt.Sprintf("%q is already in the catalogue.", name)}}
}

// CreateSkill adds a skill to the catalogue; a name that differs from an
// existing one only by case or spacing is ECONFLICT.
func (db *DB) CreateSkill(ctx context.Context, s *tandem.Skill) error {
	return db.Write(ctx, func(tx *Tx) error { return createSkill(ctx, tx, s) })
}

func createSkill(ctx context.Context, tx *Tx, s *tandem.Skill) error {
	s.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO skills (org_id, name, name_key, created_at) VALUES (?, ?, ?, ?)`,
		s.OrgID, s.Name, tandem.SkillKey(s.Name), s.CreatedAt)
	if isConflict(err) {
		return skillTaken(s.Name)
	}
	if err != nil {
		return fmt.Errorf("insert skill: %w", err)
	}
	s.ID = id
	return nil
}

// RenameSkill renames a skill; profiles follow because they refer to it by id.
func (db *DB) RenameSkill(ctx context.Context, orgID, id int64, name string) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE skills SET name = ?, name_key = ? WHERE id = ? AND org_id = ?`, name, tandem.SkillKey(name), id, orgID)
		if isConflict(err) {
			return skillTaken(name)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.ENOTFOUND, "No such skill.")
		}
		return nil
	})
}

// SetSkillRetired retires a skill or brings it back.
func (db *DB) SetSkillRetired(ctx context.Context, orgID, id int64, retired bool) error {
	return db.Write(ctx, func(tx *Tx) error {
		var at any
		if retired {
			at = tx.now
		}
		res, err := tx.Exec(ctx, `UPDATE skills SET retired_at = ? WHERE id = ? AND org_id = ?`, at, id, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.ENOTFOUND, "No such skill.")
		}
		return nil
	})
}

// MergeSkills folds skill from into skill into: every profile that listed
// from lists into instead (keeping the higher level, and open to coach if
// either was), and from leaves the catalogue.
func (db *DB) MergeSkills(ctx context.Context, orgID, from, into int64) error {
	if from == into {
		return &tandem.Error{Code: tandem.EINVALID, Message: "Choose two different skills.",
			Fields: map[string]string{"into": "Choose a different skill to merge into."}}
	}
	return db.Write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM skills WHERE org_id = ? AND id IN (?, ?)`, orgID, from, into).Scan(&n); err != nil {
			return err
		}
		if n != 2 {
			return tandem.Errorf(tandem.ENOTFOUND, "No such skill.")
		}
		// Coaching engagements and their agreements name the skill: they
		// keep their history as it was, so such a skill is retired, not
		// merged away.
		var used int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM engagements WHERE org_id = ? AND skill_id = ?`, orgID, from).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			msg := fmt.Sprintf("%d coaching engagements are about this skill, so it cannot be merged away; retire it instead.", used)
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"into": msg}}
		}
		// People with both: keep the better of the two on the target.
		if _, err := tx.Exec(ctx, `UPDATE person_skills SET
				level = (SELECT MAX(o.level) FROM person_skills o WHERE o.person_id = person_skills.person_id AND o.skill_id IN (?, ?)),
				coaches = (SELECT MAX(CASE WHEN o.coaches THEN 1 ELSE 0 END) FROM person_skills o WHERE o.person_id = person_skills.person_id AND o.skill_id IN (?, ?)) = 1
			WHERE org_id = ? AND skill_id = ? AND person_id IN (SELECT person_id FROM person_skills WHERE skill_id = ?)`,
			from, into, from, into, orgID, into, from); err != nil {
			return fmt.Errorf("merge levels: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM person_skills WHERE org_id = ? AND skill_id = ? AND person_id IN (SELECT person_id FROM person_skills WHERE skill_id = ?)`,
			orgID, from, into); err != nil {
			return fmt.Errorf("merge duplicates: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE person_skills SET skill_id = ? WHERE org_id = ? AND skill_id = ?`, into, orgID, from); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		_, err := tx.Exec(ctx, `DELETE FROM skills WHERE id = ? AND org_id = ?`, from, orgID)
		return err
	})
}
