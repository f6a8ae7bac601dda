-- Lodestar server schema on PostgreSQL: the same tables as migrations/server-sqlite, in
-- PostgreSQL's native types. TIMESTAMP is TIMESTAMPTZ: every time is UTC.

CREATE TABLE users (
    user_id             UUID PRIMARY KEY,
    username            VARCHAR(16)  NOT NULL,
    email               VARCHAR(100) NOT NULL,
    phone_number        VARCHAR(15),
    password_hash       VARCHAR(255) NOT NULL,
    date_of_birth       DATE         NOT NULL,
    city                VARCHAR(26),
    state               VARCHAR(2),
    -- Derived from date_of_birth; kept as of the last write, recomputed on every read.
    age                 INTEGER,
    profile_picture_url VARCHAR(255),
    bio                 TEXT,
    mentor_status       BOOLEAN NOT NULL DEFAULT FALSE,
    mentee_status       BOOLEAN NOT NULL DEFAULT FALSE,
    job_title           VARCHAR(100),
    years_of_experience INTEGER,
    industry            VARCHAR(100),
    -- JSON arrays of lower-case tags.
    skills              TEXT NOT NULL DEFAULT '[]',
    interests           TEXT NOT NULL DEFAULT '[]',
    created_at          TIMESTAMPTZ NOT NULL
);
-- Unique ignoring case (DESIGN.md, rules for values).
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE UNIQUE INDEX users_phone ON users (phone_number);

CREATE TABLE groups (
    group_id    UUID PRIMARY KEY,
    group_name  VARCHAR(50) NOT NULL,
    description TEXT,
    created_by  UUID NOT NULL REFERENCES users (user_id),
    created_at  TIMESTAMPTZ NOT NULL,
    -- JSON array of member ids, kept equal to group_members in every membership transaction.
    members     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX groups_created_by ON groups (created_by);

CREATE TABLE group_members (
    group_id  UUID NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    user_id   UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role      VARCHAR(15) NOT NULL DEFAULT 'member',
    joined_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE conversations (
    conversation_id UUID PRIMARY KEY,
    type            VARCHAR(10) NOT NULL CHECK (type IN ('DIRECT', 'GROUP')),
    group_id        UUID UNIQUE REFERENCES groups (group_id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK ((type = 'GROUP') = (group_id IS NOT NULL))
);

CREATE TABLE direct_conversation_participants (
    conversation_id UUID NOT NULL REFERENCES conversations (conversation_id) ON DELETE CASCADE,
    user_id         UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX direct_participants_user ON direct_conversation_participants (user_id);

CREATE TABLE messages (
    message_id      UUID PRIMARY KEY,
    conversation_id UUID NOT NULL REFERENCES conversations (conversation_id) ON DELETE CASCADE,
    sender_id       UUID REFERENCES users (user_id) ON DELETE SET NULL,
    content         TEXT,
    media_url       VARCHAR(255),
    sent_at         TIMESTAMPTZ NOT NULL,
    -- The server's order of messages: the seq of the change that accepted it.
    seq             BIGINT NOT NULL UNIQUE
);
CREATE INDEX messages_conversation_seq ON messages (conversation_id, seq);
CREATE INDEX messages_sender ON messages (sender_id);

CREATE TABLE message_read_status (
    message_id UUID NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    read_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX read_status_user ON message_read_status (user_id);

-- Engine tables beyond SCHEMA.md.

-- Why: bearer tokens are opaque; only their SHA-256 is stored, with an expiry.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Why: login throttling must hold across restarts and across server instances.
CREATE TABLE login_failures (
    key       TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

-- Why: the sync log. Every accepted change gets a seq, allocated from seq_counter inside the
-- writing transaction; the counter's row lock, held until commit, makes seqs visible in order
-- even with concurrent writers (see store/mod.rs).
CREATE TABLE changes (
    seq             BIGINT PRIMARY KEY,
    kind            TEXT NOT NULL,
    op              TEXT NOT NULL,
    data            TEXT NOT NULL,
    conversation_id UUID,
    subject_user_id UUID,
    target_user_id  UUID
);
CREATE INDEX changes_conversation ON changes (conversation_id, seq);
CREATE INDEX changes_subject ON changes (subject_user_id, seq);
CREATE INDEX changes_target ON changes (target_user_id, seq);

-- Why: the one counter every seq comes from; its row lock orders writers.
CREATE TABLE seq_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO seq_counter (id, value) VALUES (1, 0);
