//! Rows of the activity feed: who did what to which record, and when.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fixed_set::fixed_set;

fixed_set! {
    /// The kind of record an activity row speaks of.
    EntityKind, "entity type" {
        User => "user",
        Contact => "contact",
        Campaign => "campaign",
        Lead => "lead",
        Deal => "deal",
        Ticket => "ticket",
        Task => "task",
        Note => "note",
        Stage => "stage",
        Company => "company",
    }
}

/// One line of the activity feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Activity {
    pub id: i64,
    /// Username of the actor; None for the system (migrations, seeds).
    pub actor: Option<String>,
    pub verb: String,
    pub entity: EntityKind,
    pub entity_id: i64,
    pub summary: String,
    pub at: DateTime<Utc>,
}
