-- +goose Up
-- Matching the cohort: the admins' pins and forbids on pairs, and each
-- run of the matching (a preview until published) with its pairs and the
-- people it left unmatched.
CREATE TABLE program_pair_rules (
    org_id      INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    program_id  INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    mentee_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    mentor_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('pin', 'forbid')),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (program_id, mentee_id, mentor_id)
);

CREATE TABLE program_runs (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    program_id    INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    mode          TEXT NOT NULL CHECK (mode IN ('optimal', 'stable')),
    weights       TEXT NOT NULL,          -- criterion key → weight, JSON
    mentees       INTEGER NOT NULL,
    mentors       INTEGER NOT NULL,
    matched       INTEGER NOT NULL,
    total         DOUBLE PRECISION NOT NULL,
    max_score     DOUBLE PRECISION NOT NULL,
    distribution  TEXT NOT NULL,          -- JSON array of 10 counts
    certificate   TEXT NOT NULL,          -- JSON
    approved      TEXT NOT NULL,          -- person ids of the approved applications, space separated
    created_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at    TIMESTAMP NOT NULL,
    published_at  TIMESTAMP,
    published_by  INTEGER REFERENCES people (id) ON DELETE SET NULL
);
CREATE INDEX program_runs_program ON program_runs (program_id, id);

-- One row per pair (mentor_id set) or unmatched person (role, why).
CREATE TABLE program_run_rows (
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

-- +goose Down
DROP TABLE program_run_rows;
DROP TABLE program_runs;
DROP TABLE program_pair_rules;
