-- Custom fields (issue 25): an admin adds the facts a business tracks to contacts, companies,
-- leads, deals and tickets.
--
-- Values live in a table of their own, one row per record, field and value (a multi-choice
-- field has a row per chosen value), rather than in a JSON column on each record: a filter on
-- one field over a million leads is then a seek in (field, value) or (field, number), and a
-- field's rename, retirement or purge never rewrites the records. `value` is the canonical
-- text as shown; `number` holds what ranges compare for numbers, money (in major units) and
-- dates (days since 0001-01-01), NULL for the other types.
CREATE TABLE custom_fields (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The table of the records it belongs to.
    entity     TEXT    NOT NULL CHECK (entity IN ('contacts', 'companies', 'leads', 'deals', 'tickets')),
    key        TEXT    NOT NULL,
    label      TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    -- The choices of a choice or multi-choice field, one per line, in their order.
    choices    TEXT    NOT NULL DEFAULT '',
    required   INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    retired_at TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (entity, key)
);
CREATE UNIQUE INDEX custom_fields_label ON custom_fields (entity, label COLLATE NOCASE);
CREATE INDEX custom_fields_entity ON custom_fields (entity, id);

CREATE TABLE custom_values (
    field_id  INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    record_id INTEGER NOT NULL,
    value     TEXT    NOT NULL,
    number    REAL,
    PRIMARY KEY (field_id, record_id, value)
) WITHOUT ROWID;
CREATE INDEX custom_values_by_value ON custom_values (field_id, value, record_id);
CREATE INDEX custom_values_by_number ON custom_values (field_id, number, record_id)
    WHERE number IS NOT NULL;

-- A record's values leave with it (a delete, an import undone, an erasure).
CREATE TRIGGER contacts_custom_values_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM custom_values WHERE record_id = old.id
        AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'contacts');
END;
CREATE TRIGGER companies_custom_values_delete AFTER DELETE ON companies BEGIN
    DELETE FROM custom_values WHERE record_id = old.id
        AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'companies');
END;
CREATE TRIGGER leads_custom_values_delete AFTER DELETE ON leads BEGIN
    DELETE FROM custom_values WHERE record_id = old.id
        AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'leads');
END;
CREATE TRIGGER deals_custom_values_delete AFTER DELETE ON deals BEGIN
    DELETE FROM custom_values WHERE record_id = old.id
        AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'deals');
END;
CREATE TRIGGER tickets_custom_values_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM custom_values WHERE record_id = old.id
        AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'tickets');
END;
