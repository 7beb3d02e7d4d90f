package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tandemhq/tandem"
)

// Coach Notes: articles, subscribers, digests and the link secret.

const articleCols = `a.id, a.org_id, a.author_id, p.name, a.slug, a.title, a.summary, a.topics, a.body_md, a.body_html,
	a.published_at, a.created_at, a.updated_at`

func scanArticle(sc interface{ Scan(...any) error }) (*tandem.Article, error) {
	var a tandem.Article
	var topics string
	var pub sql.NullTime
	if err := sc.Scan(&a.ID, &a.OrgID, &a.AuthorID, &a.AuthorName, &a.Slug, &a.Title, &a.Summary, &topics, &a.Body, &a.HTML,
		&pub, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, err
	}
	if topics != "" {
		a.Topics = strings.Split(topics, "\n")
	}
	if pub.Valid {
		t := pub.Time.UTC()
		a.PublishedAt = &t
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return &a, nil
}

// SaveArticle inserts the article (ID 0) or updates it in its
// organization. A slug taken by another article is ECONFLICT on "slug".
func (db *DB) SaveArticle(ctx context.Context, a *tandem.Article) error {
	return db.Write(ctx, func(tx *Tx) error {
		var pub any
		if a.PublishedAt != nil {
			pub = a.PublishedAt.UTC()
		}
		topics := strings.Join(a.Topics, "\n")
		var err error
		if a.ID == 0 {
			a.CreatedAt, a.UpdatedAt = tx.now, tx.now
			a.ID, err = tx.insert(ctx, `INSERT INTO articles (org_id, author_id, slug, title, summary, topics, body_md, body_html, published_at, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.OrgID, a.AuthorID, a.Slug, a.Title, a.Summary, topics, a.Body, a.HTML, pub, tx.now, tx.now)
		} else {
			a.UpdatedAt = tx.now
			var res sql.Result
			res, err = tx.Exec(ctx, `UPDATE articles SET slug = ?, title = ?, summary = ?, topics = ?, body_md = ?, body_html = ?, published_at = ?, updated_at = ?
				WHERE id = ? AND org_id = ?`, a.Slug, a.Title, a.Summary, topics, a.Body, a.HTML, pub, tx.now, a.ID, a.OrgID)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return tandem.Errorf(tandem.ENOTFOUND, "No such article.")
				}
			}
		}
		if isConflict(err) {
			return &tandem.Error{Code: tandem.ECONFLICT, Message: "Another article has this address.",
				Fields: map[string]string{"slug": "Another article uses " + a.Slug + ": choose another."}}
		}
		return err
	})
}

// Article returns an article of the organization, or ENOTFOUND.
func (db *DB) Article(ctx context.Context, orgID, id int64) (*tandem.Article, error) {
	row := db.sql.QueryRowContext(ctx, db.rebind(`SELECT `+articleCols+` FROM articles a JOIN people p ON p.id = a.author_id
		WHERE a.org_id = ? AND a.id = ?`), orgID, id)
	a, err := scanArticle(row)
	return a, notFound(mapError(err), "No such article.")
}

// PublishedArticle returns the article with the slug if it is published
// at now, or ENOTFOUND.
func (db *DB) PublishedArticle(ctx context.Context, orgID int64, slug string) (*tandem.Article, error) {
	row := db.sql.QueryRowContext(ctx, db.rebind(`SELECT `+articleCols+` FROM articles a JOIN people p ON p.id = a.author_id
		WHERE a.org_id = ? AND a.slug = ? AND a.published_at <= ?`), orgID, slug, db.now())
	a, err := scanArticle(row)
	return a, notFound(mapError(err), "No such article.")
}

// ArticleFilter selects articles: all (drafts included) by default, only
// published ones in (Since, Until] when Published is set.
type ArticleFilter struct {
	Published    bool
	Since, Until time.Time // with Published; a zero Until is now
	Limit        int
}

// Articles lists an organization's articles, newest first.
func (db *DB) Articles(ctx context.Context, orgID int64, f ArticleFilter) ([]tandem.Article, error) {
	q := `SELECT ` + articleCols + ` FROM articles a JOIN people p ON p.id = a.author_id WHERE a.org_id = ?`
	args := []any{orgID}
	if f.Published {
		until := f.Until
		if until.IsZero() {
			until = db.now()
		}
		q += ` AND a.published_at <= ? AND a.published_at > ?`
		args = append(args, until.UTC(), f.Since.UTC())
	}
	q += ` ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	out, err := queryAll(ctx, db.q(), func(rows *sql.Rows, a *tandem.Article) error {
		v, err := scanArticle(rows)
		if err == nil {
			*a = *v
		}
		return err
	}, q, args...)
	return out, mapError(err)
}

const subscriberCols = `id, org_id, email, status, consent_at, consent_source, created_at, unsubscribed_at`

func scanSubscriber(sc interface{ Scan(...any) error }) (*tandem.Subscriber, error) {
	var s tandem.Subscriber
	var consent, unsub sql.NullTime
	if err := sc.Scan(&s.ID, &s.OrgID, &s.Email, &s.Status, &consent, &s.ConsentSource, &s.CreatedAt, &unsub); err != nil {
		return nil, err
	}
	if consent.Valid {
		t := consent.Time.UTC()
		s.ConsentAt = &t
	}
	if unsub.Valid {
		t := unsub.Time.UTC()
		s.UnsubscribedAt = &t
	}
	s.CreatedAt = s.CreatedAt.UTC()
	return &s, nil
}

// Subscriber returns a subscriber of the organization, or ENOTFOUND.
func (db *DB) Subscriber(ctx context.Context, orgID, id int64) (*tandem.Subscriber, error) {
	row := db.sql.QueryRowContext(ctx, db.rebind(`SELECT `+subscriberCols+` FROM subscribers WHERE org_id = ? AND id = ?`), orgID, id)
	s, err := scanSubscriber(row)
	return s, notFound(mapError(err), "No such subscriber.")
}

// SubscriberByEmail returns the organization's subscriber with the
// address, or ENOTFOUND.
func (db *DB) SubscriberByEmail(ctx context.Context, orgID int64, email string) (*tandem.Subscriber, error) {
	row := db.sql.QueryRowContext(ctx, db.rebind(`SELECT `+subscriberCols+` FROM subscribers WHERE org_id = ? AND email = ?`), orgID, email)
	s, err := scanSubscriber(row)
	return s, notFound(mapError(err), "No such subscriber.")
}

// Subscribe records a request to subscribe: a new address is pending; an
// address that unsubscribed is pending again (its earlier consent no
// longer counts); a pending or confirmed one is left as it is. It
// returns the subscriber as it now stands.
func (db *DB) Subscribe(ctx context.Context, orgID int64, email string) (*tandem.Subscriber, error) {
	var s *tandem.Subscriber
	err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO subscribers (org_id, email, status, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (org_id, email) DO NOTHING`, orgID, email, tandem.SubscriberPending, tx.now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE subscribers SET status = ?, consent_at = NULL, consent_source = ''
			WHERE org_id = ? AND email = ? AND status = ?`, tandem.SubscriberPending, orgID, email, tandem.SubscriberUnsubscribed); err != nil {
			return err
		}
		var err error
		s, err = scanSubscriber(tx.QueryRow(ctx, `SELECT `+subscriberCols+` FROM subscribers WHERE org_id = ? AND email = ?`, orgID, email))
		return mapError(err)
	})
	return s, err
}

// ConfirmSubscriber confirms a pending subscriber with the consent's
// source, now. It reports false when the subscriber was not pending
// (confirmed already, or unsubscribed since).
func (db *DB) ConfirmSubscriber(ctx context.Context, orgID, id int64, source string) (bool, error) {
	var ok bool
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE subscribers SET status = ?, consent_at = ?, consent_source = ?
			WHERE org_id = ? AND id = ? AND status = ?`, tandem.SubscriberConfirmed, tx.now, source, orgID, id, tandem.SubscriberPending)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// SubscribeConfirmed subscribes an address whose consent is given now
// (a member's own click): confirmed at once.
func (db *DB) SubscribeConfirmed(ctx context.Context, orgID int64, email, source string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO subscribers (org_id, email, status, consent_at, consent_source, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id, email) DO UPDATE SET status = excluded.status, consent_at = excluded.consent_at,
			consent_source = excluded.consent_source, unsubscribed_at = NULL`,
			orgID, email, tandem.SubscriberConfirmed, tx.now, source, tx.now)
		return err
	})
}

