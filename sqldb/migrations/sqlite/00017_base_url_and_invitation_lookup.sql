-- +goose Up
-- The site's URL as last seen by a signed-in request in the organization,
-- for links in email that no request causes (reminders, digests) when no
-- base URL is configured.
ALTER TABLE orgs ADD COLUMN base_url TEXT NOT NULL DEFAULT '';
-- A person's latest invitation, found by email: the bulk invitation and
-- the invitation status of every person in the directory.
CREATE INDEX invitations_org_email ON invitations (org_id, email, id);

-- +goose Down
DROP INDEX invitations_org_email;
ALTER TABLE orgs DROP COLUMN base_url;
