package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tandemhq/tandem"
)

// AddActionItem stores what a partner agreed to do after a session. app
// checks that the owner is one of the partners.
func (db *DB) AddActionItem(ctx context.Context, orgID, engagementID, meetingID, actorID int64, it *tandem.ActionItem) error {
	return db.meetingChange(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		if _, err := lockedMeeting(ctx, tx, orgID, engagementID, meetingID); err != nil {
			return err
		}
		if !e.IsPartner(it.Owner.ID) {
			msg := fmt.Sprintf("Choose %s or %s: action items belong to the partners.", e.Learner.Name, e.Guide.Name)
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"owner": msg}}
		}
		id, err := tx.insert(ctx, `INSERT INTO action_items (org_id, engagement_id, meeting_id, owner_id, body, due_on, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, engagementID, meetingID, it.Owner.ID, it.Body, string(it.Due), actorID, tx.now)
		if err != nil {
			return err
		}
		it.ID, it.EngagementID, it.MeetingID, it.CreatedBy, it.CreatedAt = id, engagementID, meetingID, actorID, tx.now
		return nil
	})
}

// CompleteActionItem marks an open action item of the session done.
func (db *DB) CompleteActionItem(ctx context.Context, orgID, engagementID, meetingID, itemID int64) error {
	return db.meetingChange(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		res, err := tx.Exec(ctx, `UPDATE action_items SET done_at = ? WHERE id = ? AND org_id = ? AND engagement_id = ? AND meeting_id = ? AND done_at IS NULL`,
			tx.now, itemID, orgID, engagementID, meetingID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.ENOTFOUND, "No such open action item.")
		}
		return nil
	})
}

const actionItemSelect = `SELECT a.id, a.engagement_id, a.meeting_id, p.id, p.name, a.body, a.due_on, a.done_at, a.created_by, a.created_at,
	e.kind, COALESCE(s.name, ''), l.name, g.name
	FROM action_items a JOIN people p ON p.id = a.owner_id
	JOIN engagements e ON e.id = a.engagement_id
	JOIN people l ON l.id = e.learner_id JOIN people g ON g.id = e.guide_id
	LEFT JOIN skills s ON s.id = e.skill_id`

func (db *DB) actionItems(ctx context.Context, where string, args ...any) ([]tandem.ActionItem, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, it *tandem.ActionItem) error {
		var due, kind string
		var done sql.NullTime
		var e tandem.Engagement
		if err := rows.Scan(&it.ID, &it.EngagementID, &it.MeetingID, &it.Owner.ID, &it.Owner.Name, &it.Body, &due, &done, &it.CreatedBy, &it.CreatedAt,
			&kind, &e.SkillName, &e.Learner.Name, &e.Guide.Name); err != nil {
			return err
		}
		e.Kind = tandem.Kind(kind)
		it.Due, it.DoneAt, it.Title = tandem.Date(due), timePtr(done), e.Title()
		return nil
	}, actionItemSelect+` WHERE `+where, args...)
}

// ActionItems lists a session's action items in the order they were made.
func (db *DB) ActionItems(ctx context.Context, orgID, meetingID int64) ([]tandem.ActionItem, error) {
	return db.actionItems(ctx, `a.org_id = ? AND a.meeting_id = ? ORDER BY a.created_at, a.id`, orgID, meetingID)
}

// OpenActionItems lists a person's open action items across the
// engagements they are a partner in, those due soonest first (undated
// last). An item stays the owner's only while they are a partner: after a
// role change it follows the engagement's partners.
func (db *DB) OpenActionItems(ctx context.Context, orgID, ownerID int64) ([]tandem.ActionItem, error) {
	return db.actionItems(ctx, `a.org_id = ? AND a.owner_id = ? AND a.done_at IS NULL AND (e.learner_id = ? OR e.guide_id = ?)
		ORDER BY CASE WHEN a.due_on = '' THEN 1 ELSE 0 END, a.due_on, a.created_at, a.id`, orgID, ownerID, ownerID, ownerID)
}

// RateMeeting stores a participant's feedback on a held session, replacing
// their earlier rating of it. Raising the "not a good fit" flag adds it to
// the timeline, where program admins see it.
func (db *DB) RateMeeting(ctx context.Context, orgID, engagementID int64, r *tandem.Rating) error {
	return db.meetingChange(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		m, err := lockedMeeting(ctx, tx, orgID, engagementID, r.MeetingID)
		if err != nil {
			return err
		}
		if m.Status != tandem.MeetingHeld {
			msg := "Feedback comes after a held session: record the session as held first."
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"score": msg}}
		}
		var wasFlagged bool
		err = tx.QueryRow(ctx, `SELECT not_a_good_fit FROM meeting_ratings WHERE meeting_id = ? AND person_id = ?`, r.MeetingID, r.Person.ID).Scan(&wasFlagged)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return mapError(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_ratings (org_id, meeting_id, person_id, score, comment, not_a_good_fit, at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (meeting_id, person_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, not_a_good_fit = excluded.not_a_good_fit, at = excluded.at`,
			orgID, r.MeetingID, r.Person.ID, r.Score, r.Comment, r.NotAGoodFit, tx.now); err != nil {
			return err
		}
		r.At = tx.now
		if r.NotAGoodFit && !wasFlagged {
			return addEvent(ctx, tx, engagementID, r.Person.ID, tandem.EventNotAGoodFit, "", "")
		}
		return nil
	})
}

