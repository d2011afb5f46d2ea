-- A contact or lead needs a name, an email or a phone; a first name is no longer required
-- (issue 21): other tools export people with only a last name (Zoho leads), only an email (an
-- email tool's audience) or only a phone (a phone's contact card). SQLite cannot change a
-- CHECK in place, so the Rust hook of this migration (store/table_rebuild.rs) rebuilds
-- `contacts` and `leads` with the new check, keeping their rows, ids, indexes and triggers.
--
-- A search entry's title is the person's name as `model::person_name` writes it: "First
-- Last", either name alone, else the email, else the phone.
DROP VIEW contact_search_entries;
DROP VIEW lead_search_entries;

CREATE VIEW contact_search_entries AS
SELECT id,
    id + 1 * 1099511627776 AS entry,
    coalesce(nullif(trim(first_name || ' ' || ifnull(last_name, '')), ''), email, phone) AS name,
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
    coalesce(nullif(trim(first_name || ' ' || ifnull(last_name, '')), ''), email, phone) AS name,
    concat_ws(' ', email, company, job_title, phone,
        replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''),
        substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', ''), -10),
        (SELECT group_concat(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = leads.id
         WHERE f.entity = 'leads' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM leads;
