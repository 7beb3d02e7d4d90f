package sqldb

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
)

// What a program's admins see of the partnerships and self-serve
// requests of their program: who, the status, the dates; never the
// agreement, the notes nor a request's message (PRODUCT.md: program
// admins see status, never conversations).

// ProgramPartnership is one partnership a program proposed, as its admins
// see it.
type ProgramPartnership struct {
	EngagementID int64
	Mentee       tandem.PersonRef
	Mentor       tandem.PersonRef
	Status       tandem.Status
	Phase        tandem.Phase
	ProposedAt   time.Time
	StartedAt    *time.Time // when it became active; nil before
	// LastSession is when the latest held session started; the app fills
	// it (DB.LastHeld), nil for none.
	LastSession *time.Time
}

// ProgramPartnerships lists a page of the program's partnerships, newest
// first, with how many there are.
func (db *DB) ProgramPartnerships(ctx context.Context, orgID, programID int64, limit, offset int) ([]ProgramPartnership, int, error) {
	var list []ProgramPartnership
	var total int
	err := db.Read(ctx, func(tx *Tx) error {
		if _, err := programByID(ctx, tx.q(), orgID, programID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM engagements WHERE org_id = ? AND program_id = ?`, orgID, programID).Scan(&total); err != nil {
			return err
		}
		var err error
		list, err = queryAll(ctx, tx.q(), func(rows *sql.Rows, p *ProgramPartnership) error {
			var started sql.NullTime
			var status, phase string
			err := rows.Scan(&p.EngagementID, &p.Mentee.ID, &p.Mentee.Name, &p.Mentee.Email, &p.Mentee.Title,
				&p.Mentor.ID, &p.Mentor.Name, &p.Mentor.Email, &p.Mentor.Title, &status, &phase, &p.ProposedAt, &started)
			p.Status, p.Phase, p.ProposedAt, p.StartedAt = tandem.Status(status), tandem.Phase(phase), p.ProposedAt.UTC(), timePtr(started)
			if p.StartedAt != nil {
				t := p.StartedAt.UTC()
				p.StartedAt = &t
			}
			return err
		}, `SELECT e.id, l.id, l.name, l.email, l.title, g.id, g.name, g.email, g.title, e.status, e.phase, e.created_at, e.activated_at
			FROM engagements e JOIN people l ON l.id = e.learner_id JOIN people g ON g.id = e.guide_id
			WHERE e.org_id = ? AND e.program_id = ? ORDER BY e.created_at DESC, e.id DESC LIMIT ? OFFSET ?`,
			orgID, programID, limit, max(offset, 0))
		return err
	})
	return list, total, mapError(err)
}

// ProgramRequestStatus is a self-serve request as the program's admins
// see it: who asked whom, its status and dates, not its message.
type ProgramRequestStatus struct {
	ID           int64
	Mentee       tandem.PersonRef
	Mentor       tandem.PersonRef
	Status       tandem.RequestStatus
	CreatedAt    time.Time
	AnsweredAt   *time.Time
	EngagementID int64 // the partnership an accepted request proposed, 0 for none
}

// ProgramRequestStatuses lists a page of the program's self-serve
// requests, open ones first, then newest first, with how many there are.
func (db *DB) ProgramRequestStatuses(ctx context.Context, orgID, programID int64, limit, offset int) ([]ProgramRequestStatus, int, error) {
	var list []ProgramRequestStatus
	var total int
	err := db.Read(ctx, func(tx *Tx) error {
		if _, err := programByID(ctx, tx.q(), orgID, programID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM program_requests WHERE org_id = ? AND program_id = ?`, orgID, programID).Scan(&total); err != nil {
			return err
		}
		// The request's columns but the message, read by scanRequest.
		var err error
		list, err = queryAll(ctx, tx.q(), func(rows *sql.Rows, x *ProgramRequestStatus) error {
			var r tandem.MentorRequest
			if err := scanRequest(rows, &r); err != nil {
				return err
			}
			*x = ProgramRequestStatus{ID: r.ID, Mentee: r.Mentee, Mentor: r.Mentor, Status: r.Status, CreatedAt: r.CreatedAt,
				AnsweredAt: r.AnsweredAt, EngagementID: r.EngagementID}
			return nil
		}, `SELECT `+strings.Replace(requestColumns, "r.message", "''", 1)+requestFrom+` WHERE r.org_id = ? AND r.program_id = ?
			ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.created_at DESC, r.id DESC LIMIT ? OFFSET ?`,
			orgID, programID, limit, max(offset, 0))
		return err
	})
	return list, total, mapError(err)
}
