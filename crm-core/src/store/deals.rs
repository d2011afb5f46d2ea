//! The `deals`, `deal_stage_history` and `pipeline_stages` tables, the board and sales figures.

use super::sql::Value;
use super::sql::{OptionalExtension, Row, params, params_from_iter};
use chrono::NaiveDate;

use super::filter::{Filter, Keyset};
use super::{Tx, opt_time_at, time_at};
use crate::auth::Scope;
use crate::{
    CampaignId, CompanyId, ContactId, Currency, Deal, DealId, DealSort, LeadId, Page, Result,
    Stage, StageId, StageMove, UserId,
};

/// Validated values of a deal row (all but its stage, which only moves change).
pub(crate) struct DealRow {
    pub(crate) title: String,
    pub(crate) contact_id: Option<ContactId>,
    pub(crate) company_id: Option<CompanyId>,
    pub(crate) campaign_id: Option<CampaignId>,
    pub(crate) lead_id: Option<LeadId>,
    pub(crate) amount: i64,
    pub(crate) currency: Currency,
    pub(crate) probability: u8,
    pub(crate) expected_close: Option<NaiveDate>,
    pub(crate) owner_id: Option<UserId>,
}

impl From<&Deal> for DealRow {
    fn from(d: &Deal) -> Self {
        DealRow {
            title: d.title.clone(),
            contact_id: d.contact_id,
            company_id: d.company_id,
            campaign_id: d.campaign_id,
            lead_id: d.lead_id,
            amount: d.amount,
            currency: d.currency,
            probability: d.probability,
            expected_close: d.expected_close,
            owner_id: d.owner_id,
        }
    }
}

/// Filters of a deal listing with names resolved.
pub(crate) struct DealFilter<'a> {
    /// Conditions on custom fields.
    pub(crate) fields: Vec<crate::store::FieldTest>,
    pub(crate) scope: Scope,
    pub(crate) stage: Option<StageId>,
    pub(crate) owner: Option<UserId>,
    pub(crate) contact: Option<ContactId>,
    pub(crate) campaign: Option<CampaignId>,
    pub(crate) open_only: bool,
    pub(crate) search: Option<&'a str>,
    pub(crate) sort: DealSort,
    /// A custom field to sort by instead of `sort`.
    pub(crate) by_field: Option<crate::store::FieldSort>,
    pub(crate) descending: bool,
    pub(crate) limit: u32,
    pub(crate) after: Option<DealId>,
}

/// Figures of the sales report that come straight from SQL.
pub(crate) struct SalesFigures {
    pub(crate) open_value: i64,
    pub(crate) weighted_forecast: i64,
    pub(crate) won: i64,
    pub(crate) lost: i64,
    pub(crate) won_value: i64,
    pub(crate) avg_days_to_close: Option<f64>,
}

const SELECT: &str = concat!(
    "SELECT d.*, s.name AS stage_name, ",
    person_name!("ct"),
    " AS contact_name, ct.email AS contact_email,
        co.name AS company_name, cp.name AS campaign_name, u.username AS owner_name
    FROM deals d
    JOIN pipeline_stages s ON s.id = d.stage_id
    LEFT JOIN contacts ct ON ct.id = d.contact_id
    LEFT JOIN companies co ON co.id = d.company_id
    LEFT JOIN campaigns cp ON cp.id = d.campaign_id
    LEFT JOIN users u ON u.id = d.owner_id"
);

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<Deal> {
    let currency: String = row.get("currency")?;
    let expected: Option<String> = row.get("expected_close")?;
    Ok(Deal {
        fields: crate::FieldValues::default(),
        version: crate::Version(row.get("version")?),
        id: DealId(row.get("id")?),
        title: row.get("title")?,
        contact_id: row.get::<_, Option<i64>>("contact_id")?.map(ContactId),
        contact: row.get("contact_name")?,
        contact_email: row.get("contact_email")?,
        company_id: row.get::<_, Option<i64>>("company_id")?.map(CompanyId),
        company: row.get("company_name")?,
        campaign_id: row.get::<_, Option<i64>>("campaign_id")?.map(CampaignId),
        campaign: row.get("campaign_name")?,
        lead_id: row.get::<_, Option<i64>>("lead_id")?.map(LeadId),
        amount: row.get("amount")?,
        currency: currency.parse().unwrap_or_default(),
        stage_id: StageId(row.get("stage_id")?),
        stage: row.get("stage_name")?,
        probability: row.get("probability")?,
        expected_close: expected.and_then(|d| d.parse().ok()),
        owner_id: row.get::<_, Option<i64>>("owner_id")?.map(UserId),
        owner: row.get("owner_name")?,
        closed_at: opt_time_at(row, "closed_at")?,
        lost_reason: row.get("lost_reason")?,
        created_at: time_at(row, "created_at")?,
        updated_at: time_at(row, "updated_at")?,
    })
}

