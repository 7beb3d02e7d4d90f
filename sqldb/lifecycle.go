package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tandemhq/tandem"
)

// write runs fn on a locked, open engagement: the shape shared by every
// change after a proposal.
func (db *DB) write(ctx context.Context, orgID, id int64, fn func(tx *Tx, e *tandem.Engagement) error) error {
	return db.Write(ctx, func(tx *Tx) error {
		e, err := lockEngagement(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		if e.Status.Closed() {
			return closedError(e)
		}
		return fn(tx, e)
	})
}

// change is write for the changes that return the engagement as it is
// after them.
func (db *DB) change(ctx context.Context, orgID, id int64, fn func(tx *Tx, e *tandem.Engagement) error) (*tandem.Engagement, error) {
	if err := db.write(ctx, orgID, id, fn); err != nil {
		return nil, err
	}
	return db.EngagementByID(ctx, orgID, id)
}

// SetPhase moves an active mentoring partnership to a phase, forward or
// back, with the partner's note; the change is kept in the timeline.
func (db *DB) SetPhase(ctx context.Context, orgID, id, actorID int64, phase tandem.Phase, note string) (*tandem.Engagement, error) {
	return db.change(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		switch {
		case e.Kind != tandem.Mentoring:
			return tandem.Errorf(tandem.EINVALID, "Phases belong to mentoring partnerships; a coaching engagement changes little.")
		case e.Status != tandem.StatusActive:
			return tandem.Errorf(tandem.EINVALID, "The partnership moves through phases once it is active.")
		case e.Phase == phase:
			return &tandem.Error{Code: tandem.EINVALID, Message: "The partnership is in that phase already.",
				Fields: map[string]string{"phase": "Choose a different phase."}}
		}
		if _, err := tx.Exec(ctx, `UPDATE engagements SET phase = ? WHERE id = ?`, string(phase), id); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, actorID, tandem.EventPhase, string(e.Phase)+" → "+string(phase), note)
	})
}

// ProposeReversal records a partner's proposal to swap roles.
func (db *DB) ProposeReversal(ctx context.Context, orgID, id, actorID int64, note string) (*tandem.Engagement, error) {
	return db.change(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		switch {
		case e.Kind != tandem.Mentoring:
			return tandem.Errorf(tandem.EINVALID, "Roles reverse only in mentoring: a coaching engagement is one-way.")
		case e.Status != tandem.StatusActive:
			return tandem.Errorf(tandem.EINVALID, "Roles can reverse once the partnership is active.")
		case e.ReversalBy != 0:
			return tandem.Errorf(tandem.ECONFLICT, "A role reversal is already proposed; the other partner can accept or decline it.")
		}
		if _, err := tx.Exec(ctx, `UPDATE engagements SET reversal_by = ? WHERE id = ?`, actorID, id); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, actorID, tandem.EventReversalProposed, "", note)
	})
}

