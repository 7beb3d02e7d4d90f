package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
)

// meetingChange runs fn on a locked engagement that is active, the shape
// of every change to its sessions: an ended engagement is read-only, and a
// draft has no sessions until every party agreed.
func (db *DB) meetingChange(ctx context.Context, orgID, engagementID int64, fn func(tx *Tx, e *tandem.Engagement) error) error {
	return db.Write(ctx, func(tx *Tx) error {
		e, err := lockEngagement(ctx, tx, orgID, engagementID)
		if err != nil {
			return err
		}
		if e.Status.Closed() {
			return closedError(e)
		}
		if e.Status != tandem.StatusActive {
			return tandem.Errorf(tandem.EINVALID, "Sessions start once the engagement is active: every party agrees to the agreement first.")
		}
		return fn(tx, e)
	})
}

// MeetingCheck validates a meeting against the engagement as it is inside
// the transaction, so dates changed by a concurrent revision are honoured.
type MeetingCheck func(e *tandem.Engagement) error

// ScheduleMeeting adds a scheduled session to an active engagement and
// records it in the timeline. The event's detail carries the time only:
// the agenda is the partners' conversation, and managers and program
// admins see session events.
func (db *DB) ScheduleMeeting(ctx context.Context, orgID, engagementID, actorID int64, in tandem.MeetingInput, check MeetingCheck) (*tandem.Meeting, error) {
	var id int64
	err := db.meetingChange(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		if err := check(e); err != nil {
			return err
		}
		var err error
		id, err = tx.insert(ctx, `INSERT INTO meetings (org_id, engagement_id, start_at, minutes, place, video_url, agenda, status, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?)`,
			orgID, engagementID, in.Start.UTC(), in.Minutes, in.Place, in.VideoURL, in.Agenda, actorID, tx.now, tx.now)
		if err != nil {
			return fmt.Errorf("insert meeting: %w", err)
		}
		return addEventAbout(ctx, tx, engagementID, actorID, id, tandem.EventSessionScheduled, meetingDetail(in.Start, in.Minutes), "")
	})
	if err != nil {
		return nil, err
	}
	return db.MeetingByID(ctx, orgID, engagementID, id)
}

func meetingDetail(start time.Time, minutes int) string {
	return tandem.SessionDetail(start, minutes)
}

// lockedMeeting reads a meeting of the engagement inside a transaction
// that holds the engagement's lock.
func lockedMeeting(ctx context.Context, tx *Tx, orgID, engagementID, meetingID int64) (*tandem.Meeting, error) {
	return scanMeeting(tx.QueryRow(ctx, meetingSelect+` WHERE org_id = ? AND engagement_id = ? AND id = ?`, orgID, engagementID, meetingID))
}

// RescheduleMeeting moves a scheduled session, or changes its place or
// agenda; a recorded one is history and stays as it was.
func (db *DB) RescheduleMeeting(ctx context.Context, orgID, engagementID, meetingID, actorID int64, in tandem.MeetingInput, check MeetingCheck) (*tandem.Meeting, error) {
	err := db.meetingChange(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		m, err := lockedMeeting(ctx, tx, orgID, engagementID, meetingID)
		if err != nil {
			return err
		}
		if m.Status != tandem.MeetingScheduled {
			return tandem.Errorf(tandem.EINVALID, "This session is recorded as %s; schedule a new one instead.", m.Status.Label())
		}
		if err := check(e); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET start_at = ?, minutes = ?, place = ?, video_url = ?, agenda = ?, sequence = sequence + 1, updated_at = ?
			WHERE id = ?`, in.Start.UTC(), in.Minutes, in.Place, in.VideoURL, in.Agenda, tx.now, meetingID); err != nil {
			return err
		}
		return addEventAbout(ctx, tx, engagementID, actorID, meetingID, tandem.EventSessionRescheduled, meetingDetail(in.Start, in.Minutes), "")
	})
	if err != nil {
		return nil, err
	}
	return db.MeetingByID(ctx, orgID, engagementID, meetingID)
}

// RecordMeeting records what became of a scheduled session: held,
// cancelled or a no-show. Held and no-show need the session to have
// started; a cancellation may come any time before it is recorded.
func (db *DB) RecordMeeting(ctx context.Context, orgID, engagementID, meetingID, actorID int64, status tandem.MeetingStatus) (*tandem.Meeting, error) {
	err := db.meetingChange(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		m, err := lockedMeeting(ctx, tx, orgID, engagementID, meetingID)
		if err != nil {
			return err
		}
		switch {
		case m.Status != tandem.MeetingScheduled:
			return tandem.Errorf(tandem.ECONFLICT, "This session is already recorded as %s.", m.Status.Label())
		case status != tandem.MeetingCancelled && m.Start.After(tx.now):
			msg := "The session has not started yet: record how it went afterwards, or cancel it."
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"status": msg}}
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET status = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?`, string(status), tx.now, meetingID); err != nil {
			return err
		}
		return addEventAbout(ctx, tx, engagementID, actorID, meetingID, status.Event(), meetingDetail(m.Start, m.Minutes), "")
	})
	if err != nil {
		return nil, err
	}
	return db.MeetingByID(ctx, orgID, engagementID, meetingID)
}

