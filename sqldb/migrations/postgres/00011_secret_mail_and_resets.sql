-- +goose Up
-- Invitations and password resets carry one-time links that are
-- credentials; only their recipient may read them. The development mailer
-- now writes them to the server log only, but earlier versions stored them
-- here, filed under the organization of whoever was signed in, where
-- administrators read them. Every message stored so far was one of these
-- two, so all are deleted.
DELETE FROM mail_log;
-- A password change or reset expires the account's other reset links.
CREATE INDEX password_resets_account ON password_resets (account_id);

-- +goose Down
-- The deleted messages are not restored.
DROP INDEX password_resets_account;
