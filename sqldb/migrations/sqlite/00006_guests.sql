-- +goose Up
-- A guest is someone from outside the organization, typically an external
-- coach, whose access is limited to the engagements they are a party to.
ALTER TABLE people ADD COLUMN guest BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE invitations ADD COLUMN guest BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE invitations DROP COLUMN guest;
ALTER TABLE people DROP COLUMN guest;
