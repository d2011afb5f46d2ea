//! Queries over the FTS5 `search_index` (kept current by triggers, migrations 0015 and 0020).

use std::collections::HashSet;

use super::Tx;
use super::sql::{OptionalExtension, Value, params};
use crate::rules::search_query::{self, matches_all, rank};
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
/// A kind's entries whose names, deal titles or ticket subjects match an FTS5 query, newest
/// first: read through `search_titles`, whose ranges bound the walk where a column filter of
/// `search_index` does not (migration 0031).
const FTS_TITLE_MATCH: &str =
    "SELECT s.rowid, coalesce(s.contact_name, s.lead_name, s.deal_title, s.ticket_subject), s.detail
     FROM (SELECT rowid FROM search_titles
           WHERE search_titles MATCH ?1 AND rowid BETWEEN ?2 AND ?3
           ORDER BY rowid DESC LIMIT ?4) t
     JOIN search_index s ON s.rowid = t.rowid
     ORDER BY t.rowid DESC";
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

/// Words up to this long are read through the index's prefix indexes (`prefix = '1 2 3'`).
const PREFIX_INDEXED: usize = 3;
/// At most this many indexed words stand in for a longer prefix.
const EXPANSION: usize = 32;
/// A pass that checks its candidates reads at most this many of them: a bound on the time a
/// search may take, whatever the data (about 30 ms at a million leads).
const SCAN_CAP: u32 = 20_000;

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
/// (migration 0020); every kind's other text is in `detail`. The vocabulary's rows name them.
const TITLE_COLUMNS: [&str; 4] = ["contact_name", "lead_name", "deal_title", "ticket_subject"];

/// The FTS5 query for a search's words, and which kinds' title columns may hold all of them.
struct Plan {
    query: String,
    /// Per kind, in the order of [`KINDS`]: false when the vocabulary shows a word in no title
    /// of that kind, so looking there for title matches would read every match to find none.
    titled: [bool; 4],
    /// Words the query reads through their first letters only (more indexed words start with
    /// them than a query may list): each candidate is checked for them.
    widened: Vec<String>,
}

