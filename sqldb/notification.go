package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem"
)

// Notifications are written in the transaction of the change that causes
// them: addEvent calls notifyEvent, so every store method that records an
// engagement event (proposals, answers, revisions, sessions, phases,
// endings, expiry) tells whom it concerns, and a change never exists
// without its notifications nor a notification without its change. An
// email is a job inserted in the same transaction, when the person wants
// the category at once.

// NotificationEmailArgs is the job that emails one notification. OrgID
// puts it on its organization's queue page (OrgJob).
type NotificationEmailArgs struct {
	ID    int64 `json:"id"`
	OrgID int64 `json:"org_id"`
	// BaseURL is the site's URL as the request that caused the
	// notification saw it (tandem.BaseURLFrom), empty for a reminder.
	BaseURL string `json:"base_url,omitempty"`
}

// Kind names the job in the queue.
func (NotificationEmailArgs) Kind() string { return "notification_email" }

// JobOrgID is the notification's organization.
func (a NotificationEmailArgs) JobOrgID() int64 { return a.OrgID }

// notifyEvent writes the notifications of an engagement event: to each
// party (the partners only for sessions and the partnership's course) who
// may see the event's facet, but not to whoever caused it.
func notifyEvent(ctx context.Context, tx *Tx, engagementID, actorID, objectID int64, t tandem.EventType, detail string) error {
	if _, _, ok := tandem.NotifyRule(t); !ok {
		return nil
	}
	e, err := scanEngagement(tx.QueryRow(ctx, engagementSelect+` WHERE e.id = ?`, engagementID))
	if err != nil {
		return fmt.Errorf("notify: %w", mapError(err))
	}
	for _, to := range Recipients(e, t, actorID) {
		n := &tandem.Notification{OrgID: e.OrgID, PersonID: to, Event: t, EngagementID: e.ID, ObjectID: objectID,
			Actor: tandem.PersonRef{ID: actorID}, Title: e.Title(), Detail: detail}
		if _, err := insertNotification(ctx, tx, n, ""); err != nil {
			return err
		}
	}
	return nil
}

// Recipients returns who is told of an event of the engagement: its
// parties (the partners only, when the rule says so) who may see the
// event's facet, except actorID.
func Recipients(e *tandem.Engagement, t tandem.EventType, actorID int64) []int64 {
	_, partnersOnly, ok := tandem.NotifyRule(t)
	if !ok {
		return nil
	}
	var out []int64
	for _, p := range []tandem.PersonRef{e.Learner, e.Guide, e.Manager} {
		if p.ID == 0 || p.ID == actorID {
			continue
		}
		v := e.ViewerOf(p.ID, "", false)
		if partnersOnly && v == tandem.ViewerManager {
			continue
		}
		if !tandem.Can(e.Kind, v, t.Facet()) {
			continue
		}
		out = append(out, p.ID)
	}
	return out
}

