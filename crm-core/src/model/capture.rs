//! Web-to-lead forms: a website's form posts leads straight into a campaign.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{CaptureFormId, LeadId};

/// A capture form as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CaptureForm {
    pub id: CaptureFormId,
    pub name: String,
    /// Public: the form posts to `/capture/{key}`.
    pub key: String,
    /// The campaign its leads join (code).
    pub campaign: String,
    pub auto_assign: bool,
    /// Origins a browser may post from (`https://example.com`); none allows no browser origin.
    pub allowed_origins: Vec<String>,
    /// Where a plain HTML form is sent after posting.
    pub redirect: Option<String>,
    pub per_ip_per_minute: u32,
    pub per_form_per_minute: u32,
    /// Who made it: the leads it captures are recorded as made by them.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// What makes a capture form.
#[derive(Debug, Clone, Default)]
pub struct NewCaptureForm {
    pub name: String,
    /// Campaign code or name.
    pub campaign: String,
    pub auto_assign: bool,
    pub allowed_origins: Vec<String>,
    pub redirect: Option<String>,
    /// Posts one address may make a minute (default 20).
    pub per_ip_per_minute: Option<u32>,
    /// Posts the form takes a minute from everyone (default 600).
    pub per_form_per_minute: Option<u32>,
}

/// What a post came to. The poster is told the same in every case, so a form tells nobody
/// which addresses the CRM knows or has erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "outcome", content = "lead", rename_all = "snake_case")]
pub enum Captured {
    /// A new lead.
    Added(LeadId),
    /// The address is a lead's already: the post is added to its history.
    AddedToExisting(LeadId),
    /// Kept nowhere: the honeypot field was filled (a bot), or the address was erased on
    /// request.
    Dropped,
}
