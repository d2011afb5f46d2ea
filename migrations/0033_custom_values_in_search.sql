-- Search finds the values of custom text, choice, email, phone and URL fields (issue 25): a
-- record's search entry holds them after its own words, so global search and every list's
-- `--search` match them as they match an email or a company. Numbers, money, dates, yes/no
-- and users are left out: their words would match unrelated searches ("12", "yes").
--
-- The views that make the entries (migration 0020) gather the values of the fields in use;
-- retired fields are left out, as they are hidden everywhere else. A value's insert or delete
-- writes its record's entry again (the entry's title stays, so `search_titles` is untouched);
-- a field's retirement, restoration or change of type rewrites the entries of its records in
-- the service (store/fields.rs). A bulk load of leads sets the insert trigger aside: the
-- catch-up of `leads_search_insert` reads these views after the values are in.
DROP VIEW contact_search_entries;
DROP VIEW lead_search_entries;
DROP VIEW deal_search_entries;
DROP VIEW ticket_search_entries;

CREATE VIEW contact_search_entries AS
SELECT id,
    id + 1 * 1099511627776 AS entry,
    first_name || ' ' || ifnull(last_name, '') AS name,
    concat_ws(' ', email, company, job_title, phone,
        replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
        substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10),
        (SELECT group_concat(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = contacts.id
         WHERE f.entity = 'contacts' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM contacts;

CREATE VIEW lead_search_entries AS
SELECT id,
    id + 2 * 1099511627776 AS entry,
    first_name || ' ' || ifnull(last_name, '') AS name,
    concat_ws(' ', email, company, job_title, phone,
        replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
        substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10),
        (SELECT group_concat(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = leads.id
         WHERE f.entity = 'leads' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM leads;

CREATE VIEW deal_search_entries AS
SELECT id, id + 3 * 1099511627776 AS entry, title,
    ifnull((SELECT group_concat(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = deals.id
         WHERE f.entity = 'deals' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url')), '') AS detail
FROM deals;

CREATE VIEW ticket_search_entries AS
SELECT id, id + 4 * 1099511627776 AS entry, subject,
    concat_ws(' ', description, (SELECT group_concat(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = tickets.id
         WHERE f.entity = 'tickets' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM tickets;

CREATE TRIGGER custom_values_search_insert AFTER INSERT ON custom_values
WHEN (SELECT f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url') FROM custom_fields f WHERE f.id = new.field_id)
BEGIN
    UPDATE search_index SET detail = (SELECT detail FROM contact_search_entries WHERE id = new.record_id)
    WHERE rowid = new.record_id + 1 * 1099511627776
      AND (SELECT entity FROM custom_fields WHERE id = new.field_id) = 'contacts';
    UPDATE search_index SET detail = (SELECT detail FROM lead_search_entries WHERE id = new.record_id)
    WHERE rowid = new.record_id + 2 * 1099511627776
      AND (SELECT entity FROM custom_fields WHERE id = new.field_id) = 'leads';
    UPDATE search_index SET detail = (SELECT detail FROM deal_search_entries WHERE id = new.record_id)
    WHERE rowid = new.record_id + 3 * 1099511627776
      AND (SELECT entity FROM custom_fields WHERE id = new.field_id) = 'deals';
    UPDATE search_index SET detail = (SELECT detail FROM ticket_search_entries WHERE id = new.record_id)
    WHERE rowid = new.record_id + 4 * 1099511627776
      AND (SELECT entity FROM custom_fields WHERE id = new.field_id) = 'tickets';
END;

CREATE TRIGGER custom_values_search_delete AFTER DELETE ON custom_values
WHEN (SELECT f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url') FROM custom_fields f WHERE f.id = old.field_id)
BEGIN
    UPDATE search_index SET detail = (SELECT detail FROM contact_search_entries WHERE id = old.record_id)
    WHERE rowid = old.record_id + 1 * 1099511627776
      AND (SELECT entity FROM custom_fields WHERE id = old.field_id) = 'contacts';
    UPDATE search_index SET detail = (SELECT detail FROM lead_search_entries WHERE id = old.record_id)
    WHERE rowid = old.record_id + 2 * 1099511627776
      AND (SELECT entity FROM custom_fields WHERE id = old.field_id) = 'leads';
    UPDATE search_index SET detail = (SELECT detail FROM deal_search_entries WHERE id = old.record_id)
    WHERE rowid = old.record_id + 3 * 1099511627776
      AND (SELECT entity FROM custom_fields WHERE id = old.field_id) = 'deals';
    UPDATE search_index SET detail = (SELECT detail FROM ticket_search_entries WHERE id = old.record_id)
    WHERE rowid = old.record_id + 4 * 1099511627776
      AND (SELECT entity FROM custom_fields WHERE id = old.field_id) = 'tickets';
END;

-- Entries made before this migration take their records' values now.
UPDATE search_index SET detail = (SELECT detail FROM contact_search_entries WHERE entry = search_index.rowid)
WHERE rowid IN (SELECT v.record_id + 1 * 1099511627776
                FROM custom_fields f JOIN custom_values v ON v.field_id = f.id
                WHERE f.entity = 'contacts');
UPDATE search_index SET detail = (SELECT detail FROM lead_search_entries WHERE entry = search_index.rowid)
WHERE rowid IN (SELECT v.record_id + 2 * 1099511627776
                FROM custom_fields f JOIN custom_values v ON v.field_id = f.id
                WHERE f.entity = 'leads');
UPDATE search_index SET detail = (SELECT detail FROM deal_search_entries WHERE entry = search_index.rowid)
WHERE rowid IN (SELECT v.record_id + 3 * 1099511627776
                FROM custom_fields f JOIN custom_values v ON v.field_id = f.id
                WHERE f.entity = 'deals');
UPDATE search_index SET detail = (SELECT detail FROM ticket_search_entries WHERE entry = search_index.rowid)
WHERE rowid IN (SELECT v.record_id + 4 * 1099511627776
                FROM custom_fields f JOIN custom_values v ON v.field_id = f.id
                WHERE f.entity = 'tickets');
