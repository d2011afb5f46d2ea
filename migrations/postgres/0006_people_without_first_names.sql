-- A contact or lead needs a name, an email or a phone, as SQLite's migration 0034 says; and
-- a search entry's title falls back to the email, then the phone, of someone without a name.
ALTER TABLE contacts DROP CONSTRAINT contacts_first_name_check,
    ADD CONSTRAINT contacts_someone CHECK (length(first_name) > 0 OR last_name IS NOT NULL
        OR email IS NOT NULL OR phone IS NOT NULL);
ALTER TABLE leads DROP CONSTRAINT leads_first_name_check,
    ADD CONSTRAINT leads_someone CHECK (length(first_name) > 0 OR last_name IS NOT NULL
        OR email IS NOT NULL OR phone IS NOT NULL);
CREATE OR REPLACE VIEW contact_search_entries AS
SELECT id, id + 1 * 1099511627776 AS entry,
    coalesce(nullif(trim(first_name || ' ' || coalesce(last_name, '')), ''), email, phone) AS name,
    concat_ws(' ', email, company, job_title, phone, phone_digits(phone), right(phone_digits(phone), 10),
        (SELECT string_agg(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = contacts.id
         WHERE f.entity = 'contacts' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM contacts;
CREATE OR REPLACE VIEW lead_search_entries AS
SELECT id, id + 2 * 1099511627776 AS entry,
    coalesce(nullif(trim(first_name || ' ' || coalesce(last_name, '')), ''), email, phone) AS name,
    concat_ws(' ', email, company, job_title, phone, phone_digits(phone), right(phone_digits(phone), 10),
        (SELECT string_agg(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = leads.id
         WHERE f.entity = 'leads' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM leads;