fn stage_from_row(row: &Row<'_>) -> super::sql::SqlResult<Stage> {
    Ok(Stage {
        id: StageId(row.get("id")?),
        name: row.get("name")?,
        position: row.get("position")?,
        probability: row.get("probability")?,
        is_won: row.get("is_won")?,
        is_lost: row.get("is_lost")?,
        active: row.get("active")?,
        deals: row.get("deals")?,
    })
}

/// Stages with how many deals each holds, from the tallies: every deal add and move looks its
/// stage up here, and counting the stage's deals made that cost grow with the pipeline.
const STAGES: &str = "SELECT s.*,
        (SELECT ifnull(sum(t.n), 0) FROM deal_tallies t WHERE t.stage_id = s.id) AS deals
    FROM pipeline_stages s";

fn sort_keys(sort: DealSort) -> &'static [&'static str] {
    match sort {
        // Ids are handed out in creation order, so the id is the creation order; unlike
        // created_at it has no ties (an import gives a million rows one timestamp), which
        // keeps every page after a keyset cursor an index seek.
        DealSort::Created | DealSort::Id => &[],
        DealSort::Updated => &["{t}.updated_at"],
        DealSort::Amount => &["{t}.amount"],
        DealSort::Title => &["{t}.title COLLATE NOCASE"],
        DealSort::ExpectedClose => &["ifnull({t}.expected_close, '9999')"],
    }
}

