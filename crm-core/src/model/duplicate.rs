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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateGroup {
    pub score: u8,
    pub reasons: Vec<MatchReason>,
    pub members: Vec<DuplicateMember>,
}

/// One record of a duplicate group, with what a user compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateMember {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
}
