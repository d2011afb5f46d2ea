//! The set-wise writes of the import floor (`testing::import_floor`, issue 26).

use super::sql::{params, params_from_iter};

use super::Tx;
use crate::{EntityKind, Result};

/// Companies the rows name and the database lacks, one per name (any case and spacing), as
/// the import makes them.
const COMPANIES: &str = "INSERT INTO companies (name, name_key, created_at, updated_at)
    SELECT min(trim(company)), lower(trim(company)), ?1, ?1 FROM raw_leads
    WHERE trim(company) <> ''
      AND lower(trim(company)) NOT IN (SELECT name_key FROM companies WHERE name_key IS NOT NULL)
    GROUP BY lower(trim(company))";

/// The leads, in the file's order, with the campaign each names (or the general one), linked
/// to their company, created by the admin.
const LEADS: &str = "INSERT INTO leads (first_name, last_name, company, job_title, email, phone,
        campaign_id, source, stage, score, created_by, created_at, updated_at, company_id)
    SELECT r.first_name, nullif(r.last_name, ''), nullif(trim(r.company), ''),
        nullif(r.job_title, ''), nullif(r.email, ''), nullif(r.phone, ''),
        coalesce((SELECT id FROM campaigns c WHERE c.code = r.campaign COLLATE NOCASE
                  OR c.name = r.campaign COLLATE NOCASE ORDER BY id LIMIT 1),
                 (SELECT id FROM campaigns WHERE is_system = 1 ORDER BY id LIMIT 1)),
        r.source, r.stage, CAST(r.score AS INTEGER), ?2, ?1, ?1,
        (SELECT id FROM companies co WHERE co.name_key = lower(trim(r.company)))
    FROM raw_leads r ORDER BY r.rowid";

/// One activity row per lead, worded as the import words it.
const ACTIVITIES: &str = "INSERT INTO activities
        (actor_id, verb, entity_type, entity_id, summary, at, created_at, updated_at)
    SELECT ?2, 'created', 'lead', l.id,
        (SELECT display_name FROM users WHERE id = ?2) || ' added lead '''
            || trim(l.first_name || ' ' || ifnull(l.last_name, '')) || ''' to ' || c.name,
        ?1, ?1, ?1
    FROM leads l JOIN campaigns c ON c.id = l.campaign_id WHERE l.id >= ?3";

impl Tx<'_> {
    /// Writes the rows `next` gives (the ten columns `crm demo --leads-csv` writes) as leads
    /// the floor's way: into a bare table one prepared statement at a time, then set-wise.
    pub(crate) fn import_floor(
        &self,
        next: &mut dyn FnMut() -> Result<Option<Vec<String>>>,
        now: &str,
    ) -> Result<u64> {
        let admin: i64 =
            self.query_row("SELECT id FROM users WHERE username = 'admin'", [], |r| {
                r.get(0)
            })?;
        self.execute_batch(
            "CREATE TEMP TABLE raw_leads (first_name, last_name, email, phone, company,
                 job_title, source, campaign, stage, score)",
        )?;
        {
            let mut insert = self.prepare(
                "INSERT INTO raw_leads VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            while let Some(cells) = next()? {
                insert.execute(params_from_iter(cells))?;
            }
        }
        let from = self.highest_id(EntityKind::Lead)? + 1;
        let upkeep = self.set_aside_lead_upkeep(from)?;
        self.execute(COMPANIES, params![now])?;
        let leads = self.execute(LEADS, params![now, admin])?;
        self.execute(ACTIVITIES, params![now, admin, from])?;
        self.restore_lead_upkeep(upkeep)?;
        self.execute_batch("DROP TABLE raw_leads")?;
        Ok(u64::try_from(leads).unwrap_or_default())
    }
}
