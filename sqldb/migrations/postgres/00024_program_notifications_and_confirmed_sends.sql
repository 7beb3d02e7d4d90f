-- +goose Up
-- A program event's notification names its program (engagement_id is
-- NULL for it), and goes when the program is deleted.
ALTER TABLE notifications ADD COLUMN program_id BIGINT REFERENCES programs (id) ON DELETE CASCADE;

-- A digest claim (committed before the final "." of DATA) is confirmed
-- once the server answered 250: a claim never confirmed is a delivery no
-- one can vouch for (the process died, or the connection broke, between
-- the claim and the reply). Rows from before are taken as confirmed.
ALTER TABLE digest_sends ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE digest_sends SET confirmed = TRUE;

-- +goose Down
ALTER TABLE digest_sends DROP COLUMN confirmed;
ALTER TABLE notifications DROP COLUMN program_id;