// AnswerReversal accepts or declines a proposed reversal; only the other
// partner may answer (app checks who). On acceptance the roles swap and
// check, run in the transaction, rechecks the hierarchy rule for the new
// direction. A reversal that brings a new manager waits for a proposed
// version to be settled.
//
// The new protégé's manager becomes the manager party. They have agreed
// to nothing, so when there is a new manager the terms in effect are
// copied into a new version of the agreement that the two partners have
// agreed to (one proposed the reversal, the other accepted it) and that
// waits for the manager when managerRequired; the partnership goes on
// under the version in effect meanwhile.
func (db *DB) AnswerReversal(ctx context.Context, orgID, id, actorID int64, accept, managerRequired bool, check func(tx *Tx, e *tandem.Engagement) error) (*tandem.Engagement, error) {
	return db.change(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		switch {
		case e.ReversalBy == 0:
			return tandem.Errorf(tandem.EINVALID, "No role reversal is proposed.")
		case e.ReversalBy == actorID:
			return tandem.Errorf(tandem.EFORBIDDEN, "The other partner answers your proposal.")
		}
		if !accept {
			if _, err := tx.Exec(ctx, `UPDATE engagements SET reversal_by = NULL WHERE id = ?`, id); err != nil {
				return err
			}
			return addEvent(ctx, tx, id, actorID, tandem.EventReversalDeclined, "", "")
		}
		if check != nil {
			swapped := *e
			swapped.Learner, swapped.Guide = e.Guide, e.Learner
			if err := check(tx, &swapped); err != nil {
				return err
			}
		}
		// The learner's manager is a party of the agreement; the new
		// learner's manager is who it should now be, unless that is the
		// new mentor (as at a proposal).
		var mgr int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(manager_id, 0) FROM people WHERE id = ? AND org_id = ?`, e.Guide.ID, orgID).Scan(&mgr); err != nil {
			return err
		}
		if mgr == e.Learner.ID {
			mgr = 0
		}
		if mgr != 0 && mgr != e.Manager.ID && e.CurrentVersion != e.AgreedVersion {
			// The new manager is asked to agree to the terms in effect,
			// as a new version: a proposed one on top would be lost.
			return tandem.Errorf(tandem.ECONFLICT, "Version %d of the agreement is waiting for answers: settle it (or its replacement) before you swap roles.", e.CurrentVersion)
		}
		required := mgr != 0 && managerRequired
		if mgr == e.Manager.ID {
			required = e.ManagerRequired // the same manager, on the same terms
		}
		if _, err := tx.Exec(ctx, `UPDATE engagements SET learner_id = ?, guide_id = ?, manager_id = ?, manager_required = ?, reversal_by = NULL WHERE id = ?`,
			e.Guide.ID, e.Learner.ID, nullID(mgr), required, id); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, id, actorID, tandem.EventReversed,
			fmt.Sprintf("%s is now the mentor, %s the protégé", e.Learner.Name, e.Guide.Name), ""); err != nil {
			return err
		}
		if mgr == 0 || mgr == e.Manager.ID {
			return nil
		}
		return askNewManager(ctx, tx, e, actorID, required)
	})
}

// askNewManager puts the terms in effect of a reversed partnership, e, to
// its new manager: a copy as the next version, agreed by both partners (e
// still has the roles before the swap), in effect at once unless the
// manager's agreement is required.
func askNewManager(ctx context.Context, tx *Tx, e *tandem.Engagement, actorID int64, required bool) error {
	next := e.CurrentVersion + 1
	if _, err := tx.Exec(ctx, `INSERT INTO agreement_versions (engagement_id, version, outcomes, cadence, channels, confidentiality,
			review_method, exit_terms, skill_id, start_on, end_on, evaluation_method, created_by, created_at)
		SELECT engagement_id, ?, outcomes, cadence, channels, confidentiality, review_method, exit_terms, skill_id,
			start_on, end_on, evaluation_method, ?, ?
		FROM agreement_versions WHERE engagement_id = ? AND version = ?`,
		next, actorID, tx.now, e.ID, e.AgreedVersion); err != nil {
		return fmt.Errorf("copy agreement version: %w", err)
	}
	for _, p := range []struct {
		id    int64
		party tandem.Party
	}{{e.Guide.ID, tandem.PartyLearner}, {e.Learner.ID, tandem.PartyGuide}} {
		if _, err := tx.Exec(ctx, `INSERT INTO agreement_responses (engagement_id, version, person_id, party, agreed, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			e.ID, next, p.id, string(p.party), true, "", tx.now); err != nil {
			return fmt.Errorf("record answer: %w", err)
		}
	}
	agreed := e.AgreedVersion
	if !required {
		agreed = next
	}
	if _, err := tx.Exec(ctx, `UPDATE engagements SET current_version = ?, agreed_version = ? WHERE id = ?`, next, agreed, e.ID); err != nil {
		return err
	}
	detail := fmt.Sprintf("version %d: the same terms, for the new protégé's manager", next)
	return addEvent(ctx, tx, e.ID, actorID, tandem.EventRevised, detail, "")
}

// End closes an engagement early (or withdraws a draft) with a reason.
func (db *DB) End(ctx context.Context, orgID, id, actorID int64, reason string) (*tandem.Engagement, error) {
	return db.change(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		return endEngagement(ctx, tx, e, actorID, reason)
	})
}

func endEngagement(ctx context.Context, tx *Tx, e *tandem.Engagement, actorID int64, reason string) error {
	if _, err := tx.Exec(ctx, `UPDATE engagements SET status = 'ended', ended_at = ?, ended_on = ?, end_reason = ?, ended_by = ?, reversal_by = NULL WHERE id = ?`,
		tx.now, string(tandem.DateOf(tx.now)), reason, nullID(actorID), e.ID); err != nil {
		return err
	}
	return addEvent(ctx, tx, e.ID, actorID, tandem.EventEnded, "", reason)
}

