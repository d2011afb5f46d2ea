//! Queries over the FTS5 `search_index` (kept current by triggers, migrations 0015 and 0020).

use std::collections::HashSet;

use super::sql::params;

use super::Tx;
use crate::rules::search_query::rank;
use crate::{EntityKind, RecordRef, Result};

/// An FTS5 string literal: quoted, with any quote inside doubled, so a word is always one
/// term and never syntax (quotes, NEAR, column filters).
fn quoted(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// The index's vocabulary, one row per word and column: a temporary table, made once when the
/// store opens its connection. Making it (`IF NOT EXISTS`) in every search cost a fifth of a
/// search at a million leads in SQLite's parser (perf), 2 ms of "aditi pat".
pub(crate) const SEARCH_TERMS: &str = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms
    USING fts5vocab(main, 'search_index', 'col')";

/// A kind's entries matching an FTS5 query, newest first.
const FTS_MATCH: &str =
    "SELECT rowid, coalesce(contact_name, lead_name, deal_title, ticket_subject), detail
     FROM search_index
     WHERE search_index MATCH ?1 AND rowid BETWEEN ?2 AND ?3
     ORDER BY rowid DESC LIMIT ?4";
/// A kind's entries whose words match a `tsquery`, newest first (PostgreSQL).
const POSTGRES_WORDS: &str =
    "SELECT entry, coalesce(contact_name, lead_name, deal_title, ticket_subject), detail
     FROM search_index
     WHERE words @@ CAST(CAST(?1 AS TEXT) AS tsquery) AND entry BETWEEN ?2 AND ?3
     ORDER BY entry DESC LIMIT ?4";
/// As [`POSTGRES_WORDS`], in the entries' titles only.
const POSTGRES_TITLE_WORDS: &str =
    "SELECT entry, coalesce(contact_name, lead_name, deal_title, ticket_subject), detail
     FROM search_index
     WHERE title_words @@ CAST(CAST(?1 AS TEXT) AS tsquery) AND entry BETWEEN ?2 AND ?3
     ORDER BY entry DESC LIMIT ?4";

/// Words up to this long are read through the index's prefix indexes (`prefix = '2 3'`).
const PREFIX_INDEXED: usize = 3;
/// At most this many indexed words stand in for a longer prefix.
const EXPANSION: usize = 32;

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
/// The index's column holding each kind's names, titles or subjects, in the order of [`KINDS`]
/// (migration 0020); every kind's other text is in `detail`.
const TITLE_COLUMNS: [&str; 4] = ["contact_name", "lead_name", "deal_title", "ticket_subject"];

/// The FTS5 query for a search's words, and which kinds' title columns may hold all of them.
struct Plan {
    query: String,
    /// Per kind, in the order of [`KINDS`]: false when the vocabulary shows a word in no title
    /// of that kind, so looking there for title matches would read every match to find none.
    titled: [bool; 4],
}

/// The table of each searched kind, in the order of [`KINDS`].
pub(super) const KIND_TABLES: [&str; 4] = ["contacts", "leads", "deals", "tickets"];

/// The `k` of the rowids of the kind at `index` in [`KINDS`].
pub(super) fn kind_number(index: usize) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX - 1) + 1
}

