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

// OrgSettings returns an organization's engagement rules.
func (db *DB) OrgSettings(ctx context.Context, orgID int64) (tandem.Settings, error) {
	return orgSettings(ctx, db.q(), orgID)
}

func orgSettings(ctx context.Context, q querier, orgID int64) (tandem.Settings, error) {
	var s tandem.Settings
	err := q.QueryRowContext(ctx, `SELECT coaching_max_months, review_months, mentoring_manager_optional, stalled_days FROM orgs WHERE id = ?`, orgID).
		Scan(&s.CoachingMaxMonths, &s.ReviewMonths, &s.MentoringManagerOptional, &s.StalledDays)
	return s, notFound(err, "No such organization.")
}

// SetOrgSettings saves an organization's engagement rules.
func (db *DB) SetOrgSettings(ctx context.Context, orgID int64, s tandem.Settings) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE orgs SET coaching_max_months = ?, review_months = ?, mentoring_manager_optional = ?, stalled_days = ? WHERE id = ?`,
			s.CoachingMaxMonths, s.ReviewMonths, s.MentoringManagerOptional, s.StalledDays, orgID)
		return err
	})
}

// engagementSelect reads an engagement with the names of its people.
const engagementSelect = `SELECT e.id, e.org_id, e.kind, e.status,
	l.id, l.name, l.email, l.title, l.deactivated_at IS NOT NULL, g.id, g.name, g.email, g.title, g.deactivated_at IS NOT NULL,
	COALESCE(m.id, 0), COALESCE(m.name, ''), COALESCE(m.email, ''), COALESCE(m.title, ''), m.deactivated_at IS NOT NULL, e.manager_required,
	COALESCE(e.skill_id, 0), COALESCE(s.name, ''), e.setting, e.start_on, e.end_on, COALESCE(e.previous_id, 0), e.share_history,
	e.areas, e.phase, e.review_months, e.next_review_on, COALESCE(e.reversal_by, 0),
	e.exception_reason, COALESCE(x.id, 0), COALESCE(x.name, ''),
	CASE WHEN e.kind = 'mentoring' AND EXISTS (SELECT 1 FROM people_closure c WHERE c.org_id = e.org_id
		AND ((c.ancestor = e.learner_id AND c.descendant = e.guide_id) OR (c.ancestor = e.guide_id AND c.descendant = e.learner_id)))
		THEN 1 ELSE 0 END,
	e.current_version, e.agreed_version, e.created_by, e.created_at, e.activated_at, e.ended_at, e.ended_on, e.end_reason,
	COALESCE(b.id, 0), COALESCE(b.name, ''), COALESCE(e.program_id, 0), COALESCE(pg.name, '')
	FROM engagements e
	JOIN people l ON l.id = e.learner_id
	JOIN people g ON g.id = e.guide_id
	LEFT JOIN people m ON m.id = e.manager_id
	LEFT JOIN skills s ON s.id = e.skill_id
	LEFT JOIN people x ON x.id = e.exception_by
	LEFT JOIN people b ON b.id = e.ended_by
	LEFT JOIN programs pg ON pg.id = e.program_id`

func scanEngagement(sc scanner) (*tandem.Engagement, error) {
	var e tandem.Engagement
	var kind, status, areas, phase, start, end, review, endedOn string
	var activated, ended sql.NullTime
	err := sc.Scan(&e.ID, &e.OrgID, &kind, &status,
		&e.Learner.ID, &e.Learner.Name, &e.Learner.Email, &e.Learner.Title, &e.Learner.Left,
		&e.Guide.ID, &e.Guide.Name, &e.Guide.Email, &e.Guide.Title, &e.Guide.Left,
		&e.Manager.ID, &e.Manager.Name, &e.Manager.Email, &e.Manager.Title, &e.Manager.Left, &e.ManagerRequired,
		&e.SkillID, &e.SkillName, &e.Setting, &start, &end, &e.PreviousID, &e.ShareHistory,
		&areas, &phase, &e.ReviewMonths, &review, &e.ReversalBy,
		&e.Exception, &e.ExceptionBy.ID, &e.ExceptionBy.Name, &e.InChain,
		&e.CurrentVersion, &e.AgreedVersion, &e.CreatedBy, &e.CreatedAt, &activated, &ended, &endedOn, &e.EndReason,
		&e.EndedBy.ID, &e.EndedBy.Name, &e.ProgramID, &e.ProgramName)
	if err != nil {
		return nil, err
	}
	e.Kind, e.Status, e.Phase = tandem.Kind(kind), tandem.Status(status), tandem.Phase(phase)
	e.Start, e.End, e.NextReview, e.EndedOn = tandem.Date(start), tandem.Date(end), tandem.Date(review), tandem.Date(endedOn)
	for _, a := range tandem.SplitList(areas) {
		e.Areas = append(e.Areas, tandem.Area(a))
	}
	e.ActivatedAt, e.EndedAt = timePtr(activated), timePtr(ended)
	return &e, nil
}

func engagementByID(ctx context.Context, q querier, orgID, id int64) (*tandem.Engagement, error) {
	e, err := scanEngagement(q.QueryRowContext(ctx, engagementSelect+` WHERE e.id = ? AND e.org_id = ?`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such engagement.")
	}
	if err != nil {
		return nil, fmt.Errorf("engagement: %w", mapError(err))
	}
	return e, nil
}

// EngagementByID returns an engagement of the organization, or ENOTFOUND.
func (db *DB) EngagementByID(ctx context.Context, orgID, id int64) (*tandem.Engagement, error) {
	return engagementByID(ctx, db.q(), orgID, id)
}

// EngagementFilter selects engagements in lists. Zero fields do not filter.
type EngagementFilter struct {
	// PartyID keeps the engagements the person is a party to (learner,
	// guide or manager).
	PartyID int64
	// AwaitingAnswer, with PartyID, keeps the open engagements whose
	// current agreement version is not in effect and has no answer from
	// the party yet.
	AwaitingAnswer bool
	Kind           tandem.Kind
	Status         tandem.Status
	Phase          tandem.Phase
	SkillID        int64
	// StalledBefore keeps the active engagements with no held session (nor
	// activation) since then: the app sets it from the organization's
	// stalled_days.
	StalledBefore time.Time
	// WaitingForManager keeps the drafts the manager has not answered.
	WaitingForManager bool
	// EndingFrom and EndingBy keep the active coaching engagements whose
	// end date falls between them.
	EndingFrom, EndingBy tandem.Date
	Limit                int
	Offset               int
}

// engagementWhere is the condition on engagements e that a filter makes.
func engagementWhere(orgID int64, f EngagementFilter) (string, []any) {
	where := []string{"e.org_id = ?"}
	args := []any{orgID}
	if f.PartyID != 0 {
		where = append(where, "(e.learner_id = ? OR e.guide_id = ? OR e.manager_id = ?)")
		args = append(args, f.PartyID, f.PartyID, f.PartyID)
	}
	if f.AwaitingAnswer && f.PartyID != 0 {
		where = append(where, `e.status IN ('draft', 'active') AND e.current_version <> e.agreed_version
			AND NOT EXISTS (SELECT 1 FROM agreement_responses r WHERE r.engagement_id = e.id AND r.version = e.current_version AND r.person_id = ?)`)
		args = append(args, f.PartyID)
	}
	if f.Kind != "" {
		where = append(where, "e.kind = ?")
		args = append(args, string(f.Kind))
	}
	if f.Status != "" {
		where = append(where, "e.status = ?")
		args = append(args, string(f.Status))
	}
	if f.Phase != "" {
		where = append(where, "e.phase = ?")
		args = append(args, string(f.Phase))
	}
	if f.SkillID != 0 {
		where = append(where, "e.skill_id = ?")
		args = append(args, f.SkillID)
	}
	if !f.StalledBefore.IsZero() {
		cond, a := stalledWhere(f.StalledBefore)
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.WaitingForManager {
		where = append(where, waitingForManagerWhere)
	}
	if f.EndingBy != "" {
		where = append(where, "e.status = 'active' AND e.kind = 'coaching' AND e.end_on <> '' AND e.end_on >= ? AND e.end_on <= ?")
		args = append(args, string(f.EndingFrom), string(f.EndingBy))
	}
	return strings.Join(where, " AND "), args
}

// CountEngagements counts the engagements a filter keeps, by status
// (Limit and Offset aside).
func (db *DB) CountEngagements(ctx context.Context, orgID int64, f EngagementFilter) (map[tandem.Status]int, error) {
	cond, args := engagementWhere(orgID, f)
	rows, err := queryAll(ctx, db.q(), func(rows *sql.Rows, c *struct {
		status string
		n      int
	}) error {
		return rows.Scan(&c.status, &c.n)
	}, `SELECT e.status, COUNT(*) FROM engagements e WHERE `+cond+` GROUP BY e.status`, args...)
	if err != nil {
		return nil, err
	}
	out := map[tandem.Status]int{}
	for _, c := range rows {
		out[tandem.Status(c.status)] = c.n
	}
	return out, nil
}

// ListEngagements lists an organization's engagements, newest first.
func (db *DB) ListEngagements(ctx context.Context, orgID int64, f EngagementFilter) ([]tandem.Engagement, error) {
	cond, args := engagementWhere(orgID, f)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := db.q().QueryContext(ctx, engagementSelect+` WHERE `+cond+
		` ORDER BY e.created_at DESC, e.id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, max(0, f.Offset))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tandem.Engagement
	for rows.Next() {
		e, err := scanEngagement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// openCoaching returns the open (draft or active) coaching engagement of the
// learner for the skill, or nil.
func openCoaching(ctx context.Context, tx *Tx, orgID, learnerID, skillID, except int64) (*tandem.Engagement, error) {
	e, err := scanEngagement(tx.QueryRow(ctx, engagementSelect+` WHERE e.org_id = ? AND e.learner_id = ? AND e.skill_id = ?
		AND e.kind = 'coaching' AND e.status IN ('draft', 'active') AND e.id <> ? ORDER BY e.id LIMIT 1`, orgID, learnerID, skillID, except))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return e, mapError(err)
}

// OpenCoachingConflict is CreateEngagement's answer when the learner already
// has an open coaching engagement for the skill. First is that engagement;
// whether the proposer may be told about it is app's decision, so the error
// reads (and unwraps to) the conflict without naming it: whoever does not
// look at First cannot leak it.
type OpenCoachingConflict struct {
	First *tandem.Engagement
}

// OpenCoachingMessage refuses a second open coaching engagement for the same
// learner and skill without saying with whom, or which, the first one is.
const OpenCoachingMessage = "There is already an open coaching engagement for this person and skill: one engagement per skill at a time."

func (c *OpenCoachingConflict) Error() string { return c.Unwrap().Error() }

// Unwrap returns the conflict as a tandem.Error that names nothing.
func (c *OpenCoachingConflict) Unwrap() error { return openCoachingError() }

func openCoachingError() *tandem.Error {
	return &tandem.Error{Code: tandem.ECONFLICT, Message: OpenCoachingMessage, Fields: map[string]string{"skill": OpenCoachingMessage}}
}

// CreateEngagement stores a proposed engagement with version 1 of its
// agreement. It refuses a second open coaching engagement for the same
// learner and skill with an *OpenCoachingConflict; the unique index keeps the rule
// when two proposals race. previousID links coaching to the closed
// engagement for the same skill it moves on from (0 for none). An
// administrator's exception to the hierarchy rule (e.Exception, by
// e.ExceptionBy) is stored with the proposal, timeline entry included.
func (db *DB) CreateEngagement(ctx context.Context, e *tandem.Engagement, a *tandem.Agreement) error {
	return db.Write(ctx, func(tx *Tx) error {
		if e.Kind == tandem.Coaching {
			first, err := openCoaching(ctx, tx, e.OrgID, e.Learner.ID, e.SkillID, 0)
			if err != nil {
				return err
			}
			if first != nil {
				return &OpenCoachingConflict{First: first}
			}
			var prev sql.NullInt64
			if err := tx.QueryRow(ctx, `SELECT MAX(id) FROM engagements WHERE org_id = ? AND learner_id = ? AND skill_id = ? AND kind = 'coaching'`,
				e.OrgID, e.Learner.ID, e.SkillID).Scan(&prev); err != nil {
				return err
			}
			e.PreviousID = prev.Int64
		}
		return insertEngagement(ctx, tx, e, a, true)
	})
}

// insertEngagement stores a proposed engagement with its first agreement
// version and the proposed event (which notifies the parties), inside tx.
// With authorAgrees, a proposer who is a party agrees to version 1 in the
// same transaction (agreeAsAuthor); a published cohort run passes false:
// the program admin publishes a matching, and agrees to no one's terms.
func insertEngagement(ctx context.Context, tx *Tx, e *tandem.Engagement, a *tandem.Agreement, authorAgrees bool) error {
	e.Status, e.CurrentVersion, e.CreatedAt = tandem.StatusDraft, 1, tx.now
	areas := make([]string, len(e.Areas))
	for i, ar := range e.Areas {
		areas[i] = string(ar)
	}
	id, err := tx.insert(ctx, `INSERT INTO engagements (org_id, kind, status, learner_id, guide_id, manager_id, manager_required,
			skill_id, setting, start_on, end_on, previous_id, share_history, areas, phase, review_months,
			current_version, exception_reason, exception_by, created_by, created_at, updated_at, program_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.OrgID, string(e.Kind), string(e.Status), e.Learner.ID, e.Guide.ID, nullID(e.Manager.ID), e.ManagerRequired,
		nullID(e.SkillID), e.Setting, string(e.Start), string(e.End), nullID(e.PreviousID), e.ShareHistory,
		strings.Join(areas, ";"), string(e.Phase), e.ReviewMonths, 1, e.Exception, nullID(e.ExceptionBy.ID),
		e.CreatedBy, tx.now, tx.now, nullID(e.ProgramID))
	if isConflict(err) && e.Kind == tandem.Coaching {
		// A proposal for the same learner and skill committed after the
		// check above. It cannot be read here to be named: on
		// PostgreSQL the failed insert has aborted the transaction.
		return openCoachingError()
	}
	if err != nil {
		return fmt.Errorf("insert engagement: %w", err)
	}
	e.ID = id
	a.Version = 1
	if err := insertVersion(ctx, tx, e.ID, a); err != nil {
		return err
	}
	if err := addEvent(ctx, tx, e.ID, e.CreatedBy, tandem.EventProposed, e.Kind.Label(), ""); err != nil {
		return err
	}
	if authorAgrees {
		if err := agreeAsAuthor(ctx, tx, e, a.Version, e.CreatedBy); err != nil {
			return err
		}
	}
	if e.Exception != "" {
		return addEvent(ctx, tx, e.ID, e.ExceptionBy.ID, tandem.EventException, "outside-the-hierarchy rule waived", e.Exception)
	}
	return nil
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func addEvent(ctx context.Context, tx *Tx, engagementID, actorID int64, t tandem.EventType, detail, note string) error {
	return addEventAbout(ctx, tx, engagementID, actorID, 0, t, detail, note)
}

// addEventAbout records an event about one object of the engagement (a
// session), and notifies whom it concerns in the same transaction (see
// notifyEvent). The note is never part of a notification.
func addEventAbout(ctx context.Context, tx *Tx, engagementID, actorID, objectID int64, t tandem.EventType, detail, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO engagement_events (engagement_id, at, actor_id, type, detail, note) VALUES (?, ?, ?, ?, ?, ?)`,
		engagementID, tx.now, nullID(actorID), string(t), detail, note)
	if err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	return notifyEvent(ctx, tx, engagementID, actorID, objectID, t, detail)
}

// Events returns an engagement's timeline, oldest first; none for an
// engagement of another organization.
func (db *DB) Events(ctx context.Context, orgID, engagementID int64) ([]tandem.Event, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, ev *tandem.Event) error {
		var typ string
		if err := rows.Scan(&ev.ID, &ev.At, &ev.Actor.ID, &ev.Actor.Name, &typ, &ev.Detail, &ev.Note); err != nil {
			return err
		}
		ev.Type = tandem.EventType(typ)
		return nil
	}, `SELECT v.id, v.at, COALESCE(p.id, 0), COALESCE(p.name, ''), v.type, v.detail, v.note
		FROM engagement_events v JOIN engagements e ON e.id = v.engagement_id AND e.org_id = ?
		LEFT JOIN people p ON p.id = v.actor_id WHERE v.engagement_id = ? ORDER BY v.at, v.id`, orgID, engagementID)
}

