-- Why: a direct conversation opened while offline exists only here until the push opens it on
-- the server (its id is derived from the two users, so both sides agree without talking).
CREATE TABLE local_conversations (
    conversation_id BLOB PRIMARY KEY NOT NULL,
    other_user_id   BLOB NOT NULL
);
