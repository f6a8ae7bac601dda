-- Why: richer messages (API.md, "Richer messages"). A reply names the message it answers; an edit
-- dates itself; a delete leaves a tombstone (text and media gone). `revised_seq` is the change
-- that carried the latest revision, so the next one replaces it: a deleted or replaced text is
-- never synced to anyone afterwards (the accepting change is rewritten to the current state too).
ALTER TABLE messages ADD COLUMN reply_to UUID;
ALTER TABLE messages ADD COLUMN edited_at TIMESTAMPTZ;
ALTER TABLE messages ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE messages ADD COLUMN revised_seq BIGINT;

-- One row per person, message and emoji: a second PUT of the same is a no-op.
CREATE TABLE reactions (
    message_id UUID NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    emoji      VARCHAR(64) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji)
);
