-- Why: throttled attempts are counted before the password is checked (auth/throttle.rs), so an
-- attempt that turns out right, or that the throttle refuses, must remove exactly its own rows.
-- Existing rows (failures recorded before this column) have none and simply age out.
ALTER TABLE login_failures ADD COLUMN attempt_id BLOB;
CREATE INDEX login_failures_attempt ON login_failures (attempt_id);
