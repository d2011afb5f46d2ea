-- Keys for integrations that call `crm serve` (issue 22): each acts as one user, is shown
-- once when made and stored only as its SHA-256, and can expire or be revoked.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL UNIQUE,
    -- The key's first characters, so a list tells keys apart without holding them.
    hint         TEXT    NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX api_keys_user ON api_keys(user_id);
