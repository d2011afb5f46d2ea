-- Companies (accounts). Contacts, leads and deals point at one through company_id; the free-text
-- `company` of a contact or lead stays as typed, and the link is found from it (or, with no text, a
-- business email's domain) by rules::companies, in the one write path of each record. The Rust
-- hook of this migration links the rows that existed before it with the same rule.
CREATE TABLE companies (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL CHECK (length(name) > 0),
    -- The name as matched: lower case, punctuation and legal suffixes (Pvt Ltd, Inc, LLC...)
    -- dropped, so "Acme Pvt. Ltd." and "ACME" are one company.
    name_key   TEXT    NOT NULL CHECK (length(name_key) > 0),
    -- Web domain, lower case ("acme.com"); never a free-mail domain.
    domain     TEXT,
    industry   TEXT,
    size       TEXT    CHECK (size IS NULL OR size = '1-10' OR size = '11-50' OR size = '51-200'
                              OR size = '201-500' OR size = '501-1000' OR size = '1000+'),
    phone      TEXT,
    address    TEXT,
    owner_id   INTEGER REFERENCES users(id),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX companies_name_key ON companies(name_key);
CREATE INDEX companies_domain ON companies(domain) WHERE domain IS NOT NULL;
CREATE INDEX companies_owner ON companies(owner_id);
-- The sorts of `crm companies list`, so a page comes in order from an index.
CREATE INDEX companies_name ON companies(name COLLATE NOCASE);
CREATE INDEX companies_domain_sort ON companies(ifnull(domain, ''));
CREATE INDEX companies_industry ON companies(ifnull(industry, '') COLLATE NOCASE);

-- A deleted company unlinks its records rather than taking them with it (the service refuses
-- while anything still links, so this only guards direct SQL).
ALTER TABLE contacts ADD COLUMN company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL;
ALTER TABLE leads ADD COLUMN company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL;
ALTER TABLE deals ADD COLUMN company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL;
CREATE INDEX contacts_company_id ON contacts(company_id) WHERE company_id IS NOT NULL;
CREATE INDEX leads_company_id ON leads(company_id) WHERE company_id IS NOT NULL;
CREATE INDEX deals_company_id ON deals(company_id) WHERE company_id IS NOT NULL;

-- The companies an import created, as an id range like the batch's own records, so an undo
-- removes those left with nothing linked.
ALTER TABLE import_batches ADD COLUMN first_company_id INTEGER;
ALTER TABLE import_batches ADD COLUMN last_company_id INTEGER;

-- The feed names companies too. SQLite cannot change a CHECK in place, so the table is rebuilt
-- (same columns, same order) and its indexes and append-only triggers made again as 0003 and
-- 0007 left them.
CREATE TABLE activities_new (
    id          INTEGER PRIMARY KEY,
    actor_id    INTEGER REFERENCES users(id),
    verb        TEXT    NOT NULL,
    entity_type TEXT    NOT NULL
                CHECK (entity_type = 'user' OR entity_type = 'contact' OR entity_type = 'campaign'
                       OR entity_type = 'lead' OR entity_type = 'deal' OR entity_type = 'ticket'
                       OR entity_type = 'task' OR entity_type = 'note' OR entity_type = 'stage'
                       OR entity_type = 'company'),
    entity_id   INTEGER NOT NULL,
    summary     TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
INSERT INTO activities_new SELECT * FROM activities;
DROP TABLE activities;
ALTER TABLE activities_new RENAME TO activities;
CREATE INDEX activities_at ON activities(at, id);
CREATE INDEX activities_entity ON activities(entity_type, entity_id);
CREATE INDEX activities_actor ON activities(actor_id, at);

CREATE TRIGGER activities_no_update BEFORE UPDATE ON activities
WHEN NOT EXISTS (SELECT 1 FROM erasure_window)
     OR new.id IS NOT old.id OR new.actor_id IS NOT old.actor_id OR new.verb IS NOT old.verb
     OR new.entity_type IS NOT old.entity_type OR new.entity_id IS NOT old.entity_id
     OR new.at IS NOT old.at OR new.created_at IS NOT old.created_at
BEGIN
    SELECT RAISE(ABORT, 'activity rows are the audit trail and cannot be changed');
END;

CREATE TRIGGER activities_no_delete BEFORE DELETE ON activities
BEGIN
    SELECT RAISE(ABORT, 'activity rows are the audit trail and cannot be deleted');
END;
