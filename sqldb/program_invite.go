package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem"
)

// Program invitations (see tandem.ProgramInvitation): inviting records the
// invitations and inserts one ProgramInvitedArgs job in the same
// transaction; the job writes the notifications (and so their emails) in
// batches, like the program_opened job, once per invitation and send.

// ProgramInviteEntry is one person named to invite: by address (a CSV
// line, an API list) or by id (ticked in a list). Line numbers the
// problems (a CSV line; the position in a list otherwise).
type ProgramInviteEntry struct {
	Line     int
	Email    string // normalized
	PersonID int64
	// Problem, when set, is what is wrong with the entry as read (a bad
	// address): reported with the others.
	Problem string
}

// ProgramInviteSelection chooses whom to invite: the entries, each of
// whom must be invitable (or the whole invitation is refused with every
// bad entry named), and everyone active in a department or location, or
// everyone, who may enroll (the others are left out and counted).
type ProgramInviteSelection struct {
	Entries     []ProgramInviteEntry
	Department  string
	Location    string
	AllEligible bool
}

// ProgramInviteResult says what inviting did.
type ProgramInviteResult struct {
	Invited        []tandem.PersonRef
	AlreadyInvited []tandem.PersonRef // invited before: not sent again (remind instead)
	AlreadyApplied []tandem.PersonRef
	// NotEligible counts the people of a department, location or the
	// organization left out because they may not enroll.
	NotEligible int
	// Problems names the entries that cannot be invited; when it has any,
	// nothing was invited.
	Problems *tandem.ImportReport
}

// ProgramInvitedArgs is the job that tells invited people of their
// invitation (or reminder): the invitations of the program whose latest
// send has not been told yet.
type ProgramInvitedArgs struct {
	ProgramID int64  `json:"program_id"`
	OrgID     int64  `json:"org_id"`
	BaseURL   string `json:"base_url,omitempty"`
}

// Kind names the job in the queue.
func (ProgramInvitedArgs) Kind() string { return "program_invited" }

// JobOrgID is the program's organization.
func (a ProgramInvitedArgs) JobOrgID() int64 { return a.OrgID }

// checkInviting refuses invitations while people may not apply: they are
// invited to apply.
func checkInviting(p *tandem.Program, tx *Tx) error {
	if err := p.CheckEnroll(tx.now); err != nil {
		return tandem.Errorf(tandem.ECONFLICT, "Invitations go out while people may apply: %s", tandem.ErrorMessage(err))
	}
	return nil
}