// lockEngagement takes the engagement's row for the rest of the
// transaction, so concurrent changes to one engagement run one after the
// other (an UPDATE locks the row on PostgreSQL; SQLite transactions are
// immediate and so already serial), and returns it fresh.
func lockEngagement(ctx context.Context, tx *Tx, orgID, id int64) (*tandem.Engagement, error) {
	res, err := tx.Exec(ctx, `UPDATE engagements SET updated_at = ? WHERE id = ? AND org_id = ?`, tx.now, id, orgID)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "No such engagement.")
	}
	return engagementByID(ctx, tx.q(), orgID, id)
}

// Successor reports whether the person coaches a later engagement for the
// same skill that moved on from this one, and the coachee shared the
// history with them.
func (db *DB) Successor(ctx context.Context, orgID, engagementID, personID int64) (bool, error) {
	var n int
	err := db.q().QueryRowContext(ctx, `WITH RECURSIVE later(id, guide_id, share_history) AS (
			SELECT id, guide_id, share_history FROM engagements WHERE previous_id = ? AND org_id = ?
			UNION ALL
			SELECT e.id, e.guide_id, e.share_history FROM engagements e JOIN later l ON e.previous_id = l.id
		) SELECT COUNT(*) FROM later WHERE guide_id = ? AND share_history`, engagementID, orgID, personID).Scan(&n)
	return n > 0, mapError(err)
}
