package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tandemhq/tandem"
)

// Deactivation is what deactivating a person did.
type Deactivation struct {
	Person tandem.Person
	// Ended lists the engagements it ended, each through the same end as a
	// partner's (timeline event, notifications).
	Ended []int64
}

// Deactivate records that a person left the organization, by byID (0 for
// the operator's CLI) with an optional reason, in one transaction: their
// sessions in the organization end, their API tokens there are revoked,
// their calendar feed's secret is deleted,
// their unused invitations expire, their open requests of self-serve
// matching close, and their open engagements (any status
// but ended or expired) end with the reason "NAME left the organization."
// A person of another organization is ENOTFOUND; one who has left already
// is ECONFLICT, and so is the last active administrator; nothing changes
// then.
func (db *DB) Deactivate(ctx context.Context, orgID, personID, byID int64, reason string) (*Deactivation, error) {
	var d *Deactivation
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		d, err = deactivate(ctx, tx, orgID, personID, byID, reason)
		return err
	})
	return d, err
}

func lockedPerson(ctx context.Context, tx *Tx, orgID, personID int64) (*tandem.Person, error) {
	// The update takes the row's lock on PostgreSQL (SQLite transactions
	// are BEGIN IMMEDIATE), so two deactivations run one after the other.
	res, err := tx.Exec(ctx, `UPDATE people SET updated_at = updated_at WHERE id = ? AND org_id = ?`, personID, orgID)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such person.")
	}
	var p tandem.Person
	if err := scanPerson(tx.QueryRow(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = ? AND p.org_id = ?`, personID, orgID), &p); err != nil {
		return nil, notFound(err, "No such person.")
	}
	return &p, nil
}

func deactivate(ctx context.Context, tx *Tx, orgID, personID, byID int64, reason string) (*Deactivation, error) {
	p, err := lockedPerson(ctx, tx, orgID, personID)
	if err != nil {
		return nil, err
	}
	if p.Left() {
		return nil, tandem.Errorf(tandem.ECONFLICT, "%s was deactivated on %s already; nothing changed.", p.Name, tandem.DateOf(*p.DeactivatedAt).Format())
	}
	if p.IsAdmin() && p.AccountID != 0 {
		admins, err := countAdmins(ctx, tx, orgID)
		if err != nil {
			return nil, err
		}
		if admins <= 1 {
			return nil, tandem.Errorf(tandem.ECONFLICT, "%s is the last administrator: make someone else administrator before deactivating them.", p.Name)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE people SET deactivated_at = ?, deactivated_by = ?, deactivation_reason = ?, updated_at = ? WHERE id = ?`,
		tx.now, nullID(byID), reason, tx.now, p.ID); err != nil {
		return nil, fmt.Errorf("deactivate: %w", err)
	}
	if p.AccountID != 0 {
		// Sessions act in one organization; those elsewhere go on.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE account_id = ? AND org_id = ?`, p.AccountID, orgID); err != nil {
			return nil, fmt.Errorf("end sessions: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL`, tx.now, p.ID); err != nil {
		return nil, fmt.Errorf("revoke api tokens: %w", err)
	}
	// The calendar feed's secret is a credential too.
	if _, err := tx.Exec(ctx, `DELETE FROM calendar_tokens WHERE person_id = ?`, p.ID); err != nil {
		return nil, fmt.Errorf("end calendar feed: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE invitations SET expires_at = ? WHERE org_id = ? AND email = ? AND used_at IS NULL AND expires_at > ?`,
		tx.now, orgID, p.Email, tx.now); err != nil {
		return nil, fmt.Errorf("expire invitations: %w", err)
	}
	// Their applications to programs not yet running are withdrawn, so no
	// cohort run matches them and a run made before is refused as stale.
	if _, err := tx.Exec(ctx, `UPDATE program_applications SET status = ?, updated_at = ?
		WHERE org_id = ? AND person_id = ? AND status IN (?, ?)
		AND program_id IN (SELECT id FROM programs WHERE org_id = ? AND state IN (?, ?, ?))`,
		tandem.AppWithdrawn, tx.now, orgID, p.ID, tandem.AppSubmitted, tandem.AppApproved,
		orgID, tandem.ProgramDraft, tandem.ProgramEnrolling, tandem.ProgramMatching); err != nil {
		return nil, fmt.Errorf("withdraw program applications: %w", err)
	}
	// Their open requests of self-serve matching close: no one accepts a
	// partnership with them, and a mentee who asked them may ask someone
	// else.
	if _, err := tx.Exec(ctx, `UPDATE program_requests SET status = ?, answered_at = ? WHERE org_id = ? AND status = ? AND (mentee_id = ? OR mentor_id = ?)`,
		string(tandem.RequestCancelled), tx.now, orgID, string(tandem.RequestOpen), p.ID, p.ID); err != nil {
		return nil, fmt.Errorf("close mentor requests: %w", err)
	}
	ids, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, id *int64) error { return rows.Scan(id) },
		`SELECT id FROM engagements WHERE org_id = ? AND (learner_id = ? OR guide_id = ?) AND status NOT IN ('ended', 'expired') ORDER BY id`,
		orgID, p.ID, p.ID)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		e, err := lockEngagement(ctx, tx, orgID, id)
		if err != nil {
			return nil, err
		}
		if err := endEngagement(ctx, tx, e, byID, p.Name+" "+tandem.ReasonLeft); err != nil {
			return nil, err
		}
	}
	// Where they were the manager party, their learners' manager as it
	// stands takes their place when that is someone else already;
	// otherwise the engagement waits for the administrator to set one.
	if _, err := handOverFromLeavers(ctx, tx, orgID); err != nil {
		return nil, err
	}
	now := tx.now
	p.DeactivatedAt, p.DeactivatedBy, p.DeactivationReason = &now, byID, reason
	return &Deactivation{Person: *p, Ended: ids}, nil
}

