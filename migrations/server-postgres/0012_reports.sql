-- Why: reports, suspension and the coordinators' trail (PROGRAM.md, "Safety and the program").
-- A suspended member cannot sign in and is gone from the directory and matches until a
-- coordinator lifts it. Reports and the trail outlive the accounts they name (ids set null).
ALTER TABLE users ADD COLUMN suspended_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN suspended_reason VARCHAR(500);
ALTER TABLE users ADD COLUMN suspended_by UUID;

CREATE TABLE reports (
    report_id     UUID PRIMARY KEY NOT NULL,
    reporter_id   UUID REFERENCES users (user_id) ON DELETE SET NULL,
    user_id       UUID REFERENCES users (user_id) ON DELETE SET NULL,
    message_id    UUID REFERENCES messages (message_id) ON DELETE SET NULL,
    reason        VARCHAR(13) NOT NULL
        CHECK (reason IN ('harassment', 'spam', 'inappropriate', 'safety', 'other')),
    details       TEXT,
    status        VARCHAR(8) NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at    TIMESTAMPTZ NOT NULL,
    action        VARCHAR(7) CHECK (action IN ('dismiss', 'warn', 'suspend')),
    note          VARCHAR(500),
    resolved_by   UUID REFERENCES users (user_id) ON DELETE SET NULL,
    resolved_at   TIMESTAMPTZ
);
CREATE INDEX reports_by_status ON reports (status, created_at);
CREATE INDEX reports_by_reporter ON reports (reporter_id);

-- Append-only: the trigger refuses any change to a written line but the one a deleted
-- account's foreign key makes (the actor set null).
CREATE TABLE audit_log (
    audit_id   BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor_id   UUID REFERENCES users (user_id) ON DELETE SET NULL,
    action     VARCHAR(20) NOT NULL,
    user_id    UUID,
    report_id  UUID,
    message_id UUID,
    note       VARCHAR(500)
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.audit_id IS DISTINCT FROM OLD.audit_id OR NEW.at IS DISTINCT FROM OLD.at
        OR NEW.action IS DISTINCT FROM OLD.action OR NEW.user_id IS DISTINCT FROM OLD.user_id
        OR NEW.report_id IS DISTINCT FROM OLD.report_id OR NEW.message_id IS DISTINCT FROM OLD.message_id
        OR NEW.note IS DISTINCT FROM OLD.note
        OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id) THEN
        RAISE EXCEPTION 'the audit trail is append-only';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
