package sqldb

import (
	"context"
	"fmt"
	"time"
)

// Limit is one rate-limit bucket: at most Max attempts per Window. Account
// is the normalized email a sign-in bucket concerns (empty for others), so
// ClearAccountLimits can find it.
type Limit struct {
	Bucket  string
	Account string
	Max     int
	Window  time.Duration
}

// Reservation is the answer to Reserve.
type Reservation struct {
	// OK is false when a bucket was already at its limit.
	OK bool
	// RetryAfter is how long until the bucket that refused resets.
	RetryAfter time.Duration
	// Counted are the buckets this attempt was counted in, for Refund.
	Counted []string
}

// Reserve counts one attempt in each bucket, in order, and stops at the
// first bucket that is over its limit. Each count is one atomic upsert
// (a row lock on PostgreSQL, the write lock on SQLite) that returns the
// new count, so of many concurrent attempts exactly Max see a count within
// the limit: the attempt is counted before anything is checked, never
// after. The counts live in the database so every replica shares them.
//
// A bucket's window starts at its first attempt; when it has passed, the
// next attempt starts a new one.
func (db *DB) Reserve(ctx context.Context, limits ...Limit) (Reservation, error) {
	var res Reservation
	for _, l := range limits {
		now := db.now()
		var n int
		var resetAt time.Time
		err := db.sql.QueryRowContext(ctx, db.rebind(`INSERT INTO rate_limits (bucket, account, n, reset_at) VALUES (?, ?, 1, ?)
			ON CONFLICT (bucket) DO UPDATE SET
				n = CASE WHEN rate_limits.reset_at <= ? THEN 1 ELSE rate_limits.n + 1 END,
				reset_at = CASE WHEN rate_limits.reset_at <= ? THEN excluded.reset_at ELSE rate_limits.reset_at END
			RETURNING n, reset_at`), l.Bucket, l.Account, now.Add(l.Window), now, now).Scan(&n, &resetAt)
		if err != nil {
			return res, fmt.Errorf("rate limit: %w", mapError(err))
		}
		res.Counted = append(res.Counted, l.Bucket)
		if n > l.Max {
			res.RetryAfter = resetAt.Sub(now)
			return res, nil
		}
	}
	res.OK = true
	return res, nil
}

// Refund takes one attempt back from each bucket, for an attempt that
// turned out not to be a failure (a right password, a busy server).
func (db *DB) Refund(ctx context.Context, buckets ...string) error {
	for _, b := range buckets {
		if _, err := db.sql.ExecContext(ctx, db.rebind(`UPDATE rate_limits SET n = n - 1 WHERE bucket = ? AND n > 0`), b); err != nil {
			return fmt.Errorf("rate limit refund: %w", mapError(err))
		}
	}
	return nil
}

// ClearLimits forgets buckets: a right password clears the failures of its
// email and address pair.
func (db *DB) ClearLimits(ctx context.Context, buckets ...string) error {
	for _, b := range buckets {
		if _, err := db.sql.ExecContext(ctx, db.rebind(`DELETE FROM rate_limits WHERE bucket = ?`), b); err != nil {
			return fmt.Errorf("rate limit clear: %w", mapError(err))
		}
	}
	return nil
}

// ClearAccountLimits forgets every sign-in bucket of an account (by its
// normalized email): a password reset proves the owner, so the failures
// that throttled the account no longer matter.
func (db *DB) ClearAccountLimits(ctx context.Context, email string) error {
	_, err := db.sql.ExecContext(ctx, db.rebind(`DELETE FROM rate_limits WHERE account = ?`), email)
	return mapError(err)
}
