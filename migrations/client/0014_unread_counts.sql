-- Why: the conversation list shows each conversation's unread count at every start and after
-- every change, and counting it (messages from others that `me` has no read status for) read
-- every message of the replica: 3.9 s for a million (`make bench`, replica group). Kept here
-- instead, one row per conversation, by triggers on every write that can change the count, so
-- it always equals that count over the current rows (a test recounts after each kind of write).
-- No statement here relies on a conflict clause: inside a trigger SQLite replaces it with the
-- outer statement's (an upsert's DO UPDATE would turn an OR IGNORE into an abort).
CREATE TABLE unread_counts (
    conversation_id BLOB PRIMARY KEY NOT NULL,
    n               INTEGER NOT NULL
);

INSERT INTO unread_counts (conversation_id, n)
SELECT m.conversation_id, count(*) FROM messages m
WHERE m.seq IS NOT NULL
  AND (m.sender_id IS NULL OR m.sender_id <> (SELECT me FROM sync_state WHERE id = 1))
  AND NOT EXISTS (SELECT 1 FROM message_read_status r
                  WHERE r.message_id = m.message_id AND r.user_id = (SELECT me FROM sync_state WHERE id = 1))
GROUP BY m.conversation_id;

-- A message counts while it has a seq, is not `me`'s own, and `me` has not read it.
CREATE TRIGGER unread_message_insert AFTER INSERT ON messages
WHEN NEW.seq IS NOT NULL
 AND (NEW.sender_id IS NULL OR NEW.sender_id <> (SELECT me FROM sync_state WHERE id = 1))
 AND NOT EXISTS (SELECT 1 FROM message_read_status r
                 WHERE r.message_id = NEW.message_id AND r.user_id = (SELECT me FROM sync_state WHERE id = 1))
BEGIN
    INSERT INTO unread_counts (conversation_id, n) SELECT NEW.conversation_id, 0
    WHERE NOT EXISTS (SELECT 1 FROM unread_counts WHERE conversation_id = NEW.conversation_id);
    UPDATE unread_counts SET n = n + 1 WHERE conversation_id = NEW.conversation_id;
END;

CREATE TRIGGER unread_message_delete AFTER DELETE ON messages
WHEN OLD.seq IS NOT NULL
 AND (OLD.sender_id IS NULL OR OLD.sender_id <> (SELECT me FROM sync_state WHERE id = 1))
 AND NOT EXISTS (SELECT 1 FROM message_read_status r
                 WHERE r.message_id = OLD.message_id AND r.user_id = (SELECT me FROM sync_state WHERE id = 1))
BEGIN
    UPDATE unread_counts SET n = n - 1 WHERE conversation_id = OLD.conversation_id;
END;

-- An update may move a message into the count (a pending message confirmed, a sender forgotten)
-- or out of it: the old row's part goes, the new row's comes.
CREATE TRIGGER unread_message_update_out AFTER UPDATE OF seq, sender_id, conversation_id ON messages
WHEN OLD.seq IS NOT NULL
 AND (OLD.sender_id IS NULL OR OLD.sender_id <> (SELECT me FROM sync_state WHERE id = 1))
 AND NOT EXISTS (SELECT 1 FROM message_read_status r
                 WHERE r.message_id = OLD.message_id AND r.user_id = (SELECT me FROM sync_state WHERE id = 1))
BEGIN
    UPDATE unread_counts SET n = n - 1 WHERE conversation_id = OLD.conversation_id;
END;

CREATE TRIGGER unread_message_update_in AFTER UPDATE OF seq, sender_id, conversation_id ON messages
WHEN NEW.seq IS NOT NULL
 AND (NEW.sender_id IS NULL OR NEW.sender_id <> (SELECT me FROM sync_state WHERE id = 1))
 AND NOT EXISTS (SELECT 1 FROM message_read_status r
                 WHERE r.message_id = NEW.message_id AND r.user_id = (SELECT me FROM sync_state WHERE id = 1))
BEGIN
    INSERT INTO unread_counts (conversation_id, n) SELECT NEW.conversation_id, 0
    WHERE NOT EXISTS (SELECT 1 FROM unread_counts WHERE conversation_id = NEW.conversation_id);
    UPDATE unread_counts SET n = n + 1 WHERE conversation_id = NEW.conversation_id;
END;

-- `me` reading a counted message takes it out; the read going puts it back.
CREATE TRIGGER unread_read_insert AFTER INSERT ON message_read_status
WHEN NEW.user_id = (SELECT me FROM sync_state WHERE id = 1)
BEGIN
    UPDATE unread_counts SET n = n - 1
    WHERE conversation_id = (SELECT m.conversation_id FROM messages m
                             WHERE m.message_id = NEW.message_id AND m.seq IS NOT NULL
                               AND (m.sender_id IS NULL OR m.sender_id <> NEW.user_id));
END;

CREATE TRIGGER unread_read_delete AFTER DELETE ON message_read_status
WHEN OLD.user_id = (SELECT me FROM sync_state WHERE id = 1)
BEGIN
    INSERT INTO unread_counts (conversation_id, n)
    SELECT m.conversation_id, 0 FROM messages m WHERE m.message_id = OLD.message_id
      AND NOT EXISTS (SELECT 1 FROM unread_counts u WHERE u.conversation_id = m.conversation_id);
    UPDATE unread_counts SET n = n + 1
    WHERE conversation_id = (SELECT m.conversation_id FROM messages m
                             WHERE m.message_id = OLD.message_id AND m.seq IS NOT NULL
                               AND (m.sender_id IS NULL OR m.sender_id <> OLD.user_id));
END;

-- Whose counts these are changed (the replica learns who signed in): count again.
CREATE TRIGGER unread_me AFTER UPDATE OF me ON sync_state
WHEN OLD.me IS NOT NEW.me
BEGIN
    DELETE FROM unread_counts;
    INSERT INTO unread_counts (conversation_id, n)
    SELECT m.conversation_id, count(*) FROM messages m
    WHERE m.seq IS NOT NULL
      AND (m.sender_id IS NULL OR m.sender_id <> NEW.me)
      AND NOT EXISTS (SELECT 1 FROM message_read_status r
                      WHERE r.message_id = m.message_id AND r.user_id = NEW.me)
    GROUP BY m.conversation_id;
END;
