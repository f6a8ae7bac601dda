-- Why: reports, suspension and the coordinators' trail (PROGRAM.md, "Safety and the program").
-- A suspended member cannot sign in and is gone from the directory and matches until a
-- coordinator lifts it. Reports and the trail outlive the accounts they name (ids set null).
ALTER TABLE users ADD COLUMN suspended_at TEXT;
ALTER TABLE users ADD COLUMN suspended_reason VARCHAR(500);
ALTER TABLE users ADD COLUMN suspended_by BLOB;

CREATE TABLE reports (
    report_id     BLOB PRIMARY KEY NOT NULL,
    reporter_id   BLOB REFERENCES users (user_id) ON DELETE SET NULL,
    user_id       BLOB REFERENCES users (user_id) ON DELETE SET NULL,
    message_id    BLOB REFERENCES messages (message_id) ON DELETE SET NULL,
    reason        VARCHAR(13) NOT NULL
        CHECK (reason IN ('harassment', 'spam', 'inappropriate', 'safety', 'other')),
    details       TEXT,
    status        VARCHAR(8) NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at    TEXT NOT NULL,
    action        VARCHAR(7) CHECK (action IN ('dismiss', 'warn', 'suspend')),
    note          VARCHAR(500),
    resolved_by   BLOB REFERENCES users (user_id) ON DELETE SET NULL,
    resolved_at   TEXT
);
CREATE INDEX reports_by_status ON reports (status, created_at);
CREATE INDEX reports_by_reporter ON reports (reporter_id);

-- Append-only: the triggers refuse any change to a written line but the one a deleted
-- account's foreign key makes (the actor set null).
CREATE TABLE audit_log (
    audit_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor_id   BLOB REFERENCES users (user_id) ON DELETE SET NULL,
    action     VARCHAR(20) NOT NULL,
    user_id    BLOB,
    report_id  BLOB,
    message_id BLOB,
    note       VARCHAR(500)
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF audit_id, at, action, user_id, report_id, message_id, note ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_new_actor BEFORE UPDATE OF actor_id ON audit_log WHEN NEW.actor_id IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
