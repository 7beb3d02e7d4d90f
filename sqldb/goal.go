package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tandemhq/tandem"
)

// SetGoal sets the next goal of an open coaching engagement: the first, or
// the one after the goal just reached, which it links back to. It refuses
// a second open goal with ECONFLICT; the partial unique index keeps the
// rule when two requests race. It fills g's id, status and chain.
func (db *DB) SetGoal(ctx context.Context, orgID, engagementID, actorID int64, g *tandem.Goal) error {
	err := db.write(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		if e.Kind != tandem.Coaching {
			return tandem.Errorf(tandem.EINVALID, "Goals with a measure belong to coaching; a mentoring partnership keeps development themes.")
		}
		var open int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM goals WHERE engagement_id = ? AND org_id = ? AND status = 'open'`,
			engagementID, orgID).Scan(&open); err != nil {
			return mapError(err)
		}
		if open > 0 {
			return openGoalError()
		}
		var prev sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT MAX(id) FROM goals WHERE engagement_id = ? AND org_id = ?`, engagementID, orgID).Scan(&prev); err != nil {
			return mapError(err)
		}
		id, err := tx.insert(ctx, `INSERT INTO goals (org_id, engagement_id, title, measure, baseline, target, due_on, status, previous_id, set_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
			orgID, engagementID, g.Title, g.Measure, g.Baseline, g.Target, string(g.Due), nullID(prev.Int64), actorID, tx.now)
		if isConflict(err) {
			return openGoalError()
		}
		if err != nil {
			return err
		}
		g.ID, g.EngagementID, g.Status, g.PreviousGoalID, g.SetBy.ID, g.CreatedAt = id, engagementID, tandem.GoalOpen, prev.Int64, actorID, tx.now
		return addEvent(ctx, tx, engagementID, actorID, tandem.EventGoalSet, g.Title, "")
	})
	return err
}

func openGoalError() error {
	return tandem.Errorf(tandem.ECONFLICT, "The engagement has a current goal; when it is reached, the coach sets the next.")
}

// AddGoalUpdate records progress on a goal of an open engagement; an
// update that marks the goal reached closes it, and the engagement then
// has no current goal until the coach sets the next. Progress on a goal
// already reached is refused with a field error on "goal".
func (db *DB) AddGoalUpdate(ctx context.Context, orgID, engagementID, goalID, actorID int64, u *tandem.GoalUpdate) error {
	err := db.write(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		var status, title string
		err := tx.QueryRow(ctx, `SELECT status, title FROM goals WHERE id = ? AND engagement_id = ? AND org_id = ?`,
			goalID, engagementID, orgID).Scan(&status, &title)
		if errors.Is(err, sql.ErrNoRows) {
			return tandem.Errorf(tandem.ENOTFOUND, "No such goal in this engagement.")
		}
		if err != nil {
			return mapError(err)
		}
		if status == string(tandem.GoalReached) {
			msg := "This goal is reached already; progress goes on the next goal."
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"goal": msg}}
		}
		id, err := tx.insert(ctx, `INSERT INTO goal_updates (org_id, goal_id, author_id, value, note, reached, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			orgID, goalID, actorID, u.Value, u.Note, u.Reached, tx.now)
		if err != nil {
			return err
		}
		u.ID, u.GoalID, u.Author.ID, u.At = id, goalID, actorID, tx.now
		if !u.Reached {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE goals SET status = 'reached', reached_at = ? WHERE id = ?`, tx.now, goalID); err != nil {
			return err
		}
		return addEvent(ctx, tx, engagementID, actorID, tandem.EventGoalReached, title, u.Note)
	})
	return err
}

// Goals returns an engagement's goals, oldest first, each with its
// progress updates, oldest first.
func (db *DB) Goals(ctx context.Context, orgID, engagementID int64) ([]tandem.Goal, error) {
	var out []tandem.Goal
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT g.id, g.title, g.measure, g.baseline, g.target, g.due_on, g.status, COALESCE(g.previous_id, 0),
				p.id, p.name, g.created_at, g.reached_at
			FROM goals g JOIN people p ON p.id = g.set_by WHERE g.engagement_id = ? AND g.org_id = ? ORDER BY g.id`, engagementID, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		index := map[int64]int{}
		for rows.Next() {
			g := tandem.Goal{EngagementID: engagementID}
			var due, status string
			var reached sql.NullTime
			if err := rows.Scan(&g.ID, &g.Title, &g.Measure, &g.Baseline, &g.Target, &due, &status, &g.PreviousGoalID,
				&g.SetBy.ID, &g.SetBy.Name, &g.CreatedAt, &reached); err != nil {
				return err
			}
			g.Due, g.Status, g.ReachedAt = tandem.Date(due), tandem.GoalStatus(status), timePtr(reached)
			index[g.ID] = len(out)
			out = append(out, g)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		urows, err := tx.Query(ctx, `SELECT u.id, u.goal_id, p.id, p.name, u.value, u.note, u.reached, u.at
			FROM goal_updates u JOIN goals g ON g.id = u.goal_id JOIN people p ON p.id = u.author_id
			WHERE g.engagement_id = ? AND u.org_id = ? ORDER BY u.at, u.id`, engagementID, orgID)
		if err != nil {
			return err
		}
		defer urows.Close()
		for urows.Next() {
			var u tandem.GoalUpdate
			if err := urows.Scan(&u.ID, &u.GoalID, &u.Author.ID, &u.Author.Name, &u.Value, &u.Note, &u.Reached, &u.At); err != nil {
				return err
			}
			if i, ok := index[u.GoalID]; ok {
				out[i].Updates = append(out[i].Updates, u)
			}
		}
		return urows.Err()
	})
	return out, err
}

// AddTheme adds a development theme to an open mentoring partnership.
func (db *DB) AddTheme(ctx context.Context, orgID, engagementID, actorID int64, t *tandem.Theme) error {
	err := db.write(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		if e.Kind != tandem.Mentoring {
			return tandem.Errorf(tandem.EINVALID, "Development themes belong to mentoring; coaching sets goals with a measure.")
		}
		id, err := tx.insert(ctx, `INSERT INTO themes (org_id, engagement_id, area, title, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			orgID, engagementID, string(t.Area), t.Title, actorID, tx.now)
		if err != nil {
			return err
		}
		t.ID, t.EngagementID, t.Author.ID, t.CreatedAt = id, engagementID, actorID, tx.now
		return addEvent(ctx, tx, engagementID, actorID, tandem.EventThemeAdded, t.Area.Label()+": "+t.Title, "")
	})
	return err
}

// Themes returns a partnership's themes, oldest first, with how often and
// when they were last revisited.
func (db *DB) Themes(ctx context.Context, orgID, engagementID int64) ([]tandem.Theme, error) {
	var out []tandem.Theme
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT t.id, t.area, t.title, p.id, p.name, t.created_at
			FROM themes t JOIN people p ON p.id = t.author_id WHERE t.engagement_id = ? AND t.org_id = ? ORDER BY t.id`, engagementID, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		index := map[int64]int{}
		for rows.Next() {
			t := tandem.Theme{EngagementID: engagementID}
			var area string
			if err := rows.Scan(&t.ID, &area, &t.Title, &t.Author.ID, &t.Author.Name, &t.CreatedAt); err != nil {
				return err
			}
			t.Area = tandem.Area(area)
			index[t.ID] = len(out)
			out = append(out, t)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		// Reading the reflections' times, rather than MAX(at), keeps the
		// column's type: SQLite answers an aggregate of a timestamp as text.
		rrows, err := tx.Query(ctx, `SELECT theme_id, at FROM reflections WHERE engagement_id = ? AND org_id = ? AND theme_id IS NOT NULL ORDER BY at, id`,
			engagementID, orgID)
		if err != nil {
			return err
		}
		defer rrows.Close()
		for rrows.Next() {
			var themeID int64
			var at time.Time
			if err := rrows.Scan(&themeID, &at); err != nil {
				return err
			}
			if i, ok := index[themeID]; ok {
				out[i].Reflections++
				out[i].LastRevisited = &at
			}
		}
		return rrows.Err()
	})
	return out, err
}

// AddReflection records a partner's reflection on an open mentoring
// partnership, on one of its themes or (ThemeID 0) on the whole.
func (db *DB) AddReflection(ctx context.Context, orgID, engagementID, actorID int64, r *tandem.Reflection) error {
	err := db.write(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		if e.Kind != tandem.Mentoring {
			return tandem.Errorf(tandem.EINVALID, "Reflections belong to mentoring; in coaching the coach evaluates.")
		}
		detail := ""
		if r.ThemeID != 0 {
			err := tx.QueryRow(ctx, `SELECT title FROM themes WHERE id = ? AND engagement_id = ? AND org_id = ?`, r.ThemeID, engagementID, orgID).Scan(&r.ThemeTitle)
			if errors.Is(err, sql.ErrNoRows) {
				msg := "Choose one of the partnership's themes, or none."
				return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"theme": msg}}
			}
			if err != nil {
				return mapError(err)
			}
			detail = r.ThemeTitle
		}
		id, err := tx.insert(ctx, `INSERT INTO reflections (org_id, engagement_id, theme_id, author_id, body, at) VALUES (?, ?, ?, ?, ?, ?)`,
			orgID, engagementID, nullID(r.ThemeID), actorID, r.Body, tx.now)
		if err != nil {
			return err
		}
		r.ID, r.Author.ID, r.At = id, actorID, tx.now
		// The words stay in the reflection; the timeline says only that
		// one was written, and on what.
		return addEvent(ctx, tx, engagementID, actorID, tandem.EventReflected, detail, "")
	})
	return err
}

// Reflections returns a partnership's reflections, oldest first.
func (db *DB) Reflections(ctx context.Context, orgID, engagementID int64) ([]tandem.Reflection, error) {
	out, err := queryAll(ctx, db.q(), func(rows *sql.Rows, r *tandem.Reflection) error {
		return rows.Scan(&r.ID, &r.ThemeID, &r.ThemeTitle, &r.Author.ID, &r.Author.Name, &r.Body, &r.At)
	}, `SELECT r.id, COALESCE(t.id, 0), COALESCE(t.title, ''), p.id, p.name, r.body, r.at
		FROM reflections r JOIN people p ON p.id = r.author_id LEFT JOIN themes t ON t.id = r.theme_id
		WHERE r.engagement_id = ? AND r.org_id = ? ORDER BY r.at, r.id`, engagementID, orgID)
	return out, mapError(err)
}
