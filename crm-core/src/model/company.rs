//! Companies (accounts): the organisations contacts work for and deals are won from.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fixed_set::fixed_set;
use super::{CompanyId, ContactId, Currency, DealId, LeadId, TicketId, UserId};

fixed_set! {
    /// Head count, in the bands sales teams usually segment by.
    CompanySize, "size" {
        Micro => "1-10",
        Small => "11-50",
        Medium => "51-200",
        Large => "201-500",
        Big => "501-1000",
        Enterprise => "1000+",
    }
}

/// A company as stored, with its owner's username and how many records link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub size: Option<CompanySize>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub owner_id: Option<UserId>,
    pub owner: Option<String>,
    /// Contacts linked to the company (all of them, whoever owns them).
    pub contacts: i64,
    /// Leads linked to the company.
    pub leads: i64,
    /// Deals linked to the company.
    pub deals: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one with every change; `If-Match` and the edit forms compare it.
    pub version: crate::Version,
    /// Custom field values by key (issue 25); left out when the record has none.
    #[serde(default, skip_serializing_if = "super::FieldValues::is_empty")]
    pub fields: super::FieldValues,
}

/// Input for a new company, as typed; the service validates every field. As JSON (the server's
/// request body) every field but `name` may be left out; an unknown field is refused by name.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewCompany {
    pub name: String,
    /// Web domain, as typed (`https://www.acme.com/` is stored as `acme.com`).
    pub domain: Option<String>,
    pub industry: Option<String>,
    /// Head-count band, e.g. `11-50`.
    pub size: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Username of the owner; None makes the acting user the owner.
    pub owner: Option<String>,
    /// Add it even when a company with the same name or domain exists.
    pub allow_duplicate: bool,
    /// Custom field values by key (`--field key=value`).
    pub fields: super::FieldInput,
}

/// Changes to a company: `None` leaves a field alone; `Some("")` clears an optional field.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CompanyPatch {
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub domain: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub industry: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub size: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub address: Option<String>,
    /// Username of the new owner; `Some("")` leaves it unowned.
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub owner: Option<String>,
    /// The version the change was made against (`If-Match`, an edit form's record): a record
    /// saved since is refused with [`crate::Error::Stale`]. `None` writes over any version.
    #[serde(skip)]
    pub if_version: Option<crate::Version>,
    /// Custom field values to set by key; an empty value clears one.
    pub fields: super::FieldInput,
}

fixed_set! {
    /// Orders of a company listing.
    CompanySort, "sort" {
        Name => "name",
        Domain => "domain",
        Industry => "industry",
        Created => "created",
        Id => "id",
    }
}

/// Filters and order of `crm companies list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyQuery {
    /// Substring of name or domain, any case.
    pub search: Option<String>,
    /// Substring of the industry, any case.
    pub industry: Option<String>,
    /// Username of the owner.
    pub owner: Option<String>,
    pub sort: CompanySort,
    /// A custom field's key to sort by instead of `sort`, records without a value last.
    pub sort_field: Option<String>,
    pub descending: bool,
    /// Rows per page (1..=1000).
    pub limit: u32,
    /// Continue after this company (the previous page's `next_after`).
    pub after: Option<CompanyId>,
    /// Conditions on custom fields, all of which a record passes (`--where key=value`).
    pub wheres: Vec<super::FieldCondition>,
}

impl Default for CompanyQuery {
    fn default() -> Self {
        CompanyQuery {
            wheres: Vec::new(),
            search: None,
            industry: None,
            owner: None,
            sort: CompanySort::Name,
            sort_field: None,
            descending: false,
            limit: 50,
            after: None,
        }
    }
}

/// A contact as listed on its company's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CompanyContact {
    pub id: ContactId,
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub owner: Option<String>,
}

/// A lead as listed on its company's page (converted leads live on as contacts and are left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CompanyLead {
    pub id: LeadId,
    pub name: String,
    pub stage: String,
    pub score: u8,
    pub owner: Option<String>,
}

/// An open deal as listed on its company's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CompanyDeal {
    pub id: DealId,
    pub title: String,
    pub stage: String,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub amount: i64,
    pub currency: Currency,
    pub owner: Option<String>,
}

/// A ticket raised by one of the company's contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CompanyTicket {
    pub id: TicketId,
    pub subject: String,
    pub status: String,
    pub priority: String,
    pub contact: String,
}

/// Won revenue in one currency (a company may buy in several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Revenue {
    pub currency: Currency,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub amount: i64,
    pub deals: i64,
}

/// Everything `crm companies show` and the TUI's company page show: the company and, among the
/// records the actor may read, its contacts, open leads, open deals, won revenue and tickets
/// (each list at most [`CompanyPage::SECTION`] rows: contacts by name, leads best first, deals
/// by stage and size, tickets newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CompanyPage {
    pub company: Company,
    pub contacts: Vec<CompanyContact>,
    pub leads: Vec<CompanyLead>,
    pub open_deals: Vec<CompanyDeal>,
    pub won_revenue: Vec<Revenue>,
    pub tickets: Vec<CompanyTicket>,
}

impl CompanyPage {
    /// The most rows one section lists: a company with tens of thousands of leads shows its
    /// best, not all of them.
    pub const SECTION: usize = 100;
}
