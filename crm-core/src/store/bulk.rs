//! Loading many leads in one transaction. Each inserted lead normally updates eleven indexes,
//! its search entry and two summaries, one row at a time: measured in bare SQL on a million
//! leads, 61 s for the inserts with all of that, against 4 s for the bare inserts, 9 s to build
//! the same indexes from the finished table and 16-27 s to write the search entries as one
//! batch. A large import therefore sets that upkeep aside inside its own transaction and redoes
//! it once for the rows it added, so a rollback (a dry run, a refused file, a crash) leaves
//! every index and trigger as it was.

use super::Tx;
use crate::Result;

/// The `AFTER INSERT` triggers on `leads` and `custom_values` a bulk load sets aside, each with
/// the statements that do the trigger's work for every lead from id `?1` on. A trigger not
/// listed here keeps firing row by row, so a new one is never skipped, only slower.
const CATCH_UP: [(&str, &[&str]); 4] = [
    // A lead's custom value writes its search entry again; the catch-up of
    // `leads_search_insert` reads the entries with their values, so nothing is owed
    // (migration 0033).
    ("custom_values_search_insert", &[]),
    (
        "leads_search_insert",
        // The trigger reads the same view (migrations 0020 and 0031).
        &[
            "INSERT INTO search_index (rowid, lead_name, detail)
             SELECT entry, name, detail FROM lead_search_entries WHERE id >= ?1",
            "INSERT INTO search_titles (rowid, title)
             SELECT entry, name FROM lead_search_entries WHERE id >= ?1",
        ],
    ),
    (
        "leads_tally_insert",
        &[
            "INSERT INTO lead_tallies (campaign_id, owner_id, stage, source, hot, n)
           SELECT campaign_id, ifnull(owner_id, 0), stage, source, score > 70, count(*)
           FROM leads WHERE id >= ?1 GROUP BY 1, 2, 3, 4, 5
           ON CONFLICT DO UPDATE SET n = n + excluded.n",
        ],
    ),
    (
        "leads_company_tally_insert",
        &["INSERT INTO company_tallies (company_id, leads)
           SELECT company_id, count(*) FROM leads
           WHERE id >= ?1 AND company_id IS NOT NULL GROUP BY company_id
           ON CONFLICT DO UPDATE SET leads = leads + excluded.leads"],
    ),
];

/// What a bulk load of leads set aside: the definitions to restore and the first lead whose
/// upkeep is owed.
#[derive(Debug)]
pub(crate) struct LeadUpkeep {
    from: i64,
    indexes: Vec<String>,
    /// Each set-aside trigger's definition with its catch-up statement.
    triggers: Vec<(String, &'static [&'static str])>,
}

/// Tallies a bulk write on PostgreSQL counts itself, for the rows of each table from these ids
/// on (`migrations/postgres/0002_deferred_tallies.sql` says why): the first id of each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeferredTallies {
    leads: i64,
    deals: i64,
    contacts: i64,
}

/// Each catch-up statement with the table whose rows it counts from `?1` on.
const CATCH_UP_TALLIES: [(&str, &str); 5] = [
    (
        "leads",
        "INSERT INTO lead_tallies (campaign_id, owner_id, stage, source, hot, n)
         SELECT campaign_id, coalesce(owner_id, 0), stage, source, (score > 70)::int, count(*)
         FROM leads WHERE id >= ?1 GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (campaign_id, owner_id, stage, source, hot) DO UPDATE
         SET n = lead_tallies.n + excluded.n",
    ),
    (
        "deals",
        "INSERT INTO deal_tallies (stage_id, owner_id, campaign_id, currency, n, amount)
         SELECT stage_id, coalesce(owner_id, 0), coalesce(campaign_id, 0), currency,
                count(*), sum(amount)
         FROM deals WHERE id >= ?1 GROUP BY 1, 2, 3, 4
         ON CONFLICT (stage_id, owner_id, campaign_id, currency) DO UPDATE
         SET n = deal_tallies.n + excluded.n, amount = deal_tallies.amount + excluded.amount",
    ),
    (
        "leads",
        "INSERT INTO company_tallies (company_id, leads)
         SELECT company_id, count(*) FROM leads WHERE id >= ?1 AND company_id IS NOT NULL
         GROUP BY 1
         ON CONFLICT (company_id) DO UPDATE SET leads = company_tallies.leads + excluded.leads",
    ),
    (
        "deals",
        "INSERT INTO company_tallies (company_id, deals)
         SELECT company_id, count(*) FROM deals WHERE id >= ?1 AND company_id IS NOT NULL
         GROUP BY 1
         ON CONFLICT (company_id) DO UPDATE SET deals = company_tallies.deals + excluded.deals",
    ),
    (
        "contacts",
        "INSERT INTO company_tallies (company_id, contacts)
         SELECT company_id, count(*) FROM contacts WHERE id >= ?1 AND company_id IS NOT NULL
         GROUP BY 1
         ON CONFLICT (company_id) DO UPDATE
         SET contacts = company_tallies.contacts + excluded.contacts",
    ),
];

