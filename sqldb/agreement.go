package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem"
)

func insertVersion(ctx context.Context, tx *Tx, engagementID int64, a *tandem.Agreement) error {
	a.CreatedAt = tx.now
	_, err := tx.Exec(ctx, `INSERT INTO agreement_versions (engagement_id, version, outcomes, cadence, channels, confidentiality,
			review_method, exit_terms, skill_id, start_on, end_on, evaluation_method, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		engagementID, a.Version, strings.Join(a.Outcomes, "\n"), a.Cadence, a.Channels, a.Confidentiality,
		a.ReviewMethod, a.ExitTerms, nullID(a.SkillID), string(a.Start), string(a.End), a.EvaluationMethod, a.CreatedBy, tx.now)
	if err != nil {
		return fmt.Errorf("insert agreement version: %w", err)
	}
	return nil
}

// Versions returns every version of an engagement's agreement, oldest
// first; none for an engagement of another organization.
func (db *DB) Versions(ctx context.Context, orgID, engagementID int64) ([]tandem.Agreement, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, a *tandem.Agreement) error {
		var outcomes, start, end string
		if err := rows.Scan(&a.Version, &outcomes, &a.Cadence, &a.Channels, &a.Confidentiality, &a.ReviewMethod, &a.ExitTerms,
			&a.SkillID, &a.SkillName, &start, &end, &a.EvaluationMethod, &a.CreatedBy, &a.CreatedByName, &a.CreatedAt); err != nil {
			return err
		}
		a.Outcomes = strings.Split(outcomes, "\n")
		a.Start, a.End = tandem.Date(start), tandem.Date(end)
		return nil
	}, `SELECT v.version, v.outcomes, v.cadence, v.channels, v.confidentiality, v.review_method, v.exit_terms,
			COALESCE(v.skill_id, 0), COALESCE(s.name, ''), v.start_on, v.end_on, v.evaluation_method, v.created_by, p.name, v.created_at
		FROM agreement_versions v JOIN engagements e ON e.id = v.engagement_id AND e.org_id = ?
		JOIN people p ON p.id = v.created_by LEFT JOIN skills s ON s.id = v.skill_id
		WHERE v.engagement_id = ? ORDER BY v.version`, orgID, engagementID)
}

// Responses returns every party's answer to every version, oldest first;
// none for an engagement of another organization.
func (db *DB) Responses(ctx context.Context, orgID, engagementID int64) ([]tandem.Response, error) {
	return responses(ctx, db.q(), orgID, engagementID, 0)
}

func responses(ctx context.Context, q querier, orgID, engagementID int64, version int) ([]tandem.Response, error) {
	query := `SELECT r.version, r.person_id, p.name, r.party, r.agreed, r.comment, r.at
		FROM agreement_responses r JOIN engagements e ON e.id = r.engagement_id AND e.org_id = ?
		JOIN people p ON p.id = r.person_id WHERE r.engagement_id = ?`
	args := []any{orgID, engagementID}
	if version != 0 {
		query += ` AND r.version = ?`
		args = append(args, version)
	}
	return queryAll(ctx, q, func(rows *sql.Rows, r *tandem.Response) error {
		var party string
		if err := rows.Scan(&r.Version, &r.PersonID, &r.PersonName, &party, &r.Agreed, &r.Comment, &r.At); err != nil {
			return err
		}
		r.Party = tandem.Party(party)
		return nil
	}, query+` ORDER BY r.at, r.version`, args...)
}

// closedError is the refusal for a change to an ended or expired engagement.
func closedError(e *tandem.Engagement) error {
	return tandem.Errorf(tandem.EINVALID, "This engagement is %s: it is read-only.", e.Status)
}

// ReviseAgreement stores a new version of the agreement, written by actor.
// The parties' answers to earlier versions stay in the history but no
// longer count: everyone agrees again. An active engagement stays active
// under the version in effect until the new one is agreed.
func (db *DB) ReviseAgreement(ctx context.Context, orgID, id, actorID int64, a *tandem.Agreement) (*tandem.Engagement, error) {
	var e *tandem.Engagement
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if e, err = lockEngagement(ctx, tx, orgID, id); err != nil {
			return err
		}
		if e.Status.Closed() {
			return closedError(e)
		}
		if e.Kind == tandem.Coaching && a.SkillID != e.SkillID {
			msg := "A coaching engagement is about one skill; to coach another skill, start another engagement."
			return &tandem.Error{Code: tandem.EINVALID, Message: msg, Fields: map[string]string{"skill": msg}}
		}
		a.Version, a.CreatedBy = e.CurrentVersion+1, actorID
		if err := insertVersion(ctx, tx, id, a); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE engagements SET current_version = ? WHERE id = ?`, a.Version, id); err != nil {
			return err
		}
		e.CurrentVersion = a.Version
		if err := addEvent(ctx, tx, id, actorID, tandem.EventRevised, fmt.Sprintf("version %d", a.Version), ""); err != nil {
			return err
		}
		// The partner who wrote the version agrees to it. The other partner
		// always has to answer, so it never takes effect here.
		return agreeAsAuthor(ctx, tx, e, a.Version, actorID)
	})
	return e, err
}

