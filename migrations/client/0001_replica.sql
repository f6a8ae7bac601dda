-- The app's offline replica: the server's tables as this user may see them, less what never
-- leaves the server (password hashes; other users' email, phone and date of birth stay NULL),
-- plus the engine's own tables. UUIDs are 16-byte BLOBs, times RFC 3339 TEXT.

CREATE TABLE users (
    user_id             BLOB PRIMARY KEY NOT NULL,
    username            VARCHAR(16) NOT NULL,
    -- NULL for everyone but the signed-in user.
    email               VARCHAR(100),
    phone_number        VARCHAR(15),
    date_of_birth       DATE,
    city                VARCHAR(26),
    state               VARCHAR(2),
    age                 INTEGER,
    profile_picture_url VARCHAR(255),
    bio                 TEXT,
    mentor_status       BOOLEAN NOT NULL DEFAULT 0,
    mentee_status       BOOLEAN NOT NULL DEFAULT 0,
    job_title           VARCHAR(100),
    years_of_experience INTEGER,
    industry            VARCHAR(100),
    skills              TEXT NOT NULL DEFAULT '[]',
    interests           TEXT NOT NULL DEFAULT '[]',
    created_at          TEXT NOT NULL
);

CREATE TABLE groups (
    group_id    BLOB PRIMARY KEY NOT NULL,
    group_name  VARCHAR(50) NOT NULL,
    description TEXT,
    created_by  BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    members     TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE group_members (
    group_id  BLOB NOT NULL,
    user_id   BLOB NOT NULL,
    role      VARCHAR(15) NOT NULL,
    joined_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE conversations (
    conversation_id BLOB PRIMARY KEY NOT NULL,
    type            VARCHAR(10) NOT NULL,
    group_id        BLOB,
    created_at      TEXT NOT NULL
);

CREATE TABLE direct_conversation_participants (
    conversation_id BLOB NOT NULL,
    user_id         BLOB NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX direct_participants_user ON direct_conversation_participants (user_id);

-- No foreign keys to conversations: sync may bring a message before the conversation that
-- holds it is applied in the same page, and a message queued offline may name a conversation
-- the replica has not seen yet (a direct one opened offline).
CREATE TABLE messages (
    message_id      BLOB PRIMARY KEY NOT NULL,
    conversation_id BLOB NOT NULL,
    sender_id       BLOB,
    content         TEXT,
    media_url       VARCHAR(255),
    sent_at         TEXT NOT NULL,
    -- The server's order; NULL while the message waits in the outbox.
    seq             INTEGER UNIQUE
);
-- Opening a conversation reads its newest messages: pending ones (no seq yet) sort last.
CREATE INDEX messages_conversation_seq ON messages (conversation_id, seq);

CREATE TABLE message_read_status (
    message_id BLOB NOT NULL,
    user_id    BLOB NOT NULL,
    read_at    TEXT NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX read_status_user ON message_read_status (user_id, message_id);

-- Engine tables.

-- Why: everything the user did offline, in order, until the server has it. One row per action;
-- `state` is pending, sending or failed (with the server's reason in `last_error`).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('message', 'read', 'profile')),
    conversation_id BLOB,
    message_id      BLOB,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX outbox_message ON outbox (message_id);

-- Why: the unsent text of each conversation, saved as the user types.
CREATE TABLE drafts (
    conversation_id BLOB PRIMARY KEY NOT NULL,
    content         TEXT NOT NULL DEFAULT '',
    media_url       TEXT,
    updated_at      TEXT NOT NULL
);

-- Why: per-conversation settings that are the user's alone.
CREATE TABLE conversation_settings (
    conversation_id BLOB PRIMARY KEY NOT NULL,
    muted           BOOLEAN NOT NULL DEFAULT 0
);

-- Why: the sync cursor, written in the same transaction as the changes it covers.
CREATE TABLE sync_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    cursor       TEXT,
    me           BLOB,
    last_sync_at TEXT
);
INSERT INTO sync_state (id) VALUES (1);

-- Why: full-text search of message content, kept in step with `messages` by triggers.
CREATE VIRTUAL TABLE messages_fts USING fts5(content, content = 'messages', content_rowid = 'rowid');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, coalesce(new.content, ''));
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.rowid, coalesce(old.content, ''));
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.rowid, coalesce(old.content, ''));
    INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, coalesce(new.content, ''));
END;
