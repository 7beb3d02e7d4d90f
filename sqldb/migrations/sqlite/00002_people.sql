-- +goose Up
ALTER TABLE people ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN languages TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN interests TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN years_experience INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN mentor_capacity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN manager_id INTEGER REFERENCES people (id) ON DELETE SET NULL;
CREATE INDEX people_manager ON people (manager_id);
CREATE INDEX people_org_name ON people (org_id, name);
CREATE INDEX people_org_department ON people (org_id, department);

CREATE TABLE skills (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    retired_at  TIMESTAMP,
    UNIQUE (org_id, name_key)
);

CREATE TABLE person_skills (
    org_id     INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill_id   INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    coaches    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (person_id, skill_id)
);
CREATE INDEX person_skills_skill ON person_skills (skill_id);

-- +goose Down
DROP TABLE person_skills;
DROP TABLE skills;
DROP INDEX people_org_department;
DROP INDEX people_org_name;
DROP INDEX people_manager;
ALTER TABLE people DROP COLUMN manager_id;
ALTER TABLE people DROP COLUMN mentor_capacity;
ALTER TABLE people DROP COLUMN years_experience;
ALTER TABLE people DROP COLUMN bio;
ALTER TABLE people DROP COLUMN interests;
ALTER TABLE people DROP COLUMN languages;
ALTER TABLE people DROP COLUMN time_zone;
ALTER TABLE people DROP COLUMN location;
ALTER TABLE people DROP COLUMN department;
ALTER TABLE people DROP COLUMN title;
