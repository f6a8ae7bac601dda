-- Why: PROGRAM.md's sessions (meetings of a mentorship's two people, proposed by one and
-- confirmed by the other; `mentorship_sessions`, as `sessions` holds sign-in tokens) and the
-- feedback each gives once a confirmed one has ended.
-- `sequence` rises with every change: the calendar file's SEQUENCE, so calendars replace the
-- event instead of adding another.
CREATE TABLE mentorship_sessions (
    session_id       BLOB PRIMARY KEY NOT NULL,
    mentorship_id    BLOB NOT NULL REFERENCES mentorships (mentorship_id) ON DELETE CASCADE,
    starts_at        TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 15 AND 240),
    time_zone        VARCHAR(64) NOT NULL,
    location         VARCHAR(255),
    agenda           TEXT,
    status           VARCHAR(10) NOT NULL CHECK (status IN ('proposed', 'confirmed', 'cancelled')),
    proposed_by      BLOB NOT NULL,
    confirmed_at     TEXT,
    cancelled_by     BLOB,
    cancel_reason    VARCHAR(500),
    sequence         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX mentorship_sessions_by_mentorship ON mentorship_sessions (mentorship_id, starts_at);

-- Seen by its author and the program's coordinators only; one per person per session.
CREATE TABLE session_feedback (
    session_id BLOB NOT NULL REFERENCES mentorship_sessions (session_id) ON DELETE CASCADE,
    author_id  BLOB NOT NULL,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    fit        VARCHAR(6) NOT NULL CHECK (fit IN ('good', 'unsure', 'poor')),
    comment    TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, author_id)
);
