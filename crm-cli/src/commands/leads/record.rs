//! How a lead and a score's parts print as table, JSON and CSV rows.

use chrono::{DateTime, Utc};
use crm_core::{Lead, ScorePart};

use crate::output::{Record, opt, time};

pub(super) fn opt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_default()
}

fn yes(b: bool) -> String {
    b.to_string()
}

impl Record for Lead {
    const COLUMNS: &'static [&'static str] = &[
        "id", "name", "company", "campaign", "source", "stage", "score", "temp", "owner",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "first_name",
        "last_name",
        "company",
        "job_title",
        "email",
        "phone",
        "location",
        "industry",
        "region",
        "campaign",
        "source",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "stage",
        "score",
        "temperature",
        "status_reason",
        "owner",
        "created_by",
        "notes",
        "last_contacted_at",
        "next_action_at",
        "bant_budget",
        "bant_authority",
        "bant_need",
        "bant_timeline",
        "interested_products",
        "consent_email",
        "consent_gdpr",
        "consent_ccpa",
        "converted_contact_id",
        "deal_id",
        "closed_at",
        "created_at",
        "updated_at",
        "version",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.full_name(),
            opt(self.company.as_deref()),
            self.campaign.clone(),
            self.source.to_string(),
            self.stage.to_string(),
            self.score.to_string(),
            self.temperature.to_string(),
            opt(self.owner.as_deref()),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.first_name.clone(),
            opt(self.last_name.as_deref()),
            opt(self.company.as_deref()),
            opt(self.job_title.as_deref()),
            opt(self.email.as_deref()),
            opt(self.phone.as_deref()),
            opt(self.location.as_deref()),
            opt(self.industry.as_deref()),
            opt(self.region.as_deref()),
            self.campaign.clone(),
            self.source.to_string(),
            opt(self.utm_source.as_deref()),
            opt(self.utm_medium.as_deref()),
            opt(self.utm_campaign.as_deref()),
            self.stage.to_string(),
            self.score.to_string(),
            self.temperature.to_string(),
            opt(self.status_reason.as_deref()),
            opt(self.owner.as_deref()),
            opt(self.created_by.as_deref()),
            opt(self.notes.as_deref()),
            opt_time(self.last_contacted_at),
            opt_time(self.next_action_at),
            yes(self.bant.budget),
            yes(self.bant.authority),
            yes(self.bant.need),
            yes(self.bant.timeline),
            opt(self.interested_products.as_deref()),
            yes(self.consent_email),
            yes(self.consent_gdpr),
            yes(self.consent_ccpa),
            self.converted_contact_id
                .map(|c| c.to_string())
                .unwrap_or_default(),
            self.deal_id.map(|d| d.to_string()).unwrap_or_default(),
            opt_time(self.closed_at),
            time(self.created_at),
            time(self.updated_at),
            self.version.to_string(),
        ]
    }
}

impl Record for ScorePart {
    const COLUMNS: &'static [&'static str] = &["rule", "points", "why"];
    const FIELDS: &'static [&'static str] = &["rule", "points", "why"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.rule.to_string(),
            self.points.to_string(),
            self.reason.clone(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        self.cells()
    }
}