/// One pass over a kind's entries: a statement (taking the query, the kind's first and last
/// entry and the limit), its query, and the words each candidate must be checked for.
struct Pass {
    sql: &'static str,
    query: String,
    check: Vec<String>,
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
            for pass in &passes[n] {
                let cap = if pass.check.is_empty() {
                    per_kind
                } else {
                    SCAN_CAP.max(per_kind)
                };
                let mut stmt = self.prepare_cached(pass.sql)?;
                let mut rows = stmt.query(params![pass.query, lo, hi, cap])?;
                let (mut read, mut kept) = (0, 0);
                while kept < per_kind {
                    let Some(row) = rows.next()? else { break };
                    read += 1;
                    let (entry, title, detail): (i64, String, String) =
                        (row.get(0)?, row.get(1)?, row.get(2)?);
                    if !matches_all(&pass.check, &title, &detail) {
                        continue;
                    }
                    kept += 1;
                    if seen.insert(entry) {
                        hits.push(RawHit {
                            record: RecordRef::new(kind, entry - lo),
                            rank: rank(words, &title, &detail),
                            title,
                            detail,
                        });
                    }
                }
                if kept < per_kind && read < cap {
                    // Every match of this kind was read.
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
    fn passes(&self, words: &[String]) -> Result<[Vec<Pass>; 4]> {
        let pass = |sql, query: &String, check: &Vec<String>| Pass {
            sql,
            query: query.clone(),
            check: check.clone(),
        };
        if self.conn().is_postgres() {
            let query = tsquery(words);
            return Ok(std::array::from_fn(|_| {
                vec![
                    pass(POSTGRES_WORDS, &query, &Vec::new()),
                    pass(POSTGRES_TITLE_WORDS, &query, &Vec::new()),
                ]
            }));
        }
        let plan = self.plan(words, EXPANSION)?;
        Ok(std::array::from_fn(|n| {
            let mut passes = vec![pass(FTS_MATCH, &plan.query, &plan.widened)];
            if plan.titled[n] {
                passes.push(pass(FTS_TITLE_MATCH, &plan.query, &plan.widened));
            }
            passes
        }))
    }

    /// The FTS5 query for `words`, each a prefix, all required. A prefix longer than the prefix
    /// indexes makes FTS5 merge the lists of every word it matches in memory before the first
    /// row, whatever the LIMIT: 36 ms for "quantum" at a million leads, once per kind and
    /// pass, and 600 ms for a phone's first digits, which start a million words. Such a word
    /// becomes the index's own words that start with it (from its vocabulary) as exact terms
    /// joined by OR, which FTS5 reads lazily and stops at the LIMIT. A word that starts more
    /// words than a query may list is read through its first three letters (an indexed
    /// prefix) and the candidates are checked for the whole word ([`Plan::widened`]); a word
    /// that starts none stays a prefix. The same vocabulary rows say in which columns those
    /// words are, so which kinds have them in a title.
    ///
    /// `merge_up_to`: a word that starts more than [`EXPANSION`] indexed words but at most this
    /// many stays a prefix for FTS5 to merge (exact, and fast enough for a listing, which
    /// needs every match); only a word starting more is widened.
    fn plan(&self, words: &[String], merge_up_to: usize) -> Result<Plan> {
        let mut stmt = self.prepare_cached(
            "SELECT term, col FROM temp.search_terms WHERE term >= ?1 AND term < ?2",
        )?;
        let mut parts = Vec::with_capacity(words.len());
        let mut titled = [true; 4];
        let mut widened = Vec::new();
        for word in words {
            let prefix = format!("{}*", quoted(word));
            if word.chars().count() <= PREFIX_INDEXED {
                parts.push(prefix);
                continue;
            }
            let mut terms = Vec::new();
            let mut in_titles = [false; 4];
            let (mut distinct, mut last) = (0, String::new());
            let mut rows = stmt.query(params![word, format!("{word}\u{10FFFF}")])?;
            while let Some(row) = rows.next()? {
                let term: String = row.get(0)?;
                let column: String = row.get(1)?;
                // The vocabulary lists a term once per column, in term order.
                if term != last {
                    distinct += 1;
                    if distinct > merge_up_to.max(EXPANSION) {
                        break;
                    }
                    last.clone_from(&term);
                }
                if distinct <= EXPANSION {
                    if !terms.contains(&term) {
                        terms.push(term);
                    }
                    if let Some(n) = TITLE_COLUMNS.iter().position(|c| *c == column) {
                        in_titles[n] = true;
                    }
                }
            }
            if distinct > EXPANSION && distinct <= merge_up_to {
                // Any title may hold one of its words.
                parts.push(prefix);
                continue;
            }
            if distinct > EXPANSION {
                // Any title may hold one of its words.
                let first: String = word.chars().take(PREFIX_INDEXED).collect();
                parts.push(format!("{}*", quoted(&first)));
                widened.push(word.clone());
                continue;
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
        // A person's name is not looked in for a number: the digits of a phone start a million
        // words of the details and none of the names, so that pass would read them all.
        if words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit())) {
            titled[0] = false;
            titled[1] = false;
        }
        Ok(Plan {
            query: parts.join(" AND "),
            titled,
            widened,
        })
    }
}

/// The SQL function `crm_words_match(words, title, detail)`: true when each of the
/// space-separated `words` starts a word of the title or the detail, as the index matches
/// ([`matches_all`]). A listing's search checks the entry of each row it reads with it; asking
/// FTS5 the same of one row (`MATCH … AND rowid = ?`) sets up the query's iterators each time,
/// 60 µs a row for "s" at a million leads.
pub(crate) fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "crm_words_match",
        3,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let words: String = ctx.get(0)?;
            let title: Option<String> = ctx.get(1)?;
            let detail: Option<String> = ctx.get(2)?;
            let words: Vec<String> = words.split(' ').map(str::to_string).collect();
            Ok(matches_all(
                &words,
                title.as_deref().unwrap_or_default(),
                detail.as_deref().unwrap_or_default(),
            ))
        },
    )
}

