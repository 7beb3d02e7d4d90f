package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/tandemhq/tandem"
)

// Program events are notified like engagement events: written in the
// transaction of the change (Apply, Withdraw, Decide), never to whoever
// caused it, each recipient's email job inserted with it when they want
// the programs category at once. Opening a program for enrollment
// concerns everyone who may enroll, which may be thousands: MoveProgram
// inserts one ProgramOpenedArgs job in its transaction, and that job
// writes the notifications in transactions of ProgramOpenedBatch people
// (NotifyProgramOpened), once per person (a once key), so a retry
// notifies no one twice.

// notifyProgram tells each of the people of a program event, but the
// actor.
func notifyProgram(ctx context.Context, tx *Tx, p *tandem.Program, to []int64, actorID int64, t tandem.EventType, detail string) error {
	for _, id := range to {
		if id == actorID {
			continue
		}
		n := &tandem.Notification{OrgID: p.OrgID, PersonID: id, Event: t, ProgramID: p.ID,
			Actor: tandem.PersonRef{ID: actorID}, Title: p.Name, Detail: detail}
		if _, err := insertNotification(ctx, tx, n, ""); err != nil {
			return err
		}
	}
	return nil
}

// programRunners returns who runs the program: its program admins, or
// the organization's administrators when it has none (they run every
// program). insertNotification leaves out whoever has left.
func programRunners(ctx context.Context, tx *Tx, p *tandem.Program) ([]int64, error) {
	if len(p.Admins) > 0 {
		ids := make([]int64, len(p.Admins))
		for i, a := range p.Admins {
			ids[i] = a.ID
		}
		return ids, nil
	}
	return queryAll(ctx, tx.q(), func(rows *sql.Rows, id *int64) error { return rows.Scan(id) },
		`SELECT id FROM people WHERE org_id = ? AND role = ? AND NOT guest AND deactivated_at IS NULL ORDER BY id`, p.OrgID, tandem.RoleAdmin)
}

// notifyRunners tells the program's runners of an application received
// or withdrawn; detail is the applicant's role.
func notifyRunners(ctx context.Context, tx *Tx, p *tandem.Program, applicantID int64, t tandem.EventType, role tandem.ApplicationRole) error {
	to, err := programRunners(ctx, tx, p)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return notifyProgram(ctx, tx, p, to, applicantID, t, string(role))
}

// ProgramOpenedArgs is the job that tells everyone who may enroll that a
// program opened for enrollment. OrgID puts it on its organization's
// queue page.
type ProgramOpenedArgs struct {
	ProgramID int64 `json:"program_id"`
	OrgID     int64 `json:"org_id"`
	// ActorID opened it (0 for the operator) and is not told.
	ActorID int64 `json:"actor_id"`
	// BaseURL is the site's URL as the opening request saw it, for the
	// notifications' email jobs.
	BaseURL string `json:"base_url,omitempty"`
}

// Kind names the job in the queue.
func (ProgramOpenedArgs) Kind() string { return "program_opened" }

// JobOrgID is the program's organization.
func (a ProgramOpenedArgs) JobOrgID() int64 { return a.OrgID }

// ProgramOpenedBatch is how many people one transaction of
// NotifyProgramOpened looks at.
var ProgramOpenedBatch = 500

// NotifyProgramOpened tells the people of the organization with ids
// above after (at most ProgramOpenedBatch of them, in one transaction)
// who may enroll in the program that it opened, once each. It returns the
// last id looked at and whether the organization has no one after it;
// people told already (an earlier run) are skipped. A
// program no longer enrolling (moved on, or closed, before the job ran)
// tells no one: enrollment is not open any more.
func (db *DB) NotifyProgramOpened(ctx context.Context, args ProgramOpenedArgs, after int64) (last int64, told int, done bool, err error) {
	last = after
	err = db.Write(ctx, func(tx *Tx) error {
		p, err := stillEnrolling(ctx, tx, args.OrgID, args.ProgramID)
		if p == nil || err != nil {
			done = true
			return err
		}
		key := "program_opened:" + strconv.FormatInt(p.ID, 10)
		people, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, v *tandem.Person) error { return scanPerson(rows, v) },
			`SELECT `+personColumns+` FROM people p WHERE p.org_id = ? AND p.id > ? AND NOT p.guest AND p.deactivated_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.person_id = p.id AND n.once_key = ?) ORDER BY p.id LIMIT ?`,
			args.OrgID, after, key, ProgramOpenedBatch)
		if err != nil {
			return err
		}
		done = len(people) < ProgramOpenedBatch
		for i := range people {
			person := &people[i]
			last = person.ID
			if person.ID == args.ActorID || !p.MayEnroll(person) {
				continue
			}
			n := &tandem.Notification{OrgID: p.OrgID, PersonID: person.ID, Event: tandem.ProgramOpened, ProgramID: p.ID,
				Actor: tandem.PersonRef{ID: args.ActorID}, Title: p.Name, Detail: p.EnrollCloses}
			added, err := insertNotification(ctx, tx, n, key)
			if err != nil {
				return err
			}
			if added {
				told++
			}
		}
		return nil
	})
	return last, told, done, err
}

// stillEnrolling reads the program of a fan-out job in its transaction;
// nil when it is gone or no longer enrolling: then nobody is told.
func stillEnrolling(ctx context.Context, tx *Tx, orgID, id int64) (*tandem.Program, error) {
	p, err := programByID(ctx, tx.q(), orgID, id)
	if tandem.ErrorCode(err) == tandem.ENOTFOUND {
		return nil, nil
	}
	if err != nil || p.State != tandem.ProgramEnrolling {
		return nil, err
	}
	return p, nil
}