/// The rowids of the kind whose `k` this is.
fn range_of(k: i64) -> (i64, i64) {
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
        let passes = self.passes(words)?;
        let mut hits = Vec::new();
        let mut seen = HashSet::new();
        let mut complete = true;
        for (n, kind) in KINDS.into_iter().enumerate() {
            if !kinds.is_empty() && !kinds.contains(&kind) {
                continue;
            }
            let (lo, hi) = range_of(kind_number(n));
            for (sql, query) in &passes[n] {
                let mut stmt = self.prepare_cached(sql)?;
                let rows = stmt.query_map(params![query, lo, hi, per_kind], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?))
                })?;
                let mut read = 0;
                for row in rows {
                    let (entry, title, detail): (i64, String, String) = row?;
                    read += 1;
                    if seen.insert(entry) {
                        hits.push(RawHit {
                            record: RecordRef::new(kind, entry - lo),
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

    /// Each kind's passes over its entries, newest first, as a statement (taking the query, the
    /// kind's first and last entry and the limit) and its query. Every match first; only when
    /// there are more than `per_kind` may older title matches have been left out, and a second
    /// pass reads the newest of those, unless no title of this kind holds the words. SQLite
    /// asks its FTS5 index with an FTS5 query ([`Tx::plan`]); PostgreSQL asks its entries'
    /// words (GIN indexes) with a `tsquery` of prefixes.
    fn passes(&self, words: &[String]) -> Result<[Vec<(&'static str, String)>; 4]> {
        if self.conn().is_postgres() {
            let query = tsquery(words);
            return Ok(std::array::from_fn(|_| {
                vec![
                    (POSTGRES_WORDS, query.clone()),
                    (POSTGRES_TITLE_WORDS, query.clone()),
                ]
            }));
        }
        let plan = self.plan(words)?;
        Ok(std::array::from_fn(|n| {
            let mut passes = vec![(FTS_MATCH, plan.query.clone())];
            if plan.titled[n] {
                let in_titles = format!("{{{}}} : ({})", TITLE_COLUMNS[n], plan.query);
                passes.push((FTS_MATCH, in_titles));
            }
            passes
        }))
    }

    /// The FTS5 query for `words`, each a prefix, all required. A prefix longer than the prefix
    /// indexes makes FTS5 merge the lists of every word it matches in memory before the first
    /// row, whatever the LIMIT: 36 ms for "quantum" at a million leads, once per kind and
    /// pass. Such a word becomes the index's own words that start with it (from its vocabulary)
    /// as exact terms joined by OR, which FTS5 reads lazily and stops at the LIMIT; a prefix
    /// with none or very many words stays a prefix. The same vocabulary rows say in which
    /// columns those words are, so which kinds have them in a title.
    fn plan(&self, words: &[String]) -> Result<Plan> {
        let mut stmt = self.prepare_cached(
            "SELECT term, col FROM temp.search_terms WHERE term >= ?1 AND term < ?2",
        )?;
        let mut parts = Vec::with_capacity(words.len());
        let mut titled = [true; 4];
        for word in words {
            let prefix = format!("{}*", quoted(word));
            if word.chars().count() <= PREFIX_INDEXED {
                parts.push(prefix);
                continue;
            }
            let mut terms = Vec::new();
            let mut in_titles = [false; 4];
            let mut rows = stmt.query(params![word, format!("{word}\u{10FFFF}")])?;
            while let Some(row) = rows.next()? {
                let term: String = row.get(0)?;
                let column: String = row.get(1)?;
                if !terms.contains(&term) {
                    if terms.len() == EXPANSION {
                        // Too many words to list: stays a prefix, and any title may hold it.
                        terms.clear();
                        in_titles = [true; 4];
                        break;
                    }
                    terms.push(term);
                }
                if let Some(n) = TITLE_COLUMNS.iter().position(|c| *c == column) {
                    in_titles[n] = true;
                }
            }
            if terms.is_empty() {
                parts.push(prefix);
            } else {
                let any: Vec<String> = terms.iter().map(|t| quoted(t)).collect();
                parts.push(format!("({})", any.join(" OR ")));
            }
            for (all, this) in titled.iter_mut().zip(in_titles) {
                *all &= this;
            }
        }
        Ok(Plan {
            query: parts.join(" AND "),
            titled,
        })
    }
}

/// A `tsquery` of the words, each a quoted prefix and all required: a word's quotes and
/// backslashes are escaped, so it is always one lexeme and never syntax.
fn tsquery(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("'{}':*", w.replace('\\', "\\\\").replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::search_query;
    use proptest::prelude::*;

    /// The query made of a text when no word is expanded: each word a quoted prefix.
    fn fts_query(text: &str) -> Option<String> {
        search_query::words(text).map(|w| {
            w.iter()
                .map(|w| format!("{}*", quoted(w)))
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    #[test]
    fn words_become_prefix_terms() {
        assert_eq!(fts_query("sha").as_deref(), Some("\"sha\"*"));
        assert_eq!(
            fts_query("Aarav Sharma").as_deref(),
            Some("\"aarav\"* \"sharma\"*")
        );
        assert_eq!(
            fts_query("\" OR NEAR(").as_deref(),
            Some("\"or\"* \"near\"*")
        );
        assert_eq!(
            fts_query("+91 98765 43120").as_deref(),
            Some("\"919876543120\"*")
        );
    }

    proptest! {
        #[test]
        fn no_input_escapes_its_quotes(s in any::<String>()) {
            if let Some(q) = fts_query(&s) {
                // Every term is "…"* with no quote inside.
                for term in q.split(' ') {
                    prop_assert!(term.starts_with('"') && term.ends_with("\"*"));
                    prop_assert!(!term[1..term.len() - 2].contains('"'));
                }
            }
        }

        /// Words read from the index's vocabulary are quoted too: a quote inside is doubled,
        /// which FTS5 reads as the character, never as the end of the string.
        #[test]
        fn any_word_quotes_as_one_string(s in any::<String>()) {
            let q = quoted(&s);
            let inner = &q[1..q.len() - 1];
            prop_assert!(q.starts_with('"') && q.ends_with('"'));
            prop_assert!(!inner.replace("\"\"", "").contains('"'));
        }
    }

    /// The kinds, their tables and their rowid numbers are three lists kept in one order.
    #[test]
    fn each_kind_has_its_own_table_and_rowid_range() {
        for (i, kind) in KINDS.iter().enumerate() {
            assert_eq!(KIND_TABLES[i], format!("{kind}s"));
            assert_eq!(kind_number(i), i64::try_from(i).unwrap() + 1);
        }
        let ranges: Vec<_> = (0..KINDS.len()).map(|i| range_of(kind_number(i))).collect();
        assert!(ranges.windows(2).all(|w| w[0].1 < w[1].0), "{ranges:?}");
    }
}
