-- +goose Up
-- Programs: cohorts an organization runs, their program admins (a role
-- scoped to one program), the enrollment questionnaire and the
-- applications with their answers. Every row carries org_id, so every
-- query filters by the organization.
CREATE TABLE programs (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (name <> ''),
    description      TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL CHECK (kind IN ('mentoring', 'coaching')),
    state            TEXT NOT NULL CHECK (state IN ('draft', 'enrolling', 'matching', 'running', 'closed')),
    eligibility      TEXT NOT NULL CHECK (eligibility IN ('everyone', 'departments', 'locations', 'list')),
    -- The departments, locations or email addresses, one per line.
    eligible         TEXT NOT NULL DEFAULT '',
    enroll_opens     TEXT NOT NULL DEFAULT '',
    enroll_closes    TEXT NOT NULL DEFAULT '',
    matching_on      TEXT NOT NULL DEFAULT '',
    ends_on          TEXT NOT NULL DEFAULT '',
    first_review_on  TEXT NOT NULL DEFAULT '',
    mentor_capacity  INTEGER NOT NULL CHECK (mentor_capacity BETWEEN 1 AND 20),
    areas            TEXT NOT NULL DEFAULT '',
    created_by       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at       TIMESTAMP NOT NULL,
    state_at         TIMESTAMP NOT NULL
);
CREATE INDEX programs_org ON programs (org_id, created_at);

CREATE TABLE program_admins (
    program_id  INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    PRIMARY KEY (program_id, person_id)
);
CREATE INDEX program_admins_person ON program_admins (person_id);

CREATE TABLE program_questions (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    program_id  INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('single', 'multiple', 'skills', 'languages', 'time_zone', 'text', 'scale')),
    label       TEXT NOT NULL CHECK (label <> ''),
    help        TEXT NOT NULL DEFAULT '',
    options     TEXT NOT NULL DEFAULT '', -- one per line
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    rule        TEXT NOT NULL DEFAULT '',
    weight      INTEGER NOT NULL DEFAULT 0 CHECK (weight BETWEEN 0 AND 10),
    hours       INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX program_questions_program ON program_questions (program_id, position);

-- One application per person and program: applying again after a
-- withdrawal reopens the same row.
CREATE TABLE program_applications (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    program_id  INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    capacity    INTEGER NOT NULL CHECK ((role = 'mentee' AND capacity = 0) OR (role = 'mentor' AND capacity BETWEEN 1 AND 20)),
    status      TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'declined', 'withdrawn')),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    decided_at  TIMESTAMP,
    decided_by  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    UNIQUE (program_id, person_id)
);
CREATE INDEX program_applications_person ON program_applications (person_id);

-- An answered question cannot be deleted (RESTRICT): the app refuses
-- first, with the reason.
CREATE TABLE program_answers (
    application_id  INTEGER NOT NULL REFERENCES program_applications (id) ON DELETE CASCADE,
    question_id     INTEGER NOT NULL REFERENCES program_questions (id) ON DELETE RESTRICT,
    org_id          INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    value           TEXT NOT NULL, -- tandem.Answer as JSON
    PRIMARY KEY (application_id, question_id)
);
CREATE INDEX program_answers_question ON program_answers (question_id);

-- +goose Down
DROP TABLE program_answers;
DROP TABLE program_applications;
DROP TABLE program_questions;
DROP TABLE program_admins;
DROP TABLE programs;
