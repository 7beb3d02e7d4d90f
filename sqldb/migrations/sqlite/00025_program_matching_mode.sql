-- +goose Up
-- How a program's mentees find their mentors: the cohort run (admins
-- match everyone at once), self-serve (each mentee asks a mentor from
-- ranked suggestions while the program runs), or both (self-serve after
-- the cohort run is published).
ALTER TABLE programs ADD COLUMN matching_mode TEXT NOT NULL DEFAULT 'cohort'
    CHECK (matching_mode IN ('cohort', 'self_serve', 'both'));

-- +goose Down
ALTER TABLE programs DROP COLUMN matching_mode;
