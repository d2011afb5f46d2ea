//! Groups of records that look like the same person (or company), found by `dupes`.

use serde::Serialize;

use crate::model::fixed_set::fixed_set;

fixed_set! {
    /// Why records were put in one group, strongest first.
    MatchReason, "match reason" {
        /// The same email address, compared without case.
        Email => "email",
        /// The same phone number, compared by its digits and a leading +.
        Phone => "phone",
        /// The same name once case, spacing, punctuation and order are set aside
        /// ("Sharma, Aarav" and "aarav  sharma").
        Name => "name",
        /// Names that differ by a typo or two.
        SimilarName => "similar name",
        /// The same web domain (companies).
        Domain => "domain",
    }
}

/// Records that look like one: a score out of 100 for how sure the match is, the reasons, and
/// the members, oldest first (the natural one to keep in a merge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DuplicateGroup {
    pub score: u8,
    pub reasons: Vec<MatchReason>,
    pub members: Vec<DuplicateMember>,
}

/// One record of a duplicate group, with what a user compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DuplicateMember {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    /// A company's web domain (people have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub phone: Option<String>,
    /// A person's company; a company's industry.
    pub company: Option<String>,
}

/// A merge of duplicates into one kept record, as `crm merges list|show` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Merge {
    pub id: crate::MergeId,
    pub kind: crate::EntityKind,
    /// The record that was kept.
    pub keep_id: i64,
    /// The records merged into it and removed.
    pub merged_ids: Vec<i64>,
    /// The kept record's fields that were empty and were filled from the others.
    pub filled: Vec<String>,
    /// How many deals, tickets, tasks, notes and leads were moved to the kept record.
    pub moved_links: usize,
    pub merged_by: Option<String>,
    pub merged_at: chrono::DateTime<chrono::Utc>,
    pub undone_at: Option<chrono::DateTime<chrono::Utc>>,
    /// False once undone, or when a person in it has been erased for privacy.
    pub undoable: bool,
}
