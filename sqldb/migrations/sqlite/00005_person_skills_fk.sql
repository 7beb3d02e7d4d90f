-- +goose Up
-- PostgreSQL drops the redundant foreign key on person_skills.org_id here.
-- SQLite cannot drop a constraint without rebuilding the table, and its
-- key checks are cheap, so it keeps it; this file keeps the versions equal.
SELECT 1;

-- +goose Down
SELECT 1;
