//! Queries over the FTS5 `search_index` (kept current by triggers, migrations 0004 and 0015).

use std::collections::HashSet;

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

/// A record's rowid is `id + k * 2^40`: each kind is one contiguous range (migration 0015).
const KIND_SHIFT: u32 = 40;
const KINDS: [EntityKind; 4] = [
    EntityKind::Contact,
    EntityKind::Lead,
    EntityKind::Deal,
    EntityKind::Ticket,
];

fn range_of(kind: EntityKind) -> (i64, i64) {
    let k: i64 = match kind {
        EntityKind::Contact => 1,
        EntityKind::Lead => 2,
        EntityKind::Deal => 3,
        EntityKind::Ticket => 4,
        other => unreachable!("{other} records are not in the search index"),
    };
    (k << KIND_SHIFT, ((k + 1) << KIND_SHIFT) - 1)
}

impl Tx<'_> {
    /// The best hits for an FTS5 query, optionally of some kinds only, best first. Title
    /// matches weigh three times as much as detail matches.
    ///
    /// Each kind's matches are read newest first and at most `per_kind` of them are ranked, so
    /// one search never ranks every match of a common word (a million leads hold 70,000 that
    /// start with "sha"): the newest `per_kind` matches in titles (names, deal titles, ticket
    /// subjects), then the newest in any column. A kind with fewer matches is ranked in full.
    /// Ranks of all kinds come from one index and compare. The flag says whether every match
    /// was ranked.
    pub(crate) fn search(
        &self,
        fts_query: &str,
        kinds: &[EntityKind],
        per_kind: u32,
    ) -> Result<(Vec<RawHit>, bool)> {
        let mut stmt = self.prepare_cached(
            "SELECT rowid, title, detail, bm25(search_index, 0.0, 3.0, 1.0)
             FROM search_index
             WHERE search_index MATCH ?1 AND rowid BETWEEN ?2 AND ?3
             ORDER BY rowid DESC LIMIT ?4",
        )?;
        let in_titles = format!("{{title}} : ({fts_query})");
        let mut hits = Vec::new();
        let mut seen = HashSet::new();
        let mut complete = true;
        for kind in KINDS {
            if !kinds.is_empty() && !kinds.contains(&kind) {
                continue;
            }
            let (lo, hi) = range_of(kind);
            for query in [in_titles.as_str(), fts_query] {
                let rows = stmt.query_map(params![query, lo, hi, per_kind], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        RawHit {
                            record: RecordRef::new(kind, r.get::<_, i64>(0)? - lo),
                            title: r.get(1)?,
                            detail: r.get(2)?,
                            rank: r.get(3)?,
                        },
                    ))
                })?;
                let mut read = 0;
                for row in rows {
                    let (rowid, hit) = row?;
                    read += 1;
                    if seen.insert(rowid) {
                        hits.push(hit);
                    }
                }
                complete &= read < per_kind;
            }
        }
        // A stable sort: among equal ranks, titles first and newest first, as read.
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        Ok((hits, complete))
    }
}
