-- Why: richer messages (API.md, "Richer messages"): the message a reply answers, when a message
-- was edited or deleted (a tombstone: its text and media gone, and through the content trigger
-- gone from search at once), and everyone's reactions. The user's own reaction is written here
-- at once and queued; sync's `reaction` changes bring everyone else's.
ALTER TABLE messages ADD COLUMN reply_to BLOB;
ALTER TABLE messages ADD COLUMN edited_at TEXT;
ALTER TABLE messages ADD COLUMN deleted_at TEXT;

CREATE TABLE reactions (
    message_id BLOB NOT NULL,
    user_id    BLOB NOT NULL,
    emoji      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji)
);
