-- Why: the directory of a program of 100,000 members (issue 18, BENCHMARKS.md "directory").
-- Pages are ordered by username: without an index every page sorted the whole table.
CREATE INDEX users_username ON users (username);
-- Selective filters without a text part (a state, with or without more) find their rows here
-- instead of walking every member in username order.
CREATE INDEX users_state ON users (state);
-- Text (`q`) and skill filters are substring matches (LIKE '%…%', as before); a trigram index
-- answers them for three characters or more without reading every member. External content:
-- the text lives once, in users; the triggers keep the index equal to it.
CREATE VIRTUAL TABLE users_text USING fts5(
    search_text, skills, content = 'users', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO users_text (users_text) VALUES ('rebuild');
CREATE TRIGGER users_text_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_text (rowid, search_text, skills) VALUES (new.rowid, new.search_text, new.skills);
END;
CREATE TRIGGER users_text_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_text (users_text, rowid, search_text, skills)
        VALUES ('delete', old.rowid, old.search_text, old.skills);
END;
CREATE TRIGGER users_text_update AFTER UPDATE OF search_text, skills ON users BEGIN
    INSERT INTO users_text (users_text, rowid, search_text, skills)
        VALUES ('delete', old.rowid, old.search_text, old.skills);
    INSERT INTO users_text (rowid, search_text, skills) VALUES (new.rowid, new.search_text, new.skills);
END;
