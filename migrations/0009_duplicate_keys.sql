-- Duplicate detection compares phones in their E.164-style form: digits only, a leading + kept.
-- Validation lets a phone hold only digits, spaces, - . ( ) and a leading +, so stripping those
-- five characters and any + leaves exactly the digits (rules::normalise::phone; a test holds the
-- two equal). Virtual columns cost no space; the partial indexes make "who has this phone" a
-- seek instead of a scan over every row's text.

ALTER TABLE contacts ADD COLUMN phone_key TEXT GENERATED ALWAYS AS (
    CASE WHEN phone IS NULL OR phone = '' THEN NULL
    ELSE (CASE WHEN substr(phone, 1, 1) = '+' THEN '+' ELSE '' END) ||
         replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '')
    END) VIRTUAL;
CREATE INDEX contacts_phone_key ON contacts(phone_key) WHERE phone_key IS NOT NULL;

ALTER TABLE leads ADD COLUMN phone_key TEXT GENERATED ALWAYS AS (
    CASE WHEN phone IS NULL OR phone = '' THEN NULL
    ELSE (CASE WHEN substr(phone, 1, 1) = '+' THEN '+' ELSE '' END) ||
         replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '')
    END) VIRTUAL;
CREATE INDEX leads_phone_key ON leads(phone_key) WHERE phone_key IS NOT NULL;
