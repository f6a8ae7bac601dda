-- Why: safeguarding (PROGRAM.md, "Minors"): in a direct conversation between a minor and an
-- adult, a message carrying an email address, a phone number or a link is held for a
-- coordinator. Only its sender sees it until it is released (then it is delivered, at the
-- place in the conversation its release gave it) or rejected.
ALTER TABLE messages ADD COLUMN status VARCHAR(9) NOT NULL DEFAULT 'delivered'
    CHECK (status IN ('delivered', 'held', 'rejected'));
ALTER TABLE messages ADD COLUMN held_reason VARCHAR(5) CHECK (held_reason IN ('email', 'phone', 'link'));
-- The coordinators' queue: only the few held messages are indexed.
CREATE INDEX messages_held ON messages (seq) WHERE status = 'held';
-- A send into a conversation between a minor and an adult looks up its mentorship by it.
CREATE INDEX mentorships_conversation ON mentorships (conversation_id) WHERE status = 'active';
-- The coordinators' "messages in the last 30 days" counts a range of this index.
CREATE INDEX messages_sent_at ON messages (sent_at);
