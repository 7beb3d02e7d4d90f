package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tandemhq/tandem"
)

// CreateSession stores a new session and deletes the one it replaces
// (the session id rotates at sign-in, so a fixated id is worthless).
func (db *DB) CreateSession(ctx context.Context, s *tandem.Session, replaces, userAgent, address string) error {
	return db.Write(ctx, func(tx *Tx) error {
		if replaces != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, replaces); err != nil {
				return fmt.Errorf("delete old session: %w", err)
			}
		}
		s.CreatedAt, s.LastSeenAt = tx.now, tx.now
		_, err := tx.Exec(ctx, `INSERT INTO sessions (id_hash, account_id, org_id, created_at, last_seen_at, user_agent, address)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, s.IDHash, s.AccountID, s.OrgID, tx.now, tx.now, truncate(userAgent, 300), address)
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return nil
	})
}

// ActorBySession returns who a live session belongs to. A session past its
// idle or absolute expiry is deleted and reported ENOTFOUND. This runs on
// every request, so it reads without a transaction and writes only when it
// must: the last use is recorded at most once a minute.
func (db *DB) ActorBySession(ctx context.Context, idHash string) (*tandem.Actor, error) {
	var created, seen time.Time
	a, err := scanActor(db.q().QueryRowContext(ctx, `SELECT `+actorColumns+`, s.created_at, s.last_seen_at
		FROM sessions s
		JOIN accounts a ON a.id = s.account_id
		JOIN people p ON p.account_id = a.id AND p.org_id = s.org_id AND p.deactivated_at IS NULL
		JOIN orgs o ON o.id = p.org_id
		WHERE s.id_hash = ?`, idHash), &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "Your session has ended. Please sign in again.")
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", mapError(err))
	}
	now := db.now()
	if now.Sub(seen) > tandem.SessionIdle || now.Sub(created) > tandem.SessionAbsolute {
		if err := db.DeleteSession(ctx, idHash); err != nil {
			return nil, err
		}
		return nil, tandem.Errorf(tandem.ENOTFOUND, "Your session has expired. Please sign in again.")
	}
	if now.Sub(seen) > time.Minute {
		if _, err := db.sql.ExecContext(ctx, db.rebind(`UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`), now, idHash); err != nil {
			return nil, mapError(err)
		}
	}
	a.SessionIDHash = idHash
	return a, nil
}

// SwitchSessionOrg moves a session to another organization of its account.
func (db *DB) SwitchSessionOrg(ctx context.Context, idHash string, accountID, orgID int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM people WHERE org_id = ? AND account_id = ? AND deactivated_at IS NULL`, orgID, accountID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return tandem.Errorf(tandem.ENOTFOUND, "You are not a member of that organization.")
		}
		_, err := tx.Exec(ctx, `UPDATE sessions SET org_id = ? WHERE id_hash = ? AND account_id = ?`, orgID, idHash, accountID)
		return err
	})
}

// DeleteSession ends a session (sign out).
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.sql.ExecContext(ctx, db.rebind(`DELETE FROM sessions WHERE id_hash = ?`), idHash)
	return mapError(err)
}

// DeleteExpired removes expired sessions, used links and rate-limit
// counters whose window has passed. The server runs it periodically; it is safe on many replicas.
func (db *DB) DeleteExpired(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, q := range []struct {
			sql string
			at  time.Time
		}{
			{`DELETE FROM sessions WHERE last_seen_at < ?`, tx.now.Add(-tandem.SessionIdle)},
			{`DELETE FROM sessions WHERE created_at < ?`, tx.now.Add(-tandem.SessionAbsolute)},
			{`DELETE FROM password_resets WHERE expires_at < ?`, tx.now.Add(-24 * time.Hour)},
			{`DELETE FROM rate_limits WHERE reset_at < ?`, tx.now},
		} {
			if _, err := tx.Exec(ctx, q.sql, q.at); err != nil {
				return err
			}
		}
		return nil
	})
}

const actorColumns = `a.id, a.email, a.name, a.password_hash, a.created_at,
	p.id, p.org_id, p.account_id, p.email, p.name, p.role, p.created_at, COALESCE(p.manager_id, 0), p.guest, p.time_zone,
	o.id, o.name, o.slug, o.kind, o.demo, o.created_at`

func scanActor(row *sql.Row, extra ...any) (*tandem.Actor, error) {
	a := &tandem.Actor{Account: &tandem.Account{}, Person: &tandem.Person{}, Org: &tandem.Org{}}
	var acct sql.NullInt64
	dest := []any{&a.Account.ID, &a.Account.Email, &a.Account.Name, &a.Account.PasswordHash, &a.Account.CreatedAt,
		&a.Person.ID, &a.Person.OrgID, &acct, &a.Person.Email, &a.Person.Name, &a.Person.Role, &a.Person.CreatedAt, &a.Person.ManagerID, &a.Person.Guest, &a.Person.TimeZone,
		&a.Org.ID, &a.Org.Name, &a.Org.Slug, &a.Org.Kind, &a.Org.Demo, &a.Org.CreatedAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	a.Person.AccountID = acct.Int64
	return a, nil
}

// ActorByAccount returns the actor for an account acting in an
// organization, or ENOTFOUND when the account is not an active member of it.
func (db *DB) ActorByAccount(ctx context.Context, accountID, orgID int64) (*tandem.Actor, error) {
	a, err := scanActor(db.sql.QueryRowContext(ctx, db.rebind(`SELECT `+actorColumns+`
		FROM accounts a
		JOIN people p ON p.account_id = a.id AND p.org_id = ? AND p.deactivated_at IS NULL
		JOIN orgs o ON o.id = p.org_id
		WHERE a.id = ?`), orgID, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.ENOTFOUND, "Not a member of that organization.")
	}
	return a, mapError(err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
