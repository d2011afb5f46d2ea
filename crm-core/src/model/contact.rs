//! Contacts: the people a business works with.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fixed_set::fixed_set;
use super::{CompanyId, ContactId, UserId};

/// A contact as stored, with its tags and its owner's username.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Contact {
    pub id: ContactId,
    pub first_name: String,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    /// The company the text above (or the email's domain) linked to.
    pub company_id: Option<CompanyId>,
    pub job_title: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
    pub owner_id: Option<UserId>,
    pub owner: Option<String>,
    pub source_lead_id: Option<i64>,
    pub consent_email: bool,
    pub consent_gdpr: bool,
    pub consent_ccpa: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one with every change; `If-Match` and the edit forms compare it.
    pub version: crate::Version,
    /// Custom field values by key (issue 25); left out when the record has none.
    #[serde(default, skip_serializing_if = "super::FieldValues::is_empty")]
    pub fields: super::FieldValues,
}

impl Contact {
    /// "First Last", either name alone, or the email or phone of someone without a name.
    pub fn full_name(&self) -> String {
        person_name(
            &self.first_name,
            self.last_name.as_deref(),
            self.email.as_deref(),
            self.phone.as_deref(),
        )
    }
}

/// "First Last", or the first name alone.
fn full_name(first: &str, last: Option<&str>) -> String {
    match last {
        Some(last) if first.is_empty() => last.to_string(),
        Some(last) => format!("{first} {last}"),
        None => first.to_string(),
    }
}

/// How people are named everywhere in the CRM: "First Last", either name alone, or for someone
/// imported without a name (an audience list's email, a card's phone) the email, else the phone.
/// The SQL that names people in lists of other records is [`crate::store::PERSON_NAME`].
pub(crate) fn person_name(
    first: &str,
    last: Option<&str>,
    email: Option<&str>,
    phone: Option<&str>,
) -> String {
    let name = full_name(first, last);
    if name.is_empty() {
        email.or(phone).unwrap_or_default().to_string()
    } else {
        name
    }
}

/// Input for a new contact, as typed by a user; the service validates every field. As JSON (the
/// server's request body) any field may be left out, as long as a name, an email or a phone
/// says who the contact is, and a field it does not have is refused by name.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewContact {
    pub first_name: String,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
    /// Username of the owner; None makes the acting user the owner.
    pub owner: Option<String>,
    pub consent_email: bool,
    pub consent_gdpr: bool,
    pub consent_ccpa: bool,
    /// Add it even when a contact with the same email or phone exists.
    pub allow_duplicate: bool,
    /// Custom field values by key (`--field key=value`).
    pub fields: super::FieldInput,
}

/// Changes to a contact: `None` leaves a field alone; `Some("")` clears an optional field.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ContactPatch {
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub company: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub job_title: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub location: Option<String>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    /// Username of the new owner; `Some("")` leaves the contact unowned.
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub owner: Option<String>,
    pub consent_email: Option<bool>,
    pub consent_gdpr: Option<bool>,
    pub consent_ccpa: Option<bool>,
    /// The version the change was made against (`If-Match`, an edit form's record): a record
    /// saved since is refused with [`crate::Error::Stale`]. `None` writes over any version.
    #[serde(skip)]
    pub if_version: Option<crate::Version>,
    /// Custom field values to set by key; an empty value clears one.
    pub fields: super::FieldInput,
}

impl ContactPatch {
    /// True when the patch would change nothing.
    pub fn is_empty(&self) -> bool {
        self.first_name.is_none()
            && self.fields.is_empty()
            && self.last_name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.company.is_none()
            && self.job_title.is_none()
            && self.location.is_none()
            && self.add_tags.is_empty()
            && self.remove_tags.is_empty()
            && self.owner.is_none()
            && self.consent_email.is_none()
            && self.consent_gdpr.is_none()
            && self.consent_ccpa.is_none()
    }
}

fixed_set! {
    /// The orders a contact listing can be sorted in.
    ContactSort, "sort" {
        Name => "name",
        Company => "company",
        Email => "email",
        Created => "created",
        Updated => "updated",
        Id => "id",
    }
}

/// Filters, order and page of a contact listing. Serialised as a saved view; a field missing
/// from an older view takes its default.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ContactQuery {
    /// Username of the owner.
    pub owner: Option<String>,
    /// Substring of the company, any case.
    pub company: Option<String>,
    /// Exact tag.
    pub tag: Option<String>,
    /// Words starting words of the name, email, company, job title, phone or custom text and
    /// choice values, any case (as global search matches).
    pub search: Option<String>,
    pub sort: ContactSort,
    /// A custom field's key to sort by instead of `sort`, records without a value last.
    pub sort_field: Option<String>,
    pub descending: bool,
    /// Rows per page (1..=1000).
    pub limit: u32,
    /// Continue after this contact (the previous page's `next_after`).
    pub after: Option<ContactId>,
    /// Conditions on custom fields, all of which a record passes (`--where key=value`).
    pub wheres: Vec<super::FieldCondition>,
}

impl ContactQuery {
    /// This query (a saved view's, say) for one page: see [`LeadQuery::paged`](crate::LeadQuery::paged).
    #[must_use]
    pub fn paged(
        mut self,
        limit: u32,
        after: Option<ContactId>,
        search: Option<String>,
    ) -> ContactQuery {
        self.limit = limit;
        self.after = after;
        self.search = search.or(self.search);
        self
    }
}

impl Default for ContactQuery {
    fn default() -> Self {
        ContactQuery {
            wheres: Vec::new(),
            owner: None,
            company: None,
            tag: None,
            search: None,
            sort: ContactSort::Name,
            sort_field: None,
            descending: false,
            limit: 50,
            after: None,
        }
    }
}
