-- Why: the mentorship domain of PROGRAM.md in the replica, so requests, mentorships, goals and
-- action items read and change offline. Each row keeps the server's object whole (`record`,
-- the protocol's JSON) beside the columns that are queried, as matrix-rust-sdk keeps events:
-- a newer server adding a field needs no migration here, and there is one decoder per object.
-- Rows written by an action still in the outbox carry the action's effect until the server's
-- answer or a pull replaces them.

ALTER TABLE users ADD COLUMN mentee_capacity INTEGER NOT NULL DEFAULT 3;
ALTER TABLE users ADD COLUMN accepting_requests BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN open_slots INTEGER NOT NULL DEFAULT 0;

CREATE TABLE mentorship_requests (
    request_id BLOB PRIMARY KEY NOT NULL,
    mentee_id  BLOB NOT NULL,
    mentor_id  BLOB NOT NULL,
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    record     TEXT NOT NULL
);
CREATE INDEX mentorship_requests_mentor ON mentorship_requests (mentor_id, status);
CREATE INDEX mentorship_requests_mentee ON mentorship_requests (mentee_id, status);

CREATE TABLE mentorships (
    mentorship_id   BLOB PRIMARY KEY NOT NULL,
    mentor_id       BLOB NOT NULL,
    mentee_id       BLOB NOT NULL,
    conversation_id BLOB NOT NULL,
    status          TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    record          TEXT NOT NULL
);
CREATE INDEX mentorships_conversation ON mentorships (conversation_id);

CREATE TABLE goals (
    goal_id       BLOB PRIMARY KEY NOT NULL,
    mentorship_id BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    record        TEXT NOT NULL
);
CREATE INDEX goals_mentorship ON goals (mentorship_id, created_at);

CREATE TABLE tasks (
    task_id       BLOB PRIMARY KEY NOT NULL,
    mentorship_id BLOB NOT NULL,
    done          BOOLEAN NOT NULL,
    due_date      TEXT,
    created_at    TEXT NOT NULL,
    record        TEXT NOT NULL
);
CREATE INDEX tasks_mentorship ON tasks (mentorship_id, created_at);