// InviteToProgram invites the people sel chooses to apply to the
// program, by (0 for the operator) inviting; all or nothing.
func (db *DB) InviteToProgram(ctx context.Context, orgID, programID, by int64, sel ProgramInviteSelection) (*ProgramInviteResult, error) {
	res := &ProgramInviteResult{Problems: &tandem.ImportReport{Rows: len(sel.Entries)}}
	err := db.Write(ctx, func(tx *Tx) error {
		// The program's lock: two invitations of the same people at once
		// run one after the other, and the second finds them invited
		// (on PostgreSQL it failed on the unique index).
		if err := lockProgram(ctx, tx, orgID, programID); err != nil {
			return err
		}
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		if err := checkInviting(p, tx); err != nil {
			return err
		}
		var chosen []*tandem.Person
		seen := map[int64]int{}
		who := strings.ToLower(p.Eligibility.Label())
		for _, e := range sel.Entries {
			if e.Problem != "" {
				res.Problems.Add(e.Line, "email", e.Email, e.Problem)
				continue
			}
			var person tandem.Person
			q, arg, value := `SELECT `+personColumns+` FROM people p WHERE p.org_id = ? AND p.email = ?`, any(e.Email), e.Email
			if e.PersonID != 0 {
				q, arg, value = `SELECT `+personColumns+` FROM people p WHERE p.org_id = ? AND p.id = ?`, e.PersonID, strconv.FormatInt(e.PersonID, 10)
			}
			err := scanPerson(tx.QueryRow(ctx, q, orgID, arg), &person)
			switch {
			case errors.Is(err, sql.ErrNoRows) && e.PersonID != 0:
				res.Problems.Add(e.Line, "person", value, "No one in the organization has this id.")
				continue
			case errors.Is(err, sql.ErrNoRows):
				res.Problems.Add(e.Line, "email", value, "No one in the organization has this address.")
				continue
			case err != nil:
				return mapError(err)
			case person.DeactivatedAt != nil:
				res.Problems.Add(e.Line, "email", value, person.Name+" has left the organization; people who left are never invited.")
				continue
			case !p.MayEnroll(&person):
				res.Problems.Add(e.Line, "email", value, fmt.Sprintf("%s may not enroll in this program (who may enroll: %s).", person.Name, who))
				continue
			}
			if first, dup := seen[person.ID]; dup {
				res.Problems.Add(e.Line, "email", value, fmt.Sprintf("%s is also on line %d.", person.Name, first))
				continue
			}
			seen[person.ID] = e.Line
			chosen = append(chosen, &person)
		}
		if !res.Problems.OK() {
			return res.Problems.Err()
		}
		if sel.Department != "" || sel.Location != "" || sel.AllEligible {
			cond, args := peopleWhere(orgID, PeopleFilter{Department: sel.Department, Location: sel.Location})
			people, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, v *tandem.Person) error { return scanPerson(rows, v) },
				`SELECT `+personColumns+` FROM people p WHERE `+cond+` ORDER BY p.id`, args...)
			if err != nil {
				return mapError(err)
			}
			eligible := 0
			for i := range people {
				person := &people[i]
				if !p.MayEnroll(person) {
					res.NotEligible++
					continue
				}
				eligible++
				if _, dup := seen[person.ID]; !dup {
					seen[person.ID] = 0
					chosen = append(chosen, person)
				}
			}
			if eligible == 0 {
				where := "the organization"
				field := "selection"
				switch {
				case sel.Department != "":
					where, field = "the department "+sel.Department, "department"
				case sel.Location != "":
					where, field = sel.Location, "location"
				}
				msg := fmt.Sprintf("No one in %s may enroll in this program (who may enroll: %s).", where, who)
				return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
			}
		}
		answered, err := programAnswered(ctx, tx, programID)
		if err != nil {
			return err
		}
		for _, person := range chosen {
			ref := tandem.PersonRef{ID: person.ID, Name: person.Name, Email: person.Email, Title: person.Title}
			switch answered[person.ID] {
			case "applied":
				res.AlreadyApplied = append(res.AlreadyApplied, ref)
				continue
			case "invited":
				res.AlreadyInvited = append(res.AlreadyInvited, ref)
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO program_invitations (org_id, program_id, person_id, invited_by, invited_at, sent_at, sends, told)
				VALUES (?, ?, ?, ?, ?, ?, 1, 0)`, orgID, programID, person.ID, nullID(by), tx.now, tx.now); err != nil {
				return mapError(err)
			}
			res.Invited = append(res.Invited, ref)
		}
		if len(res.Invited) == 0 {
			return nil
		}
		return tx.Enqueue(ctx, ProgramInvitedArgs{ProgramID: programID, OrgID: orgID, BaseURL: tandem.BaseURLFrom(ctx)}, nil)
	})
	if err != nil {
		return res, err
	}
	return res, nil
}

// programAnswered maps the people of a program who applied ("applied")
// or were invited ("invited").
func programAnswered(ctx context.Context, tx *Tx, programID int64) (map[int64]string, error) {
	out := map[int64]string{}
	type row struct {
		id   int64
		what string
	}
	rows, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, v *row) error { return rows.Scan(&v.id, &v.what) },
		`SELECT person_id, 'invited' FROM program_invitations WHERE program_id = ?
		UNION ALL SELECT person_id, 'applied' FROM program_applications WHERE program_id = ?`, programID, programID)
	if err != nil {
		return nil, mapError(err)
	}
	for _, r := range rows {
		if out[r.id] != "applied" {
			out[r.id] = r.what
		}
	}
	return out, nil
}

// notAnswered is the condition on invitations i of those not answered:
// no application, not declined.
const notAnswered = `i.declined_at IS NULL AND NOT EXISTS (SELECT 1 FROM program_applications a
	WHERE a.program_id = i.program_id AND a.person_id = i.person_id)`

// RemindResult says what a reminder did.
type RemindResult struct {
	Reminded int // sent again
	// TooSoon counts those not answered whose invitation went out less
	// than a day ago: not sent again.
	TooSoon int
}

// RemindProgramInvitations sends the invitation again to everyone invited
// who has not answered, is still active, and was last sent it at least
// tandem.RemindAfter ago.
func (db *DB) RemindProgramInvitations(ctx context.Context, orgID, programID int64) (*RemindResult, error) {
	res := &RemindResult{}
	err := db.Write(ctx, func(tx *Tx) error {
		// The program's lock: two reminders at once run one after the
		// other, and the second finds everyone reminded too recently (on
		// PostgreSQL both sent them all).
		if err := lockProgram(ctx, tx, orgID, programID); err != nil {
			return err
		}
		p, err := programByID(ctx, tx.q(), orgID, programID)
		if err != nil {
			return err
		}
		if err := checkInviting(p, tx); err != nil {
			return err
		}
		cutoff := tx.now.Add(-tandem.RemindAfter)
		active := ` AND EXISTS (SELECT 1 FROM people p WHERE p.id = i.person_id AND p.deactivated_at IS NULL)`
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM program_invitations i WHERE i.org_id = ? AND i.program_id = ? AND i.sent_at > ? AND `+
			notAnswered+active, orgID, programID, cutoff).Scan(&res.TooSoon); err != nil {
			return mapError(err)
		}
		r, err := tx.Exec(ctx, `UPDATE program_invitations SET sent_at = ?, sends = sends + 1
			WHERE id IN (SELECT i.id FROM program_invitations i WHERE i.org_id = ? AND i.program_id = ? AND i.sent_at <= ? AND `+notAnswered+active+`)`,
			tx.now, orgID, programID, cutoff)
		if err != nil {
			return mapError(err)
		}
		n, err := r.RowsAffected()
		if err != nil {
			return err
		}
		res.Reminded = int(n)
		if res.Reminded == 0 {
			return nil
		}
		return tx.Enqueue(ctx, ProgramInvitedArgs{ProgramID: programID, OrgID: orgID, BaseURL: tandem.BaseURLFrom(ctx)}, nil)
	})
	return res, err
}

