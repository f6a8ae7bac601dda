-- Why: PROGRAM.md's first half (issue 13): mentors' capacity, requests, mentorships, goals and
-- action items. `active_mentees` counts the mentor's active mentorships and is moved in the same
-- transaction as every accept and end, so "never above capacity" is one guarded UPDATE on the
-- mentor's row (`active_mentees < mentee_capacity`) on both backends, and `open_slots` costs no
-- count on reads.
ALTER TABLE users ADD COLUMN mentee_capacity INTEGER NOT NULL DEFAULT 3;
ALTER TABLE users ADD COLUMN accepting_requests BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN active_mentees INTEGER NOT NULL DEFAULT 0;

CREATE TABLE mentorship_requests (
    request_id     UUID PRIMARY KEY,
    mentee_id      UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    mentor_id      UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    message        TEXT NOT NULL,
    status         VARCHAR(10) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'expired')),
    decline_reason TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    responded_at   TIMESTAMPTZ,
    mentorship_id  UUID
);
-- One pending request per pair: the index decides a race of two identical asks.
CREATE UNIQUE INDEX mentorship_requests_pending_pair ON mentorship_requests (mentee_id, mentor_id)
    WHERE status = 'pending';
CREATE INDEX mentorship_requests_mentor ON mentorship_requests (mentor_id, created_at);
CREATE INDEX mentorship_requests_mentee ON mentorship_requests (mentee_id, created_at);
CREATE INDEX mentorship_requests_expiry ON mentorship_requests (expires_at) WHERE status = 'pending';

CREATE TABLE mentorships (
    mentorship_id   UUID PRIMARY KEY,
    mentor_id       UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    mentee_id       UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    conversation_id UUID NOT NULL REFERENCES conversations (conversation_id),
    status          VARCHAR(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    started_at      TIMESTAMPTZ NOT NULL,
    ended_at        TIMESTAMPTZ,
    ended_by        UUID,
    end_reason      TEXT
);
CREATE UNIQUE INDEX mentorships_active_pair ON mentorships (mentor_id, mentee_id) WHERE status = 'active';
CREATE INDEX mentorships_mentee ON mentorships (mentee_id);

CREATE TABLE goals (
    goal_id       UUID PRIMARY KEY,
    mentorship_id UUID NOT NULL REFERENCES mentorships (mentorship_id) ON DELETE CASCADE,
    title         VARCHAR(200) NOT NULL,
    details       TEXT,
    status        VARCHAR(10) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'achieved', 'dropped')),
    due_date      DATE,
    created_by    UUID NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX goals_mentorship ON goals (mentorship_id, created_at);

CREATE TABLE tasks (
    task_id           UUID PRIMARY KEY,
    mentorship_id     UUID NOT NULL REFERENCES mentorships (mentorship_id) ON DELETE CASCADE,
    goal_id           UUID REFERENCES goals (goal_id) ON DELETE SET NULL,
    title             VARCHAR(200) NOT NULL,
    assignee_id       UUID NOT NULL,
    due_date          DATE,
    done_at           TIMESTAMPTZ,
    source_message_id UUID,
    created_by        UUID NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX tasks_mentorship ON tasks (mentorship_id, created_at);
