-- Why: one outbox for every kind of action. Each entry keeps its action whole (`action`, whose
-- `kind` is repeated in a column to be queried); the lane it is ordered in (one conversation,
-- one mentorship, the user); its subject (what it acts on: edits of a subject still waiting fold
-- into one entry, and the pull retires an entry whose subject it confirms); and the entry it
-- waits for (`depends_on`), with that entry's result once the server took it (`parent_result`).
-- `kind` is free text on purpose: an entry written by a newer version of the app is kept and
-- shown, never dropped or refused by a CHECK. `blocked` is a child whose parent was refused.
CREATE TABLE outbox_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    lane          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    subject_id    BLOB,
    action        TEXT NOT NULL,
    depends_on    INTEGER,
    parent_result TEXT,
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'failed', 'blocked')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    created_at    TEXT NOT NULL
);

-- Entries of the old outbox keep their ids (the queue's order). Inside `action` a UUID is the
-- hyphenated text serde writes; lanes use the plain hex form.
INSERT INTO outbox_entries (id, kind, lane, subject, subject_id, action, state, attempts, last_error, created_at)
SELECT o.id, o.kind,
       CASE WHEN o.kind = 'profile' THEN 'me' ELSE 'conversation/' || lower(hex(o.conversation_id)) END,
       CASE o.kind WHEN 'message' THEN 'message' WHEN 'read' THEN 'read' ELSE 'profile' END,
       CASE o.kind WHEN 'message' THEN o.message_id WHEN 'read' THEN o.conversation_id
            ELSE (SELECT me FROM sync_state WHERE id = 1) END,
       CASE o.kind
           WHEN 'message' THEN json_set(o.payload, '$.kind', 'message')
           WHEN 'read' THEN json_set(o.payload, '$.kind', 'read', '$.conversation_id',
               lower(substr(hex(o.conversation_id), 1, 8) || '-' || substr(hex(o.conversation_id), 9, 4) || '-' ||
                     substr(hex(o.conversation_id), 13, 4) || '-' || substr(hex(o.conversation_id), 17, 4) || '-' ||
                     substr(hex(o.conversation_id), 21, 12)))
           ELSE json_object('kind', 'profile', 'patch', json(o.payload), 'user_id',
               (SELECT lower(substr(hex(me), 1, 8) || '-' || substr(hex(me), 9, 4) || '-' ||
                       substr(hex(me), 13, 4) || '-' || substr(hex(me), 17, 4) || '-' ||
                       substr(hex(me), 21, 12)) FROM sync_state WHERE id = 1))
       END,
       o.state, o.attempts, o.last_error, o.created_at
FROM outbox o;

-- Conversations opened offline become entries that their first messages wait for.
INSERT INTO outbox_entries (kind, lane, subject, subject_id, action, created_at)
SELECT 'open_direct', 'conversation/' || lower(hex(l.conversation_id)), 'direct', l.conversation_id,
       json_object('kind', 'open_direct',
           'conversation_id', lower(substr(hex(l.conversation_id), 1, 8) || '-' || substr(hex(l.conversation_id), 9, 4) || '-' ||
                 substr(hex(l.conversation_id), 13, 4) || '-' || substr(hex(l.conversation_id), 17, 4) || '-' ||
                 substr(hex(l.conversation_id), 21, 12)),
           'other_user_id', lower(substr(hex(l.other_user_id), 1, 8) || '-' || substr(hex(l.other_user_id), 9, 4) || '-' ||
                 substr(hex(l.other_user_id), 13, 4) || '-' || substr(hex(l.other_user_id), 17, 4) || '-' ||
                 substr(hex(l.other_user_id), 21, 12))),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM local_conversations l;
UPDATE outbox_entries SET depends_on = (
    SELECT d.id FROM outbox_entries d WHERE d.kind = 'open_direct' AND d.lane = outbox_entries.lane)
WHERE kind = 'message';

DROP TABLE outbox;
DROP TABLE local_conversations;
ALTER TABLE outbox_entries RENAME TO outbox;
CREATE INDEX outbox_subject ON outbox (subject, subject_id);
CREATE INDEX outbox_depends_on ON outbox (depends_on);
