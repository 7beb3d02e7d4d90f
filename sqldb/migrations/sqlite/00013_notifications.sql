-- +goose Up
-- What concerns a person: written in the transaction of the change that
-- causes it (or by a reminder job), shown in the in-app list and emailed
-- by a job according to the person's settings. title and detail are what
-- the person may know; no note or comment is ever copied here.
CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    person_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    category       TEXT NOT NULL,
    event          TEXT NOT NULL,
    engagement_id  INTEGER REFERENCES engagements (id) ON DELETE CASCADE,
    object_id      INTEGER,
    actor_id       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    -- Reminders: one per (reminder, object, day), so a job run twice
    -- reminds once.
    once_key       TEXT,
    created_at     TIMESTAMP NOT NULL,
    read_at        TIMESTAMP,
    emailed_at     TIMESTAMP
);
CREATE INDEX notifications_person ON notifications (person_id, created_at);
CREATE INDEX notifications_unread ON notifications (person_id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_once ON notifications (person_id, once_key);

-- A person's delivery per category; a missing row is "immediately".
CREATE TABLE notification_settings (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    delivery   TEXT NOT NULL CHECK (delivery IN ('immediately', 'daily', 'off')),
    PRIMARY KEY (person_id, category)
);

-- +goose Down
DROP TABLE notification_settings;
DROP TABLE notifications;
