package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tandemhq/tandem"
)

// Reminders are what no one did: a periodic job looks for what is due and
// tells whom it concerns, each reminder once. The once key names the
// reminder, its object and what makes it due (the session's start, the
// day, the agreement's version), and a unique index on (person, key) makes
// a second run, or a second replica, add nothing.

// due is one reminder found: the engagement, what it is about and its key.
type due struct {
	engagementID int64
	objectID     int64
	event        tandem.EventType
	detail       string
	key          string
	// to, when set, is the one person it is for (an action item's owner,
	// a party the agreement waits on); otherwise Recipients decides.
	to int64
}

// SendReminders finds every reminder due at now, in every organization,
// and stores those not sent before (with their email jobs). It returns
// how many it stored.
func (db *DB) SendReminders(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	today := tandem.DateOf(now)
	var all []due
	add := func(list []due, err error) error {
		all = append(all, list...)
		return err
	}
	q := db.q()
	// A session in the next 24 hours.
	if err := add(queryAll(ctx, q, func(rows *sql.Rows, d *due) error {
		var start time.Time
		var minutes int
		if err := rows.Scan(&d.engagementID, &d.objectID, &start, &minutes); err != nil {
			return err
		}
		d.event, d.detail = tandem.ReminderSessionSoon, meetingDetail(start, minutes)
		d.key = fmt.Sprintf("session_soon:%d:%d", d.objectID, start.Unix())
		return nil
	}, `SELECT m.engagement_id, m.id, m.start_at, m.minutes FROM meetings m JOIN engagements e ON e.id = m.engagement_id
		WHERE m.status = 'scheduled' AND e.status = 'active' AND m.start_at > ? AND m.start_at <= ?`, now, now.Add(24*time.Hour))); err != nil {
		return 0, fmt.Errorf("sessions due: %w", err)
	}
	// Action items due today or overdue, once a day, to their owner.
	if err := add(queryAll(ctx, q, func(rows *sql.Rows, d *due) error {
		var body, dueOn string
		if err := rows.Scan(&d.engagementID, &d.objectID, &d.to, &body, &dueOn); err != nil {
			return err
		}
		d.event, d.detail = tandem.ReminderActionItemDue, tandem.Truncate(body, 120)+" (due "+tandem.Date(dueOn).Format()+")"
		d.key = fmt.Sprintf("action_item_due:%d:%s", d.objectID, today)
		return nil
	}, `SELECT a.engagement_id, a.id, a.owner_id, a.body, a.due_on FROM action_items a JOIN engagements e ON e.id = a.engagement_id
		WHERE a.done_at IS NULL AND a.due_on <> '' AND a.due_on <= ? AND e.status = 'active'`, string(today))); err != nil {
		return 0, fmt.Errorf("action items due: %w", err)
	}
	// Review points due, once per review point; coaching ending within 7
	// days, once per end date.
	if err := add(queryAll(ctx, q, func(rows *sql.Rows, d *due) error {
		var kind, review, end string
		if err := rows.Scan(&d.engagementID, &kind, &review, &end); err != nil {
			return err
		}
		if kind == string(tandem.Mentoring) {
			d.event, d.detail, d.key = tandem.ReminderReviewDue, "due "+tandem.Date(review).Format(), "review_due:"+fmt.Sprint(d.engagementID)+":"+review
		} else {
			d.event, d.detail, d.key = tandem.ReminderEngagementEnding, "ends "+tandem.Date(end).Format(), "engagement_ending:"+fmt.Sprint(d.engagementID)+":"+end
		}
		return nil
	}, `SELECT id, kind, next_review_on, end_on FROM engagements WHERE status = 'active' AND (
		(kind = 'mentoring' AND next_review_on <> '' AND next_review_on <= ?) OR
		(kind = 'coaching' AND end_on <> '' AND end_on >= ? AND end_on <= ?))`,
		string(today), string(today), string(today.AddDays(7)))); err != nil {
		return 0, fmt.Errorf("reviews and endings: %w", err)
	}
	waiting, err := db.waitingAgreements(ctx, now)
	if err != nil {
		return 0, err
	}
	stalled, err := db.stalledEngagements(ctx, now)
	if err != nil {
		return 0, err
	}
	all = append(append(all, waiting...), stalled...)

	n := 0
	for _, d := range all {
		err := db.Write(ctx, func(tx *Tx) error {
			e, err := scanEngagement(tx.QueryRow(ctx, engagementSelect+` WHERE e.id = ?`, d.engagementID))
			if err != nil {
				return mapError(err)
			}
			to := Recipients(e, d.event, 0)
			if d.to != 0 {
				to = nil
				for _, id := range Recipients(e, d.event, 0) {
					if id == d.to {
						to = []int64{id}
					}
				}
			}
			for _, p := range to {
				nt := &tandem.Notification{OrgID: e.OrgID, PersonID: p, Event: d.event, EngagementID: e.ID, ObjectID: d.objectID,
					Title: e.Title(), Detail: d.detail}
				added, err := insertNotification(ctx, tx, nt, d.key)
				if err != nil {
					return err
				}
				if added {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("remind %s: %w", d.key, err)
		}
	}
	return n, nil
}

// waitingAgreements finds the parties an agreement version has waited on
// for 3 days or more: once per party and version.
func (db *DB) waitingAgreements(ctx context.Context, now time.Time) ([]due, error) {
	type cand struct {
		id, org int64
	}
	cands, err := queryAll(ctx, db.q(), func(rows *sql.Rows, c *cand) error { return rows.Scan(&c.id, &c.org) },
		`SELECT e.id, e.org_id FROM engagements e JOIN agreement_versions v ON v.engagement_id = e.id AND v.version = e.current_version
		WHERE e.status IN ('draft', 'active') AND e.current_version <> e.agreed_version AND v.created_at <= ?`, now.Add(-72*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("waiting agreements: %w", err)
	}
	var out []due
	for _, c := range cands {
		e, err := db.EngagementByID(ctx, c.org, c.id)
		if err != nil {
			return nil, err
		}
		rs, err := db.Responses(ctx, c.org, c.id)
		if err != nil {
			return nil, err
		}
		for _, p := range e.Waiting(rs) {
			var id int64
			switch p {
			case tandem.PartyLearner:
				id = e.Learner.ID
			case tandem.PartyGuide:
				id = e.Guide.ID
			case tandem.PartyManager:
				id = e.Manager.ID
			}
			out = append(out, due{engagementID: e.ID, event: tandem.ReminderAgreementWaiting, to: id,
				detail: fmt.Sprintf("version %d", e.CurrentVersion), key: fmt.Sprintf("agreement_waiting:%d:%d", e.ID, e.CurrentVersion)})
		}
	}
	return out, nil
}

// stalledEngagements finds the active engagements with no held session
// (or, with none yet, no activation) for their organization's stalled_days:
// once per stall, keyed by the last session or the activation.
func (db *DB) stalledEngagements(ctx context.Context, now time.Time) ([]due, error) {
	type cand struct {
		id        int64
		days      int
		activated time.Time
	}
	cands, err := queryAll(ctx, db.q(), func(rows *sql.Rows, c *cand) error { return rows.Scan(&c.id, &c.days, &c.activated) },
		`SELECT e.id, o.stalled_days, e.activated_at FROM engagements e JOIN orgs o ON o.id = e.org_id
		WHERE e.status = 'active' AND e.activated_at IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("stalled: %w", err)
	}
	type held struct {
		id int64
		at time.Time
	}
	last, err := queryAll(ctx, db.q(), func(rows *sql.Rows, h *held) error { return rows.Scan(&h.id, &h.at) },
		`SELECT m.engagement_id, m.start_at FROM meetings m JOIN engagements e ON e.id = m.engagement_id
		WHERE e.status = 'active' AND m.status = 'held'
		AND NOT EXISTS (SELECT 1 FROM meetings n WHERE n.engagement_id = m.engagement_id AND n.status = 'held' AND n.start_at > m.start_at)`)
	if err != nil {
		return nil, fmt.Errorf("stalled: %w", err)
	}
	lastHeld := map[int64]time.Time{}
	for _, h := range last {
		lastHeld[h.id] = h.at
	}
	var out []due
	for _, c := range cands {
		since := c.activated
		if t, ok := lastHeld[c.id]; ok {
			since = t
		}
		if now.Sub(since) < time.Duration(c.days)*24*time.Hour {
			continue
		}
		out = append(out, due{engagementID: c.id, event: tandem.ReminderStalled, detail: "no session since " + tandem.DateOf(since).Format(),
			key: fmt.Sprintf("stalled:%d:%d", c.id, since.Unix())})
	}
	return out, nil
}