const meetingSelect = `SELECT id, org_id, engagement_id, start_at, minutes, place, video_url, agenda, status, sequence, created_by, created_at, updated_at FROM meetings`

func scanMeeting(sc scanner) (*tandem.Meeting, error) {
	var m tandem.Meeting
	var status string
	err := sc.Scan(&m.ID, &m.OrgID, &m.EngagementID, &m.Start, &m.Minutes, &m.Place, &m.VideoURL, &m.Agenda, &status, &m.Sequence,
		&m.CreatedBy, &m.CreatedAt, &m.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such session.")
	}
	if err != nil {
		return nil, mapError(err)
	}
	m.Status, m.Start = tandem.MeetingStatus(status), m.Start.UTC()
	return &m, nil
}

// MeetingByID returns a session of an engagement, or ENOTFOUND.
func (db *DB) MeetingByID(ctx context.Context, orgID, engagementID, meetingID int64) (*tandem.Meeting, error) {
	return scanMeeting(db.q().QueryRowContext(ctx, meetingSelect+` WHERE org_id = ? AND engagement_id = ? AND id = ?`, orgID, engagementID, meetingID))
}

func (db *DB) meetings(ctx context.Context, where string, args ...any) ([]tandem.Meeting, error) {
	rows, err := db.q().QueryContext(ctx, meetingSelect+` WHERE `+where+` ORDER BY start_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tandem.Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// Meetings lists an engagement's sessions, earliest first.
func (db *DB) Meetings(ctx context.Context, orgID, engagementID int64) ([]tandem.Meeting, error) {
	return db.meetings(ctx, `org_id = ? AND engagement_id = ?`, orgID, engagementID)
}

// PartnerMeetings lists the sessions of every engagement the person is a
// partner in (learner or guide): the sessions they attend, for their
// calendar feed.
func (db *DB) PartnerMeetings(ctx context.Context, orgID, personID int64) ([]tandem.Meeting, error) {
	return db.meetings(ctx, `org_id = ? AND engagement_id IN (SELECT id FROM engagements WHERE org_id = ? AND (learner_id = ? OR guide_id = ?))`,
		orgID, orgID, personID, personID)
}

// LastHeld returns, for each engagement of the organization with a held
// session, when the latest held session started; the stalled marker is
// computed from it, so no background job is needed.
func (db *DB) LastHeld(ctx context.Context, orgID int64, engagementIDs []int64) (map[int64]time.Time, error) {
	if len(engagementIDs) == 0 {
		return map[int64]time.Time{}, nil
	}
	args := []any{orgID}
	marks := make([]string, len(engagementIDs))
	for i, id := range engagementIDs {
		marks[i] = "?"
		args = append(args, id)
	}
	rows, err := db.q().QueryContext(ctx, `SELECT m.engagement_id, m.start_at FROM meetings m WHERE m.org_id = ? AND m.status = 'held'
		AND m.engagement_id IN (`+strings.Join(marks, ", ")+`)
		AND NOT EXISTS (SELECT 1 FROM meetings n WHERE n.engagement_id = m.engagement_id AND n.status = 'held' AND n.start_at > m.start_at)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var t time.Time
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		out[id] = t.UTC()
	}
	return out, rows.Err()
}

// AddNote stores a partner's note on a session of an open engagement.
func (db *DB) AddNote(ctx context.Context, orgID, engagementID, meetingID, authorID int64, shared bool, body string) (*tandem.Note, error) {
	var n *tandem.Note
	err := db.meetingChange(ctx, orgID, engagementID, func(tx *Tx, e *tandem.Engagement) error {
		if _, err := lockedMeeting(ctx, tx, orgID, engagementID, meetingID); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO meeting_notes (org_id, meeting_id, author_id, shared, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			orgID, meetingID, authorID, shared, body, tx.now)
		if err != nil {
			return err
		}
		n = &tandem.Note{ID: id, MeetingID: meetingID, Author: tandem.PersonRef{ID: authorID}, Shared: shared, Body: body, CreatedAt: tx.now}
		return nil
	})
	return n, err
}

// Notes lists a session's notes as one reader may read them: the shared
// notes when withShared (the reader is a partner), and the reader's own
// private notes, never anyone else's. Every surface reads notes through
// this method, so none can show another person's private note.
func (db *DB) Notes(ctx context.Context, orgID, meetingID, readerID int64, withShared bool) ([]tandem.Note, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, n *tandem.Note) error {
		return rows.Scan(&n.ID, &n.MeetingID, &n.Author.ID, &n.Author.Name, &n.Shared, &n.Body, &n.CreatedAt)
	}, `SELECT n.id, n.meeting_id, p.id, p.name, n.shared, n.body, n.created_at
		FROM meeting_notes n JOIN people p ON p.id = n.author_id
		WHERE n.org_id = ? AND n.meeting_id = ? AND ((n.shared AND ?) OR (NOT n.shared AND n.author_id = ?))
		ORDER BY n.created_at, n.id`, orgID, meetingID, withShared, readerID)
}
