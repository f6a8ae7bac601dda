-- Why: the signed-in user's `is_coordinator` (issue 15), kept with the rest of their own record
-- so the app knows it offline; NULL for everyone else (the server tells only the person).
ALTER TABLE users ADD COLUMN is_coordinator BOOLEAN;