/// A listing's search narrows to its kind's matches through the index: when at most this many
/// entries match, their ids are read from the index and the page's rows fetched by id and
/// sorted; when more, see [`Narrowing::Many`].
const FEW_MATCHES: i64 = 6_000;
/// A listing's search word that starts at most this many indexed words is left to FTS5 to
/// merge (see [`Tx::plan`]); one that starts more matches one row in a few hundred at least.
const MERGED_IN_LISTINGS: usize = 5_000;

/// An entry `s` holds every word of the bound space-separated list ([`register_functions`]).
const CHECKED: &str = "crm_words_match(?, coalesce(s.contact_name, s.lead_name, s.deal_title,
                                     s.ticket_subject), s.detail)";

/// How a listing's search narrows its rows ([`Tx::search_narrowing`]).
pub(super) enum Narrowing {
    /// Few records match: their ids are read from the index.
    Few(Clause),
    /// Many match: the listing reads its rows in its own order and checks each one's entry
    /// (`walk`), which finds a page at once unless the matches lie far down that order; after
    /// a budget of work the matches are collected from the index instead (`collect`).
    Many { walk: Clause, collect: Clause },
}

/// A condition of a WHERE clause with its bound values.
pub(super) struct Clause {
    pub(super) sql: String,
    pub(super) values: Vec<Value>,
}

impl Tx<'_> {
    /// How a listing of `kind` (table alias `alias`) narrows to the records whose search entry
    /// holds every word of `text` as the start of a word, as global search matches: a seek
    /// through the index instead of reading every row for a substring.
    pub(super) fn search_narrowing(
        &self,
        alias: &str,
        kind: EntityKind,
        text: &str,
    ) -> Result<Narrowing> {
        let Some(words) = search_query::words(text) else {
            // Nothing searchable (punctuation only): nothing matches.
            return Ok(Narrowing::Few(Clause {
                sql: "1 = 0".into(),
                values: Vec::new(),
            }));
        };
        let n = KINDS.iter().position(|k| *k == kind).unwrap_or_default();
        let (first, last) = range_of(kind_number(n));
        if self.conn().is_postgres() {
            // The words' GIN index finds the entries; PostgreSQL plans the rest.
            return Ok(Narrowing::Few(Clause {
                sql: format!(
                    "EXISTS (SELECT 1 FROM search_index s
                     WHERE s.entry = {alias}.id + {first}
                       AND s.words @@ CAST(CAST(? AS TEXT) AS tsquery))"
                ),
                values: vec![Value::Text(tsquery(&words))],
            }));
        }
        if let Some(narrowing) = self.phone_narrowing(alias, kind, text, &words)? {
            return Ok(narrowing);
        }
        let plan = self.plan(&words, MERGED_IN_LISTINGS)?;
        let mut matching = "search_index MATCH ? AND s.rowid BETWEEN ? AND ?".to_string();
        let mut values = vec![
            Value::Text(plan.query),
            Value::Integer(first),
            Value::Integer(last),
        ];
        if !plan.widened.is_empty() {
            matching.push_str(" AND ");
            matching.push_str(CHECKED);
            values.push(Value::Text(plan.widened.join(" ")));
        }
        let collect = Clause {
            sql: format!(
                "{alias}.id IN (SELECT s.rowid - {first} FROM search_index s WHERE {matching})"
            ),
            values: values.clone(),
        };
        // A scalar subquery, which SQLite never turns into a join: as EXISTS it was made one,
        // driven by a scan of the whole index (3 s for "v1" at a million leads).
        let walk = Clause {
            sql: format!(
                "(SELECT {CHECKED} FROM search_index s WHERE s.rowid = {alias}.id + {first}) = 1"
            ),
            values: vec![Value::Text(words.join(" "))],
        };
        self.by_count(
            &format!("search_index s WHERE {matching}"),
            &values,
            collect,
            walk,
        )
    }

    /// [`Narrowing::Few`] by `collect` when the rows of `rows` (a table and its condition,
    /// taking `values`) are at most [`FEW_MATCHES`], else [`Narrowing::Many`]: counted up to
    /// one more, never all.
    pub(super) fn by_count(
        &self,
        rows: &str,
        values: &[Value],
        collect: Clause,
        walk: Clause,
    ) -> Result<Narrowing> {
        let counted: Vec<Value> = values
            .iter()
            .cloned()
            .chain([Value::Integer(FEW_MATCHES + 1)])
            .collect();
        let found: i64 = self.query_row(
            &format!("SELECT count(*) FROM (SELECT 1 FROM {rows} LIMIT ?) counted"),
            super::sql::params_from_iter(&counted),
            |r| r.get(0),
        )?;
        Ok(if found <= FEW_MATCHES {
            Narrowing::Few(collect)
        } else {
            Narrowing::Many { walk, collect }
        })
    }
}