// Unsubscribe unsubscribes the subscriber; false when it was not
// subscribed (already unsubscribed).
func (db *DB) Unsubscribe(ctx context.Context, orgID, id int64) (bool, error) {
	var ok bool
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE subscribers SET status = ?, unsubscribed_at = ? WHERE org_id = ? AND id = ? AND status <> ?`,
			tandem.SubscriberUnsubscribed, tx.now, orgID, id, tandem.SubscriberUnsubscribed)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// EachSubscriber calls fn for each subscriber of the organization, by id.
func (db *DB) EachSubscriber(ctx context.Context, orgID int64, fn func(*tandem.Subscriber) error) error {
	rows, err := db.sql.QueryContext(ctx, db.rebind(`SELECT `+subscriberCols+` FROM subscribers WHERE org_id = ? ORDER BY id`), orgID)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanSubscriber(rows)
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ImportSubscribers adds confirmed subscribers with their recorded
// consent, in one transaction. An address already known keeps its row: a
// confirmed one stays, and one that unsubscribed is never subscribed again
// by an import. It returns how many were added.
func (db *DB) ImportSubscribers(ctx context.Context, orgID int64, subs []tandem.Subscriber) (int, error) {
	added := 0
	err := db.Write(ctx, func(tx *Tx) error {
		for _, s := range subs {
			res, err := tx.Exec(ctx, `INSERT INTO subscribers (org_id, email, status, consent_at, consent_source, created_at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (org_id, email) DO NOTHING`, orgID, s.Email, tandem.SubscriberConfirmed, s.ConsentAt.UTC(), s.ConsentSource, tx.now)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		return nil
	})
	return added, err
}

// CountSubscribers counts the organization's subscribers in a status.
func (db *DB) CountSubscribers(ctx context.Context, orgID int64, status string) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM subscribers WHERE org_id = ? AND status = ?`), orgID, status).Scan(&n)
	return n, mapError(err)
}

