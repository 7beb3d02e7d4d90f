package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem"
)

// proposeMany writes proposals in bulk: the rows insertEngagement writes
// for each of es (the engagement, version 1 of its agreement a, the
// "proposed" event, and the notifications of its parties with their email
// jobs, as notifyEvent and insertNotification write them), in the same
// order, so with the same ids, but a few statements per batch of rows
// instead of about twelve per engagement. Publishing a cohort of 10,000
// pairs took 10-15 s the other way. Each engagement needs Learner and
// Guide with their names (the notification's title), Manager's id when it
// has one, and no exception; it gets its id, status and version.
func proposeMany(ctx context.Context, tx *Tx, es []*tandem.Engagement, a tandem.Agreement) error {
	if len(es) == 0 {
		return nil
	}
	byLearner := make(map[int64]*tandem.Engagement, len(es))
	for _, e := range es {
		if e.Exception != "" || e.Kind == tandem.Coaching {
			return fmt.Errorf("propose many: only mentoring proposals without exception")
		}
		if byLearner[e.Learner.ID] != nil {
			return fmt.Errorf("propose many: learner %d twice", e.Learner.ID)
		}
		byLearner[e.Learner.ID] = e
		e.Status, e.CurrentVersion, e.CreatedAt = tandem.StatusDraft, 1, tx.now
	}
	engCols := []column{{"org_id", "bigint"}, {"kind", "text"}, {"status", "text"}, {"learner_id", "bigint"}, {"guide_id", "bigint"},
		{"manager_id", "bigint"}, {"manager_required", "boolean"}, {"skill_id", "bigint"}, {"setting", "text"}, {"start_on", "text"},
		{"end_on", "text"}, {"previous_id", "bigint"}, {"share_history", "boolean"}, {"areas", "text"}, {"phase", "text"},
		{"review_months", "integer"}, {"current_version", "integer"}, {"exception_reason", "text"}, {"exception_by", "bigint"},
		{"created_by", "bigint"}, {"created_at", "timestamptz"}, {"updated_at", "timestamptz"}, {"program_id", "bigint"}}
	err := inBatches(tx, len(es), len(engCols), func(from, to int) error {
		batch := es[from:to]
		q, args := tx.db.insertMany("engagements", engCols, len(batch), func(i, j int) any {
			e := batch[i]
			switch j {
			case 0:
				return e.OrgID
			case 1:
				return string(e.Kind)
			case 2:
				return string(e.Status)
			case 3:
				return e.Learner.ID
			case 4:
				return e.Guide.ID
			case 5:
				return nullID(e.Manager.ID)
			case 6:
				return e.ManagerRequired
			case 7:
				return nullID(e.SkillID)
			case 8:
				return e.Setting
			case 9:
				return string(e.Start)
			case 10:
				return string(e.End)
			case 11:
				return nullID(e.PreviousID)
			case 12:
				return e.ShareHistory
			case 13:
				areas := make([]string, len(e.Areas))
				for k, ar := range e.Areas {
					areas[k] = string(ar)
				}
				return strings.Join(areas, ";")
			case 14:
				return string(e.Phase)
			case 15:
				return e.ReviewMonths
			case 16:
				return 1
			case 17:
				return ""
			case 18:
				return nil
			case 19:
				return e.CreatedBy
			case 22:
				return nullID(e.ProgramID)
			}
			return tx.now
		})
		// The ids come back by learner (each learner is proposed once
		// here), whatever order RETURNING gives them in.
		return scanEach(ctx, tx, q+" RETURNING id, learner_id", args, func(rows *sql.Rows) error {
			var id, learner int64
			if err := rows.Scan(&id, &learner); err != nil {
				return err
			}
			byLearner[learner].ID = id
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("insert engagements: %w", err)
	}
	outcomes := strings.Join(a.Outcomes, "\n")
	verCols := []column{{"engagement_id", "bigint"}, {"version", "integer"}, {"outcomes", "text"}, {"cadence", "text"}, {"channels", "text"},
		{"confidentiality", "text"}, {"review_method", "text"}, {"exit_terms", "text"}, {"skill_id", "bigint"}, {"start_on", "text"},
		{"end_on", "text"}, {"evaluation_method", "text"}, {"created_by", "bigint"}, {"created_at", "timestamptz"}}
	verRow := []any{nil, 1, outcomes, a.Cadence, a.Channels, a.Confidentiality, a.ReviewMethod, a.ExitTerms, nullID(a.SkillID),
		string(a.Start), string(a.End), a.EvaluationMethod, a.CreatedBy, tx.now}
	err = inBatches(tx, len(es), len(verCols), func(from, to int) error {
		q, args := tx.db.insertMany("agreement_versions", verCols, to-from, func(i, j int) any {
			if j == 0 {
				return es[from+i].ID
			}
			return verRow[j]
		})
		_, err := tx.Exec(ctx, q, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("insert agreement versions: %w", err)
	}
	evCols := []column{{"engagement_id", "bigint"}, {"at", "timestamptz"}, {"actor_id", "bigint"}, {"type", "text"}, {"detail", "text"}, {"note", "text"}}
	err = inBatches(tx, len(es), len(evCols), func(from, to int) error {
		q, args := tx.db.insertMany("engagement_events", evCols, to-from, func(i, j int) any {
			e := es[from+i]
			return []any{e.ID, tx.now, nullID(e.CreatedBy), string(tandem.EventProposed), e.Kind.Label(), ""}[j]
		})
		_, err := tx.Exec(ctx, q, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("add events: %w", err)
	}
	return notifyMany(ctx, tx, es, tandem.EventProposed)
}

// notifyMany is notifyEvent and insertNotification for one event of each
// of es, the actor being each engagement's creator: the same rows, in the
// same order, with the active people and delivery settings read once.
func notifyMany(ctx context.Context, tx *Tx, es []*tandem.Engagement, t tandem.EventType) error {
	c, _, ok := tandem.NotifyRule(t)
	if !ok {
		return nil
	}
	orgID := es[0].OrgID
	// Someone who left the organization is told nothing more.
	left, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, id *int64) error { return rows.Scan(id) },
		`SELECT id FROM people WHERE org_id = ? AND deactivated_at IS NOT NULL`, orgID)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	gone := make(map[int64]bool, len(left))
	for _, id := range left {
		gone[id] = true
	}
	type setting struct {
		person   int64
		delivery string
	}
	settings, err := queryAll(ctx, tx.q(), func(rows *sql.Rows, s *setting) error { return rows.Scan(&s.person, &s.delivery) },
		`SELECT s.person_id, s.delivery FROM notification_settings s JOIN people p ON p.id = s.person_id
		WHERE p.org_id = ? AND s.category = ?`, orgID, string(c))
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	delivery := make(map[int64]tandem.Delivery, len(settings))
	for _, s := range settings {
		delivery[s.person] = tandem.Delivery(s.delivery)
	}
	type note struct {
		e  *tandem.Engagement
		to int64
	}
	var notes []note
	for _, e := range es {
		for _, to := range Recipients(e, t, e.CreatedBy) {
			if !gone[to] {
				notes = append(notes, note{e, to})
			}
		}
	}
	cols := []column{{"org_id", "bigint"}, {"person_id", "bigint"}, {"category", "text"}, {"event", "text"}, {"engagement_id", "bigint"},
		{"actor_id", "bigint"}, {"title", "text"}, {"detail", "text"}, {"created_at", "timestamptz"}}
	// The id of each notification, by engagement and person (a person is
	// told once of an engagement's event).
	ids := make(map[[2]int64]int64, len(notes))
	err = inBatches(tx, len(notes), len(cols), func(from, to int) error {
		q, args := tx.db.insertMany("notifications", cols, to-from, func(i, j int) any {
			n := notes[from+i]
			switch j {
			case 0:
				return n.e.OrgID
			case 1:
				return n.to
			case 2:
				return string(c)
			case 3:
				return string(t)
			case 4:
				return n.e.ID
			case 5:
				return nullID(n.e.CreatedBy)
			case 6:
				return n.e.Title()
			case 7:
				return n.e.Kind.Label()
			}
			return tx.now
		})
		return scanEach(ctx, tx, q+" RETURNING id, engagement_id, person_id", args, func(rows *sql.Rows) error {
			var id, eng, person int64
			if err := rows.Scan(&id, &eng, &person); err != nil {
				return err
			}
			ids[[2]int64{eng, person}] = id
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("insert notifications: %w", err)
	}
	var jobs []river.JobArgs
	base := tandem.BaseURLFrom(ctx)
	for _, n := range notes {
		if d, ok := delivery[n.to]; ok && d != tandem.DeliveryImmediately {
			continue
		}
		jobs = append(jobs, NotificationEmailArgs{ID: ids[[2]int64{n.e.ID, n.to}], OrgID: n.e.OrgID, BaseURL: base})
	}
	return tx.EnqueueMany(ctx, jobs)
}

// inBatches calls fn on consecutive ranges of n rows, each small enough
// for one bulk insert of cols columns.
func inBatches(tx *Tx, n, cols int, fn func(from, to int) error) error {
	per := tx.db.bulkRows(cols)
	for from := 0; from < n; from += per {
		if err := fn(from, min(n, from+per)); err != nil {
			return err
		}
	}
	return nil
}

// scanEach runs a query and calls scan on each row.
func scanEach(ctx context.Context, tx *Tx, query string, args []any, scan func(rows *sql.Rows) error) error {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
