-- +goose Up
-- Self-serve matching: a mentee's request to a mentor of the program,
-- open until the mentor accepts or declines it or the mentee cancels it.
-- An accepted request names the proposed partnership it created.
CREATE TABLE program_requests (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    program_id     INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    mentee_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    mentor_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    message        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'cancelled')),
    score          DOUBLE PRECISION NOT NULL DEFAULT 0,
    reasons        TEXT NOT NULL DEFAULT '', -- one per line, as suggested when asked
    engagement_id  INTEGER REFERENCES engagements (id) ON DELETE SET NULL,
    created_at     TIMESTAMP NOT NULL,
    answered_at    TIMESTAMP
);
-- One open request per mentee and program, whatever races.
CREATE UNIQUE INDEX program_requests_open ON program_requests (program_id, mentee_id) WHERE status = 'open';
CREATE INDEX program_requests_mentor ON program_requests (program_id, mentor_id, status);

-- +goose Down
DROP TABLE program_requests;
