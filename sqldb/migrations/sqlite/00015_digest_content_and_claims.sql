-- +goose Up
-- A digest is rendered once, when it is fanned out into batches, and kept
-- here (with a placeholder for each recipient's unsubscribe link): every
-- batch and every retry sends the same text, even if an article is edited
-- meanwhile. rendered_at is NULL until then.
ALTER TABLE digests ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE digests ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
ALTER TABLE digests ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE digests ADD COLUMN rendered_at TIMESTAMP;

-- A digest_sends row is now committed before the final "." of DATA (a
-- claim: see app.SendDigestBatch) and counts as delivered; refused holds
-- the server's 5xx reply when the recipient was refused for good, so a
-- retried batch skips them too.
ALTER TABLE digest_sends ADD COLUMN refused TEXT;

-- +goose Down
ALTER TABLE digest_sends DROP COLUMN refused;
ALTER TABLE digests DROP COLUMN rendered_at;
ALTER TABLE digests DROP COLUMN body_html;
ALTER TABLE digests DROP COLUMN body_text;
ALTER TABLE digests DROP COLUMN subject;
