//! Saved views: a user's named filters and sort for a list.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fixed_set::fixed_set;

fixed_set! {
    /// The lists a view can be saved for.
    ViewKind, "view kind" {
        Leads => "leads",
        Contacts => "contacts",
    }
}

/// A saved view as `crm views list` shows it; `filters` is the list's query as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SavedView {
    pub kind: ViewKind,
    pub name: String,
    pub filters: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
