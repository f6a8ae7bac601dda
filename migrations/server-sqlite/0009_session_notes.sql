-- Why: each session's shared notes, merged on the server as a CRDT (lodestar-notes, yrs):
-- `state` is the merged document (a yrs v1 update of everything), `text` what it reads as,
-- kept beside it so that reading the notes needs no decoding.
CREATE TABLE session_notes (
    session_id BLOB PRIMARY KEY REFERENCES mentorship_sessions (session_id) ON DELETE CASCADE,
    state      BLOB NOT NULL,
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