// ExpireDue closes every active coaching engagement whose end date has
// passed, as of today, and returns how many. Each is a conditional update,
// so replicas running it at once expire each engagement once.
func (db *DB) ExpireDue(ctx context.Context, today tandem.Date) (int, error) {
	rows, err := db.q().QueryContext(ctx, `SELECT id, end_on FROM engagements WHERE status = 'active' AND kind = 'coaching' AND end_on <> '' AND end_on < ?`, string(today))
	if err != nil {
		return 0, err
	}
	type due struct {
		id  int64
		end string
	}
	var all []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.end); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, d := range all {
		err := db.Write(ctx, func(tx *Tx) error {
			res, err := tx.Exec(ctx, `UPDATE engagements SET status = 'expired', ended_at = ?, ended_on = ?, end_reason = 'The end date passed.'
				WHERE id = ? AND status = 'active'`, tx.now, d.end, d.id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil // another replica was first
			}
			n++
			return addEvent(ctx, tx, d.id, 0, tandem.EventExpired, "ended "+tandem.Date(d.end).Format(), "")
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// RecordReview records the partners' decision at a review point: continue
// (next review in the partnership's interval), change (the same, and the
// agreement is to be revised), or close (the partnership ends).
func (db *DB) RecordReview(ctx context.Context, orgID, id, actorID int64, d tandem.ReviewDecision, note string) (*tandem.Engagement, error) {
	return db.change(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		if e.Kind != tandem.Mentoring || e.Status != tandem.StatusActive {
			return tandem.Errorf(tandem.EINVALID, "Review points belong to active mentoring partnerships.")
		}
		if err := addEvent(ctx, tx, id, actorID, tandem.EventReview, string(d), note); err != nil {
			return err
		}
		if d == tandem.ReviewClose {
			// The partners' words stay in the review event (phase
			// history); the end reason, which the manager sees, does not
			// carry the conversation.
			return endEngagement(ctx, tx, e, actorID, "Closed at a review point.")
		}
		next := tandem.DateOf(tx.now).AddMonths(e.ReviewMonths)
		_, err := tx.Exec(ctx, `UPDATE engagements SET next_review_on = ? WHERE id = ?`, string(next), id)
		return err
	})
}

// AllowException records an administrator's exception to the hierarchy
// rule for a mentoring partnership, with the reason, visible on it.
func (db *DB) AllowException(ctx context.Context, orgID, id, adminID int64, reason string) (*tandem.Engagement, error) {
	return db.change(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		if e.Kind != tandem.Mentoring {
			return tandem.Errorf(tandem.EINVALID, "Coaching may be done by the manager; only mentoring needs an exception.")
		}
		if _, err := tx.Exec(ctx, `UPDATE engagements SET exception_reason = ?, exception_by = ? WHERE id = ?`, reason, adminID, id); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, adminID, tandem.EventException, "outside-the-hierarchy rule waived", reason)
	})
}

// SetShareHistory records the coachee's choice to let the coach of this
// engagement read the previous one for the same skill.
func (db *DB) SetShareHistory(ctx context.Context, orgID, id, actorID int64, share bool) (*tandem.Engagement, error) {
	return db.change(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		if e.PreviousID == 0 {
			return tandem.Errorf(tandem.EINVALID, "This engagement has no previous one to share.")
		}
		if _, err := tx.Exec(ctx, `UPDATE engagements SET share_history = ? WHERE id = ?`, share, id); err != nil {
			return err
		}
		detail := "history shared with the coach"
		if !share {
			detail = "history no longer shared"
		}
		return addEvent(ctx, tx, id, actorID, tandem.EventHistoryShared, detail, "")
	})
}

// AddItem adds a mentoring agenda item or learning.
func (db *DB) AddItem(ctx context.Context, orgID, id, authorID int64, learned bool, body string) (*tandem.Item, error) {
	var it *tandem.Item
	err := db.write(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		if e.Kind != tandem.Mentoring {
			return tandem.Errorf(tandem.EINVALID, "Agendas and learnings belong to mentoring partnerships.")
		}
		kind := "agenda"
		if learned {
			kind = "learned"
		}
		itemID, err := tx.insert(ctx, `INSERT INTO agenda_items (engagement_id, author_id, kind, body, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, authorID, kind, body, tx.now)
		if err != nil {
			return err
		}
		it = &tandem.Item{ID: itemID, Author: tandem.PersonRef{ID: authorID}, Learned: learned, Body: body, CreatedAt: tx.now}
		return nil
	})
	return it, err
}

// CompleteItem marks an agenda item done.
func (db *DB) CompleteItem(ctx context.Context, orgID, id, itemID int64) error {
	err := db.write(ctx, orgID, id, func(tx *Tx, e *tandem.Engagement) error {
		res, err := tx.Exec(ctx, `UPDATE agenda_items SET done_at = ? WHERE id = ? AND engagement_id = ? AND kind = 'agenda' AND done_at IS NULL`, tx.now, itemID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.ENOTFOUND, "No such open agenda item.")
		}
		return nil
	})
	return err
}

// Items lists an engagement's agenda items and learnings, oldest first;
// none for an engagement of another organization.
func (db *DB) Items(ctx context.Context, orgID, engagementID int64) ([]tandem.Item, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, it *tandem.Item) error {
		var kind string
		var done sql.NullTime
		if err := rows.Scan(&it.ID, &it.Author.ID, &it.Author.Name, &kind, &it.Body, &it.CreatedAt, &done); err != nil {
			return err
		}
		it.Learned, it.DoneAt = kind == "learned", timePtr(done)
		return nil
	}, `SELECT i.id, p.id, p.name, i.kind, i.body, i.created_at, i.done_at
		FROM agenda_items i JOIN engagements e ON e.id = i.engagement_id AND e.org_id = ?
		JOIN people p ON p.id = i.author_id WHERE i.engagement_id = ? ORDER BY i.created_at, i.id`, orgID, engagementID)
}
