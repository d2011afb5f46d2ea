//! Queries over the FTS5 `search_index` (kept current by triggers, migrations 0004 and 0015).

use std::collections::HashSet;

use rusqlite::params;

use super::Tx;
use crate::rules::search_query::{quoted, rank};
use crate::{EntityKind, RecordRef, Result};

/// The index's vocabulary, one row per word: a temporary table, made once when the store opens
/// its connection. Making it (`IF NOT EXISTS`) in every search cost a fifth of a search at a
/// million leads in SQLite's parser (perf), 2 ms of "aditi pat".
pub(crate) const SEARCH_TERMS: &str = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms
    USING fts5vocab(main, 'search_index', 'row')";

/// Words up to this long are read through the index's prefix indexes (`prefix = '2 3'`).
const PREFIX_INDEXED: usize = 3;
/// At most this many indexed words stand in for a longer prefix.
const EXPANSION: u32 = 32;

/// One raw hit: the record, what matched, and its rank (lower is better, `rules::search_query::rank`).
pub(crate) struct RawHit {
    pub(crate) record: RecordRef,
    pub(crate) title: String,
    pub(crate) detail: String,
    pub(crate) rank: f64,
}

/// A record's rowid is `id + k * 2^40`: each kind is one contiguous range (migration 0015).
pub(super) const KIND_SHIFT: u32 = 40;
/// The searched kinds in the order of their `k`, 1 to 4.
pub(super) const KINDS: [EntityKind; 4] = [
    EntityKind::Contact,
    EntityKind::Lead,
    EntityKind::Deal,
    EntityKind::Ticket,
];

/// The `k` of a kind's rowids.
pub(super) fn kind_number(kind: EntityKind) -> i64 {
    KINDS
        .iter()
        .zip(1..)
        .find_map(|(&k, n)| (k == kind).then_some(n))
        .unwrap_or_else(|| unreachable!("{kind} records are not in the search index"))
}

fn range_of(kind: EntityKind) -> (i64, i64) {
    let k = kind_number(kind);
    (k << KIND_SHIFT, ((k + 1) << KIND_SHIFT) - 1)
}

impl Tx<'_> {
    /// The best hits for the words, optionally of some kinds only, best first (see
    /// `search_query::rank`).
    ///
    /// Each kind's matches are read newest first and at most `per_kind` of them are ranked, so
    /// one search never ranks every match of a common word (a million leads hold 70,000 that
    /// start with "sha"). A kind with fewer matches is ranked in full; a kind with more also
    /// has its newest `per_kind` title matches (names, deal titles, ticket subjects) read, so a
    /// name is not lost under newer matches of a company or an email. The flag says whether
    /// every match was ranked.
    pub(crate) fn search(
        &self,
        words: &[String],
        kinds: &[EntityKind],
        per_kind: u32,
    ) -> Result<(Vec<RawHit>, bool)> {
        let fts_query = self.fts_query(words)?;
        let fts_query = fts_query.as_str();
        let mut stmt = self.prepare_cached(
            "SELECT rowid, title, detail
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
            // Every match first; only when there are more than `per_kind` may older title
            // matches have been left out, and a second pass reads the newest of those.
            for query in [fts_query, in_titles.as_str()] {
                let rows = stmt.query_map(params![query, lo, hi, per_kind], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?))
                })?;
                let mut read = 0;
                for row in rows {
                    let (rowid, title, detail): (i64, String, String) = row?;
                    read += 1;
                    if seen.insert(rowid) {
                        hits.push(RawHit {
                            record: RecordRef::new(kind, rowid - lo),
                            rank: rank(words, &title, &detail),
                            title,
                            detail,
                        });
                    }
                }
                if read < per_kind {
                    break;
                }
                complete = false;
            }
        }
        // A stable sort: among equal ranks, newest first, as read.
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        Ok((hits, complete))
    }

    /// The FTS5 query for `words`, each a prefix, all required. A prefix longer than the prefix
    /// indexes makes FTS5 merge the lists of every word it matches in memory before the first
    /// row, whatever the LIMIT: 36 ms for "quantum" at a million leads, once per kind and
    /// pass. Such a word becomes the index's own words that start with it (from its vocabulary)
    /// as exact terms joined by OR, which FTS5 reads lazily and stops at the LIMIT; a prefix
    /// with none or very many words stays a prefix.
    fn fts_query(&self, words: &[String]) -> Result<String> {
        let mut stmt = self.prepare_cached(
            "SELECT term FROM temp.search_terms WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3",
        )?;
        let mut parts = Vec::with_capacity(words.len());
        for word in words {
            let prefix = format!("{}*", quoted(word));
            if word.chars().count() <= PREFIX_INDEXED {
                parts.push(prefix);
                continue;
            }
            let terms = stmt
                .query_map(
                    params![word, format!("{word}\u{10FFFF}"), EXPANSION + 1],
                    |r| r.get::<_, String>(0),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if terms.is_empty() || terms.len() > EXPANSION as usize {
                parts.push(prefix);
            } else {
                let any: Vec<String> = terms.iter().map(|t| quoted(t)).collect();
                parts.push(format!("({})", any.join(" OR ")));
            }
        }
        Ok(parts.join(" AND "))
    }
}
