-- Users carry a version too (issue 22): an admin's change over the API names the version it was
-- made against. Only what an admin edits moves it on; a failed login or a lock-out does not,
-- so a mistyped password somewhere does not make an admin's form stale.
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TRIGGER users_version
AFTER UPDATE OF display_name, email, role, active, password_hash ON users
WHEN new.version = old.version
BEGIN
    UPDATE users SET version = old.version + 1 WHERE id = new.id;
END;