const programInvitationSelect = `SELECT i.id, i.program_id, p.id, p.name, p.email, p.title, p.deactivated_at IS NOT NULL,
	COALESCE(b.id, 0), COALESCE(b.name, ''), i.invited_at, i.sent_at, i.sends, i.declined_at, COALESCE(a.role, ''), COALESCE(a.status, '')
	FROM program_invitations i JOIN people p ON p.id = i.person_id LEFT JOIN people b ON b.id = i.invited_by
	LEFT JOIN program_applications a ON a.program_id = i.program_id AND a.person_id = i.person_id`

func scanProgramInvitation(rows *sql.Rows, v *tandem.ProgramInvitation) error {
	var declined sql.NullTime
	var role, status string
	if err := rows.Scan(&v.ID, &v.ProgramID, &v.Person.ID, &v.Person.Name, &v.Person.Email, &v.Person.Title, &v.Person.Left,
		&v.InvitedBy.ID, &v.InvitedBy.Name, &v.InvitedAt, &v.SentAt, &v.Sends, &declined, &role, &status); err != nil {
		return err
	}
	v.DeclinedAt, v.Role, v.ApplicationStatus = timePtr(declined), tandem.ApplicationRole(role), tandem.ApplicationStatus(status)
	switch {
	case role != "":
		v.Status = tandem.InviteApplied
	case declined.Valid:
		v.Status = tandem.InviteDeclined
	default:
		v.Status = tandem.InviteNotAnswered
	}
	return nil
}

// inviteStatusCond is the condition for invitations of one status.
func inviteStatusCond(s tandem.ProgramInviteStatus) string {
	switch s {
	case tandem.InviteApplied:
		return " AND a.id IS NOT NULL"
	case tandem.InviteDeclined:
		return " AND a.id IS NULL AND i.declined_at IS NOT NULL"
	case tandem.InviteNotAnswered:
		return " AND a.id IS NULL AND i.declined_at IS NULL"
	}
	return ""
}

