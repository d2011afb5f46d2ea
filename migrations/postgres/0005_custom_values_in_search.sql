-- Search finds the values of custom text, choice, email, phone and URL fields, as SQLite's
-- migration 0033 says: the views that make the entries gather them, and a value's insert or
-- delete writes its record's entry (detail and words) again.
CREATE OR REPLACE VIEW contact_search_entries AS
SELECT id, id + 1 * 1099511627776 AS entry,
    first_name || ' ' || coalesce(last_name, '') AS name,
    concat_ws(' ', email, company, job_title, phone, phone_digits(phone), right(phone_digits(phone), 10),
        (SELECT string_agg(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = contacts.id
         WHERE f.entity = 'contacts' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM contacts;
CREATE OR REPLACE VIEW lead_search_entries AS
SELECT id, id + 2 * 1099511627776 AS entry,
    first_name || ' ' || coalesce(last_name, '') AS name,
    concat_ws(' ', email, company, job_title, phone, phone_digits(phone), right(phone_digits(phone), 10),
        (SELECT string_agg(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = leads.id
         WHERE f.entity = 'leads' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM leads;
CREATE OR REPLACE VIEW deal_search_entries AS
SELECT id, id + 3 * 1099511627776 AS entry, title,
    coalesce((SELECT string_agg(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = deals.id
         WHERE f.entity = 'deals' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url')), '') AS detail
FROM deals;
CREATE OR REPLACE VIEW ticket_search_entries AS
SELECT id, id + 4 * 1099511627776 AS entry, subject,
    concat_ws(' ', description, (SELECT string_agg(v.value, ' ')
         FROM custom_fields f JOIN custom_values v ON v.field_id = f.id AND v.record_id = tickets.id
         WHERE f.entity = 'tickets' AND f.retired_at IS NULL AND f.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url'))) AS detail
FROM tickets;

-- Writes the detail and words of the search entries of `records` of `entity` again.
CREATE FUNCTION refresh_search_details(entity text, records bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF entity = 'contacts' THEN
        UPDATE search_index s SET detail = e.detail, words = search_words(e.name, e.detail)
        FROM contact_search_entries e WHERE e.id = ANY (records) AND s.entry = e.entry;
    ELSIF entity = 'leads' THEN
        UPDATE search_index s SET detail = e.detail, words = search_words(e.name, e.detail)
        FROM lead_search_entries e WHERE e.id = ANY (records) AND s.entry = e.entry;
    ELSIF entity = 'deals' THEN
        UPDATE search_index s SET detail = e.detail, words = search_words(e.title, e.detail)
        FROM deal_search_entries e WHERE e.id = ANY (records) AND s.entry = e.entry;
    ELSIF entity = 'tickets' THEN
        UPDATE search_index s SET detail = e.detail, words = search_words(e.subject, e.detail)
        FROM ticket_search_entries e WHERE e.id = ANY (records) AND s.entry = e.entry;
    END IF;
END $$;

CREATE FUNCTION custom_value_search_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed custom_values%ROWTYPE;
    field custom_fields%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    SELECT * INTO field FROM custom_fields WHERE id = changed.field_id;
    IF FOUND AND field.retired_at IS NULL AND field.kind IN ('text', 'long_text', 'choice', 'multi_choice', 'email', 'phone', 'url') THEN
        PERFORM refresh_search_details(field.entity, ARRAY[changed.record_id]);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER custom_values_search_insert AFTER INSERT ON custom_values
    FOR EACH ROW EXECUTE FUNCTION custom_value_search_entry();
CREATE TRIGGER custom_values_search_delete AFTER DELETE ON custom_values
    FOR EACH ROW EXECUTE FUNCTION custom_value_search_entry();

-- Entries made before this migration take their records' values now.
SELECT refresh_search_details(f.entity, array_agg(DISTINCT v.record_id))
FROM custom_fields f JOIN custom_values v ON v.field_id = f.id
GROUP BY f.entity;
