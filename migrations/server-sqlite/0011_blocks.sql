-- Why: blocking (PROGRAM.md, "Safety and the program"): who blocked whom. Either direction keeps
-- the two apart: no new direct conversation, nothing sent into one, no request, and each is
-- absent from the other's directory and matches.
CREATE TABLE blocks (
    blocker_id BLOB NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    blocked_id BLOB NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id);