// LinkSecret returns the installation's secret with the name, stored on
// first use with the value gen makes; two processes that race agree on
// the first one written.
func (db *DB) LinkSecret(ctx context.Context, name string, gen func() string) (string, error) {
	var secret string
	err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO link_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, gen()); err != nil {
			return err
		}
		return mapError(tx.QueryRow(ctx, `SELECT secret FROM link_secrets WHERE name = ?`, name).Scan(&secret))
	})
	return secret, err
}

// DigestSchedule returns the organization's digest schedule, the default
// when none was set.
func (db *DB) DigestSchedule(ctx context.Context, orgID int64) (tandem.DigestSchedule, error) {
	var days string
	s := tandem.DigestSchedule{}
	err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT days, hour, time_zone FROM digest_settings WHERE org_id = ?`), orgID).Scan(&days, &s.Hour, &s.TimeZone)
	if errors.Is(err, sql.ErrNoRows) {
		d := tandem.DefaultDigestSchedule
		d.Days = append([]int(nil), d.Days...)
		return d, nil
	}
	if err != nil {
		return s, mapError(err)
	}
	s.Days, err = tandem.ParseDays(days)
	return s, err
}

// SetDigestSchedule stores the organization's digest schedule.
func (db *DB) SetDigestSchedule(ctx context.Context, orgID int64, s tandem.DigestSchedule) error {
	days := make([]string, len(s.Days))
	for i, d := range s.Days {
		days[i] = strconv.Itoa(d)
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO digest_settings (org_id, days, hour, time_zone) VALUES (?, ?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET days = excluded.days, hour = excluded.hour, time_zone = excluded.time_zone`,
			orgID, strings.Join(days, ","), s.Hour, s.TimeZone)
		return err
	})
}