impl Tx<'_> {
    /// On PostgreSQL, leaves the lead and deal tallies of rows from the next ids on to
    /// [`Tx::catch_up_tallies`] for the rest of this transaction; on SQLite, whose updates of a
    /// tally row cost the same each time, nothing.
    pub(crate) fn defer_tallies(&self) -> Result<Option<DeferredTallies>> {
        if !self.conn().is_postgres() {
            return Ok(None);
        }
        let next = |table: &str| -> Result<i64> {
            Ok(self.query_row(
                &format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"),
                [],
                |r| r.get(0),
            )?)
        };
        let deferred = DeferredTallies {
            leads: next("leads")?,
            deals: next("deals")?,
            contacts: next("contacts")?,
        };
        self.set_deferred(Some(deferred))?;
        Ok(Some(deferred))
    }

    /// Counts the rows from the deferred ids on into their tallies and lets the triggers count
    /// again.
    pub(crate) fn catch_up_tallies(&self, deferred: DeferredTallies) -> Result<()> {
        self.set_deferred(None)?;
        for (table, statement) in CATCH_UP_TALLIES {
            let from = match table {
                "leads" => deferred.leads,
                "deals" => deferred.deals,
                _ => deferred.contacts,
            };
            self.execute(statement, [from])?;
        }
        Ok(())
    }

    fn set_deferred(&self, deferred: Option<DeferredTallies>) -> Result<()> {
        let text = |id: Option<i64>| id.map(|i| i.to_string()).unwrap_or_default();
        self.query_row(
            "SELECT set_config('crm.deferred_leads_from', ?1, true),
                    set_config('crm.deferred_deals_from', ?2, true),
                    set_config('crm.deferred_contacts_from', ?3, true)",
            [
                text(deferred.map(|d| d.leads)),
                text(deferred.map(|d| d.deals)),
                text(deferred.map(|d| d.contacts)),
            ],
            |_| Ok(()),
        )?;
        Ok(())
    }

    /// Drops the secondary indexes of `leads` (and of `custom_values`, which the rows' custom
    /// columns fill: three values a row cost half the import again with their indexes kept)
    /// and the triggers of [`CATCH_UP`] until
    /// [`Tx::restore_lead_upkeep`]; leads from id `from` on are then indexed and counted.
    /// Lookups by email or phone must not rely on the indexes in between.
    pub(crate) fn set_aside_lead_upkeep(&self, from: i64) -> Result<LeadUpkeep> {
        // PostgreSQL keeps its triggers and indexes through a bulk load: the schema's
        // definitions live in its catalog, not as text to drop and run again.
        if self.conn().is_postgres() {
            return Ok(LeadUpkeep {
                from,
                indexes: Vec::new(),
                triggers: Vec::new(),
            });
        }
        let definitions = |kind: &str| -> Result<Vec<(String, String)>> {
            let mut stmt = self.prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = ?1
                 AND tbl_name IN ('leads', 'custom_values') AND sql IS NOT NULL ORDER BY name",
            )?;
            let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<super::sql::SqlResult<_>>()?)
        };
        // Names come from the schema, never from a user; quoted all the same.
        let drop_named = |kind: &str, name: &str| {
            self.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))
        };
        let mut indexes = Vec::new();
        for (name, sql) in definitions("index")? {
            drop_named("INDEX", &name)?;
            indexes.push(sql);
        }
        let mut triggers = Vec::new();
        for (name, sql) in definitions("trigger")? {
            if let Some((_, catch_up)) = CATCH_UP.iter().find(|(n, _)| *n == name) {
                drop_named("TRIGGER", &name)?;
                triggers.push((sql, *catch_up));
            }
        }
        Ok(LeadUpkeep {
            from,
            indexes,
            triggers,
        })
    }

    /// Does the set-aside triggers' work for the leads added since, then puts the triggers and
    /// indexes back as they were defined.
    pub(crate) fn restore_lead_upkeep(&self, upkeep: LeadUpkeep) -> Result<()> {
        let LeadUpkeep {
            from,
            indexes,
            triggers,
        } = upkeep;
        // FTS5's `hashsize` stays at its default: 32 MB made this batch 20-30% faster, but the
        // connection's pending-entry table keeps the slots it grew, and every later write of
        // a search entry on it (the demo generator's 200,000 contacts) cleared and sorted
        // millions of empty slots at each commit.
        for (definition, catch_up) in triggers {
            for statement in catch_up {
                self.prepare(statement)?.execute([from])?;
            }
            self.execute_batch(&definition)?;
        }
        for definition in indexes {
            self.execute_batch(&definition)?;
        }
        Ok(())
    }

    /// Every lead's id, stored email and phone key, oldest first.
    pub(crate) fn each_lead_key(
        &self,
        mut each: impl FnMut(i64, Option<&str>, Option<&str>),
    ) -> Result<()> {
        let mut stmt = self.prepare("SELECT id, email, phone_key FROM leads ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let text = |i| match row.get_ref(i)? {
                super::sql::ValueRef::Text(t) => Ok(Some(t)),
                super::sql::ValueRef::Null => Ok(None),
                other => Err(super::sql::SqlError::column(
                    i,
                    format!("{other:?} is not text"),
                )),
            };
            let (email, phone) = (text(1_usize)?, text(2_usize)?);
            each(row.get(0)?, email, phone);
        }
        Ok(())
    }

    /// One lead's stored email and phone key.
    pub(crate) fn lead_key(&self, id: i64) -> Result<(Option<String>, Option<String>)> {
        Ok(self
            .prepare_cached("SELECT email, phone_key FROM leads WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }
}
