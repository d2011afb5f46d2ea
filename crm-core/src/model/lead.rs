//! Leads: people who showed interest, attributed to a campaign, scored and worked until they
//! convert or are lost.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::contact::person_name;
use super::fixed_set::fixed_set;
use super::{CampaignId, CompanyId, ContactId, DealId, LeadId, UserId};

fixed_set! {
    /// Where a lead is in the funnel.
    LeadStage, "stage" {
        New => "New",
        Contacted => "Contacted",
        Qualified => "Qualified",
        Lost => "Lost",
        /// Became a contact and a deal; read-only from then on.
        Converted => "Converted",
    }
}

fixed_set! {
    /// How warm a lead is, derived from its score (never set by hand).
    Temperature, "temperature" {
        Hot => "Hot",
        Warm => "Warm",
        Cold => "Cold",
    }
}

fixed_set! {
    /// Where a lead came from.
    LeadSource, "source" {
        Website => "Website",
        WebForm => "Web form",
        Event => "Event",
        Referral => "Referral",
        Webinar => "Webinar",
        Email => "Email",
        Social => "Social",
        PaidAds => "Paid Ads",
        ColdCall => "Cold call",
        Import => "Import",
        Other => "Other",
    }
}

/// A lead with every field of the seed's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Lead {
    pub id: LeadId,
    pub first_name: String,
    pub last_name: Option<String>,
    pub company: Option<String>,
    /// The company the text above (or the email's domain) linked to.
    pub company_id: Option<CompanyId>,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub campaign_id: CampaignId,
    pub campaign: String,
    pub source: LeadSource,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub stage: LeadStage,
    pub score: u8,
    pub temperature: Temperature,
    pub status_reason: Option<String>,
    pub owner_id: Option<UserId>,
    pub owner: Option<String>,
    pub created_by: Option<String>,
    pub notes: Option<String>,
    pub last_contacted_at: Option<DateTime<Utc>>,
    pub next_action_at: Option<DateTime<Utc>>,
    pub bant: Bant,
    pub interested_products: Option<String>,
    pub consent_email: bool,
    pub consent_gdpr: bool,
    pub consent_ccpa: bool,
    pub converted_contact_id: Option<ContactId>,
    pub deal_id: Option<DealId>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one with every change; `If-Match` and the edit forms compare it.
    pub version: crate::Version,
    /// Custom field values by key (issue 25); left out when the record has none.
    #[serde(default, skip_serializing_if = "super::FieldValues::is_empty")]
    pub fields: super::FieldValues,
}

impl Lead {
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

/// Budget, authority, need, timeline: the four qualification flags.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(default, deny_unknown_fields)]
pub struct Bant {
    pub budget: bool,
    pub authority: bool,
    pub need: bool,
    pub timeline: bool,
}

/// Input for a new lead as typed by a user or read from a file. As JSON (the server's request
/// body) any field may be left out, as long as a name, an email or a phone says who the lead
/// is, and an unknown field is refused by name.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewLead {
    pub first_name: String,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    /// Campaign code or name; General / Unassigned when absent.
    pub campaign: Option<String>,
    pub source: Option<LeadSource>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub stage: Option<LeadStage>,
    pub score: Option<i64>,
    pub status_reason: Option<String>,
    /// Username of the owner. Ignored when `auto_assign` is set.
    pub owner: Option<String>,
    /// Give the lead to the next active sales rep in turn.
    pub auto_assign: bool,
    pub notes: Option<String>,
    pub bant: Bant,
    pub interested_products: Option<String>,
    pub consent_email: bool,
    pub consent_gdpr: bool,
    pub consent_ccpa: bool,
    /// Add it even when a lead with the same email or phone exists.
    pub allow_duplicate: bool,
    /// Custom field values by key (`--field key=value`).
    pub fields: super::FieldInput,
}

