-- A merge of duplicate contacts keeps what its undo needs: the removed rows as they were, the
-- fields it filled on the kept record, and every link it moved. `snapshot` is emptied when a
-- person in it is erased for privacy (the merge can then no longer be undone).
CREATE TABLE merges (
    id          INTEGER PRIMARY KEY,
    entity_type TEXT    NOT NULL CHECK (entity_type = 'contact'),
    keep_id     INTEGER NOT NULL,
    merged_ids  TEXT    NOT NULL,
    snapshot    TEXT,
    merged_by   INTEGER REFERENCES users(id),
    merged_at   TEXT    NOT NULL,
    undone_by   INTEGER REFERENCES users(id),
    undone_at   TEXT,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX merges_keep ON merges(entity_type, keep_id);

-- While a merge stands, the feed of each removed record is shown with the record it went into
-- (the activity rows themselves are append-only and keep their old ids).
CREATE TABLE merged_records (
    entity_type TEXT    NOT NULL,
    old_id      INTEGER NOT NULL,
    keep_id     INTEGER NOT NULL,
    merge_id    INTEGER NOT NULL REFERENCES merges(id),
    PRIMARY KEY (entity_type, old_id)
) WITHOUT ROWID;
CREATE INDEX merged_records_keep ON merged_records(entity_type, keep_id);
