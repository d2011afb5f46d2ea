-- Search reads two indexes, both keeping the words of each entry by their first one, two and
-- three letters (prefix '1 2 3').
--
-- The first letter: a search for one letter ("s", the first key of every search typed into
-- the TUI's popup) or with a one-letter word ("kiran c") made FTS5 merge the entry lists of
-- every word starting with that letter before the first row: 250 ms for "s" and 600 ms for
-- "+9" at a million leads. With the prefix index it reads one list, newest first, and stops at
-- the limit.
--
-- The second index, search_titles, holds only the names, deal titles and ticket subjects. It
-- is contentless (search_index holds the text), so an entry leaves it by FTS5's 'delete'
-- command given the old title from search_index: with secure-delete, that removes its words
-- from the file, where a contentless table's own DELETE would only mark the entry as gone. Search reads a kind's newest name
-- matches apart from its other matches (store/search.rs); through a column filter of
-- search_index, FTS5 walks a prefix's list past the kind's range when names of that kind are
-- few: 32 ms for the ticket subjects starting with "v" at a million leads, as many for the
-- names starting with "e". Without a column filter the range bounds the walk.
--
-- FTS5 cannot change a table's prefixes, so the index is made again from the records (the
-- views of migration 0020). Both keep 0007's secure-delete, so an erased person's words leave
-- the file.
DROP TRIGGER contacts_search_delete;
DROP TRIGGER contacts_search_insert;
DROP TRIGGER contacts_search_update;
DROP TRIGGER deals_search_delete;
DROP TRIGGER deals_search_insert;
DROP TRIGGER deals_search_update;
DROP TRIGGER leads_search_delete;
DROP TRIGGER leads_search_insert;
DROP TRIGGER leads_search_update;
DROP TRIGGER tickets_search_delete;
DROP TRIGGER tickets_search_insert;
DROP TRIGGER tickets_search_update;
DROP TABLE search_index;

CREATE VIRTUAL TABLE search_index USING fts5(
    contact_name,
    lead_name,
    deal_title,
    ticket_subject,
    detail,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO search_index (search_index, rank) VALUES ('secure-delete', 1);

CREATE VIRTUAL TABLE search_titles USING fts5(
    title,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3',
    content = ''
);
INSERT INTO search_titles (search_titles, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO search_index (rowid, contact_name, detail)
    SELECT entry, name, detail FROM contact_search_entries WHERE id = new.id;
    INSERT INTO search_titles (rowid, title)
    SELECT entry, name FROM contact_search_entries WHERE id = new.id;
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF first_name, last_name, email, company, job_title, phone ON contacts
WHEN old.first_name IS NOT new.first_name OR
     old.last_name IS NOT new.last_name OR
     old.email IS NOT new.email OR
     old.company IS NOT new.company OR
     old.job_title IS NOT new.job_title OR
     old.phone IS NOT new.phone
BEGIN
    INSERT INTO search_titles (search_titles, rowid, title)
    SELECT 'delete', rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject)
    FROM search_index WHERE rowid = old.id + 1 * 1099511627776;
    DELETE FROM search_index WHERE rowid = old.id + 1 * 1099511627776;
    INSERT INTO search_index (rowid, contact_name, detail)
    SELECT entry, name, detail FROM contact_search_entries WHERE id = new.id;
    INSERT INTO search_titles (rowid, title)
    SELECT entry, name FROM contact_search_entries WHERE id = new.id;
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO search_titles (search_titles, rowid, title)
    SELECT 'delete', rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject)
    FROM search_index WHERE rowid = old.id + 1 * 1099511627776;
    DELETE FROM search_index WHERE rowid = old.id + 1 * 1099511627776;
END;

CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO search_index (rowid, lead_name, detail)
    SELECT entry, name, detail FROM lead_search_entries WHERE id = new.id;
    INSERT INTO search_titles (rowid, title)
    SELECT entry, name FROM lead_search_entries WHERE id = new.id;
END;
CREATE TRIGGER leads_search_update AFTER UPDATE OF first_name, last_name, email, company, job_title, phone ON leads
WHEN old.first_name IS NOT new.first_name OR
     old.last_name IS NOT new.last_name OR
     old.email IS NOT new.email OR
     old.company IS NOT new.company OR
     old.job_title IS NOT new.job_title OR
     old.phone IS NOT new.phone