/// Changes to a lead: None keeps a field; `Some("")` clears an optional text.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LeadPatch {
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub company: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub job_title: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub location: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub industry: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub region: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub campaign: Option<String>,
    pub source: Option<LeadSource>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub utm_source: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub utm_medium: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub utm_campaign: Option<String>,
    pub stage: Option<LeadStage>,
    /// 0..=100; the CLI sets scores with `crm leads score`, imports through this field.
    pub score: Option<i64>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub status_reason: Option<String>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub notes: Option<String>,
    #[serde(default, deserialize_with = "super::patch::nullable")]
    pub last_contacted_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "super::patch::nullable")]
    pub next_action_at: Option<Option<DateTime<Utc>>>,
    pub bant_budget: Option<bool>,
    pub bant_authority: Option<bool>,
    pub bant_need: Option<bool>,
    pub bant_timeline: Option<bool>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub interested_products: Option<String>,
    pub consent_email: Option<bool>,
    pub consent_gdpr: Option<bool>,
    pub consent_ccpa: Option<bool>,
    /// Give the lead to this user (distribution work: admins, managers and marketers), in the
    /// same transaction as the other changes.
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
    /// Orders of a lead listing.
    LeadSort, "sort" {
        Name => "name",
        Score => "score",
        Stage => "stage",
        Company => "company",
        Created => "created",
        Updated => "updated",
        NextAction => "next-action",
        Id => "id",
    }
}

/// Filters, order and page of a lead listing. Serialised as a saved view; a field missing from
/// an older view takes its default.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct LeadQuery {
    pub stage: Option<LeadStage>,
    pub temperature: Option<Temperature>,
    /// Campaign code or name.
    pub campaign: Option<String>,
    /// Username.
    pub owner: Option<String>,
    pub source: Option<LeadSource>,
    pub min_score: Option<i64>,
    pub max_score: Option<i64>,
    /// Words starting words of the name, email, company, job title, phone or custom text and
    /// choice values, any case (as global search matches).
    pub search: Option<String>,
    /// Include converted leads (hidden by default: they left the active list).
    pub include_converted: bool,
    pub sort: LeadSort,
    /// A custom field's key to sort by instead of `sort`, records without a value last.
    pub sort_field: Option<String>,
    pub descending: bool,
    pub limit: u32,
    pub after: Option<LeadId>,
    /// Conditions on custom fields, all of which a record passes (`--where key=value`).
    pub wheres: Vec<super::FieldCondition>,
}

impl LeadQuery {
    /// This query (a saved view's, say) for one page: the page's size and cursor, and a search
    /// typed on top of the view narrowing it further (the view's own search when none is typed).
    /// The one rule by which the CLI and the TUI resolve a view.
    #[must_use]
    pub fn paged(mut self, limit: u32, after: Option<LeadId>, search: Option<String>) -> LeadQuery {
        self.limit = limit;
        self.after = after;
        self.search = search.or(self.search);
        self
    }
}

impl Default for LeadQuery {
    fn default() -> Self {
        LeadQuery {
            wheres: Vec::new(),
            stage: None,
            temperature: None,
            campaign: None,
            owner: None,
            source: None,
            min_score: None,
            max_score: None,
            search: None,
            include_converted: false,
            sort: LeadSort::Created,
            sort_field: None,
            descending: true,
            limit: 50,
            after: None,
        }
    }
}

/// One line of `crm leads explain`: a rule, the points it gave, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ScorePart {
    pub rule: &'static str,
    pub points: u8,
    pub reason: String,
}

/// What a conversion made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Conversion {
    pub lead_id: LeadId,
    pub contact_id: ContactId,
    /// True when an existing contact (same email or phone) was linked instead of a new one.
    pub reused_contact: bool,
    pub deal_id: DealId,
    pub deal_title: String,
    pub cancelled_tasks: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A view keeps its filters and sort; a page brings its size and cursor, and a typed search
    /// narrows it (the view's own search stays when nothing is typed).
    #[test]
    fn a_view_is_paged_by_one_rule() {
        let view = LeadQuery {
            stage: Some(LeadStage::Qualified),
            sort: LeadSort::Score,
            search: Some("pune".into()),
            limit: 10,
            ..LeadQuery::default()
        };
        let page = view.clone().paged(50, Some(LeadId(7)), None);
        assert_eq!((page.limit, page.after), (50, Some(LeadId(7))));
        assert_eq!((page.stage, page.sort), (view.stage, view.sort));
        assert_eq!(page.search.as_deref(), Some("pune"));
        let narrowed = view.paged(50, None, Some("asha".into()));
        assert_eq!(narrowed.search.as_deref(), Some("asha"));
    }
}
