-- Why: what the replica keeps of sessions beyond the server's object (issue 14): the user's own
-- feedback (the server sends it back only to its author; the panel shows it and the app asks
-- for it once), the notes document as this device knows it (merged server state plus what was
-- typed here and still waits in the outbox), and which reminders this device has shown.
CREATE TABLE session_feedback (
    session_id BLOB PRIMARY KEY NOT NULL,
    record     TEXT NOT NULL
);
CREATE TABLE session_notes (
    session_id BLOB PRIMARY KEY NOT NULL,
    state      BLOB NOT NULL,
    text       TEXT NOT NULL
);
CREATE TABLE session_reminders (
    session_id BLOB PRIMARY KEY NOT NULL,
    shown_at   TEXT NOT NULL
);
-- The app asks for feedback once per prompt: which sessions it asked about.
CREATE TABLE feedback_prompts (
    session_id BLOB PRIMARY KEY NOT NULL,
    asked_at   TEXT NOT NULL
);
