-- The search index's rowids, re-encoded so each kind of record is one contiguous range:
-- rowid = id + k * 2^40, k = 1 contact, 2 lead, 3 deal, 4 ticket (0004 interleaved them as
-- id * 4 + kind). A search then reads each kind's matches newest first as a rowid range, which
-- FTS5 seeks directly, and ranks a bounded set of candidates per kind instead of every match:
-- at a million leads a common prefix ("sha") matches 70,000 rows, and ranking them all took
-- 38 ms. Triggers are made again with the new encoding; the index is rebuilt from the records
-- (a fresh table: deleting every row of an FTS5 table one by one is far slower), and keeps
-- 0007's secure-delete.
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
    kind UNINDEXED,
    title,
    detail,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO search_index (search_index, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = old.id + 1 * 1099511627776;
END;
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id + 1 * 1099511627776, 'contact',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF first_name, last_name, email, company, job_title, phone ON contacts
WHEN old.first_name IS NOT new.first_name OR
     old.last_name IS NOT new.last_name OR
     old.email IS NOT new.email OR
     old.company IS NOT new.company OR
     old.job_title IS NOT new.job_title OR
     old.phone IS NOT new.phone
BEGIN
    DELETE FROM search_index WHERE rowid = old.id + 1 * 1099511627776;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id + 1 * 1099511627776, 'contact',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;
CREATE TRIGGER deals_search_delete AFTER DELETE ON deals BEGIN
    DELETE FROM search_index WHERE rowid = old.id + 3 * 1099511627776;
END;
CREATE TRIGGER deals_search_insert AFTER INSERT ON deals BEGIN
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id + 3 * 1099511627776, 'deal', new.title, '');
END;
CREATE TRIGGER deals_search_update AFTER UPDATE OF title ON deals
WHEN old.title IS NOT new.title
BEGIN
    DELETE FROM search_index WHERE rowid = old.id + 3 * 1099511627776;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id + 3 * 1099511627776, 'deal', new.title, '');
END;
CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
    DELETE FROM search_index WHERE rowid = old.id + 2 * 1099511627776;
END;
CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id + 2 * 1099511627776, 'lead',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;
CREATE TRIGGER leads_search_update AFTER UPDATE OF first_name, last_name, email, company, job_title, phone ON leads
WHEN old.first_name IS NOT new.first_name OR
     old.last_name IS NOT new.last_name OR
     old.email IS NOT new.email OR
     old.company IS NOT new.company OR
     old.job_title IS NOT new.job_title OR
     old.phone IS NOT new.phone
BEGIN
    DELETE FROM search_index WHERE rowid = old.id + 2 * 1099511627776;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id + 2 * 1099511627776, 'lead',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;
CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM search_index WHERE rowid = old.id + 4 * 1099511627776;
END;
CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id + 4 * 1099511627776, 'ticket', new.subject, ifnull(new.description, ''));
END;
CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject, description ON tickets
WHEN old.subject IS NOT new.subject OR
     old.description IS NOT new.description
BEGIN
    DELETE FROM search_index WHERE rowid = old.id + 4 * 1099511627776;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id + 4 * 1099511627776, 'ticket', new.subject, ifnull(new.description, ''));
END;


INSERT INTO search_index (rowid, kind, title, detail)
SELECT id + 1 * 1099511627776, 'contact', first_name || ' ' || ifnull(last_name, ''), concat_ws(' ', email, company, job_title, phone,
        replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
        substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)) FROM contacts;
INSERT INTO search_index (rowid, kind, title, detail)
SELECT id + 2 * 1099511627776, 'lead', first_name || ' ' || ifnull(last_name, ''), concat_ws(' ', email, company, job_title, phone,
        replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
        substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)) FROM leads;
INSERT INTO search_index (rowid, kind, title, detail)
SELECT id + 3 * 1099511627776, 'deal', title, '' FROM deals;
INSERT INTO search_index (rowid, kind, title, detail)
SELECT id + 4 * 1099511627776, 'ticket', subject, ifnull(description, '') FROM tickets;
