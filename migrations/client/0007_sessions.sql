-- Why: sessions of the user's mentorships in the replica (issue 14), so the Mentorship panel
-- shows them offline. As the other mentorship rows: the server's object whole, beside the
-- columns queries need.
CREATE TABLE mentorship_sessions (
    session_id    BLOB PRIMARY KEY NOT NULL,
    mentorship_id BLOB NOT NULL,
    starts_at     TEXT NOT NULL,
    record        TEXT NOT NULL
);
CREATE INDEX mentorship_sessions_by_mentorship ON mentorship_sessions (mentorship_id, starts_at);
