-- Why: a search word longer than three letters is now narrowed to its first three (see
-- replica/search.rs), so the 3-letter prefix index is the one that matters. The 2-letter one
-- cost a third of the index-building work of every synced message (the first sync of 100k
-- messages is bound by it); one- and two-letter prefixes, typed on the way to a longer word,
-- fall back to FTS5's merge of the matching words.
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(content, content = 'messages', content_rowid = 'rowid', prefix = '3');
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
