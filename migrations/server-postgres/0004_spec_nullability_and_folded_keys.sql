-- Why (issue 11, item 18): SCHEMA.md leaves these ten columns nullable; 0001 made them NOT NULL.
-- The server still fills every one of them (the defaults stay), and reads a NULL written by
-- anything else as the column's neutral value (crates/server/src/store/records.rs).
ALTER TABLE users
    ALTER COLUMN mentor_status DROP NOT NULL,
    ALTER COLUMN mentee_status DROP NOT NULL,
    ALTER COLUMN skills DROP NOT NULL,
    ALTER COLUMN interests DROP NOT NULL,
    ALTER COLUMN created_at DROP NOT NULL;
ALTER TABLE groups ALTER COLUMN members DROP NOT NULL;
ALTER TABLE group_members
    ALTER COLUMN role DROP NOT NULL,
    ALTER COLUMN joined_at DROP NOT NULL;
ALTER TABLE conversations ALTER COLUMN created_at DROP NOT NULL;
ALTER TABLE message_read_status ALTER COLUMN read_at DROP NOT NULL;

-- Why (issue 11, item 6): industry_key holds the industry lower-cased, and lower-casing can
-- lengthen text ("İ" becomes "i" + U+0307), so 100 characters of industry overflowed
-- VARCHAR(100). The key is derived by the server, never typed by a client, and bounded by the
-- industry's own limit, so it needs no length of its own. (search_text is TEXT already.)
-- VARCHAR to TEXT is binary-compatible: no table rewrite.
ALTER TABLE users ALTER COLUMN industry_key TYPE TEXT;
