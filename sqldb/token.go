package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tandemhq/tandem"
)

// CreateAPIToken stores a token's hash.
func (db *DB) CreateAPIToken(ctx context.Context, t *tandem.APIToken, hash string) error {
	return db.Write(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO api_tokens (org_id, person_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			t.OrgID, t.PersonID, t.Name, t.Prefix, hash, tx.now)
		if err != nil {
			return fmt.Errorf("insert api token: %w", err)
		}
		t.ID = id
		return nil
	})
}

// ListAPITokens lists a person's tokens, newest first, revoked ones included.
func (db *DB) ListAPITokens(ctx context.Context, orgID, personID int64) ([]tandem.APIToken, error) {
	rows, err := db.sql.QueryContext(ctx, db.rebind(`SELECT id, org_id, person_id, name, prefix, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE org_id = ? AND person_id = ? ORDER BY created_at DESC, id DESC`), orgID, personID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var ts []tandem.APIToken
	for rows.Next() {
		var t tandem.APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.OrgID, &t.PersonID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.LastUsedAt, t.RevokedAt = timePtr(used), timePtr(revoked)
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// RevokeAPIToken revokes one of a person's tokens; ENOTFOUND when the token
// is not theirs or is already revoked.
func (db *DB) RevokeAPIToken(ctx context.Context, orgID, personID, id int64) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND org_id = ? AND person_id = ? AND revoked_at IS NULL`,
			tx.now, id, orgID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tandem.Errorf(tandem.ENOTFOUND, "No such active API token.")
		}
		return nil
	})
}

// ActorByToken returns who an unrevoked API token belongs to, or
// EUNAUTHORIZED. It runs on every API request, so it reads without a
// transaction and records the last use at most once a minute.
func (db *DB) ActorByToken(ctx context.Context, hash string) (*tandem.Actor, error) {
	var tokenID int64
	var used sql.NullTime
	a, err := scanActor(db.q().QueryRowContext(ctx, `SELECT `+actorColumns+`, t.id, t.last_used_at
		FROM api_tokens t
		JOIN people p ON p.id = t.person_id AND p.org_id = t.org_id AND p.deactivated_at IS NULL
		JOIN accounts a ON a.id = p.account_id
		JOIN orgs o ON o.id = p.org_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL`, hash), &tokenID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tandem.Errorf(tandem.EUNAUTHORIZED, "The API token is unknown or revoked.")
	}
	if err != nil {
		return nil, fmt.Errorf("token: %w", mapError(err))
	}
	a.TokenID = tokenID
	if now := db.now(); !used.Valid || now.Sub(used.Time) > time.Minute {
		if _, err := db.sql.ExecContext(ctx, db.rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), now, tokenID); err != nil {
			return nil, mapError(err)
		}
	}
	return a, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}
