-- Erasure on request (GDPR article 17, CCPA): `crm privacy erase`.

-- Addresses erased on request, so an import or a new record does not bring the person back.
-- Only the SHA-256 of the trimmed, lower-cased address is kept.
CREATE TABLE suppressed_emails (
    email_hash TEXT PRIMARY KEY CHECK (length(email_hash) = 64),
    created_at TEXT NOT NULL
) WITHOUT ROWID;

-- The one exception to the append-only feed: while an erasure runs, with a row in this table
-- that its own transaction inserts and removes (so no other connection ever sees one), the
-- summary of an activity row may be rewritten. Nothing else about a row may change, and rows
-- still cannot be deleted.
CREATE TABLE erasure_window (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

DROP TRIGGER activities_no_update;
CREATE TRIGGER activities_no_update BEFORE UPDATE ON activities
WHEN NOT EXISTS (SELECT 1 FROM erasure_window)
     OR new.id IS NOT old.id OR new.actor_id IS NOT old.actor_id OR new.verb IS NOT old.verb
     OR new.entity_type IS NOT old.entity_type OR new.entity_id IS NOT old.entity_id
     OR new.at IS NOT old.at OR new.created_at IS NOT old.created_at
BEGIN
    SELECT RAISE(ABORT, 'activity rows are the audit trail and cannot be changed');
END;

-- Deleting from the search index removes the terms from its b-tree instead of adding a
-- tombstone, so an erased name does not linger in the index pages.
INSERT INTO search_index (search_index, rank) VALUES ('secure-delete', 1);