// Ratings lists the ratings of an engagement's sessions, with comments:
// for the partners only (app decides).
func (db *DB) Ratings(ctx context.Context, orgID, engagementID int64) ([]tandem.Rating, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, r *tandem.Rating) error {
		return rows.Scan(&r.MeetingID, &r.Person.ID, &r.Person.Name, &r.Score, &r.Comment, &r.NotAGoodFit, &r.At)
	}, `SELECT r.meeting_id, p.id, p.name, r.score, r.comment, r.not_a_good_fit, r.at
		FROM meeting_ratings r JOIN meetings m ON m.id = r.meeting_id JOIN people p ON p.id = r.person_id
		WHERE r.org_id = ? AND m.engagement_id = ? ORDER BY m.start_at, r.at`, orgID, engagementID)
}

// FeedbackSummary returns the aggregate of an engagement's ratings and
// flags, without a word of the comments, and when the last held session
// started.
func (db *DB) FeedbackSummary(ctx context.Context, orgID, engagementID int64) (tandem.FeedbackSummary, error) {
	var s tandem.FeedbackSummary
	var avg sql.NullFloat64
	var flags sql.NullInt64
	err := db.q().QueryRowContext(ctx, `SELECT COUNT(*), CAST(AVG(r.score) AS DOUBLE PRECISION), SUM(CASE WHEN r.not_a_good_fit THEN 1 ELSE 0 END)
		FROM meeting_ratings r JOIN meetings m ON m.id = r.meeting_id WHERE r.org_id = ? AND m.engagement_id = ?`, orgID, engagementID).
		Scan(&s.Ratings, &avg, &flags)
	if err != nil {
		return s, mapError(err)
	}
	s.Average, s.NotAFit = avg.Float64, int(flags.Int64)
	held, err := db.meetings(ctx, `org_id = ? AND engagement_id = ? AND status = 'held'`, orgID, engagementID)
	if err != nil {
		return s, err
	}
	if len(held) > 0 {
		t := held[len(held)-1].Start
		s.LastHeld = &t
	}
	return s, nil
}

// SetCalendarToken gives the person a new calendar feed secret (its
// SHA-256), replacing the old one so its URL stops working.
func (db *DB) SetCalendarToken(ctx context.Context, orgID, personID int64, hash string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO calendar_tokens (person_id, org_id, token_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`, personID, orgID, hash, tx.now)
		return err
	})
}

// CalendarOwner returns the organization and person of a calendar feed
// secret's hash, or ENOTFOUND (also when the person has left).
func (db *DB) CalendarOwner(ctx context.Context, hash string) (orgID, personID int64, err error) {
	err = db.q().QueryRowContext(ctx, `SELECT t.org_id, t.person_id FROM calendar_tokens t
		JOIN people p ON p.id = t.person_id AND p.deactivated_at IS NULL WHERE t.token_hash = ?`, hash).Scan(&orgID, &personID)
	return orgID, personID, notFound(err, "No such calendar.")
}
