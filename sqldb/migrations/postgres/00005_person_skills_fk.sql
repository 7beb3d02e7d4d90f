-- +goose Up
-- person_skills.org_id is kept for tenant filters, but its foreign key is
-- redundant (person_id already ties each row to a person of the
-- organization, and deleting the person or the organization cascades) and
-- its per-row check cost 1.7 s of a 100,000-person import.
ALTER TABLE person_skills DROP CONSTRAINT person_skills_org_id_fkey;

-- +goose Down
ALTER TABLE person_skills ADD CONSTRAINT person_skills_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE;
