//! Deals in the sales pipeline, and the stages they move through.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::fixed_set::fixed_set;
use super::{CampaignId, CompanyId, ContactId, Currency, DealId, LeadId, Money, StageId, UserId};

/// A pipeline stage. Won and lost stages close a deal; retired stages take no new moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Stage {
    pub id: StageId,
    pub name: String,
    pub position: i64,
    /// Default win probability of deals in this stage, 0..=100.
    pub probability: u8,
    pub is_won: bool,
    pub is_lost: bool,
    pub active: bool,
    /// Deals in the stage now.
    pub deals: i64,
}

impl Stage {
    pub fn is_closed(&self) -> bool {
        self.is_won || self.is_lost
    }
}

/// A deal with the names of what it links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Deal {
    pub id: DealId,
    pub title: String,
    pub contact_id: Option<ContactId>,
    pub contact: Option<String>,
    /// The contact's email: how an import into another database finds the contact again.
    pub contact_email: Option<String>,
    /// The company the deal is with: its contact's, unless set on the deal.
    pub company_id: Option<CompanyId>,
    pub company: Option<String>,
    pub campaign_id: Option<CampaignId>,
    pub campaign: Option<String>,
    pub lead_id: Option<LeadId>,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub amount: i64,
    pub currency: Currency,
    pub stage_id: StageId,
    pub stage: String,
    pub probability: u8,
    pub expected_close: Option<NaiveDate>,
    pub owner_id: Option<UserId>,
    pub owner: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub lost_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one with every change; `If-Match` and the edit forms compare it.
    pub version: crate::Version,
    /// Custom field values by key (issue 25); left out when the record has none.
    #[serde(default, skip_serializing_if = "super::FieldValues::is_empty")]
    pub fields: super::FieldValues,
}

impl Deal {
    pub fn value(&self) -> Money {
        Money::new(self.amount, self.currency)
    }
}

/// Input for a new deal; references by name or id are resolved by the service. As JSON, a field
/// may be left out, and one it does not have is refused by name.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewDeal {
    pub title: String,
    pub contact: Option<ContactId>,
    /// Company id or name; the contact's company when absent.
    pub company: Option<String>,
    /// Campaign id, code or name.
    pub campaign: Option<String>,
    /// e.g. "85,00,000"
    pub amount: Option<String>,
    pub currency: Option<Currency>,
    /// Stage name; the first open stage when absent.
    pub stage: Option<String>,
    /// Defaults to the stage's probability.
    pub probability: Option<i64>,
    pub expected_close: Option<NaiveDate>,
    /// Username; the acting user when absent.
    pub owner: Option<String>,
    /// Custom field values by key (`--field key=value`).
    pub fields: super::FieldInput,
}

/// Changes to a deal (not its stage: moves go through `move_deal`, `win_deal`, `lose_deal`).
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DealPatch {
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "super::patch::nullable")]
    pub contact: Option<Option<ContactId>>,
    /// Company id or name; `Some("")` unlinks the deal from its company.
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub company: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub campaign: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub amount: Option<String>,
    pub currency: Option<Currency>,
    pub probability: Option<i64>,
    #[serde(default, deserialize_with = "super::patch::nullable")]
    pub expected_close: Option<Option<NaiveDate>>,
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
    /// Orders of a deal listing.
    DealSort, "sort" {
        Created => "created",
        Updated => "updated",
        Amount => "amount",
        Title => "title",
        ExpectedClose => "expected-close",
        Id => "id",
    }
}

/// Filters, order and page of a deal listing.
#[derive(Debug, Clone)]
pub struct DealQuery {
    /// Stage name.
    pub stage: Option<String>,
    pub owner: Option<String>,
    pub contact: Option<ContactId>,
    pub campaign: Option<String>,
    /// Only deals not yet won or lost.
    pub open_only: bool,
    /// Words starting words of the title, any case (as global search matches).
    pub search: Option<String>,
    pub sort: DealSort,
    /// A custom field's key to sort by instead of `sort`, records without a value last.
    pub sort_field: Option<String>,
    pub descending: bool,
    pub limit: u32,
    pub after: Option<DealId>,
    /// Conditions on custom fields, all of which a record passes (`--where key=value`).
    pub wheres: Vec<super::FieldCondition>,
}

impl Default for DealQuery {
    fn default() -> Self {
        DealQuery {
            wheres: Vec::new(),
            stage: None,
            owner: None,
            contact: None,
            campaign: None,
            open_only: false,
            search: None,
            sort: DealSort::Created,
            sort_field: None,
            descending: true,
            limit: 50,
            after: None,
        }
    }
}

/// One recorded move of a deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StageMove {
    pub from: Option<String>,
    pub to: String,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// One column of the Kanban board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BoardColumn {
    pub stage: Stage,
    /// Deals in the column, most valuable first (at most the board's per-column limit).
    pub deals: Vec<Deal>,
    pub count: i64,
    /// Sum of the column's deal amounts, minor units (all currencies added as they are).
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub total: i64,
}
