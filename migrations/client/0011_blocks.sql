-- Why: blocking (PROGRAM.md, "Safety and the program"): whom the user has blocked, from any of
-- their devices (sync's `block` changes) or here (applied at once, queued in the outbox). Their
-- direct conversation stays in the replica, hidden from the list until unblocked.
CREATE TABLE blocks (
    user_id    BLOB PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL
);