// Digest is one sending of an organization's digest: the articles
// published in (Since, Until].
type Digest struct {
	ID        int64
	OrgID     int64
	Period    string
	Since     time.Time
	Until     time.Time
	Articles  int
	CreatedAt time.Time
	// The message as rendered once for every recipient (SetDigestContent),
	// with a placeholder for the unsubscribe link; Rendered is false
	// until then.
	Subject, Text, HTML string
	Rendered            bool
}

const digestCols = `id, org_id, period, since_at, until_at, articles, created_at, subject, body_text, body_html, rendered_at`

func scanDigest(sc interface{ Scan(...any) error }) (*Digest, error) {
	var d Digest
	var rendered sql.NullTime
	if err := sc.Scan(&d.ID, &d.OrgID, &d.Period, &d.Since, &d.Until, &d.Articles, &d.CreatedAt, &d.Subject, &d.Text, &d.HTML, &rendered); err != nil {
		return nil, err
	}
	d.Since, d.Until, d.CreatedAt, d.Rendered = d.Since.UTC(), d.Until.UTC(), d.CreatedAt.UTC(), rendered.Valid
	return &d, nil
}

// SetDigestContent stores the digest's rendered message unless it has one
// already, and returns the digest with the content that counts: the
// first stored, so two batches rendering at once send the same.
func (db *DB) SetDigestContent(ctx context.Context, id int64, subject, text, html string) (*Digest, error) {
	var d *Digest
	err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE digests SET subject = ?, body_text = ?, body_html = ?, rendered_at = ? WHERE id = ? AND rendered_at IS NULL`,
			subject, text, html, tx.now, id); err != nil {
			return mapError(err)
		}
		var err error
		d, err = scanDigest(tx.QueryRow(ctx, `SELECT `+digestCols+` FROM digests WHERE id = ?`, id))
		return notFound(mapError(err), "No such digest.")
	})
	return d, err
}

// LastDigest returns the organization's latest digest, nil when none.
func (db *DB) LastDigest(ctx context.Context, orgID int64) (*Digest, error) {
	row := db.sql.QueryRowContext(ctx, db.rebind(`SELECT `+digestCols+` FROM digests WHERE org_id = ? ORDER BY until_at DESC, id DESC LIMIT 1`), orgID)
	d, err := scanDigest(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return d, mapError(err)
}

// Digest returns a digest by id.
func (db *DB) Digest(ctx context.Context, id int64) (*Digest, error) {
	d, err := scanDigest(db.sql.QueryRowContext(ctx, db.rebind(`SELECT `+digestCols+` FROM digests WHERE id = ?`), id))
	return d, notFound(mapError(err), "No such digest.")
}

// CreateDigest inserts the digest and, in the same transaction, the job
// that sends it. It reports false (and inserts nothing) when the
// organization has a digest for this period already.
func (db *DB) CreateDigest(ctx context.Context, d *Digest, job func(id int64) river.JobArgs) (bool, error) {
	created := false
	err := db.Write(ctx, func(tx *Tx) error {
		d.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO digests (org_id, period, since_at, until_at, articles, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			d.OrgID, d.Period, d.Since.UTC(), d.Until.UTC(), d.Articles, tx.now)
		if isConflict(err) {
			return nil
		}
		if err != nil {
			return err
		}
		d.ID, created = id, true
		return tx.Enqueue(ctx, job(id), nil)
	})
	return created, err
}

// DigestBatches splits the organization's confirmed subscribers into
// ranges of ids (after, upTo] of at most size each.
func (db *DB) DigestBatches(ctx context.Context, orgID int64, size int) ([][2]int64, error) {
	rows, err := db.sql.QueryContext(ctx, db.rebind(`SELECT id FROM subscribers WHERE org_id = ? AND status = ? ORDER BY id`), orgID, tandem.SubscriberConfirmed)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out [][2]int64
	var after, last int64
	n := 0
	for rows.Next() {
		if err := rows.Scan(&last); err != nil {
			return nil, err
		}
		if n++; n == size {
			out = append(out, [2]int64{after, last})
			after, n = last, 0
		}
	}
	if n > 0 {
		out = append(out, [2]int64{after, last})
	}
	return out, rows.Err()
}

// EnqueueAll inserts jobs in one transaction.
func (db *DB) EnqueueAll(ctx context.Context, jobs []river.JobArgs, opts *river.InsertOpts) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, j := range jobs {
			if err := tx.Enqueue(ctx, j, opts); err != nil {
				return err
			}
		}
		return nil
	})
}

// DigestRecipients returns the confirmed subscribers with ids in
// (after, upTo] who have not been sent the digest.
func (db *DB) DigestRecipients(ctx context.Context, d *Digest, after, upTo int64) ([]tandem.Subscriber, error) {
	out, err := queryAll(ctx, db.q(), func(rows *sql.Rows, s *tandem.Subscriber) error {
		v, err := scanSubscriber(rows)
		if err == nil {
			*s = *v
		}
		return err
	}, `SELECT `+subscriberCols+` FROM subscribers s WHERE org_id = ? AND status = ? AND id > ? AND id <= ?
		AND NOT EXISTS (SELECT 1 FROM digest_sends ds WHERE ds.digest_id = ? AND ds.subscriber_id = s.id) ORDER BY id`,
		d.OrgID, tandem.SubscriberConfirmed, after, upTo, d.ID)
	return out, mapError(err)
}

// ClaimDigestSend records, before the message's final dot is written,
// that the subscriber is sent the digest (app.SendDigestBatch): from its
// commit on the row counts as delivered, unconfirmed until the server's
// 250 is known. The same transaction confirms the claims of confirm (the
// batch's earlier messages that the server accepted since the last
// claim), so a confirmation costs no commit of its own. It reports false
// when the row exists already (another batch run has the recipient). On
// PostgreSQL the commit does not wait for the WAL flush
// (synchronous_commit off, for this transaction only): the failure this
// guards against is Tandem's process dying, after which PostgreSQL still
// has the commit; one commit per message would otherwise wait for a disk
// flush each. SQLite's WAL with synchronous=NORMAL survives a process
// crash the same way.
func (db *DB) ClaimDigestSend(ctx context.Context, digestID, subscriberID int64, confirm []int64) (bool, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
				return mapError(err)
			}
		}
		if err := confirmDigestSends(ctx, tx, digestID, confirm); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `INSERT INTO digest_sends (digest_id, subscriber_id, sent_at, confirmed) VALUES (?, ?, ?, FALSE) ON CONFLICT DO NOTHING`,
			digestID, subscriberID, tx.now)
		if err != nil {
			return mapError(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, err
}

func confirmDigestSends(ctx context.Context, tx *Tx, digestID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := append([]any{digestID}, anySlice(ids)...)
	_, err := tx.Exec(ctx, `UPDATE digest_sends SET confirmed = TRUE WHERE digest_id = ? AND subscriber_id IN (`+placeholders(len(ids))+`)`, args...)
	return mapError(err)
}

// ConfirmDigestSends confirms the claims of the subscribers whose digest
// the server accepted (a 250 to the final dot): a batch's last ones, at
// its end.
func (db *DB) ConfirmDigestSends(ctx context.Context, digestID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return db.Write(ctx, func(tx *Tx) error { return confirmDigestSends(ctx, tx, digestID, ids) })
}

// UnconfirmedDigestSends returns the subscribers with ids in (after,
// upTo] whose digest was claimed and never confirmed: at the start of a
// batch's run, those an earlier run left when it died (or whose final
// dot got no reply). Each most likely has the digest, or lost it in the
// instant between the claim and the dot; no one can tell which.
func (db *DB) UnconfirmedDigestSends(ctx context.Context, digestID, after, upTo int64) ([]int64, error) {
	ids, err := queryAll(ctx, db.q(), func(rows *sql.Rows, id *int64) error { return rows.Scan(id) },
		`SELECT subscriber_id FROM digest_sends WHERE digest_id = ? AND subscriber_id > ? AND subscriber_id <= ? AND NOT confirmed AND refused IS NULL
		ORDER BY subscriber_id`, digestID, after, upTo)
	return ids, mapError(err)
}

// ReleaseDigestSend removes a claim whose message was not delivered (the
// server refused it, or the connection failed before the final dot), so a
// retry sends it.
func (db *DB) ReleaseDigestSend(ctx context.Context, digestID, subscriberID int64) error {
	_, err := db.sql.ExecContext(ctx, db.rebind(`DELETE FROM digest_sends WHERE digest_id = ? AND subscriber_id = ?`), digestID, subscriberID)
	return mapError(err)
}

// RefuseDigestSend records that the server refused the subscriber's
// digest for good (a 5xx reply), so no retry sends it again.
func (db *DB) RefuseDigestSend(ctx context.Context, digestID, subscriberID int64, reply string) error {
	_, err := db.sql.ExecContext(ctx, db.rebind(`INSERT INTO digest_sends (digest_id, subscriber_id, sent_at, refused) VALUES (?, ?, ?, ?)
		ON CONFLICT (digest_id, subscriber_id) DO UPDATE SET refused = excluded.refused`), digestID, subscriberID, db.now(), reply)
	return mapError(err)
}

// DigestClaimSettled is how old an unconfirmed claim must be to count as
// uncertain rather than in flight: longer than a batch's run (one
// minute), at whose end every claim the server accepted is confirmed.
const DigestClaimSettled = 2 * time.Minute

// DigestReport is a digest with what became of its messages.
type DigestReport struct {
	Digest
	// Delivered counts the claims (confirmed or not), Refused the
	// recipients the server refused for good, Uncertain the claims never
	// confirmed, older than DigestClaimSettled: the process stopped or
	// the connection broke between the claim and the server's reply.
	Delivered, Refused, Uncertain int
}

// DigestReports returns the organization's latest digests, newest first,
// with their counts.
func (db *DB) DigestReports(ctx context.Context, orgID int64, limit int) ([]DigestReport, error) {
	settled := db.now().UTC().Add(-DigestClaimSettled)
	out, err := queryAll(ctx, db.q(), func(rows *sql.Rows, r *DigestReport) error {
		var rendered sql.NullTime
		if err := rows.Scan(&r.ID, &r.OrgID, &r.Period, &r.Since, &r.Until, &r.Articles, &r.CreatedAt, &rendered,
			&r.Delivered, &r.Refused, &r.Uncertain); err != nil {
			return err
		}
		r.Since, r.Until, r.CreatedAt, r.Rendered = r.Since.UTC(), r.Until.UTC(), r.CreatedAt.UTC(), rendered.Valid
		return nil
	}, `SELECT d.id, d.org_id, d.period, d.since_at, d.until_at, d.articles, d.created_at, d.rendered_at,
		(SELECT COUNT(*) FROM digest_sends s WHERE s.digest_id = d.id AND s.refused IS NULL),
		(SELECT COUNT(*) FROM digest_sends s WHERE s.digest_id = d.id AND s.refused IS NOT NULL),
		(SELECT COUNT(*) FROM digest_sends s WHERE s.digest_id = d.id AND s.refused IS NULL AND NOT s.confirmed AND s.sent_at < ?)
		FROM digests d WHERE d.org_id = ? ORDER BY d.created_at DESC, d.id DESC LIMIT ?`, settled, orgID, limit)
	return out, mapError(err)
}

// DigestSent counts the messages of a digest delivered so far (claims
// included, refusals not).
func (db *DB) DigestSent(ctx context.Context, digestID int64) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM digest_sends WHERE digest_id = ? AND refused IS NULL`), digestID).Scan(&n)
	return n, mapError(err)
}

