-- +goose Up
-- Working together: coaching goals with their progress, the rubric and
-- the evaluations made on it, mentoring themes and reflections. Every row
-- carries org_id, so every query filters by the organization.

-- Coaching goals form a chain: when one is reached the coach sets the
-- next, which points back to it. One goal is open at a time.
CREATE TABLE goals (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    measure        TEXT NOT NULL CHECK (measure <> ''),
    baseline       TEXT NOT NULL,
    target         TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'reached')),
    previous_id    INTEGER REFERENCES goals (id) ON DELETE CASCADE,
    set_by         INTEGER NOT NULL REFERENCES people (id),
    created_at     TIMESTAMP NOT NULL,
    reached_at     TIMESTAMP
);
CREATE INDEX goals_engagement ON goals (engagement_id, created_at);
-- The rule "one current goal" holds even when two coaches' tabs race.
CREATE UNIQUE INDEX goals_one_open ON goals (engagement_id) WHERE status = 'open';

CREATE TABLE goal_updates (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    goal_id    INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES people (id),
    value      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    reached    BOOLEAN NOT NULL DEFAULT FALSE,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX goal_updates_goal ON goal_updates (goal_id, at);

-- An organization's own rubric; none means the default five levels.
CREATE TABLE rubric_levels (
    org_id       INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position > 0),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (org_id, position)
);

-- The level is kept as position and name, so changing the rubric later
-- does not rewrite what a coach wrote.
CREATE TABLE evaluations (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL CHECK (position > 0),
    level_name     TEXT NOT NULL,
    evidence       TEXT NOT NULL,
    author_id      INTEGER NOT NULL REFERENCES people (id),
    at             TIMESTAMP NOT NULL
);
CREATE INDEX evaluations_engagement ON evaluations (engagement_id, at);

-- Mentoring: themes, never passed or failed, and reflections on them.
CREATE TABLE themes (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    area           TEXT NOT NULL,
    title          TEXT NOT NULL,
    author_id      INTEGER NOT NULL REFERENCES people (id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX themes_engagement ON themes (engagement_id, created_at);

CREATE TABLE reflections (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    theme_id       INTEGER REFERENCES themes (id) ON DELETE CASCADE,
    author_id      INTEGER NOT NULL REFERENCES people (id),
    body           TEXT NOT NULL,
    at             TIMESTAMP NOT NULL
);
CREATE INDEX reflections_engagement ON reflections (engagement_id, at);

-- +goose Down
DROP TABLE reflections;
DROP TABLE themes;
DROP TABLE evaluations;
DROP TABLE rubric_levels;
DROP TABLE goal_updates;
DROP TABLE goals;
