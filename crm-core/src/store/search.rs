//! Queries over the FTS5 `search_index` (kept current by triggers, migration 0004).

use rusqlite::params;

use super::Tx;
use crate::{EntityKind, RecordRef, Result};

/// One raw hit: the record, what matched, and its bm25 rank (lower is better).
pub(crate) struct RawHit {
    pub(crate) record: RecordRef,
    pub(crate) title: String,
    pub(crate) detail: String,
    pub(crate) rank: f64,
}

fn kind_of(rowid: i64) -> (EntityKind, i64) {
    let kind = match rowid.rem_euclid(4) {
        0 => EntityKind::Contact,
        1 => EntityKind::Lead,
        2 => EntityKind::Deal,
        _ => EntityKind::Ticket,
    };
    (kind, rowid.div_euclid(4))
}

impl Tx<'_> {
    /// The best `limit` hits for an FTS5 query, optionally of some kinds only. Title matches
    /// weigh three times as much as detail matches.
    pub(crate) fn search(
        &self,
        fts_query: &str,
        kinds: &[EntityKind],
        limit: u32,
    ) -> Result<Vec<RawHit>> {
        let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let mut stmt = self.prepare_cached(
            "SELECT rowid, title, detail, bm25(search_index, 0.0, 3.0, 1.0) AS rank
             FROM search_index
             WHERE search_index MATCH ?1 AND (?2 = '' OR instr(?2, ',' || kind || ',') > 0)
             ORDER BY rank LIMIT ?3",
        )?;
        let filter = if kinds.is_empty() {
            String::new()
        } else {
            format!(",{},", kinds.join(","))
        };
        let rows = stmt.query_map(params![fts_query, filter, limit], |r| {
            let (kind, id) = kind_of(r.get(0)?);
            Ok(RawHit {
                record: RecordRef::new(kind, id),
                title: r.get(1)?,
                detail: r.get(2)?,
                rank: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
