-- +goose Up
-- The site's URL as last seen by a signed-in request in the organization,
-- for links in email that no request causes (reminders, digests) when no
-- base URL is configured.
ALTER TABLE orgs ADD COLUMN base_url TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orgs DROP COLUMN base_url;
