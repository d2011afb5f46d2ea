-- Keys of a team server (issue 23): OpenSSH public keys, each belonging to a user. The service
-- account's authorized_keys is written from these rows: one line per key of an active user,
-- forcing `crm shell` as that user.
CREATE TABLE ssh_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    algorithm   TEXT    NOT NULL,
    -- The key's base64, as it goes back into authorized_keys.
    key_data    TEXT    NOT NULL,
    comment     TEXT    NOT NULL DEFAULT '',
    -- "SHA256:..." as `ssh-keygen -l` prints it; one key belongs to one user.
    fingerprint TEXT    NOT NULL UNIQUE,
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX ssh_keys_user ON ssh_keys(user_id);
