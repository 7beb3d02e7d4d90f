-- +goose Up
-- Coach Notes: articles, their email subscribers and the twice-monthly
-- digest. An article is a draft (published_at NULL) or published at
-- published_at; one whose published_at is still ahead is "scheduled", so
-- no job has to flip it. body_html is rendered and sanitized when saved.
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES people (id),
    slug          TEXT NOT NULL,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    topics        TEXT NOT NULL DEFAULT '',
    body_md       TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    published_at  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (org_id, slug)
);
CREATE INDEX articles_published ON articles (org_id, published_at);

-- A subscriber is an address per organization. status: pending (asked,
-- not confirmed: nothing is sent but the confirmation), confirmed,
-- unsubscribed. consent_at and consent_source say when and how the person
-- agreed (the confirmation link, a member's click, an import that carried
-- them).
CREATE TABLE subscribers (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    email            TEXT NOT NULL,
    status           TEXT NOT NULL,
    consent_at       TIMESTAMP,
    consent_source   TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    unsubscribed_at  TIMESTAMP,
    UNIQUE (org_id, email)
);
CREATE INDEX subscribers_confirmed ON subscribers (org_id, status, id);

-- The digest schedule per organization: the days of the month (1-28),
-- the hour and the time zone.
CREATE TABLE digest_settings (
    org_id     INTEGER PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
    days       TEXT NOT NULL,
    hour       INTEGER NOT NULL,
    time_zone  TEXT NOT NULL
);

-- One row per digest: the articles published in (since_at, until_at]. period is
-- the schedule slot ("2026-03-01") or "manual-<time>"; one digest per slot.
CREATE TABLE digests (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    since_at     TIMESTAMP NOT NULL,
    until_at     TIMESTAMP NOT NULL,
    articles     INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (org_id, period)
);

-- A row per delivered digest message: the key that makes a retried or
-- restarted batch skip whoever already has it.
CREATE TABLE digest_sends (
    digest_id      INTEGER NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
    subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    sent_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (digest_id, subscriber_id)
);

-- The installation's secret for signed subscription links, made on first
-- use.
CREATE TABLE link_secrets (
    name    TEXT PRIMARY KEY,
    secret  TEXT NOT NULL
);

-- +goose Down
DROP TABLE link_secrets;
DROP TABLE digest_sends;
DROP TABLE digests;
DROP TABLE digest_settings;
DROP TABLE subscribers;
DROP TABLE articles;