impl Tx<'_> {
    /// A listing of people searched for the start of an international number ("+91 98"):
    /// the phones' own index (`phone_key`, migration 0009) holds exactly those, in order,
    /// where the search index has one word per phone and a prefix of the country code starts
    /// all of them.
    fn phone_narrowing(
        &self,
        alias: &str,
        kind: EntityKind,
        text: &str,
        words: &[String],
    ) -> Result<Option<Narrowing>> {
        let table = match kind {
            EntityKind::Contact => "contacts",
            EntityKind::Lead => "leads",
            _ => return Ok(None),
        };
        let [digits] = words else { return Ok(None) };
        if !text.trim_start().starts_with('+') || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        // Every key from "+9198" up to, not including, "+9198:" (':' follows '9'), and the same
        // digits without the '+', which a phone stored without one has in its key.
        let bounds: Vec<Value> = [
            format!("+{digits}"),
            format!("+{digits}:"),
            digits.clone(),
            format!("{digits}:"),
        ]
        .into_iter()
        .map(Value::Text)
        .collect();
        let ranges =
            |key: &str| format!("(({key} >= ? AND {key} < ?) OR ({key} >= ? AND {key} < ?))");
        let collect = Clause {
            sql: ranges(&format!("{alias}.phone_key")),
            values: bounds.clone(),
        };
        // Checked on each row read in the listing's order, not a way to read them.
        let walk = Clause {
            sql: ranges(&format!("+{alias}.phone_key")),
            values: bounds.clone(),
        };
        let rows = format!("{table} WHERE {}", ranges("phone_key"));
        self.by_count(&rows, &bounds, collect, walk).map(Some)
    }
}

/// What a hit of each kind shows beside its title, as a person knows the record: a person's
/// email, company and phone as stored (the index's detail holds the phone's digits too, in
/// two more spellings); a deal's contact and stage; a ticket's status and description.
const DETAIL: [&str; 4] = [
    "SELECT concat_ws(' · ', email, company, phone) FROM contacts WHERE id = ?1",
    "SELECT concat_ws(' · ', email, company, phone) FROM leads WHERE id = ?1",
    concat!(
        "SELECT concat_ws(' · ', (SELECT ",
        person_name!("c"),
        " FROM contacts c WHERE c.id = d.contact_id),
            (SELECT s.name FROM pipeline_stages s WHERE s.id = d.stage_id))
         FROM deals d WHERE d.id = ?1"
    ),
    "SELECT concat_ws(' · ', status, priority, substr(description, 1, 200))
     FROM tickets WHERE id = ?1",
];

impl Tx<'_> {
    /// The detail a hit on `record` shows ([`DETAIL`]), or None when the record is gone.
    pub(crate) fn search_detail(&self, record: RecordRef) -> Result<Option<String>> {
        let Some(n) = KINDS.iter().position(|k| *k == record.kind) else {
            return Ok(None);
        };
        Ok(self
            .prepare_cached(DETAIL[n])?
            .query_row([record.id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
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