// insertNotification stores n and, when its person wants the category at
// once, the job that emails it. A non-empty onceKey makes the insert
// happen once per person and key (reminders); it reports whether it did.
func insertNotification(ctx context.Context, tx *Tx, n *tandem.Notification, onceKey string) (bool, error) {
	c, _, ok := tandem.NotifyRule(n.Event)
	if !ok {
		return false, fmt.Errorf("notify: no rule for %q", n.Event)
	}
	n.Category, n.CreatedAt = c, tx.now
	// Someone who left the organization is told nothing more.
	var active int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ? AND deactivated_at IS NULL`, n.PersonID).Scan(&active); err != nil {
		return false, fmt.Errorf("notify: %w", err)
	}
	if active == 0 {
		return false, nil
	}
	var key any
	if onceKey != "" {
		key = onceKey
	}
	err := tx.QueryRow(ctx, `INSERT INTO notifications (org_id, person_id, category, event, engagement_id, object_id, program_id, actor_id, title, detail, once_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, once_key) DO NOTHING RETURNING id`,
		n.OrgID, n.PersonID, string(c), string(n.Event), nullID(n.EngagementID), nullID(n.ObjectID), nullID(n.ProgramID), nullID(n.Actor.ID),
		n.Title, n.Detail, key, tx.now).Scan(&n.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // reminded already
	}
	if err != nil {
		return false, fmt.Errorf("insert notification: %w", mapError(err))
	}
	var delivery string
	err = tx.QueryRow(ctx, `SELECT delivery FROM notification_settings WHERE person_id = ? AND category = ?`, n.PersonID, string(c)).Scan(&delivery)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		delivery = string(tandem.DeliveryImmediately)
	case err != nil:
		return false, err
	}
	if tandem.Delivery(delivery) == tandem.DeliveryImmediately {
		if err := tx.Enqueue(ctx, NotificationEmailArgs{ID: n.ID, OrgID: n.OrgID, BaseURL: tandem.BaseURLFrom(ctx)}, nil); err != nil {
			return false, err
		}
	}
	return true, nil
}

// Remind stores a reminder for a person once per onceKey (the reminder,
// its object and the day), and reports whether it was new.
func (db *DB) Remind(ctx context.Context, n *tandem.Notification, onceKey string) (bool, error) {
	var added bool
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		added, err = insertNotification(ctx, tx, n, onceKey)
		return err
	})
	return added, err
}

const notificationSelect = `SELECT n.id, n.org_id, n.person_id, n.category, n.event, COALESCE(n.engagement_id, 0), COALESCE(n.object_id, 0),
	COALESCE(n.program_id, 0), COALESCE(a.id, 0), COALESCE(a.name, ''), n.title, n.detail, n.created_at, n.read_at, n.emailed_at
	FROM notifications n LEFT JOIN people a ON a.id = n.actor_id`

func scanNotification(sc scanner, n *tandem.Notification) error {
	var cat, event string
	var read, emailed sql.NullTime
	if err := sc.Scan(&n.ID, &n.OrgID, &n.PersonID, &cat, &event, &n.EngagementID, &n.ObjectID, &n.ProgramID, &n.Actor.ID, &n.Actor.Name,
		&n.Title, &n.Detail, &n.CreatedAt, &read, &emailed); err != nil {
		return err
	}
	n.Category, n.Event, n.ReadAt, n.EmailedAt = tandem.Category(cat), tandem.EventType(event), timePtr(read), timePtr(emailed)
	return nil
}

// Notifications returns a person's newest notifications (at most limit)
// and how many of all of theirs are unread.
func (db *DB) Notifications(ctx context.Context, orgID, personID int64, limit int) ([]tandem.Notification, int, error) {
	var list []tandem.Notification
	var unread int
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		list, err = queryAll(ctx, tx.q(), func(rows *sql.Rows, n *tandem.Notification) error { return scanNotification(rows, n) },
			notificationSelect+` WHERE n.org_id = ? AND n.person_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT ?`, orgID, personID, limit)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE org_id = ? AND person_id = ? AND read_at IS NULL`, orgID, personID).Scan(&unread)
	})
	return list, unread, err
}

// UnreadCount returns how many of a person's notifications are unread.
func (db *DB) UnreadCount(ctx context.Context, orgID, personID int64) (int, error) {
	var n int
	err := db.q().QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE org_id = ? AND person_id = ? AND read_at IS NULL`, orgID, personID).Scan(&n)
	return n, err
}

// MarkRead marks the person's notifications with the given ids read, or
// all of them when ids is empty, and returns how many changed. Ids of
// other people's notifications change nothing.
func (db *DB) MarkRead(ctx context.Context, orgID, personID int64, ids []int64) (int, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		q := `UPDATE notifications SET read_at = ? WHERE org_id = ? AND person_id = ? AND read_at IS NULL`
		args := []any{tx.now, orgID, personID}
		if len(ids) > 0 {
			q += ` AND id IN (?` + strings.Repeat(", ?", len(ids)-1) + `)`
			for _, id := range ids {
				args = append(args, id)
			}
		}
		res, err := tx.Exec(ctx, q, args...)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// NotificationSettings returns a person's deliveries by category.
func (db *DB) NotificationSettings(ctx context.Context, personID int64) (tandem.NotificationSettings, error) {
	s := tandem.NotificationSettings{}
	rows, err := db.q().QueryContext(ctx, `SELECT category, delivery FROM notification_settings WHERE person_id = ?`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c, d string
		if err := rows.Scan(&c, &d); err != nil {
			return nil, err
		}
		s[tandem.Category(c)] = tandem.Delivery(d)
	}
	return s, rows.Err()
}

// SetNotificationSettings replaces a person's deliveries for the
// categories given (app validates them).
func (db *DB) SetNotificationSettings(ctx context.Context, personID int64, s tandem.NotificationSettings) error {
	return db.Write(ctx, func(tx *Tx) error {
		for c, d := range s {
			if _, err := tx.Exec(ctx, `INSERT INTO notification_settings (person_id, category, delivery) VALUES (?, ?, ?)
				ON CONFLICT (person_id, category) DO UPDATE SET delivery = excluded.delivery`, personID, string(c), string(d)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Recipient is who a notification email goes to.
type Recipient struct {
	OrgID    int64
	OrgName  string
	PersonID int64
	Name     string
	Email    string
	TimeZone string
}

// NotificationToEmail returns a notification and its recipient for the
// email job, or ENOTFOUND when it is gone (its engagement deleted).
func (db *DB) NotificationToEmail(ctx context.Context, id int64) (*tandem.Notification, *Recipient, error) {
	var n tandem.Notification
	if err := scanNotification(db.q().QueryRowContext(ctx, notificationSelect+` WHERE n.id = ?`, id), &n); err != nil {
		return nil, nil, notFound(err, "No such notification.")
	}
	r, err := db.RecipientByID(ctx, n.PersonID)
	if err != nil {
		return nil, nil, err
	}
	return &n, r, nil
}

// RecipientByID returns whom a person's notification emails go to, or
// ENOTFOUND when no one is (the person left the organization): an email
// queued before they left is not sent.
func (db *DB) RecipientByID(ctx context.Context, personID int64) (*Recipient, error) {
	r := &Recipient{PersonID: personID}
	err := db.q().QueryRowContext(ctx, `SELECT p.org_id, p.name, p.email, p.time_zone, o.name FROM people p JOIN orgs o ON o.id = p.org_id
		WHERE p.id = ? AND p.deactivated_at IS NULL`, personID).
		Scan(&r.OrgID, &r.Name, &r.Email, &r.TimeZone, &r.OrgName)
	if err != nil {
		return nil, notFound(err, "No such person.")
	}
	return r, nil
}

// MarkEmailed records that a notification was emailed, and reports
// whether it was not already (a retried job sends once).
func (db *DB) MarkEmailed(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE notifications SET emailed_at = ? WHERE id = ? AND emailed_at IS NULL`, tx.now, id)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n > 0, err
}