// UnfinishedJobs counts the jobs of these kinds that are not finished
// (waiting, running or to be retried), for a command that waits for its
// work to be done.
func (db *DB) UnfinishedJobs(ctx context.Context, kinds ...string) (int, error) {
	p := river.NewJobListParams().Kinds(kinds...).First(1000).States(rivertype.JobStateAvailable, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled, rivertype.JobStatePending)
	res, err := db.jobs.JobList(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("list jobs: %w", err)
	}
	return len(res.Jobs), nil
}

// OrgByID returns the organization, or ENOTFOUND.
func (db *DB) OrgByID(ctx context.Context, id int64) (*tandem.Org, error) {
	var o tandem.Org
	err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT id, name, slug, kind, demo, created_at FROM orgs WHERE id = ?`), id).
		Scan(&o.ID, &o.Name, &o.Slug, &o.Kind, &o.Demo, &o.CreatedAt)
	return &o, notFound(mapError(err), "No such organization.")
}

// Coaches reports whether the person coaches in the organization: open
// to coach a skill on their profile, or the coach of a coaching
// engagement that was agreed (active, ended or expired). Coach Notes'
// authors are the organization's coaches and administrators.
func (db *DB) Coaches(ctx context.Context, orgID, personID int64) (bool, error) {
	var n int
	err := db.q().QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM person_skills WHERE person_id = ? AND org_id = ? AND coaches) +
		(SELECT COUNT(*) FROM engagements WHERE guide_id = ? AND org_id = ? AND kind = 'coaching' AND activated_at IS NOT NULL)`,
		personID, orgID, personID, orgID).Scan(&n)
	return n > 0, mapError(err)
}

