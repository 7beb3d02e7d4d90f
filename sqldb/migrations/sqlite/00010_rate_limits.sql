-- +goose Up
-- One counter row per rate-limit bucket (a sign-in's email and address
-- pair, an address, an email, a password-reset recipient) and window. An
-- attempt is counted by one atomic upsert before the password is checked,
-- so concurrent attempts cannot all pass a count that none of them has
-- recorded yet (sign_in_failures was counted, then checked, then written).
-- account is the normalized email a sign-in bucket concerns, so a
-- password reset can clear that account's failures.
CREATE TABLE rate_limits (
    bucket    TEXT PRIMARY KEY,
    account   TEXT NOT NULL DEFAULT '',
    n         INTEGER NOT NULL,
    reset_at  TIMESTAMP NOT NULL
);
CREATE INDEX rate_limits_account ON rate_limits (account);
CREATE INDEX rate_limits_reset ON rate_limits (reset_at);
DROP TABLE sign_in_failures;

-- +goose Down
DROP TABLE rate_limits;
CREATE TABLE sign_in_failures (
    id           INTEGER PRIMARY KEY,
    account_key  TEXT NOT NULL,
    address      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account_key, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
