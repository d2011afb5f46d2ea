-- Every committed import is a batch that can be undone. The records it created are the rows of
-- its table with ids from first_id to last_id and its timestamp (an import holds the write lock
-- from start to end, so nothing else is added in between): a million-row batch costs one row
-- here, not a million. A record an --on-duplicate update changed keeps, per changed column,
-- its value before and after, so an undo restores it unless someone has changed it since.
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind = 'contacts' OR kind = 'leads' OR kind = 'deals'
                                        OR kind = 'campaigns'),
    file_name   TEXT    NOT NULL,
    imported_by INTEGER REFERENCES users(id),
    rows_read   INTEGER NOT NULL DEFAULT 0,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    invalid     INTEGER NOT NULL DEFAULT 0,
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL,
    imported_at TEXT    NOT NULL,
    undone_by   INTEGER REFERENCES users(id),
    undone_at   TEXT,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE import_changes (
    id        INTEGER PRIMARY KEY,
    batch_id  INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL,
    -- JSON object: column -> [before, after]
    changes   TEXT    NOT NULL
);
CREATE INDEX import_changes_batch ON import_changes(batch_id);
