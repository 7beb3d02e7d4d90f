package sqldb

import (
	"context"
	"time"
)

// RecordSignInFailure notes a failed sign-in for an account key (the
// normalized email, whether or not it exists) and a client address.
// Failures live in the database so every replica sees the same count.
func (db *DB) RecordSignInFailure(ctx context.Context, accountKey, address string) error {
	_, err := db.sql.ExecContext(ctx, db.rebind(`INSERT INTO sign_in_failures (account_key, address, at) VALUES (?, ?, ?)`),
		accountKey, address, db.now())
	return mapError(err)
}

// SignInFailures counts failures since the given time for the account key
// and for the address.
func (db *DB) SignInFailures(ctx context.Context, accountKey, address string, since time.Time) (perAccount, perAddress int, err error) {
	err = db.Read(ctx, func(tx *Tx) error {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM sign_in_failures WHERE account_key = ? AND at >= ?`, accountKey, since.UTC()).Scan(&perAccount); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM sign_in_failures WHERE address = ? AND at >= ?`, address, since.UTC()).Scan(&perAddress)
	})
	return perAccount, perAddress, err
}

// ClearSignInFailures forgets an account key's failures after a successful
// sign-in.
func (db *DB) ClearSignInFailures(ctx context.Context, accountKey string) error {
	_, err := db.sql.ExecContext(ctx, db.rebind(`DELETE FROM sign_in_failures WHERE account_key = ?`), accountKey)
	return mapError(err)
}
