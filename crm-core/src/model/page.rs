//! One page of a keyset-paged listing.

use serde::Serialize;

/// Rows of one page, and the id to pass as `after` for the next one (None on the last page).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Page<T> {
    /// The rows, in the requested order.
    pub items: Vec<T>,
    /// Pass this as the query's `after` to get the next page.
    pub next_after: Option<i64>,
}