// DailySummaryArgs is the job that emails one person their daily summary:
// the notifications of the categories they get daily, not yet emailed and
// written before Cutoff (their local summary hour that day). OrgID, the
// person's organization, puts it on that organization's queue page.
type DailySummaryArgs struct {
	PersonID int64     `json:"person_id"`
	OrgID    int64     `json:"org_id"`
	Cutoff   time.Time `json:"cutoff"`
}

// Kind names the job in the queue.
func (DailySummaryArgs) Kind() string { return "daily_summary" }

// JobOrgID is the person's organization.
func (a DailySummaryArgs) JobOrgID() int64 { return a.OrgID }

// SummaryDue is a person with notifications waiting for a daily summary.
type SummaryDue struct {
	PersonID int64
	OrgID    int64
	TimeZone string
	Oldest   time.Time // the oldest waiting notification
}

// SummariesDue lists the people who have notifications, not yet emailed,
// in a category they get as a daily summary.
func (db *DB) SummariesDue(ctx context.Context) ([]SummaryDue, error) {
	var waiting []SummaryDue
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		// The rows, not MIN(created_at): SQLite returns an aggregate of a
		// time column as text. Waiting rows are a day's worth at most.
		waiting, err = queryAll(ctx, tx.q(), func(rows *sql.Rows, s *SummaryDue) error {
			return rows.Scan(&s.PersonID, &s.OrgID, &s.TimeZone, &s.Oldest)
		}, `SELECT n.person_id, p.org_id, p.time_zone, n.created_at FROM notifications n
			JOIN notification_settings s ON s.person_id = n.person_id AND s.category = n.category AND s.delivery = 'daily'
			JOIN people p ON p.id = n.person_id
			WHERE n.emailed_at IS NULL
			ORDER BY n.person_id, n.created_at`)
		return err
	})
	var out []SummaryDue
	for _, w := range waiting {
		if len(out) == 0 || out[len(out)-1].PersonID != w.PersonID {
			out = append(out, w) // the first row of each person is their oldest
		}
	}
	return out, err
}

// EnqueueSummary queues the daily summary of a person of the
// organization, once per cutoff.
func (db *DB) EnqueueSummary(ctx context.Context, orgID, personID int64, cutoff time.Time) error {
	return db.Enqueue(ctx, DailySummaryArgs{PersonID: personID, OrgID: orgID, Cutoff: cutoff.UTC()},
		&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
}

// SummaryItems returns a person's notifications for a daily summary:
// those of their daily categories, not yet emailed, written before cutoff.
func (db *DB) SummaryItems(ctx context.Context, personID int64, cutoff time.Time) ([]tandem.Notification, error) {
	var list []tandem.Notification
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		list, err = queryAll(ctx, tx.q(), func(rows *sql.Rows, n *tandem.Notification) error { return scanNotification(rows, n) },
			notificationSelect+` JOIN notification_settings s ON s.person_id = n.person_id AND s.category = n.category AND s.delivery = 'daily'
			WHERE n.person_id = ? AND n.emailed_at IS NULL AND n.created_at < ? ORDER BY n.created_at, n.id`, personID, cutoff.UTC())
		return err
	})
	return list, err
}

// MarkSummarized records that the notifications went out in a summary.
func (db *DB) MarkSummarized(ctx context.Context, ids []int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if _, err := tx.Exec(ctx, `UPDATE notifications SET emailed_at = ? WHERE id = ? AND emailed_at IS NULL`, tx.now, id); err != nil {
				return err
			}
		}
		return nil
	})
}
