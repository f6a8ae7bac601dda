-- Why: search as you type matches the last word as a prefix. Without a prefix index FTS5 must
-- merge the doclists of every word starting with it before it can return the newest hit (50 ms
-- for "pro" over a million messages); with one, a 2- or 3-letter prefix is a single doclist
-- read newest first, like a whole word. Costs about 2.3x the index-building work per message.
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(content, content = 'messages', content_rowid = 'rowid', prefix = '2 3');
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
