-- A list page is read in (sort key, id) order: SQLite's indexes end with the rowid, so a page is
-- an index seek whatever the ties; PostgreSQL's do not, and a million leads mostly without a
-- follow-up date (one tie) were sorted whole for every first page by next action (1.3 s). Each
-- sort's index ends with the id here, as the statement's ORDER BY does.

DROP INDEX leads_score;
CREATE INDEX leads_score ON leads (score, id);
DROP INDEX leads_stage;
CREATE INDEX leads_stage ON leads (stage, id);
DROP INDEX leads_name;
CREATE INDEX leads_name ON leads (first_name COLLATE nocase, (coalesce(last_name, '') COLLATE nocase), id);
DROP INDEX leads_company;
CREATE INDEX leads_company ON leads ((coalesce(company, '') COLLATE nocase), id);
DROP INDEX leads_next_action;
CREATE INDEX leads_next_action ON leads ((coalesce(next_action_at, '9999')), id);
DROP INDEX leads_updated;
CREATE INDEX leads_updated ON leads (updated_at, id);

DROP INDEX contacts_name;
CREATE INDEX contacts_name ON contacts (first_name COLLATE nocase, (coalesce(last_name, '') COLLATE nocase), id);
DROP INDEX contacts_company;
CREATE INDEX contacts_company ON contacts ((coalesce(company, '') COLLATE nocase), id);
DROP INDEX contacts_email_sort;
CREATE INDEX contacts_email_sort ON contacts ((coalesce(email, '') COLLATE nocase), id);
DROP INDEX contacts_updated;
CREATE INDEX contacts_updated ON contacts (updated_at, id);

DROP INDEX deals_updated;
CREATE INDEX deals_updated ON deals (updated_at, id);
DROP INDEX deals_amount;
CREATE INDEX deals_amount ON deals (amount, id);
DROP INDEX deals_title;
CREATE INDEX deals_title ON deals (title COLLATE nocase, id);
DROP INDEX deals_expected_close;
CREATE INDEX deals_expected_close ON deals ((coalesce(expected_close, '9999')), id);

DROP INDEX companies_name;
CREATE INDEX companies_name ON companies (name COLLATE nocase, id);
DROP INDEX companies_domain_sort;
CREATE INDEX companies_domain_sort ON companies ((coalesce(domain, '')), id);
DROP INDEX companies_industry;
CREATE INDEX companies_industry ON companies ((coalesce(industry, '') COLLATE nocase), id);
