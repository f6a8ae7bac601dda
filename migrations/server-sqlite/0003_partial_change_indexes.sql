-- Why: most changes are messages, scoped by conversation only, yet every one of them also went
-- into the subject and target indexes under a NULL key that no query looks up. Indexing only
-- the rows that have one saves two index writes per message (the sync query's `= $1` and
-- `IN (...)` terms imply NOT NULL, so it still uses them).
DROP INDEX changes_subject;
DROP INDEX changes_target;
CREATE INDEX changes_subject ON changes (subject_user_id, seq) WHERE subject_user_id IS NOT NULL;
CREATE INDEX changes_target ON changes (target_user_id, seq) WHERE target_user_id IS NOT NULL;
