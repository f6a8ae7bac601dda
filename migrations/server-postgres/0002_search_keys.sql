-- Why: directory search must ignore case the same way on both backends (SQLite's lower() folds
-- only A-Z) and must see skills as words, not as their JSON storage (where `[` or `,` would
-- match everyone). Both keys are folded in Rust when a profile is written.
--   search_text:  username, job title, bio and skills, lower-cased, one per line.
--   industry_key: the industry, lower-cased.
ALTER TABLE users ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN industry_key VARCHAR(100);
-- Rows written before this migration get SQL's folding; the next profile write refolds them.
UPDATE users SET
    search_text = lower(username || E'\n' || coalesce(job_title, '') || E'\n' || coalesce(bio, '') || E'\n' || skills),
    industry_key = lower(industry);
CREATE INDEX users_industry_key ON users (industry_key);
