-- +goose Up
-- A program's admins invite people to apply: one invitation per person
-- and program. sends counts how many times it went out (the first time
-- and each reminder, at most one a day); told counts the sends whose
-- notification the program_invited job has written, so a retry tells no
-- one twice and a reminder is told once.
CREATE TABLE program_invitations (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    program_id   INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    invited_by   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    invited_at   TIMESTAMP NOT NULL,
    sent_at      TIMESTAMP NOT NULL,
    sends        INTEGER NOT NULL DEFAULT 1,
    told         INTEGER NOT NULL DEFAULT 0,
    declined_at  TIMESTAMP,
    UNIQUE (program_id, person_id)
);
CREATE INDEX program_invitations_person ON program_invitations (person_id);

-- +goose Down
DROP TABLE program_invitations;