BEGIN
    INSERT INTO search_titles (search_titles, rowid, title)
    SELECT 'delete', rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject)
    FROM search_index WHERE rowid = old.id + 2 * 1099511627776;
    DELETE FROM search_index WHERE rowid = old.id + 2 * 1099511627776;
    INSERT INTO search_index (rowid, lead_name, detail)
    SELECT entry, name, detail FROM lead_search_entries WHERE id = new.id;
    INSERT INTO search_titles (rowid, title)
    SELECT entry, name FROM lead_search_entries WHERE id = new.id;
END;
CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
    INSERT INTO search_titles (search_titles, rowid, title)
    SELECT 'delete', rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject)
    FROM search_index WHERE rowid = old.id + 2 * 1099511627776;
    DELETE FROM search_index WHERE rowid = old.id + 2 * 1099511627776;
END;

CREATE TRIGGER deals_search_insert AFTER INSERT ON deals BEGIN
    INSERT INTO search_index (rowid, deal_title, detail)
    SELECT entry, title, detail FROM deal_search_entries WHERE id = new.id;
    INSERT INTO search_titles (rowid, title)
    SELECT entry, title FROM deal_search_entries WHERE id = new.id;
END;
CREATE TRIGGER deals_search_update AFTER UPDATE OF title ON deals
WHEN old.title IS NOT new.title
BEGIN
    INSERT INTO search_titles (search_titles, rowid, title)
    SELECT 'delete', rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject)
    FROM search_index WHERE rowid = old.id + 3 * 1099511627776;
    DELETE FROM search_index WHERE rowid = old.id + 3 * 1099511627776;
    INSERT INTO search_index (rowid, deal_title, detail)
    SELECT entry, title, detail FROM deal_search_entries WHERE id = new.id;
    INSERT INTO search_titles (rowid, title)
    SELECT entry, title FROM deal_search_entries WHERE id = new.id;
END;
CREATE TRIGGER deals_search_delete AFTER DELETE ON deals BEGIN
    INSERT INTO search_titles (search_titles, rowid, title)
    SELECT 'delete', rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject)
    FROM search_index WHERE rowid = old.id + 3 * 1099511627776;
    DELETE FROM search_index WHERE rowid = old.id + 3 * 1099511627776;
END;

CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO search_index (rowid, ticket_subject, detail)
    SELECT entry, subject, detail FROM ticket_search_entries WHERE id = new.id;
    INSERT INTO search_titles (rowid, title)
    SELECT entry, subject FROM ticket_search_entries WHERE id = new.id;
END;
CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject, description ON tickets
WHEN old.subject IS NOT new.subject OR
     old.description IS NOT new.description
BEGIN
    INSERT INTO search_titles (search_titles, rowid, title)
    SELECT 'delete', rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject)
    FROM search_index WHERE rowid = old.id + 4 * 1099511627776;
    DELETE FROM search_index WHERE rowid = old.id + 4 * 1099511627776;
    INSERT INTO search_index (rowid, ticket_subject, detail)
    SELECT entry, subject, detail FROM ticket_search_entries WHERE id = new.id;
    INSERT INTO search_titles (rowid, title)
    SELECT entry, subject FROM ticket_search_entries WHERE id = new.id;
END;
CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO search_titles (search_titles, rowid, title)
    SELECT 'delete', rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject)
    FROM search_index WHERE rowid = old.id + 4 * 1099511627776;
    DELETE FROM search_index WHERE rowid = old.id + 4 * 1099511627776;
END;

INSERT INTO search_index (rowid, contact_name, detail)
SELECT entry, name, detail FROM contact_search_entries;
INSERT INTO search_index (rowid, lead_name, detail)
SELECT entry, name, detail FROM lead_search_entries;
INSERT INTO search_index (rowid, deal_title, detail)
SELECT entry, title, detail FROM deal_search_entries;
INSERT INTO search_index (rowid, ticket_subject, detail)
SELECT entry, subject, detail FROM ticket_search_entries;

INSERT INTO search_titles (rowid, title) SELECT entry, name FROM contact_search_entries;
INSERT INTO search_titles (rowid, title) SELECT entry, name FROM lead_search_entries;
INSERT INTO search_titles (rowid, title) SELECT entry, title FROM deal_search_entries;
INSERT INTO search_titles (rowid, title) SELECT entry, subject FROM ticket_search_entries;
