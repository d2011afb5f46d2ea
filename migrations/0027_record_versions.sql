-- Record versions (issue 22, "no lost updates"): every record a person edits carries a number
-- that grows by one with each change, so a writer can say "the version I read" and be refused
-- when someone saved in between. A trigger keeps it, so no path that writes a record (an edit,
-- a merge, an import's update, a stage move) can forget it. It fires only when the statement
-- did not set the version itself, and its own update names no column other triggers watch.
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leads ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE deals ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE companies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tickets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TRIGGER contacts_version AFTER UPDATE ON contacts WHEN new.version = old.version
BEGIN
    UPDATE contacts SET version = old.version + 1 WHERE id = new.id;
END;
CREATE TRIGGER leads_version AFTER UPDATE ON leads WHEN new.version = old.version
BEGIN
    UPDATE leads SET version = old.version + 1 WHERE id = new.id;
END;
CREATE TRIGGER deals_version AFTER UPDATE ON deals WHEN new.version = old.version
BEGIN
    UPDATE deals SET version = old.version + 1 WHERE id = new.id;
END;
CREATE TRIGGER companies_version AFTER UPDATE ON companies WHEN new.version = old.version
BEGIN
    UPDATE companies SET version = old.version + 1 WHERE id = new.id;
END;
CREATE TRIGGER campaigns_version AFTER UPDATE ON campaigns WHEN new.version = old.version
BEGIN
    UPDATE campaigns SET version = old.version + 1 WHERE id = new.id;
END;
CREATE TRIGGER tickets_version AFTER UPDATE ON tickets WHEN new.version = old.version
BEGIN
    UPDATE tickets SET version = old.version + 1 WHERE id = new.id;
END;
CREATE TRIGGER tasks_version AFTER UPDATE ON tasks WHEN new.version = old.version
BEGIN
    UPDATE tasks SET version = old.version + 1 WHERE id = new.id;
END;
