//! The campaign form: its fields, and saving it through one service call.

use chrono::NaiveDate;
use crm_core::{
    Campaign, CampaignId, CampaignPatch, Channel, Currency, EntityKind, NewCampaign, Priority,
    RecordRef,
};

use super::{Field, Form, FormKind, date, names, opt, tags};
use crate::ctx::Ctx;

impl Form {
    pub(crate) fn new_campaign() -> Form {
        Form::new(FormKind::NewCampaign, "New campaign", campaign_fields(None))
    }

    pub(crate) fn edit_campaign(c: &Campaign) -> Form {
        Form::new(
            FormKind::EditCampaign(c.id),
            &format!("Edit campaign {}", c.code),
            campaign_fields(Some(c)),
        )
        .at_version(c.version)
    }

    pub(super) fn save_new_campaign(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.add_campaign(
            actor,
            &NewCampaign {
                name: self.get("name").unwrap_or_default(),
                code: self.get("code"),
                objective: self.get("objective"),
                channel: self.get("channel").and_then(|s| s.parse().ok()),
                owner: self.get("owner"),
                currency: self.get("currency").and_then(|s| s.parse().ok()),
                budget: self.get("budget"),
                expected_spend: self.get("expected spend"),
                planned_leads: self.get("planned leads").and_then(|s| s.parse().ok()),
                start_date: self.get("start date").and_then(|s| date(&s)),
                end_date: self.get("end date").and_then(|s| date(&s)),
                status: self.get("status").and_then(|s| s.parse().ok()),
                priority: self.get("priority").and_then(|s| s.parse().ok()),
                description: self.get("description"),
                business_unit: self.get("business unit"),
                audience_segment: self.get("audience segment"),
                product_line: self.get("product line"),
                team: tags(self.get("team")),
                compliance_checklist: self.get("compliance checklist"),
                external_campaign_id: self.get("external campaign id"),
                utm_source: self.get("utm source"),
                utm_medium: self.get("utm medium"),
                utm_campaign: self.get("utm campaign"),
            },
        )?;
        Ok((
            format!("Campaign {} added", c.code),
            RecordRef::new(EntityKind::Campaign, c.id.0),
        ))
    }

    pub(super) fn save_edit_campaign(
        &self,
        ctx: &Ctx<'_>,
        id: CampaignId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.edit_campaign(
            actor,
            &id.to_string(),
            &CampaignPatch {
                name: self.changed("name"),
                code: self.changed("code"),
                objective: self.changed("objective"),
                channel: self.changed("channel").and_then(|s| s.parse().ok()),
                owner: self.changed("owner"),
                currency: self.changed("currency").and_then(|s| s.parse().ok()),
                budget: self.changed("budget"),
                expected_spend: self.changed("expected spend"),
                planned_leads: self.changed("planned leads").and_then(|s| s.parse().ok()),
                start_date: self.changed("start date").map(|s| date(&s)),
                end_date: self.changed("end date").map(|s| date(&s)),
                status: self.changed("status").and_then(|s| s.parse().ok()),
                priority: self.changed("priority").and_then(|s| s.parse().ok()),
                description: self.changed("description"),
                business_unit: self.changed("business unit"),
                audience_segment: self.changed("audience segment"),
                product_line: self.changed("product line"),
                team: self.changed("team").map(|t| tags(Some(t))),
                compliance_checklist: self.changed("compliance checklist"),
                external_campaign_id: self.changed("external campaign id"),
                utm_source: self.changed("utm source"),
                utm_medium: self.changed("utm medium"),
                utm_campaign: self.changed("utm campaign"),
                if_version: self.version,
            },
        )?;
        Ok((
            format!("Campaign {} saved", c.code),
            RecordRef::new(EntityKind::Campaign, c.id.0),
        ))
    }
}

fn campaign_fields(c: Option<&Campaign>) -> Vec<Field> {
    let money = |minor: i64| crm_core::Money::new(minor, Currency::default()).plain();
    let date_text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut fields = vec![
        Field::text("name", "Name", c.map_or("", |c| &c.name)).required(),
        Field::text("code", "Code (optional)", c.map_or("", |c| &c.code)),
        Field::text(
            "objective",
            "Objective",
            opt(c.and_then(|c| c.objective.as_deref())),
        ),
        Field::choice(
            "channel",
            "Channel",
            names(Channel::ALL),
            &c.map_or("Email".into(), |c| c.channel.to_string()),
        ),
        Field::text(
            "owner",
            "Owner (username)",
            opt(c.and_then(|c| c.owner.as_deref())),
        ),
        Field::text(
            "currency",
            "Currency",
            &c.map_or("INR".into(), |c| c.currency.to_string()),
        ),
        Field::text(
            "budget",
            "Budget",
            &c.map(|c| money(c.budget)).unwrap_or_default(),
        ),
        Field::text(
            "expected spend",
            "Expected spend",
            &c.map(|c| money(c.expected_spend)).unwrap_or_default(),
        ),
        Field::text(
            "planned leads",
            "Planned leads",
            &c.map(|c| c.planned_leads.to_string()).unwrap_or_default(),
        ),
        Field::text(
            "start date",
            "Start (YYYY-MM-DD)",
            &date_text(c.and_then(|c| c.start_date)),
        ),
        Field::text(
            "end date",
            "End (YYYY-MM-DD)",
            &date_text(c.and_then(|c| c.end_date)),
        ),
        Field::choice(
            "status",
            "Status",
            names(crm_core::CampaignStatus::ALL),
            &c.map_or("Planned".into(), |c| c.status.to_string()),
        ),
        Field::choice(
            "priority",
            "Priority",
            names(Priority::ALL),
            &c.map_or("Medium".into(), |c| c.priority.to_string()),
        ),
        Field::text(
            "description",
            "Description",
            opt(c.and_then(|c| c.description.as_deref())),
        ),
    ];
    fields.extend(audience_fields(c));
    fields
}

/// Who the campaign is for and how its traffic is tagged.
fn audience_fields(c: Option<&Campaign>) -> Vec<Field> {
    vec![
        Field::text(
            "business unit",
            "Business unit",
            opt(c.and_then(|c| c.business_unit.as_deref())),
        ),
        Field::text(
            "audience segment",
            "Audience",
            opt(c.and_then(|c| c.audience_segment.as_deref())),
        ),
        Field::text(
            "product line",
            "Product line",
            opt(c.and_then(|c| c.product_line.as_deref())),
        ),
        Field::text(
            "team",
            "Team (usernames)",
            &c.map(|c| c.team.join(", ")).unwrap_or_default(),
        ),
        Field::text(
            "compliance checklist",
            "Compliance",
            opt(c.and_then(|c| c.compliance_checklist.as_deref())),
        ),
        Field::text(
            "external campaign id",
            "External id",
            opt(c.and_then(|c| c.external_campaign_id.as_deref())),
        ),
        Field::text(
            "utm source",
            "UTM source",
            opt(c.and_then(|c| c.utm_source.as_deref())),
        ),
        Field::text(
            "utm medium",
            "UTM medium",
            opt(c.and_then(|c| c.utm_medium.as_deref())),
        ),
        Field::text(
            "utm campaign",
            "UTM campaign",
            opt(c.and_then(|c| c.utm_campaign.as_deref())),
        ),
    ]
}
