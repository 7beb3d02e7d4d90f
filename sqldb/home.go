package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/tandemhq/tandem"
)

// What's next: the few queries behind every home page. Each is one query
// over the person's engagements, never one per engagement.

// UpcomingSession is a scheduled session of an active engagement, with the
// engagement's kind and people, for lists across engagements. It carries
// no agenda or notes.
type UpcomingSession struct {
	MeetingID    int64
	EngagementID int64
	Kind         tandem.Kind
	SkillName    string
	Learner      tandem.PersonRef
	Guide        tandem.PersonRef
	Start        time.Time
	Minutes      int
	Place        string
}

// UpcomingSessions lists the scheduled sessions starting in [from, to) of
// the active engagements the person is a partner in (learner or coach or
// mentor), soonest first.
func (db *DB) UpcomingSessions(ctx context.Context, orgID, personID int64, from, to time.Time) ([]UpcomingSession, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, s *UpcomingSession) error {
		var kind string
		err := rows.Scan(&s.MeetingID, &s.EngagementID, &kind, &s.SkillName, &s.Learner.ID, &s.Learner.Name, &s.Guide.ID, &s.Guide.Name,
			&s.Start, &s.Minutes, &s.Place)
		s.Kind, s.Start = tandem.Kind(kind), s.Start.UTC()
		return err
	}, `SELECT m.id, e.id, e.kind, COALESCE(sk.name, ''), l.id, l.name, g.id, g.name, m.start_at, m.minutes, m.place
		FROM meetings m
		JOIN engagements e ON e.id = m.engagement_id
		JOIN people l ON l.id = e.learner_id
		JOIN people g ON g.id = e.guide_id
		LEFT JOIN skills sk ON sk.id = e.skill_id
		WHERE m.org_id = ? AND m.status = 'scheduled' AND e.status = 'active' AND (e.learner_id = ? OR e.guide_id = ?)
			AND m.start_at >= ? AND m.start_at < ?
		ORDER BY m.start_at, m.id`, orgID, personID, personID, from.UTC(), to.UTC())
}

// GoalDue is an open coaching goal with its engagement's people.
type GoalDue struct {
	GoalID       int64
	EngagementID int64
	SkillName    string
	Learner      tandem.PersonRef
	Guide        tandem.PersonRef
	ManagerID    int64
	Title        string
	Due          tandem.Date
}

// GoalsDue lists the open goals due on or before by of the active coaching
// engagements the person is a party to (learner, coach or manager: the
// matrix lets a manager see coaching goals), earliest first.
func (db *DB) GoalsDue(ctx context.Context, orgID, personID int64, by tandem.Date) ([]GoalDue, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, g *GoalDue) error {
		var due string
		err := rows.Scan(&g.GoalID, &g.EngagementID, &g.SkillName, &g.Learner.ID, &g.Learner.Name, &g.Guide.ID, &g.Guide.Name, &g.ManagerID, &g.Title, &due)
		g.Due = tandem.Date(due)
		return err
	}, `SELECT gl.id, e.id, COALESCE(sk.name, ''), l.id, l.name, g.id, g.name, COALESCE(e.manager_id, 0), gl.title, gl.due_on
		FROM goals gl
		JOIN engagements e ON e.id = gl.engagement_id
		JOIN people l ON l.id = e.learner_id
		JOIN people g ON g.id = e.guide_id
		LEFT JOIN skills sk ON sk.id = e.skill_id
		WHERE gl.org_id = ? AND gl.status = 'open' AND e.status = 'active' AND e.kind = 'coaching'
			AND (e.learner_id = ? OR e.guide_id = ? OR e.manager_id = ?) AND gl.due_on <= ?
		ORDER BY gl.due_on, gl.id`, orgID, personID, personID, personID, string(by))
}

// ProgramDecisions is a program with applications waiting for a decision.
type ProgramDecisions struct {
	ProgramID int64
	Name      string
	Waiting   int
}

// ApplicationsToDecide counts the submitted applications of the programs
// the person runs: every program when all is set (an administrator), else
// the programs that name them as a program admin.
func (db *DB) ApplicationsToDecide(ctx context.Context, orgID, personID int64, all bool) ([]ProgramDecisions, error) {
	return queryAll(ctx, db.q(), func(rows *sql.Rows, p *ProgramDecisions) error {
		return rows.Scan(&p.ProgramID, &p.Name, &p.Waiting)
	}, `SELECT p.id, p.name, COUNT(*) FROM program_applications a JOIN programs p ON p.id = a.program_id
		WHERE a.org_id = ? AND a.status = 'submitted' AND p.state IN ('enrolling', 'matching')
			AND (? OR EXISTS (SELECT 1 FROM program_admins pa WHERE pa.program_id = p.id AND pa.person_id = ?))
		GROUP BY p.id, p.name ORDER BY p.name, p.id`, orgID, all, personID)
}

// EngagementNumbers are an organization's engagements at a glance.
type EngagementNumbers struct {
	Active            int
	WaitingForManager int
	Stalled           int
	EndingSoon        int
}

// CountEngagementNumbers counts, in one query, the organization's active
// engagements, the drafts waiting for a manager's answer, the active ones
// stalled (no held session, nor activation, since stalledBefore; zero time
// when the organization does not track stalling) and the coaching ending
// from today to endingBy.
func (db *DB) CountEngagementNumbers(ctx context.Context, orgID int64, stalledBefore time.Time, today, endingBy tandem.Date) (EngagementNumbers, error) {
	var n EngagementNumbers
	stalledCond, stalledArgs := stalledWhere(stalledBefore)
	waitingCond := waitingForManagerWhere
	endingCond := `e.status = 'active' AND e.kind = 'coaching' AND e.end_on <> '' AND e.end_on >= ? AND e.end_on <= ?`
	args := append(append([]any{}, stalledArgs...), string(today), string(endingBy), orgID)
	err := db.q().QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN e.status = 'active' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+waitingCond+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+stalledCond+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+endingCond+` THEN 1 ELSE 0 END), 0)
		FROM engagements e WHERE e.org_id = ?`, args...).Scan(&n.Active, &n.WaitingForManager, &n.Stalled, &n.EndingSoon)
	return n, mapError(err)
}

// waitingForManagerWhere keeps the drafts whose current agreement version
// the manager, whose agreement is required, has not answered.
const waitingForManagerWhere = `(e.status = 'draft' AND e.manager_id IS NOT NULL AND e.manager_required
	AND NOT EXISTS (SELECT 1 FROM agreement_responses r WHERE r.engagement_id = e.id AND r.version = e.current_version AND r.person_id = e.manager_id))`

// stalledWhere keeps the active engagements with no held session since
// before (nor activation, when none was held): tandem.Stalled in SQL. A
// zero before keeps none.
func stalledWhere(before time.Time) (string, []any) {
	if before.IsZero() {
		return "1 = 0", nil
	}
	return `(e.status = 'active' AND e.activated_at IS NOT NULL AND COALESCE((SELECT MAX(m.start_at) FROM meetings m
		WHERE m.engagement_id = e.id AND m.status = 'held'), e.activated_at) < ?)`, []any{before.UTC()}
}
