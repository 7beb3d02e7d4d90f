-- +goose Up
-- A run's rows are the run's: they go with it (run_id ON DELETE CASCADE)
-- and the run goes with its organization, whose id the rows repeat for
-- org-scoped reads only. The rows' own foreign key to orgs checked that
-- same organization once per row. SQLite drops a foreign key by
-- rebuilding the table.
CREATE TABLE program_run_rows_new (
    run_id     INTEGER NOT NULL REFERENCES program_runs (id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    mentor_id  INTEGER REFERENCES people (id) ON DELETE CASCADE,
    score      DOUBLE PRECISION NOT NULL DEFAULT 0,
    reasons    TEXT NOT NULL DEFAULT '', -- one per line; the why of an unmatched person
    pinned     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (run_id, position)
);
INSERT INTO program_run_rows_new SELECT run_id, org_id, position, person_id, role, mentor_id, score, reasons, pinned FROM program_run_rows;
DROP TABLE program_run_rows;
ALTER TABLE program_run_rows_new RENAME TO program_run_rows;

-- +goose Down
CREATE TABLE program_run_rows_old (
    run_id     INTEGER NOT NULL REFERENCES program_runs (id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    mentor_id  INTEGER REFERENCES people (id) ON DELETE CASCADE,
    score      DOUBLE PRECISION NOT NULL DEFAULT 0,
    reasons    TEXT NOT NULL DEFAULT '', -- one per line; the why of an unmatched person
    pinned     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (run_id, position)
);
INSERT INTO program_run_rows_old SELECT run_id, org_id, position, person_id, role, mentor_id, score, reasons, pinned FROM program_run_rows;
DROP TABLE program_run_rows;
ALTER TABLE program_run_rows_old RENAME TO program_run_rows;
