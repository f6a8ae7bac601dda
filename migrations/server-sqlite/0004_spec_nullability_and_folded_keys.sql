-- Why (issue 11, item 18): SCHEMA.md leaves ten columns nullable that 0001 made NOT NULL:
-- users.mentor_status, mentee_status, skills, interests, created_at; groups.members;
-- group_members.role, joined_at; conversations.created_at; message_read_status.read_at.
-- The server still fills every one of them (the defaults stay), and reads a NULL written by
-- anything else as the column's neutral value (crates/server/src/store/records.rs).
-- Why (issue 11, item 6): industry_key holds the industry lower-cased, which can be longer
-- than the industry ("İ" becomes "i" + U+0307). SQLite never enforced VARCHAR(100), but the
-- declared type now says what PostgreSQL's does: TEXT, sized by the industry's own limit.
--
-- How: SQLite's ALTER TABLE cannot drop NOT NULL. Its 12-step rebuild (create, copy, drop,
-- rename) needs PRAGMA foreign_keys=OFF, which SQLite ignores inside a transaction, and sqlx
-- runs every SQLite migration inside one. With foreign keys on, dropping the old users,
-- groups, conversations and messages tables would run their ON DELETE actions: every
-- session, membership, participant, message and read would be deleted or orphaned. So this
-- follows SQLite's own procedure for "removing CHECK or FOREIGN KEY or NOT NULL constraints"
-- (https://sqlite.org/lang_altertable.html#otheralter): the stored CREATE TABLE text is
-- edited in place, in this one transaction. Dropping NOT NULL and VARCHAR(100) -> TEXT (the
-- same TEXT affinity) leave the on-disk format unchanged, which that procedure requires. No
-- row is moved or rewritten, so referential integrity holds trivially, and every index on
-- these tables (0001-0003: users_username_lower, users_email_lower, users_phone,
-- users_industry_key, groups_created_by, group_members_user, read_status_user and the
-- primary-key/unique autoindexes) stays as it is; 0001-0003 define no triggers or views.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql =
    replace(replace(replace(replace(replace(replace(sql,
        'mentor_status       BOOLEAN NOT NULL DEFAULT 0', 'mentor_status       BOOLEAN DEFAULT 0'),
        'mentee_status       BOOLEAN NOT NULL DEFAULT 0', 'mentee_status       BOOLEAN DEFAULT 0'),
        'skills              TEXT NOT NULL DEFAULT ''[]''', 'skills              TEXT DEFAULT ''[]'''),
        'interests           TEXT NOT NULL DEFAULT ''[]''', 'interests           TEXT DEFAULT ''[]'''),
        'created_at          TEXT NOT NULL', 'created_at          TEXT'),
        'industry_key VARCHAR(100)', 'industry_key TEXT')
    WHERE type = 'table' AND name = 'users';
UPDATE sqlite_schema SET sql =
    replace(sql, 'members     TEXT NOT NULL DEFAULT ''[]''', 'members     TEXT DEFAULT ''[]''')
    WHERE type = 'table' AND name = 'groups';
UPDATE sqlite_schema SET sql =
    replace(replace(sql,
        'role      VARCHAR(15) NOT NULL DEFAULT ''member''', 'role      VARCHAR(15) DEFAULT ''member'''),
        'joined_at TEXT NOT NULL', 'joined_at TEXT')
    WHERE type = 'table' AND name = 'group_members';
UPDATE sqlite_schema SET sql =
    replace(sql, 'created_at      TEXT NOT NULL', 'created_at      TEXT')
    WHERE type = 'table' AND name = 'conversations';
UPDATE sqlite_schema SET sql =
    replace(sql, 'read_at    TEXT NOT NULL', 'read_at    TEXT')
    WHERE type = 'table' AND name = 'message_read_status';
-- Turns writable_schema off and reloads this connection's schema from the edited text.
PRAGMA writable_schema = RESET;

-- The check: every column of the five tables as SQLite now parses them (name, declared type,
-- NOT NULL, default, primary key), against what they must be. A mismatch (an edit that did
-- not take, or took too much) fails the CHECK, and with it the whole migration, which then
-- rolls back. Creating and dropping the table also bumps the schema cookie, so any other
-- connection reloads the schema (step 6 of the procedure).
CREATE TABLE migration_0004_check (what TEXT NOT NULL, ok INTEGER NOT NULL CHECK (ok = 1));
INSERT INTO migration_0004_check (what, ok)
    SELECT t.name, (SELECT group_concat(c.name || ' ' || c.type || ' ' || c."notnull" || ' ' || coalesce(c.dflt_value, '-') || ' ' || c.pk, ', ')
                    FROM (SELECT * FROM pragma_table_info(t.name) ORDER BY cid) c) = t.columns
    FROM (SELECT 'users' AS name,
                 'user_id BLOB 1 - 1, username VARCHAR(16) 1 - 0, email VARCHAR(100) 1 - 0, '
                 || 'phone_number VARCHAR(15) 0 - 0, password_hash VARCHAR(255) 1 - 0, '
                 || 'date_of_birth DATE 1 - 0, city VARCHAR(26) 0 - 0, state VARCHAR(2) 0 - 0, '
                 || 'age INTEGER 0 - 0, profile_picture_url VARCHAR(255) 0 - 0, bio TEXT 0 - 0, '
                 || 'mentor_status BOOLEAN 0 0 0, mentee_status BOOLEAN 0 0 0, '
                 || 'job_title VARCHAR(100) 0 - 0, years_of_experience INTEGER 0 - 0, '
                 || 'industry VARCHAR(100) 0 - 0, skills TEXT 0 ''[]'' 0, interests TEXT 0 ''[]'' 0, '
                 || 'created_at TEXT 0 - 0, search_text TEXT 1 '''' 0, industry_key TEXT 0 - 0' AS columns
          UNION ALL SELECT 'groups',
                 'group_id BLOB 1 - 1, group_name VARCHAR(50) 1 - 0, description TEXT 0 - 0, '
                 || 'created_by BLOB 1 - 0, created_at TEXT 1 - 0, members TEXT 0 ''[]'' 0'
          UNION ALL SELECT 'group_members',
                 'group_id BLOB 1 - 1, user_id BLOB 1 - 2, role VARCHAR(15) 0 ''member'' 0, '
                 || 'joined_at TEXT 0 - 0'
          UNION ALL SELECT 'conversations',
                 'conversation_id BLOB 1 - 1, type VARCHAR(10) 1 - 0, group_id BLOB 0 - 0, '
                 || 'created_at TEXT 0 - 0'
          UNION ALL SELECT 'message_read_status',
                 'message_id BLOB 1 - 1, user_id BLOB 1 - 2, read_at TEXT 0 - 0') t;
DROP TABLE migration_0004_check;
