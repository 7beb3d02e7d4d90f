package sqldb

import (
	"context"
	"database/sql"

	"github.com/tandemhq/tandem"
)

// Rubric returns the organization's rubric: its own levels, or the
// default when it has defined none.
func (db *DB) Rubric(ctx context.Context, orgID int64) (tandem.Rubric, error) {
	return rubric(ctx, db.q(), orgID)
}

func rubric(ctx context.Context, q querier, orgID int64) (tandem.Rubric, error) {
	rows, err := q.QueryContext(ctx, `SELECT position, name, description FROM rubric_levels WHERE org_id = ? ORDER BY position`, orgID)
	if err != nil {
		return tandem.Rubric{}, mapError(err)
	}
	defer rows.Close()
	r := tandem.Rubric{Custom: true}
	for rows.Next() {
		var l tandem.RubricLevel
		if err := rows.Scan(&l.Position, &l.Name, &l.Description); err != nil {
			return tandem.Rubric{}, err
		}
		r.Levels = append(r.Levels, l)
	}
	if err := rows.Err(); err != nil {
		return tandem.Rubric{}, err
	}
	if len(r.Levels) == 0 {
		return tandem.DefaultRubric(), nil
	}
	return r, nil
}

// SetRubric replaces the organization's rubric with levels, numbered from
// 1 in order (tandem.CleanRubricLevels); no levels restores the default.
// Evaluations already made keep the level they were given.
func (db *DB) SetRubric(ctx context.Context, orgID int64, levels []tandem.RubricLevel) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM rubric_levels WHERE org_id = ?`, orgID); err != nil {
			return err
		}
		for i, l := range levels {
			if _, err := tx.Exec(ctx, `INSERT INTO rubric_levels (org_id, position, name, description) VALUES (?, ?, ?, ?)`,
				orgID, i+1, l.Name, l.Description); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddEvaluation records a coach's evaluation on an open coaching
// engagement. The level is checked against the rubric inside the
// transaction, so an administrator's change of the rubric cannot slip in
// between; a level outside it is EINVALID on "level".
func (db *DB) AddEvaluation(ctx context.Context, orgID, engagementID, actorID int64, ev *tandem.Evaluation) error {
	err := db.write(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		if e.Kind != tandem.Coaching {
			return tandem.Errorf(tandem.EINVALID, "Evaluations belong to coaching; mentoring is never marked passed or failed.")
		}
		r, err := rubric(ctx, tx.q(), orgID)
		if err != nil {
			return err
		}
		if err := ev.Validate(r); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO evaluations (org_id, engagement_id, position, level_name, evidence, author_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			orgID, engagementID, ev.Position, ev.LevelName, ev.Evidence, actorID, tx.now)
		if err != nil {
			return err
		}
		ev.ID, ev.EngagementID, ev.Author.ID, ev.At = id, engagementID, actorID, tx.now
		return addEvent(ctx, tx, engagementID, actorID, tandem.EventEvaluated, e.SkillName+": "+ev.LevelName, "")
	})
	return err
}

// Evaluations returns an engagement's evaluations, oldest first.
func (db *DB) Evaluations(ctx context.Context, orgID, engagementID int64) ([]tandem.Evaluation, error) {
	out, err := queryAll(ctx, db.q(), func(rows *sql.Rows, ev *tandem.Evaluation) error {
		*ev = tandem.Evaluation{EngagementID: engagementID}
		return rows.Scan(&ev.ID, &ev.Position, &ev.LevelName, &ev.Evidence, &ev.Author.ID, &ev.Author.Name, &ev.At)
	}, `SELECT v.id, v.position, v.level_name, v.evidence, p.id, p.name, v.at
		FROM evaluations v JOIN people p ON p.id = v.author_id WHERE v.engagement_id = ? AND v.org_id = ? ORDER BY v.at, v.id`, engagementID, orgID)
	return out, mapError(err)
}
