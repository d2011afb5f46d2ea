//! Aggregate queries behind the reports.

use super::{Tx, enum_at};
use crate::{LeadSource, LeadStage, Result};

impl Tx<'_> {
    /// Leads per stage, every stage listed (zeros included), in funnel order.
    pub(crate) fn lead_counts_by_stage(&self) -> Result<Vec<(LeadStage, i64)>> {
        let mut stmt = self.prepare("SELECT stage, count(*) FROM leads GROUP BY stage")?;
        let counted: Vec<(LeadStage, i64)> = stmt
            .query_map([], |r| Ok((enum_at(r, "stage")?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
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
            "SELECT source, count(*) AS n FROM leads GROUP BY source ORDER BY n DESC, source",
        )?;
        let rows = stmt.query_map([], |r| Ok((enum_at(r, "source")?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
