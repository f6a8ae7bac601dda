-- Why: the program's coordinators (PROGRAM.md, "Safety and the program"), made and unmade by
-- `lodestar-server coordinator add|remove USERNAME` on the database; `Me` says so.
ALTER TABLE users ADD COLUMN is_coordinator BOOLEAN NOT NULL DEFAULT FALSE;
