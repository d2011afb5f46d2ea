-- Deal counts and sums kept current by triggers in the same transaction as every change, as
-- lead_tallies (0006) does for leads: the board's column totals, the dashboard's pipeline
-- tiles and the campaigns' won revenue read a few hundred summary rows instead of counting and
-- summing 200,000 deals on every request. One row per (stage, owner, campaign, currency);
-- owner 0 and campaign 0 stand for "none". Amounts are minor units, summed per currency as the
-- figures that read them already did. `crm doctor` compares this table with a direct count.
CREATE TABLE deal_tallies (
    stage_id    INTEGER NOT NULL,
    owner_id    INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    currency    TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    PRIMARY KEY (stage_id, owner_id, campaign_id, currency)
) WITHOUT ROWID;
CREATE INDEX deal_tallies_campaign ON deal_tallies(campaign_id);

CREATE TRIGGER deals_tally_insert AFTER INSERT ON deals BEGIN
    INSERT INTO deal_tallies (stage_id, owner_id, campaign_id, currency, n, amount)
    VALUES (new.stage_id, ifnull(new.owner_id, 0), ifnull(new.campaign_id, 0), new.currency, 1, new.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER deals_tally_delete AFTER DELETE ON deals BEGIN
    UPDATE deal_tallies SET n = n - 1, amount = amount - old.amount
    WHERE stage_id = old.stage_id AND owner_id = ifnull(old.owner_id, 0)
      AND campaign_id = ifnull(old.campaign_id, 0) AND currency = old.currency;
END;

CREATE TRIGGER deals_tally_update AFTER UPDATE OF stage_id, owner_id, campaign_id, currency, amount ON deals
WHEN old.stage_id IS NOT new.stage_id OR old.owner_id IS NOT new.owner_id
  OR old.campaign_id IS NOT new.campaign_id OR old.currency IS NOT new.currency
  OR old.amount IS NOT new.amount
BEGIN
    UPDATE deal_tallies SET n = n - 1, amount = amount - old.amount
    WHERE stage_id = old.stage_id AND owner_id = ifnull(old.owner_id, 0)
      AND campaign_id = ifnull(old.campaign_id, 0) AND currency = old.currency;
    INSERT INTO deal_tallies (stage_id, owner_id, campaign_id, currency, n, amount)
    VALUES (new.stage_id, ifnull(new.owner_id, 0), ifnull(new.campaign_id, 0), new.currency, 1, new.amount)
    ON CONFLICT DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;

INSERT INTO deal_tallies (stage_id, owner_id, campaign_id, currency, n, amount)
SELECT stage_id, ifnull(owner_id, 0), ifnull(campaign_id, 0), currency, count(*), sum(amount)
FROM deals GROUP BY 1, 2, 3, 4;
