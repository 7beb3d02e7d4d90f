-- +goose Up
ALTER TABLE orgs ADD COLUMN coaching_max_months INTEGER NOT NULL DEFAULT 6;
ALTER TABLE orgs ADD COLUMN review_months INTEGER NOT NULL DEFAULT 3;
ALTER TABLE orgs ADD COLUMN mentoring_manager_optional BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE orgs ADD COLUMN stalled_days INTEGER NOT NULL DEFAULT 30;

-- Coaching engagements and mentoring partnerships share this table; the
-- columns of one kind are empty for the other, and the domain package
-- decides every rule by kind.
CREATE TABLE engagements (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('coaching', 'mentoring')),
    status            TEXT NOT NULL CHECK (status IN ('draft', 'active', 'ended', 'expired')),
    learner_id        INTEGER NOT NULL REFERENCES people (id),
    guide_id          INTEGER NOT NULL REFERENCES people (id),
    manager_id        INTEGER REFERENCES people (id),
    manager_required  BOOLEAN NOT NULL,
    skill_id          INTEGER REFERENCES skills (id),
    setting           TEXT NOT NULL DEFAULT '',
    start_on          TEXT NOT NULL DEFAULT '',
    end_on            TEXT NOT NULL DEFAULT '',
    previous_id       INTEGER REFERENCES engagements (id),
    share_history     BOOLEAN NOT NULL DEFAULT FALSE,
    areas             TEXT NOT NULL DEFAULT '',
    phase             TEXT NOT NULL DEFAULT '',
    review_months     INTEGER NOT NULL DEFAULT 0,
    next_review_on    TEXT NOT NULL DEFAULT '',
    reversal_by       INTEGER REFERENCES people (id),
    exception_reason  TEXT NOT NULL DEFAULT '',
    exception_by      INTEGER REFERENCES people (id),
    current_version   INTEGER NOT NULL,
    agreed_version    INTEGER NOT NULL DEFAULT 0,
    created_by        INTEGER NOT NULL REFERENCES people (id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    activated_at      TIMESTAMP,
    ended_at          TIMESTAMP,
    ended_on          TEXT NOT NULL DEFAULT '',
    end_reason        TEXT NOT NULL DEFAULT '',
    ended_by          INTEGER REFERENCES people (id),
    CHECK (learner_id <> guide_id)
);
CREATE INDEX engagements_learner ON engagements (learner_id, status);
CREATE INDEX engagements_guide ON engagements (guide_id, status);
CREATE INDEX engagements_manager ON engagements (manager_id);
CREATE INDEX engagements_org_status ON engagements (org_id, status);
CREATE INDEX engagements_expiry ON engagements (status, end_on);
-- "A different coach for each skill", but one open engagement per skill:
-- the index holds the rule even when two proposals race.
CREATE UNIQUE INDEX engagements_one_open_per_skill ON engagements (learner_id, skill_id)
    WHERE kind = 'coaching' AND status IN ('draft', 'active');

CREATE TABLE agreement_versions (
    engagement_id      INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    version            INTEGER NOT NULL,
    outcomes           TEXT NOT NULL,
    cadence            TEXT NOT NULL,
    channels           TEXT NOT NULL,
    confidentiality    TEXT NOT NULL,
    review_method      TEXT NOT NULL,
    exit_terms         TEXT NOT NULL,
    skill_id           INTEGER REFERENCES skills (id),
    start_on           TEXT NOT NULL DEFAULT '',
    end_on             TEXT NOT NULL DEFAULT '',
    evaluation_method  TEXT NOT NULL DEFAULT '',
    created_by         INTEGER NOT NULL REFERENCES people (id),
    created_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (engagement_id, version)
);

CREATE TABLE agreement_responses (
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    person_id      INTEGER NOT NULL REFERENCES people (id),
    party          TEXT NOT NULL CHECK (party IN ('learner', 'guide', 'manager')),
    agreed         BOOLEAN NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    at             TIMESTAMP NOT NULL,
    PRIMARY KEY (engagement_id, version, person_id),
    FOREIGN KEY (engagement_id, version) REFERENCES agreement_versions (engagement_id, version)
);

-- The timeline: everything that happened, with who and when.
CREATE TABLE engagement_events (
    id             INTEGER PRIMARY KEY,
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    at             TIMESTAMP NOT NULL,
    actor_id       INTEGER REFERENCES people (id),
    type           TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX engagement_events_engagement ON engagement_events (engagement_id, at);

-- Mentoring: agenda items either partner proposes, and what each learned
-- from the other.
CREATE TABLE agenda_items (
    id             INTEGER PRIMARY KEY,
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    author_id      INTEGER NOT NULL REFERENCES people (id),
    kind           TEXT NOT NULL CHECK (kind IN ('agenda', 'learned')),
    body           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    done_at        TIMESTAMP
);
CREATE INDEX agenda_items_engagement ON agenda_items (engagement_id, created_at);

-- +goose Down
DROP TABLE agenda_items;
DROP TABLE engagement_events;
DROP TABLE agreement_responses;
DROP TABLE agreement_versions;
DROP TABLE engagements;
ALTER TABLE orgs DROP COLUMN stalled_days;
ALTER TABLE orgs DROP COLUMN mentoring_manager_optional;
ALTER TABLE orgs DROP COLUMN review_months;
ALTER TABLE orgs DROP COLUMN coaching_max_months;
