-- +goose Up
-- A person who left the organization is deactivated, never deleted: their
-- engagements, notes and evaluations stay. deactivated_by is the
-- administrator who did it (NULL for the operator's CLI); it is a plain id
-- like the closure's, so that the column can be dropped on SQLite.
ALTER TABLE people ADD COLUMN deactivated_at TIMESTAMP;
ALTER TABLE people ADD COLUMN deactivated_by INTEGER;
ALTER TABLE people ADD COLUMN deactivation_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE people DROP COLUMN deactivation_reason;
ALTER TABLE people DROP COLUMN deactivated_by;
ALTER TABLE people DROP COLUMN deactivated_at;
