-- +goose Up
-- The program that proposed a mentoring partnership (a published cohort
-- run or an accepted self-serve request); NULL for any other proposal.
-- A mentor's seats in a program are its partnerships with them that are
-- not over, and the program's admins list its partnerships by it.
ALTER TABLE engagements ADD COLUMN program_id INTEGER REFERENCES programs (id) ON DELETE SET NULL;
CREATE INDEX engagements_program ON engagements (program_id, guide_id, status);
-- The partnerships proposed before: accepted requests name theirs, and a
-- published run's pairs were proposed in the publishing transaction.
UPDATE engagements SET program_id = (SELECT r.program_id FROM program_requests r WHERE r.engagement_id = engagements.id)
    WHERE program_id IS NULL AND EXISTS (SELECT 1 FROM program_requests r WHERE r.engagement_id = engagements.id);
UPDATE engagements SET program_id = (SELECT MIN(r.program_id) FROM program_runs r JOIN program_run_rows x ON x.run_id = r.id
        WHERE r.org_id = engagements.org_id AND r.published_at = engagements.created_at
        AND x.person_id = engagements.learner_id AND x.mentor_id = engagements.guide_id)
    WHERE program_id IS NULL AND kind = 'mentoring';

-- +goose Down
DROP INDEX engagements_program;
ALTER TABLE engagements DROP COLUMN program_id;
