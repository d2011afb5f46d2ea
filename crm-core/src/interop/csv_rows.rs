//! Records as CSV rows: the columns an export writes, in the order it writes them, and the
//! cells. The CLI's `export` and `--output csv` and the server's exports write these, and an
//! import reads the same names back (derived columns such as ids and times are ignored).

use chrono::{DateTime, NaiveDate, Utc};

use crate::clock::to_text as time;
use crate::{Activity, Campaign, Contact, Deal, Lead, Money, Task, Ticket};

/// A record as one CSV row.
pub trait CsvRow {
    /// Column names, in order.
    const FIELDS: &'static [&'static str];
    /// The cells, as stored (a writer guards them against formulas).
    fn fields(&self) -> Vec<String>;
}

fn opt(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

fn opt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_default()
}

fn yes(b: bool) -> String {
    b.to_string()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A return on investment as "12.5%", or "n/a" without spend.
pub fn roi(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |r| format!("{r:.1}%"))
}

impl CsvRow for Contact {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "company",
        "job_title",
        "location",
        "tags",
        "owner",
        "source_lead_id",
        "consent_email",
        "consent_gdpr",
        "consent_ccpa",
        "created_at",
        "updated_at",
        "version",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.first_name.clone(),
            opt(self.last_name.as_deref()),
            opt(self.email.as_deref()),
            opt(self.phone.as_deref()),
            opt(self.company.as_deref()),
            opt(self.job_title.as_deref()),
            opt(self.location.as_deref()),
            self.tags.join(","),
            opt(self.owner.as_deref()),
            self.source_lead_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            self.consent_email.to_string(),
            self.consent_gdpr.to_string(),
            self.consent_ccpa.to_string(),
            time(self.created_at),
            time(self.updated_at),
            self.version.to_string(),
        ]
    }
}

impl CsvRow for Deal {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "title",
        "contact_id",
        "contact",
        "contact_email",
        "company",
        "campaign",
        "lead_id",
        "amount",
        "currency",
        "stage",
        "probability",
        "expected_close",
        "owner",
        "closed_at",
        "lost_reason",
        "created_at",
        "updated_at",
        "version",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            self.contact_id.map(|c| c.to_string()).unwrap_or_default(),
            opt(self.contact.as_deref()),
            opt(self.contact_email.as_deref()),
            opt(self.company.as_deref()),
            opt(self.campaign.as_deref()),
            self.lead_id.map(|l| l.to_string()).unwrap_or_default(),
            self.value().plain(),
            self.currency.to_string(),
            self.stage.clone(),
            self.probability.to_string(),
            self.expected_close
                .map(|d| d.to_string())
                .unwrap_or_default(),
            opt(self.owner.as_deref()),
            self.closed_at.map(time).unwrap_or_default(),
            opt(self.lost_reason.as_deref()),
            time(self.created_at),
            time(self.updated_at),
            self.version.to_string(),
        ]
    }
}

impl CsvRow for Campaign {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "code",
        "description",
        "business_unit",
        "objective",
        "channel",
        "audience_segment",
        "product_line",
        "start_date",
        "end_date",
        "currency",
        "budget",
        "expected_spend",
        "planned_leads",
        "owner",
        "team",
        "status",
        "priority",
        "compliance_checklist",
        "external_campaign_id",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "actual_spend",
        "generated_leads",
        "hot_leads",
        "converted_leads",
        "won_deals",
        "revenue_attributed",
        "roi",
        "created_at",
        "updated_at",
        "version",
    ];

    fn fields(&self) -> Vec<String> {
        let m = &self.metrics;
        let money = |minor| Money::new(minor, self.currency).plain();
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.code.clone(),
            opt(self.description.as_deref()),
            opt(self.business_unit.as_deref()),
            opt(self.objective.as_deref()),
            self.channel.to_string(),
            opt(self.audience_segment.as_deref()),
            opt(self.product_line.as_deref()),
            date(self.start_date),
            date(self.end_date),
            self.currency.to_string(),
            money(self.budget),
            money(self.expected_spend),
            self.planned_leads.to_string(),
            opt(self.owner.as_deref()),
            self.team.join(","),
            self.status.to_string(),
            self.priority.to_string(),
            opt(self.compliance_checklist.as_deref()),
            opt(self.external_campaign_id.as_deref()),
            opt(self.utm_source.as_deref()),
            opt(self.utm_medium.as_deref()),
            opt(self.utm_campaign.as_deref()),
            money(m.actual_spend),
            m.generated_leads.to_string(),
            m.hot_leads.to_string(),
            m.converted_leads.to_string(),
            m.won_deals.to_string(),
            money(m.revenue_attributed),
            roi(m.roi_percent),
            time(self.created_at),
            time(self.updated_at),
            self.version.to_string(),
        ]
    }
}

impl CsvRow for Ticket {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "subject",
        "description",
        "contact_id",
        "contact",
        "contact_email",
        "priority",
        "status",
        "assignee",
        "created_by",
        "resolution",
        "resolved_at",
        "created_at",
        "updated_at",
        "version",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.subject.clone(),
            opt(self.description.as_deref()),
            self.contact_id.to_string(),
            self.contact.clone(),
            opt(self.contact_email.as_deref()),
            self.priority.to_string(),
            self.status.to_string(),
            opt(self.assignee.as_deref()),
            opt(self.created_by.as_deref()),
            opt(self.resolution.as_deref()),
            self.resolved_at.map(time).unwrap_or_default(),
            time(self.created_at),
            time(self.updated_at),
            self.version.to_string(),
        ]
    }
}

impl CsvRow for Task {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "title",
        "kind",
        "due_at",
        "status",
        "assignee",
        "created_by",
        "about",
        "drip_step",
        "completed_at",
        "created_at",
        "updated_at",
        "version",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            self.kind.to_string(),
            self.due_at.map(time).unwrap_or_default(),
            self.status.to_string(),
            opt(self.assignee.as_deref()),
            opt(self.created_by.as_deref()),
            self.link.map(|l| l.to_string()).unwrap_or_default(),
            self.drip_step.map(|s| s.to_string()).unwrap_or_default(),
            self.completed_at.map(time).unwrap_or_default(),
            time(self.created_at),
            time(self.updated_at),
            self.version.to_string(),
        ]
    }
}

impl CsvRow for Lead {
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

impl CsvRow for Activity {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "at",
        "actor",
        "verb",
        "entity_type",
        "entity_id",
        "summary",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            time(self.at),
            opt(self.actor.as_deref()),
            self.verb.clone(),
            self.entity.to_string(),
            self.entity_id.to_string(),
            self.summary.clone(),
        ]
    }
}
