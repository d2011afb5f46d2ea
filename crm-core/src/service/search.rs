//! Global search across contacts, leads, deals and tickets, ranked, and never showing a record
//! the actor may not read.

use serde::Serialize;

use super::Crm;
use crate::rules::search_query;
use crate::{Actor, EntityKind, RecordRef, Result};

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SearchHit {
    pub record: RecordRef,
    /// Name, deal title or ticket subject.
    pub title: String,
    /// What a person knows the record by besides its title: a person's email, company and
    /// phone as stored; a deal's contact and stage; a ticket's status, priority and description.
    pub detail: String,
    /// bm25 rank: lower is a better match.
    pub rank: f64,
}

/// Matches of each kind ranked per search (the newest, when a word matches more): enough that
/// the best of a common word's matches are among them, few enough to rank in a millisecond.
const CANDIDATES: u32 = 100;

/// Stops the search running on a CRM from another thread: the TUI's popup drops a search
/// the user has typed past. The interrupted search returns an error.
#[derive(Clone)]
pub struct SearchInterrupt(Option<std::sync::Arc<rusqlite::InterruptHandle>>);

impl SearchInterrupt {
    /// Interrupts what runs on the CRM now (SQLite); on PostgreSQL the search runs to its end.
    pub fn interrupt(&self) {
        if let Some(handle) = &self.0 {
            handle.interrupt();
        }
    }
}

impl std::fmt::Debug for SearchInterrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchInterrupt")
    }
}

impl Crm {
    /// What interrupts a search running on this CRM from another thread.
    pub fn search_interrupt(&self) -> SearchInterrupt {
        SearchInterrupt(
            self.store
                .sqlite()
                .map(|conn| std::sync::Arc::new(conn.get_interrupt_handle())),
        )
    }

    /// The best `limit` records matching `text` (prefix match per word; phone numbers with or
    /// without spaces), optionally of some kinds only. Hits the actor may not read are dropped
    /// before the limit is applied.
    pub fn search(
        &self,
        actor: &Actor,
        text: &str,
        kinds: &[EntityKind],
        limit: u32,
    ) -> Result<Vec<SearchHit>> {
        let Some(words) = search_query::words(text) else {
            return Ok(Vec::new());
        };
        let limit = limit.clamp(1, 200);
        self.store.read(|tx| {
            let mut hits = Vec::new();
            // Rank more candidates than asked, since some hits may be filtered out by access.
            let mut per_kind = (limit * 4).max(CANDIDATES);
            loop {
                let (raw, complete) = tx.search(&words, kinds, per_kind)?;
                hits.clear();
                for hit in raw {
                    if Crm::require_readable(tx, actor, hit.record).is_ok() {
                        hits.push(SearchHit {
                            record: hit.record,
                            // A name without a surname is indexed with a space after it.
                            title: hit.title.trim_end().to_string(),
                            detail: hit.detail,
                            rank: hit.rank,
                        });
                        if hits.len() == limit as usize {
                            break;
                        }
                    }
                }
                if hits.len() == limit as usize || complete || per_kind >= 10_000 {
                    for hit in &mut hits {
                        hit.detail = tx.search_detail(hit.record)?.unwrap_or_default();
                    }
                    return Ok(hits);
                }
                per_kind *= 4;
            }
        })
    }
}
