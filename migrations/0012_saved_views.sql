-- A user's named filters and sort for a list (`crm leads list --save NAME`), kept as the JSON
-- of the list's query so the CLI and the TUI read the same view.
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind = 'leads' OR kind = 'contacts'),
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    query      TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (user_id, kind, name)
);