// Reactivate gives a person who left their access back: they can sign in
// and are in the directory again. Engagements that ended stay ended. A
// person who is active is ECONFLICT.
func (db *DB) Reactivate(ctx context.Context, orgID, personID int64) (*tandem.Person, error) {
	var p *tandem.Person
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if p, err = lockedPerson(ctx, tx, orgID, personID); err != nil {
			return err
		}
		if !p.Left() {
			return tandem.Errorf(tandem.ECONFLICT, "%s is active; nothing changed.", p.Name)
		}
		if _, err := tx.Exec(ctx, `UPDATE people SET deactivated_at = NULL, deactivated_by = NULL, deactivation_reason = '', updated_at = ? WHERE id = ?`,
			tx.now, p.ID); err != nil {
			return fmt.Errorf("reactivate: %w", err)
		}
		p.DeactivatedAt, p.DeactivatedBy, p.DeactivationReason = nil, 0, ""
		return nil
	})
	return p, err
}

// PersonByEmail returns the person with the email in the organization,
// whether active or not, or ENOTFOUND.
func (db *DB) PersonByEmail(ctx context.Context, orgID int64, email string) (*tandem.Person, error) {
	var p *tandem.Person
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		p, err = personByEmail(ctx, tx, orgID, email)
		return err
	})
	return p, err
}

// OpenEngagementsOf lists the engagements a person is a partner in
// (learner or guide) that have not ended: those a deactivation ends.
func (db *DB) OpenEngagementsOf(ctx context.Context, orgID, personID int64) ([]tandem.Engagement, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, e *tandem.Engagement) error {
		v, err := scanEngagement(rows)
		if err == nil {
			*e = *v
		}
		return err
	}, engagementSelect+` WHERE e.org_id = ? AND (e.learner_id = ? OR e.guide_id = ?) AND e.status NOT IN ('ended', 'expired') ORDER BY e.id`,
		orgID, personID, personID)
}

// handOverFromLeavers gives the manager party of every open engagement of
// the organization whose manager has left to the learner's manager as it
// now stands, once that is someone else: a new manager set by hand or by
// an import. "The learner, their manager (where they have one) and the
// coach or mentor" agree, so the version waiting on the leaver waits for
// the new manager (their agreement required as at a proposal), or, when
// the learner now has no manager or reports to their coach, for no
// manager: then a version every remaining party has agreed to takes
// effect at once (unless a mentoring pair is now inside one management
// chain without an exception, which waits for the administrator). An
// answer the leaver gave before leaving stays, as the manager's of the
// time. Run in every transaction that changes reporting lines; it returns
// the engagements handed over.
func handOverFromLeavers(ctx context.Context, tx *Tx, orgID int64) ([]int64, error) {
	type gone struct{ id, manager int64 }
	rows, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, g *gone) error { return rows.Scan(&g.id, &g.manager) },
		`SELECT e.id, COALESCE(l.manager_id, 0) FROM engagements e
		JOIN people m ON m.id = e.manager_id JOIN people l ON l.id = e.learner_id
		WHERE e.org_id = ? AND e.status IN ('draft', 'active') AND m.deactivated_at IS NOT NULL
		AND (l.manager_id IS NULL OR l.manager_id <> e.manager_id) ORDER BY e.id`, orgID)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	settings, err := orgSettings(ctx, tx.q(), orgID)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, g := range rows {
		e, err := lockEngagement(ctx, tx, orgID, g.id)
		if err != nil {
			return nil, err
		}
		next, nextName := g.manager, "no manager"
		if next == e.Guide.ID {
			next = 0 // the coach is the manager: no separate manager party, as at a proposal
		}
		if next != 0 {
			var left bool
			if err := tx.QueryRow(ctx, `SELECT name, deactivated_at IS NOT NULL FROM people WHERE id = ? AND org_id = ?`, next, orgID).
				Scan(&nextName, &left); err != nil {
				return nil, err
			}
			if left {
				continue // the new manager has left too: still waiting for one
			}
		}
		required := next != 0 && (e.Kind == tandem.Coaching || !settings.MentoringManagerOptional)
		if _, err := tx.Exec(ctx, `UPDATE engagements SET manager_id = ?, manager_required = ? WHERE id = ?`, nullID(next), required, e.ID); err != nil {
			return nil, err
		}
		detail := fmt.Sprintf("%s (left the organization) → %s", e.Manager.Name, nextName)
		if err := addEvent(ctx, tx, e.ID, 0, tandem.EventManagerChanged, detail, ""); err != nil {
			return nil, err
		}
		out = append(out, e.ID)
		e.Manager, e.ManagerRequired = tandem.PersonRef{ID: next, Name: nextName}, required
		if e.CurrentVersion == e.AgreedVersion || (e.Kind == tandem.Mentoring && e.InChain && e.Exception == "") {
			continue
		}
		rs, err := responses(ctx, tx.q(), orgID, e.ID, e.CurrentVersion)
		if err != nil {
			return nil, err
		}
		if len(e.Waiting(rs)) == 0 {
			if err := takeEffect(ctx, tx, e, 0); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
