-- Why: a new member's history is no longer copied into the change log (issue 11, item 10). The
-- add writes one "join" marker whose seq block stands for the conversation's history, and sync
-- serves that history to the member when their cursor reaches the block. joined_seq is the end of
-- that block: the conversation's own changes before it are not shown to the member (the block
-- and the targeted snapshot stand for them); 0 (members from before) sees everything, as before.
ALTER TABLE group_members ADD COLUMN joined_seq BIGINT NOT NULL DEFAULT 0;
