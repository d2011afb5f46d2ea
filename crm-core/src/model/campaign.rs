//! Marketing campaigns, the containers that leads are attributed to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::fixed_set::fixed_set;
use super::{CampaignId, Currency, Money, UserId};

fixed_set! {
    /// Where a campaign is in its life.
    CampaignStatus, "campaign status" {
        Planned => "Planned",
        Active => "Active",
        Paused => "Paused",
        Completed => "Completed",
    }
}

fixed_set! {
    /// How a campaign reaches people.
    Channel, "channel" {
        Email => "Email",
        PaidAds => "Paid Ads",
        Events => "Events",
        Webinar => "Webinar",
        Social => "Social",
        Referral => "Referral",
        Other => "Other",
    }
}

fixed_set! {
    /// How urgent a piece of work is.
    Priority, "priority" {
        Low => "Low",
        Medium => "Medium",
        High => "High",
        Critical => "Critical",
    }
}

/// A campaign with all of the seed's fields and its computed metrics.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Campaign {
    pub id: CampaignId,
    pub name: String,
    pub code: String,
    pub description: Option<String>,
    pub business_unit: Option<String>,
    pub objective: Option<String>,
    pub channel: Channel,
    pub audience_segment: Option<String>,
    pub product_line: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub currency: Currency,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub budget: i64,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub expected_spend: i64,
    pub planned_leads: i64,
    pub owner_id: Option<UserId>,
    pub owner: Option<String>,
    pub team: Vec<String>,
    pub status: CampaignStatus,
    pub priority: Priority,
    pub compliance_checklist: Option<String>,
    pub external_campaign_id: Option<String>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    /// The built-in General / Unassigned campaign.
    pub is_system: bool,
    pub metrics: CampaignMetrics,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one with every change; `If-Match` and the edit forms compare it.
    pub version: crate::Version,
}

impl Campaign {
    pub fn budget(&self) -> Money {
        Money::new(self.budget, self.currency)
    }
}

/// Figures computed from the data every time they are read, never stored by hand.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, schemars::JsonSchema)]
pub struct CampaignMetrics {
    /// Sum of the spend entries, minor units.
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub actual_spend: i64,
    /// Leads attributed to the campaign, converted ones included.
    pub generated_leads: i64,
    pub hot_leads: i64,
    pub converted_leads: i64,
    /// Deals attributed to the campaign that reached a won stage.
    pub won_deals: i64,
    /// Value of those won deals, minor units.
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub revenue_attributed: i64,
    /// (revenue - spend) / spend as a percentage; None when nothing was spent.
    pub roi_percent: Option<f64>,
}

/// Input for a new campaign, as typed; amounts are text such as "85,000". As JSON (the server's
/// request body) every field but `name` may be left out; an unknown field is refused by name.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewCampaign {
    pub name: String,
    /// Unique short code; made from the name when absent.
    pub code: Option<String>,
    pub description: Option<String>,
    pub business_unit: Option<String>,
    pub objective: Option<String>,
    pub channel: Option<Channel>,
    pub audience_segment: Option<String>,
    pub product_line: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub currency: Option<Currency>,
    pub budget: Option<String>,
    pub expected_spend: Option<String>,
    pub planned_leads: Option<i64>,
    /// Username; the acting user when absent.
    pub owner: Option<String>,
    pub team: Vec<String>,
    pub status: Option<CampaignStatus>,
    pub priority: Option<Priority>,
    pub compliance_checklist: Option<String>,
    pub external_campaign_id: Option<String>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
}

/// Changes to a campaign: None keeps a field; `Some("")` clears an optional text.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CampaignPatch {
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub business_unit: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub objective: Option<String>,
    pub channel: Option<Channel>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub audience_segment: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub product_line: Option<String>,
    #[serde(default, deserialize_with = "super::patch::nullable")]
    pub start_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "super::patch::nullable")]
    pub end_date: Option<Option<NaiveDate>>,
    pub currency: Option<Currency>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub budget: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub expected_spend: Option<String>,
    pub planned_leads: Option<i64>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub owner: Option<String>,
    pub team: Option<Vec<String>>,
    pub status: Option<CampaignStatus>,
    pub priority: Option<Priority>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub compliance_checklist: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub external_campaign_id: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub utm_source: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub utm_medium: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub utm_campaign: Option<String>,
    /// The version the change was made against (`If-Match`, an edit form's record): a record
    /// saved since is refused with [`crate::Error::Stale`]. `None` writes over any version.
    #[serde(skip)]
    pub if_version: Option<crate::Version>,
}

/// One spend entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SpendEntry {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub spent_on: NaiveDate,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub amount: i64,
    pub note: Option<String>,
    pub created_by: Option<String>,
}

fixed_set! {
    /// Orders of a campaign listing; the metric sorts order by computed figures.
    CampaignSort, "sort" {
        Name => "name",
        Start => "start",
        Budget => "budget",
        Spend => "spend",
        Leads => "leads",
        Revenue => "revenue",
        Roi => "roi",
        Created => "created",
    }
}
