-- +goose Up
-- The development mailer's messages belong to the organization that sent
-- them; account-level mail (password resets) to none, so no administrator
-- reads it. Matching by recipient leaked mail across organizations that
-- share a person.
ALTER TABLE mail_log ADD COLUMN org_id BIGINT REFERENCES orgs (id) ON DELETE CASCADE;
CREATE INDEX mail_log_org ON mail_log (org_id, created_at);
-- Indexes for queries that scanned whole tables: moved-on coaching
-- (Successor), rebuilding one organization's reporting lines, exporting
-- one organization's skills.
CREATE INDEX engagements_previous ON engagements (previous_id);
CREATE INDEX people_closure_org ON people_closure (org_id);
CREATE INDEX person_skills_org ON person_skills (org_id, person_id);

-- +goose Down
DROP INDEX person_skills_org;
DROP INDEX people_closure_org;
DROP INDEX engagements_previous;
DROP INDEX mail_log_org;
ALTER TABLE mail_log DROP COLUMN org_id;