// OnlyOrg returns the installation's organization when it holds exactly
// one, else nil.
func (db *DB) OnlyOrg(ctx context.Context) (*tandem.Org, error) {
	orgs, err := db.listOrgs(ctx, `SELECT id, name, slug, kind, demo, created_at FROM orgs ORDER BY id LIMIT 2`)
	if err != nil || len(orgs) != 1 {
		return nil, err
	}
	return &orgs[0], nil
}

// OrgsWithNotes lists the organizations that have published an article,
// by name.
func (db *DB) OrgsWithNotes(ctx context.Context) ([]tandem.Org, error) {
	return db.listOrgs(ctx, `SELECT o.id, o.name, o.slug, o.kind, o.demo, o.created_at FROM orgs o
		WHERE EXISTS (SELECT 1 FROM articles a WHERE a.org_id = o.id AND a.published_at <= ?) ORDER BY o.name, o.id`, db.now())
}

// OrgsPublishing lists (at most two of) the organizations that have
// published an article with the slug.
func (db *DB) OrgsPublishing(ctx context.Context, slug string) ([]tandem.Org, error) {
	return db.listOrgs(ctx, `SELECT o.id, o.name, o.slug, o.kind, o.demo, o.created_at FROM orgs o
		WHERE EXISTS (SELECT 1 FROM articles a WHERE a.org_id = o.id AND a.slug = ? AND a.published_at <= ?) ORDER BY o.id LIMIT 2`, slug, db.now())
}

func (db *DB) listOrgs(ctx context.Context, query string, args ...any) ([]tandem.Org, error) {
	out, err := queryAll(ctx, db.q(), func(rows *sql.Rows, o *tandem.Org) error {
		return rows.Scan(&o.ID, &o.Name, &o.Slug, &o.Kind, &o.Demo, &o.CreatedAt)
	}, query, args...)
	return out, mapError(err)
}
