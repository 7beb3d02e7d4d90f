-- +goose Up
-- Sessions of an engagement. The domain type is Meeting because Session is
-- the sign-in session. Times are UTC; each person sees them in their zone.
CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    start_at       TIMESTAMP NOT NULL,
    minutes        INTEGER NOT NULL CHECK (minutes > 0),
    place          TEXT NOT NULL DEFAULT '',
    video_url      TEXT NOT NULL DEFAULT '',
    agenda         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled', 'no_show')),
    sequence       INTEGER NOT NULL DEFAULT 0,
    created_by     INTEGER NOT NULL REFERENCES people (id),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX meetings_engagement ON meetings (engagement_id, start_at);
CREATE INDEX meetings_org_status ON meetings (org_id, status, start_at);

-- Notes: shared ones are for both partners, private ones for the author;
-- every read filters by the reader, so no query returns another's private
-- note.
CREATE TABLE meeting_notes (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES people (id),
    shared      BOOLEAN NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX meeting_notes_meeting ON meeting_notes (meeting_id, created_at);

CREATE TABLE action_items (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    owner_id       INTEGER NOT NULL REFERENCES people (id),
    body           TEXT NOT NULL,
    due_on         TEXT NOT NULL DEFAULT '',
    done_at        TIMESTAMP,
    created_by     INTEGER NOT NULL REFERENCES people (id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX action_items_meeting ON action_items (meeting_id);
CREATE INDEX action_items_owner_open ON action_items (owner_id, done_at);

CREATE TABLE meeting_ratings (
    org_id          INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment         TEXT NOT NULL DEFAULT '',
    not_a_good_fit  BOOLEAN NOT NULL DEFAULT FALSE,
    at              TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);

-- One secret calendar feed per person; regenerating replaces the row, so
-- the old URL stops working. Only the SHA-256 of the secret is stored.
CREATE TABLE calendar_tokens (
    person_id   INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE calendar_tokens;
DROP TABLE meeting_ratings;
DROP TABLE action_items;
DROP TABLE meeting_notes;
DROP TABLE meetings;
