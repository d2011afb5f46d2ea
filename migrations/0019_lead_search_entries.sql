-- A lead's search entry is written in one place, this view, which the insert and update triggers
-- read from: a large import sets the insert trigger aside and writes the entries of all its rows
-- with one INSERT ... SELECT from the same view (crm-core store/bulk.rs), so the two can never
-- index a lead differently.
CREATE VIEW lead_search_entries AS
SELECT id,
    id + 2 * 1099511627776 AS entry,
    'lead' AS kind,
    first_name || ' ' || ifnull(last_name, '') AS title,
    concat_ws(' ', email, company, job_title, phone,
        replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
        substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10)) AS detail
FROM leads;

DROP TRIGGER leads_search_insert;
DROP TRIGGER leads_search_update;
CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO search_index (rowid, kind, title, detail)
    SELECT entry, kind, title, detail FROM lead_search_entries WHERE id = new.id;
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
    INSERT INTO search_index (rowid, kind, title, detail)
    SELECT entry, kind, title, detail FROM lead_search_entries WHERE id = new.id;
END;
