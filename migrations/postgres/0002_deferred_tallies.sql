-- A tally row updated once per inserted row grows a chain of row versions inside one
-- transaction that every later update walks: 100,000 leads in one import or copy took 67 s
-- (2.6 s without the tally triggers), a million would take hours, and a company's tally is such
-- a row for every lead of the company. A bulk write therefore sets `crm.deferred_leads_from`,
-- `crm.deferred_deals_from` and `crm.deferred_contacts_from` to the first id it adds (for its
-- transaction only); the triggers leave rows from that id on to it, and it counts them with one
-- statement per tally before it commits (store/bulk.rs). Older rows are counted as before.

-- Whether the tallies of this row of `TG_TABLE_NAME` are left to the bulk write under way.
CREATE FUNCTION tally_deferred(tbl text, id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT id >= nullif(current_setting('crm.deferred_' || tbl || '_from', true), '')::bigint
$$;

CREATE OR REPLACE FUNCTION leads_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF tally_deferred(TG_TABLE_NAME, old.id) THEN RETURN NULL; END IF;
    ELSIF tally_deferred(TG_TABLE_NAME, new.id) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE lead_tallies SET n = n - 1
        WHERE campaign_id = old.campaign_id AND owner_id = coalesce(old.owner_id, 0)
          AND stage = old.stage AND source = old.source AND hot = (old.score > 70)::int;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO lead_tallies (campaign_id, owner_id, stage, source, hot, n)
        VALUES (new.campaign_id, coalesce(new.owner_id, 0), new.stage, new.source,
                (new.score > 70)::int, 1)
        ON CONFLICT (campaign_id, owner_id, stage, source, hot) DO UPDATE
        SET n = lead_tallies.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION deals_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF tally_deferred(TG_TABLE_NAME, old.id) THEN RETURN NULL; END IF;
    ELSIF tally_deferred(TG_TABLE_NAME, new.id) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE deal_tallies SET n = n - 1, amount = amount - old.amount
        WHERE stage_id = old.stage_id AND owner_id = coalesce(old.owner_id, 0)
          AND campaign_id = coalesce(old.campaign_id, 0) AND currency = old.currency;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO deal_tallies (stage_id, owner_id, campaign_id, currency, n, amount)
        VALUES (new.stage_id, coalesce(new.owner_id, 0), coalesce(new.campaign_id, 0),
                new.currency, 1, new.amount)
        ON CONFLICT (stage_id, owner_id, campaign_id, currency) DO UPDATE
        SET n = deal_tallies.n + 1, amount = deal_tallies.amount + excluded.amount;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION company_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF tally_deferred(TG_TABLE_NAME, old.id) THEN RETURN NULL; END IF;
    ELSIF tally_deferred(TG_TABLE_NAME, new.id) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND old.company_id IS NOT NULL THEN
        EXECUTE format('UPDATE company_tallies SET %1$I = %1$I - 1 WHERE company_id = $1', col)
            USING old.company_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND new.company_id IS NOT NULL THEN
        EXECUTE format('INSERT INTO company_tallies (company_id, %1$I) VALUES ($1, 1)
                        ON CONFLICT (company_id) DO UPDATE SET %1$I = company_tallies.%1$I + 1', col)
            USING new.company_id;
    END IF;
    RETURN NULL;
END $$;
