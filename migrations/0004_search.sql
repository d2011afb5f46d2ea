-- Global search: one FTS5 index over contacts, leads, deals and tickets, kept current by
-- triggers in the same transaction as every change. The rowid encodes the record:
-- id * 4 + (0 contact, 1 lead, 2 deal, 3 ticket).
-- A phone is indexed as typed, as its digits, and as its last ten digits, so "+91 98765 43120",
-- "919876543120" and "9876543120" all find it.
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    title,
    detail,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4, 'contact',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4;
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4, 'contact',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;

CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 1, 'lead',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;
CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
END;
CREATE TRIGGER leads_search_update AFTER UPDATE OF first_name, last_name, email, company, job_title, phone ON leads BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 1, 'lead',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;

CREATE TRIGGER deals_search_insert AFTER INSERT ON deals BEGIN
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 2, 'deal', new.title, '');
END;
CREATE TRIGGER deals_search_delete AFTER DELETE ON deals BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
END;
CREATE TRIGGER deals_search_update AFTER UPDATE OF title ON deals BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 2, 'deal', new.title, '');
END;

CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 3, 'ticket', new.subject, ifnull(new.description, ''));
END;
CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
END;
CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject, description ON tickets BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 3, 'ticket', new.subject, ifnull(new.description, ''));
END;

-- Index what already exists.
INSERT INTO search_index (rowid, kind, title, detail)
SELECT id * 4, 'contact', first_name || ' ' || ifnull(last_name, ''),
       concat_ws(' ', email, company, job_title, phone,
           replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
           substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10))
FROM contacts;
INSERT INTO search_index (rowid, kind, title, detail)
SELECT id * 4 + 1, 'lead', first_name || ' ' || ifnull(last_name, ''),
       concat_ws(' ', email, company, job_title, phone,
           replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
           substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10))
FROM leads;
INSERT INTO search_index (rowid, kind, title, detail) SELECT id * 4 + 2, 'deal', title, '' FROM deals;
INSERT INTO search_index (rowid, kind, title, detail) SELECT id * 4 + 3, 'ticket', subject, ifnull(description, '') FROM tickets;