// ProgramInvitations returns a page of the program's invitations (of one
// status, or all), by name, and how many there are of each status.
func (db *DB) ProgramInvitations(ctx context.Context, orgID, programID int64, status tandem.ProgramInviteStatus, limit, offset int) ([]tandem.ProgramInvitation, map[tandem.ProgramInviteStatus]int, error) {
	var list []tandem.ProgramInvitation
	counts := map[tandem.ProgramInviteStatus]int{}
	err := db.Read(ctx, func(tx *Tx) error {
		if _, err := programByID(ctx, tx.q(), orgID, programID); err != nil {
			return err
		}
		for _, s := range tandem.ProgramInviteStatuses {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM program_invitations i LEFT JOIN program_applications a
				ON a.program_id = i.program_id AND a.person_id = i.person_id WHERE i.org_id = ? AND i.program_id = ?`+inviteStatusCond(s),
				orgID, programID).Scan(&n); err != nil {
				return mapError(err)
			}
			counts[s] = n
		}
		var err error
		list, err = queryAll(ctx, tx.q(), scanProgramInvitation, programInvitationSelect+` WHERE i.org_id = ? AND i.program_id = ?`+
			inviteStatusCond(status)+` ORDER BY p.name, p.id LIMIT ? OFFSET ?`, orgID, programID, limit, max(offset, 0))
		return mapError(err)
	})
	return list, counts, err
}

// ProgramInvitationOf returns the person's invitation to the program, or
// ENOTFOUND.
func (db *DB) ProgramInvitationOf(ctx context.Context, orgID, programID, personID int64) (*tandem.ProgramInvitation, error) {
	list, err := queryAll(ctx, db.q(), scanProgramInvitation, programInvitationSelect+` WHERE i.org_id = ? AND i.program_id = ? AND i.person_id = ?`,
		orgID, programID, personID)
	if err != nil {
		return nil, mapError(err)
	}
	if len(list) == 0 {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "You were not invited to this program.")
	}
	return &list[0], nil
}

// DeclineProgramInvitation records that the person said no to their
// invitation; someone who applied withdraws instead.
func (db *DB) DeclineProgramInvitation(ctx context.Context, orgID, programID, personID int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		var id int64
		var applied int
		err := tx.QueryRow(ctx, `SELECT i.id, (SELECT COUNT(*) FROM program_applications a WHERE a.program_id = i.program_id AND a.person_id = i.person_id)
			FROM program_invitations i WHERE i.org_id = ? AND i.program_id = ? AND i.person_id = ?`, orgID, programID, personID).Scan(&id, &applied)
		if errors.Is(err, sql.ErrNoRows) {
			// The program is theirs to see; there is no invitation to say
			// no to.
			return tandem.Errorf(tandem.ECONFLICT, "You were not invited to this program.")
		}
		if err != nil {
			return mapError(err)
		}
		if applied > 0 {
			return tandem.Errorf(tandem.ECONFLICT, "You have applied; withdraw your application instead.")
		}
		_, err = tx.Exec(ctx, `UPDATE program_invitations SET declined_at = ? WHERE id = ? AND declined_at IS NULL`, tx.now, id)
		return mapError(err)
	})
}

// ProgramInvitedBatch is how many invitations one transaction of
// NotifyProgramInvited looks at.
var ProgramInvitedBatch = 500

// NotifyProgramInvited tells the people of the program's invitations with
// ids above after (at most ProgramInvitedBatch, in one transaction) whose
// latest send is not told yet, once per invitation and send. Those who
// answered meanwhile are not told. It returns the last id looked at and
// whether there are no more; a program no longer enrolling tells no one.
func (db *DB) NotifyProgramInvited(ctx context.Context, args ProgramInvitedArgs, after int64) (last int64, told int, done bool, err error) {
	last = after
	err = db.Write(ctx, func(tx *Tx) error {
		p, err := stillEnrolling(ctx, tx, args.OrgID, args.ProgramID)
		if p == nil || err != nil {
			done = true
			return err
		}
		type pending struct {
			id, personID, by int64
			sends            int
			open             bool
		}
		list, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, v *pending) error {
			return rows.Scan(&v.id, &v.personID, &v.by, &v.sends, &v.open)
		}, `SELECT i.id, i.person_id, COALESCE(i.invited_by, 0), i.sends, CASE WHEN `+notAnswered+` THEN 1 ELSE 0 END = 1
			FROM program_invitations i WHERE i.org_id = ? AND i.program_id = ? AND i.id > ? AND i.told < i.sends ORDER BY i.id LIMIT ?`,
			args.OrgID, args.ProgramID, after, ProgramInvitedBatch)
		if err != nil {
			return mapError(err)
		}
		done = len(list) < ProgramInvitedBatch
		for _, iv := range list {
			last = iv.id
			if iv.open && iv.personID != iv.by {
				n := &tandem.Notification{OrgID: p.OrgID, PersonID: iv.personID, Event: tandem.ProgramInvited, ProgramID: p.ID,
					Actor: tandem.PersonRef{ID: iv.by}, Title: p.Name, Detail: p.EnrollCloses}
				added, err := insertNotification(ctx, tx, n, fmt.Sprintf("program_invited:%d:%d", iv.id, iv.sends))
				if err != nil {
					return err
				}
				if added {
					told++
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE program_invitations SET told = ? WHERE id = ?`, iv.sends, iv.id); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
	return last, told, done, err
}
