-- Lead counts kept current by triggers in the same transaction as every change, so the
-- dashboard, the marketing report and campaign metrics read a few hundred summary rows instead
-- of counting a million leads each time. One row per (campaign, owner, stage, source, hot);
-- owner 0 stands for "no owner". Hot is score > 70, as rules/scoring.rs HOT_ABOVE says (a test
-- checks the two agree by comparing this table with a direct count).
CREATE TABLE lead_tallies (
    campaign_id INTEGER NOT NULL,
    owner_id    INTEGER NOT NULL,
    stage       TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    hot         INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, owner_id, stage, source, hot)
) WITHOUT ROWID;
CREATE INDEX lead_tallies_owner ON lead_tallies(owner_id);

CREATE TRIGGER leads_tally_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_tallies (campaign_id, owner_id, stage, source, hot, n)
    VALUES (new.campaign_id, ifnull(new.owner_id, 0), new.stage, new.source, new.score > 70, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER leads_tally_delete AFTER DELETE ON leads BEGIN
    UPDATE lead_tallies SET n = n - 1
    WHERE campaign_id = old.campaign_id AND owner_id = ifnull(old.owner_id, 0)
      AND stage = old.stage AND source = old.source AND hot = (old.score > 70);
END;

CREATE TRIGGER leads_tally_update AFTER UPDATE OF campaign_id, owner_id, stage, source, score ON leads
WHEN old.campaign_id IS NOT new.campaign_id OR old.owner_id IS NOT new.owner_id
  OR old.stage IS NOT new.stage OR old.source IS NOT new.source
  OR (old.score > 70) IS NOT (new.score > 70)
BEGIN
    UPDATE lead_tallies SET n = n - 1
    WHERE campaign_id = old.campaign_id AND owner_id = ifnull(old.owner_id, 0)
      AND stage = old.stage AND source = old.source AND hot = (old.score > 70);
    INSERT INTO lead_tallies (campaign_id, owner_id, stage, source, hot, n)
    VALUES (new.campaign_id, ifnull(new.owner_id, 0), new.stage, new.source, new.score > 70, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

INSERT INTO lead_tallies (campaign_id, owner_id, stage, source, hot, n)
SELECT campaign_id, ifnull(owner_id, 0), stage, source, score > 70, count(*)
FROM leads GROUP BY 1, 2, 3, 4, 5;
