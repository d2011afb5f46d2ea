-- "UPDATE OF column" fires whenever the column is in the SET list, changed or not, and the
-- services write whole rows: so reassigning, scoring or moving a lead re-indexed its text
-- every time (measured: most of the cost of reassigning 25k leads). Re-index only when a
-- searched column really changed.

DROP TRIGGER leads_search_update;
CREATE TRIGGER leads_search_update AFTER UPDATE OF first_name, last_name, email, company, job_title, phone ON leads
WHEN old.first_name IS NOT new.first_name OR
     old.last_name IS NOT new.last_name OR
     old.email IS NOT new.email OR
     old.company IS NOT new.company OR
     old.job_title IS NOT new.job_title OR
     old.phone IS NOT new.phone
BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 1, 'lead',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;

DROP TRIGGER contacts_search_update;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF first_name, last_name, email, company, job_title, phone ON contacts
WHEN old.first_name IS NOT new.first_name OR
     old.last_name IS NOT new.last_name OR
     old.email IS NOT new.email OR
     old.company IS NOT new.company OR
     old.job_title IS NOT new.job_title OR
     old.phone IS NOT new.phone
BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4, 'contact',
        new.first_name || ' ' || ifnull(new.last_name, ''),
        concat_ws(' ', new.email, new.company, new.job_title, new.phone,
            replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
            substr(replace(replace(replace(replace(replace(replace(new.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)));
END;

DROP TRIGGER deals_search_update;
CREATE TRIGGER deals_search_update AFTER UPDATE OF title ON deals
WHEN old.title IS NOT new.title
BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 2, 'deal', new.title, '');
END;

DROP TRIGGER tickets_search_update;
CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject, description ON tickets
WHEN old.subject IS NOT new.subject OR
     old.description IS NOT new.description
BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
    INSERT INTO search_index (rowid, kind, title, detail) VALUES (new.id * 4 + 3, 'ticket', new.subject, ifnull(new.description, ''));
END;