impl Tx<'_> {
    pub(crate) fn stages(&self, include_retired: bool) -> Result<Vec<Stage>> {
        let sql = format!(
            "{STAGES} {} ORDER BY s.position, s.id",
            if include_retired {
                ""
            } else {
                "WHERE s.active = 1"
            }
        );
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map([], stage_from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn stage_by_name(&self, name: &str) -> Result<Option<Stage>> {
        let sql = format!("{STAGES} WHERE s.name = ?1 COLLATE NOCASE OR CAST(s.id AS TEXT) = ?1");
        Ok(self
            .query_row(&sql, [name.trim()], stage_from_row)
            .optional()?)
    }

    pub(crate) fn stage(&self, id: StageId) -> Result<Option<Stage>> {
        let sql = format!("{STAGES} WHERE s.id = ?1");
        Ok(self.query_row(&sql, [id.0], stage_from_row).optional()?)
    }

    pub(crate) fn insert_stage(
        &self,
        name: &str,
        position: i64,
        probability: u8,
        is_won: bool,
        is_lost: bool,
        now: &str,
    ) -> Result<StageId> {
        self.execute(
            "UPDATE pipeline_stages SET position = position + 1 WHERE position >= ?1",
            [position],
        )?;
        let new_id = self.insert(
            "INSERT INTO pipeline_stages (name, position, probability, is_won, is_lost, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![name, position, probability, is_won, is_lost, now],
        )?;
        Ok(StageId(new_id))
    }

    pub(crate) fn update_stage(
        &self,
        id: StageId,
        name: &str,
        probability: u8,
        active: bool,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "UPDATE pipeline_stages SET name = ?2, probability = ?3, active = ?4, updated_at = ?5 WHERE id = ?1",
            params![id.0, name, probability, active, now],
        )?;
        Ok(())
    }

    /// Puts the stage at `position` (1-based) and renumbers the others in order.
    pub(crate) fn reorder_stage(&self, id: StageId, position: i64, now: &str) -> Result<()> {
        let mut ids: Vec<i64> = {
            let mut stmt = self
                .prepare("SELECT id FROM pipeline_stages WHERE id <> ?1 ORDER BY position, id")?;
            let rows = stmt.query_map([id.0], |r| r.get(0))?;
            rows.collect::<super::sql::SqlResult<_>>()?
        };
        let at = usize::try_from(position - 1).unwrap_or(0).min(ids.len());
        ids.insert(at, id.0);
        for (n, stage) in ids.iter().enumerate() {
            self.execute(
                "UPDATE pipeline_stages SET position = ?2, updated_at = ?3 WHERE id = ?1 AND position <> ?2",
                params![stage, i64::try_from(n + 1).unwrap_or(i64::MAX), now],
            )?;
        }
        Ok(())
    }

    pub(crate) fn insert_deal(
        &self,
        row: &DealRow,
        stage: StageId,
        actor: UserId,
        now: &str,
    ) -> Result<DealId> {
        let deal = DealId(self.insert(
            "INSERT INTO deals (title, contact_id, campaign_id, lead_id, amount, currency, stage_id,
                probability, expected_close, owner_id, created_at, updated_at, company_id, import_batch)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)",
            params![
                row.title, row.contact_id.map(|c| c.0), row.campaign_id.map(|c| c.0), row.lead_id.map(|l| l.0),
                row.amount, row.currency.as_str(), stage.0, row.probability,
                row.expected_close.map(|d| d.to_string()), row.owner_id.map(|o| o.0), now,
                row.company_id.map(|c| c.0), self.stamp()
            ],
        )?);
        self.execute(
            "INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, actor_id, at, created_at, updated_at)
             VALUES (?1, NULL, ?2, ?3, ?4, ?4, ?4)",
            params![deal.0, stage.0, actor.0, now],
        )?;
        Ok(deal)
    }

    pub(crate) fn update_deal(&self, id: DealId, row: &DealRow, now: &str) -> Result<()> {
        self.execute(
            "UPDATE deals SET title = ?2, contact_id = ?3, campaign_id = ?4, amount = ?5, currency = ?6,
                probability = ?7, expected_close = ?8, owner_id = ?9, updated_at = ?10, company_id = ?11
             WHERE id = ?1",
            params![
                id.0, row.title, row.contact_id.map(|c| c.0), row.campaign_id.map(|c| c.0), row.amount,
                row.currency.as_str(), row.probability, row.expected_close.map(|d| d.to_string()),
                row.owner_id.map(|o| o.0), now, row.company_id.map(|c| c.0)
            ],
        )?;
        Ok(())
    }

    pub(crate) fn deal(&self, id: DealId) -> Result<Option<Deal>> {
        let sql = format!("{SELECT} WHERE d.id = ?1");
        Ok(self.query_row(&sql, [id.0], from_row).optional()?)
    }

    pub(crate) fn deal_in_scope(&self, id: DealId, scope: Scope) -> Result<bool> {
        self.in_scope("deals", id.0, scope)
    }

    pub(crate) fn list_deals(&self, f: &DealFilter<'_>) -> Result<Page<Deal>> {
        let mut filter = Filter::default();
        filter.scope_for_page(f.scope, "d", "owner_id");
        if let Some(stage) = f.stage {
            filter.and("+d.stage_id = ?", [Value::Integer(stage.0)]);
        }
        if let Some(owner) = f.owner {
            filter.and("+d.owner_id = ?", [Value::Integer(owner.0)]);
        }
        if let Some(contact) = f.contact {
            filter.and("d.contact_id = ?", [Value::Integer(contact.0)]);
        }
        if let Some(campaign) = f.campaign {
            filter.and("d.campaign_id = ?", [Value::Integer(campaign.0)]);
        }
        if f.open_only {
            filter.and("d.closed_at IS NULL", []);
        }
        self.narrow_by_fields(&mut filter, "d", &f.fields)?;

        let search = f
            .search
            .map(|text| self.search_narrowing("d", crate::EntityKind::Deal, text))
            .transpose()?;
        let keyset = Keyset::new(
            "deals",
            "d",
            &crate::store::FieldSort::keys_or(f.by_field, sort_keys(f.sort), f.descending),
            f.descending,
            f.after.map(|a| a.0),
        );
        self.searched_page_of(SELECT, &filter, search, &keyset, f.limit, from_row, |d| {
            d.id.0
        })
    }

    pub(crate) fn delete_deal(&self, id: DealId) -> Result<()> {
        // The lead it came from keeps pointing at nothing rather than blocking the delete.
        self.execute("UPDATE leads SET deal_id = NULL WHERE deal_id = ?1", [id.0])?;
        self.execute("DELETE FROM deals WHERE id = ?1", [id.0])?;
        Ok(())
    }

    /// Moves a deal to `stage`, records the move, and sets or clears `closed_at` and the lost
    /// reason to match the stage.
    pub(crate) fn move_deal(
        &self,
        deal: DealId,
        stage: StageId,
        lost_reason: Option<&str>,
        actor: UserId,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, actor_id, at, created_at, updated_at)
             SELECT id, stage_id, ?2, ?3, ?4, ?4, ?4 FROM deals WHERE id = ?1",
            params![deal.0, stage.0, actor.0, now],
        )?;
        self.execute(
            "UPDATE deals SET stage_id = s.id, probability = s.probability,
                closed_at = CASE WHEN s.is_won = 1 OR s.is_lost = 1 THEN ?3 ELSE NULL END,
                lost_reason = CASE WHEN s.is_lost = 1 THEN ?4 ELSE NULL END,
                updated_at = ?3
             FROM (SELECT id, probability, is_won, is_lost FROM pipeline_stages WHERE id = ?2) AS s
             WHERE deals.id = ?1",
            params![deal.0, stage.0, now, lost_reason],
        )?;
        Ok(())
    }

    /// The first active stage that counts as won (or lost).
    pub(crate) fn closing_stage(&self, won: bool) -> Result<Option<StageId>> {
        let column = if won { "is_won" } else { "is_lost" };
        Ok(self
            .query_row(
                &format!("SELECT id FROM pipeline_stages WHERE {column} = 1 AND active = 1 ORDER BY position LIMIT 1"),
                [],
                |r| r.get(0),
            )
            .optional()?
            .map(StageId))
    }

    /// The first active open stage, where new deals start.
    pub(crate) fn first_open_stage(&self) -> Result<Stage> {
        let sql = format!(
            "{STAGES} WHERE s.active = 1 AND s.is_won = 0 AND s.is_lost = 0 ORDER BY s.position, s.id LIMIT 1"
        );
        Ok(self.query_row(&sql, [], stage_from_row)?)
    }

    pub(crate) fn deal_history(&self, deal: DealId) -> Result<Vec<StageMove>> {
        let mut stmt = self.prepare(
            "SELECT f.name, t.name, u.username, h.at FROM deal_stage_history h
             LEFT JOIN pipeline_stages f ON f.id = h.from_stage_id
             JOIN pipeline_stages t ON t.id = h.to_stage_id
             LEFT JOIN users u ON u.id = h.actor_id
             WHERE h.deal_id = ?1 ORDER BY h.at, h.id",
        )?;
        let rows = stmt.query_map([deal.0], |r| {
            Ok(StageMove {
                from: r.get(0)?,
                to: r.get(1)?,
                by: r.get(2)?,
                at: time_at(r, "at")?,
            })
        })?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// How many deals of `stage` lie in `scope` and the sum of their amounts, from the tallies
    /// (`migrations/0014_deal_tallies.sql`), which keep the owner as deals do.
    pub(crate) fn stage_total(&self, stage: StageId, scope: Scope) -> Result<(i64, i64)> {
        let mut filter = Filter::default();
        filter.and("t.stage_id = ?", [Value::Integer(stage.0)]);
        filter.scope(scope, "t", "owner_id");
        Ok(self.query_row(
            &format!(
                "SELECT ifnull(sum(t.n), 0), ifnull(sum(t.amount), 0) FROM deal_tallies t {}",
                filter.where_sql()
            ),
            params_from_iter(&filter.args),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Count and total of the deals in a stage within `scope`, and the `limit` most valuable.
    pub(crate) fn board_column(
        &self,
        stage: StageId,
        scope: Scope,
        limit: u32,
    ) -> Result<(i64, i64, Vec<Deal>)> {
        let (count, total) = self.stage_total(stage, scope)?;
        let mut filter = Filter::default();
        filter.and("d.stage_id = ?", [Value::Integer(stage.0)]);
        filter.scope(scope, "d", "owner_id");
        let mut args = filter.args.clone();
        args.push(Value::Integer(limit.into()));
        let mut stmt = self.prepare(&format!(
            "{SELECT} {} ORDER BY d.amount DESC, d.id LIMIT ?",
            filter.where_sql()
        ))?;
        let deals = stmt
            .query_map(params_from_iter(&args), from_row)?
            .collect::<super::sql::SqlResult<_>>()?;
        Ok((count, total, deals))
    }

    pub(crate) fn sales_figures(&self, scope: Scope) -> Result<SalesFigures> {
        let mut filter = Filter::default();
        filter.scope(scope, "d", "owner_id");
        let sql = format!(
            "SELECT
                ifnull(sum(CASE WHEN s.is_won = 0 AND s.is_lost = 0 THEN d.amount END), 0),
                ifnull(sum(CASE WHEN s.is_won = 0 AND s.is_lost = 0 THEN d.amount * d.probability / 100 END), 0),
                ifnull(sum(s.is_won), 0), ifnull(sum(s.is_lost), 0),
                ifnull(sum(CASE WHEN s.is_won = 1 THEN d.amount END), 0),
                avg(CASE WHEN s.is_won = 1 THEN julianday(d.closed_at) - julianday(d.created_at) END)
             FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id {}",
            filter.where_sql()
        );
        Ok(self.query_row(&sql, params_from_iter(&filter.args), |r| {
            Ok(SalesFigures {
                open_value: r.get(0)?,
                weighted_forecast: r.get(1)?,
                won: r.get(2)?,
                lost: r.get(3)?,
                won_value: r.get(4)?,
                avg_days_to_close: r.get(5)?,
            })
        })?)
    }

    /// Won revenue per month of closing ("2025-04"), oldest first.
    pub(crate) fn won_by_month(&self, scope: Scope) -> Result<Vec<(String, i64, i64)>> {
        let mut filter = Filter::default();
        filter.and("s.is_won = 1 AND d.closed_at IS NOT NULL", []);
        filter.scope(scope, "d", "owner_id");
        let sql = format!(
            "SELECT substr(d.closed_at, 1, 7) AS month, count(*), sum(d.amount)
             FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id {} GROUP BY month ORDER BY month",
            filter.where_sql()
        );
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(&filter.args), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }
}