// agreeAsAuthor records that whoever wrote a version of the agreement
// agrees to it, as the party they are: proposing or revising counts as
// agreeing, so no one answers their own proposal. Someone who is not a
// party (an administrator or program admin proposing for others) agrees
// for no one. The learner and the guide are both required and are two
// people, so the author's agreement alone never completes a version.
func agreeAsAuthor(ctx context.Context, tx *Tx, e *tandem.Engagement, version int, authorID int64) error {
	party := e.PartyOf(authorID)
	if party == "" {
		return nil
	}
	return recordResponse(ctx, tx, e.ID, version, authorID, party, true, "")
}

// recordResponse stores a party's answer to a version, replacing an
// earlier answer of theirs to it (an answer may change from "changes
// requested" to "agreed"), with its timeline event.
func recordResponse(ctx context.Context, tx *Tx, id int64, version int, personID int64, party tandem.Party, agreed bool, comment string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM agreement_responses WHERE engagement_id = ? AND version = ? AND person_id = ?`, id, version, personID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO agreement_responses (engagement_id, version, person_id, party, agreed, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, version, personID, string(party), agreed, comment, tx.now); err != nil {
		return fmt.Errorf("record answer: %w", err)
	}
	evt := tandem.EventAgreed
	if !agreed {
		evt = tandem.EventChangesRequested
	}
	return addEvent(ctx, tx, id, personID, evt, fmt.Sprintf("version %d", version), comment)
}

// RespondInput is a party's answer to a version of the agreement.
type RespondInput struct {
	PersonID int64
	Party    tandem.Party
	Version  int
	Agreed   bool
	Comment  string
	// CheckActivation runs, in the transaction, just before the engagement
	// would become active (or take a new version into effect), to recheck
	// rules that depend on the rest of the organization. It may refuse.
	CheckActivation func(tx *Tx, e *tandem.Engagement) error
}

// Respond records a party's answer to the current version. An answer to a
// superseded version is ECONFLICT and records nothing: the row lock makes
// a concurrent revision and answer run one after the other, so exactly one
// of two racing parties' answers to different versions can count. When
// every required party has agreed to the current version, it takes effect:
// a draft becomes active; an active engagement takes the new terms (a
// coaching end date moved is an extension).
func (db *DB) Respond(ctx context.Context, orgID, id int64, in RespondInput) (*tandem.Engagement, error) {
	var e *tandem.Engagement
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		if e, err = lockEngagement(ctx, tx, orgID, id); err != nil {
			return err
		}
		if e.Status.Closed() {
			return closedError(e)
		}
		if in.Version != e.CurrentVersion {
			return &tandem.Error{Code: tandem.ECONFLICT,
				Message: fmt.Sprintf("Version %d of the agreement has been replaced by version %d; read the new version and answer that.", in.Version, e.CurrentVersion),
				Fields:  map[string]string{"version": fmt.Sprintf("The current version is %d.", e.CurrentVersion)}}
		}
		if e.Status == tandem.StatusActive && e.AgreedVersion == e.CurrentVersion {
			return tandem.Errorf(tandem.EINVALID, "Version %d is already in effect; propose changes to make a new version.", e.CurrentVersion)
		}
		if err := recordResponse(ctx, tx, id, in.Version, in.PersonID, in.Party, in.Agreed, in.Comment); err != nil {
			return err
		}
		rs, err := responses(ctx, tx.q(), orgID, id, in.Version)
		if err != nil {
			return err
		}
		agreed := map[tandem.Party]bool{}
		for _, r := range rs {
			if r.Agreed {
				agreed[r.Party] = true
			}
		}
		for _, p := range e.RequiredParties() {
			if !agreed[p] {
				return nil // waiting for others
			}
		}
		if in.CheckActivation != nil {
			if err := in.CheckActivation(tx, e); err != nil {
				return err
			}
		}
		return takeEffect(ctx, tx, e, in.PersonID)
	})
	if err != nil {
		return nil, err
	}
	return db.EngagementByID(ctx, orgID, id)
}

// takeEffect puts the current version in effect.
func takeEffect(ctx context.Context, tx *Tx, e *tandem.Engagement, actorID int64) error {
	var start, end string
	if err := tx.QueryRow(ctx, `SELECT start_on, end_on FROM agreement_versions WHERE engagement_id = ? AND version = ?`, e.ID, e.CurrentVersion).
		Scan(&start, &end); err != nil {
		return err
	}
	today := tandem.DateOf(tx.now)
	if e.Status == tandem.StatusDraft {
		next, phase := "", ""
		if e.Kind == tandem.Mentoring {
			next, phase = string(today.AddMonths(e.ReviewMonths)), string(tandem.PhaseInitiation)
		}
		if _, err := tx.Exec(ctx, `UPDATE engagements SET status = 'active', agreed_version = ?, activated_at = ?, start_on = ?, end_on = ?,
				next_review_on = ?, phase = ? WHERE id = ?`, e.CurrentVersion, tx.now, start, end, next, phase, e.ID); err != nil {
			return err
		}
		return addEvent(ctx, tx, e.ID, actorID, tandem.EventActivated, fmt.Sprintf("version %d", e.CurrentVersion), "")
	}
	if _, err := tx.Exec(ctx, `UPDATE engagements SET agreed_version = ?, start_on = ?, end_on = ? WHERE id = ?`,
		e.CurrentVersion, start, end, e.ID); err != nil {
		return err
	}
	if e.Kind == tandem.Coaching && tandem.Date(end) != e.End {
		return addEvent(ctx, tx, e.ID, actorID, tandem.EventExtended, fmt.Sprintf("end date %s → %s", e.End.Format(), tandem.Date(end).Format()), "")
	}
	return nil
}
