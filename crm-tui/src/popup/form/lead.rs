//! The lead form: its fields, and saving it through one service call.

use crm_core::{
    Bant, EntityKind, Lead, LeadId, LeadPatch, LeadSource, LeadStage, NewLead, RecordRef,
};

use super::{Field, Form, FormKind, consent_fields, names, opt};
use crate::ctx::Ctx;

impl Form {
    pub(crate) fn new_lead() -> Form {
        Form::new(FormKind::NewLead, "New lead", lead_fields(None))
    }

    pub(crate) fn edit_lead(l: &Lead) -> Form {
        Form::new(
            FormKind::EditLead(l.id),
            &format!("Edit lead {}", l.id),
            lead_fields(Some(l)),
        )
        .at_version(l.version)
        .holding(&l.fields)
    }

    pub(super) fn save_new_lead(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let l = crm.add_lead(
            actor,
            &NewLead {
                first_name: self.get("first name").unwrap_or_default(),
                last_name: self.get("last name"),
                email: self.get("email"),
                phone: self.get("phone"),
                company: self.get("company"),
                job_title: self.get("job title"),
                campaign: self.get("campaign"),
                source: self.get("source").and_then(|s| s.parse().ok()),
                score: self.get("score").and_then(|s| s.parse().ok()),
                owner: self.get("owner"),
                auto_assign: self.flag("auto assign"),
                notes: self.get("notes"),
                stage: self.get("stage").and_then(|s| s.parse().ok()),
                status_reason: self.get("status reason"),
                bant: Bant {
                    budget: self.flag("bant budget"),
                    authority: self.flag("bant authority"),
                    need: self.flag("bant need"),
                    timeline: self.flag("bant timeline"),
                },
                interested_products: self.get("interested products"),
                consent_email: self.flag("consent email"),
                consent_gdpr: self.flag("consent gdpr"),
                consent_ccpa: self.flag("consent ccpa"),
                utm_source: self.get("utm source"),
                utm_medium: self.get("utm medium"),
                utm_campaign: self.get("utm campaign"),
                allow_duplicate: self.flag("allow duplicate"),
                fields: self.custom_input(),
                ..NewLead::default()
            },
        )?;
        let owner = l
            .owner
            .as_deref()
            .map(|o| format!(", owner {o}"))
            .unwrap_or_default();
        Ok((
            format!("Lead {} added: {}{owner}", l.id, l.full_name()),
            RecordRef::new(EntityKind::Lead, l.id.0),
        ))
    }

    pub(super) fn save_edit_lead(
        &self,
        ctx: &Ctx<'_>,
        id: LeadId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let l = crm.edit_lead(
            actor,
            id,
            &LeadPatch {
                first_name: self.changed("first name"),
                last_name: self.changed("last name"),
                email: self.changed("email"),
                phone: self.changed("phone"),
                company: self.changed("company"),
                job_title: self.changed("job title"),
                campaign: self.changed("campaign"),
                source: self.changed("source").and_then(|s| s.parse().ok()),
                score: self.changed("score").and_then(|s| s.parse().ok()),
                notes: self.changed("notes"),
                stage: self.changed("stage").and_then(|s| s.parse().ok()),
                status_reason: self.changed("status reason"),
                bant_budget: self.changed_flag("bant budget"),
                bant_authority: self.changed_flag("bant authority"),
                bant_need: self.changed_flag("bant need"),
                bant_timeline: self.changed_flag("bant timeline"),
                interested_products: self.changed("interested products"),
                consent_email: self.changed_flag("consent email"),
                consent_gdpr: self.changed_flag("consent gdpr"),
                consent_ccpa: self.changed_flag("consent ccpa"),
                utm_source: self.changed("utm source"),
                utm_medium: self.changed("utm medium"),
                utm_campaign: self.changed("utm campaign"),
                // One transaction with the edit: a refused assignment keeps the edit out too.
                owner: self.changed("owner").filter(|o| !o.is_empty()),
                if_version: self.version,
                fields: self.custom_input(),
                ..LeadPatch::default()
            },
        )?;
        Ok((
            format!("Lead {} saved", l.id),
            RecordRef::new(EntityKind::Lead, l.id.0),
        ))
    }
}

fn lead_fields(l: Option<&Lead>) -> Vec<Field> {
    let mut fields = vec![
        Field::text("first name", "First name", l.map_or("", |l| &l.first_name)),
        Field::text(
            "last name",
            "Last name",
            opt(l.and_then(|l| l.last_name.as_deref())),
        ),
        Field::text("email", "Email", opt(l.and_then(|l| l.email.as_deref()))),
        Field::text("phone", "Phone", opt(l.and_then(|l| l.phone.as_deref()))),
        Field::text(
            "company",
            "Company",
            opt(l.and_then(|l| l.company.as_deref())),
        ),
        Field::text(
            "job title",
            "Job title",
            opt(l.and_then(|l| l.job_title.as_deref())),
        ),
        // Options come from the database in `prepare`.
        Field::choice(
            "campaign",
            "Campaign",
            Vec::new(),
            l.map_or("", |l| &l.campaign),
        ),
        Field::choice(
            "source",
            "Source",
            names(LeadSource::ALL),
            &l.map_or("Website".into(), |l| l.source.to_string()),
        ),
        Field::text(
            "score",
            "Score (0-100)",
            &l.map(|l| l.score.to_string()).unwrap_or_default(),
        ),
        Field::text(
            "owner",
            "Owner (username)",
            opt(l.and_then(|l| l.owner.as_deref())),
        ),
    ];
    if l.is_none() {
        fields.push(Field::check("auto assign", "Auto-assign sales rep", false));
    }
    fields.extend(qualification_fields(l));
    if l.is_none() {
        fields.push(Field::check("allow duplicate", "Add if duplicate", false));
    }
    fields
}

/// Where the lead stands, what it agreed to and where it came from.
fn qualification_fields(l: Option<&Lead>) -> Vec<Field> {
    // A converted lead is made by converting it, not by choosing the stage.
    let stages: Vec<String> = LeadStage::ALL
        .iter()
        .filter(|s| **s != LeadStage::Converted)
        .map(ToString::to_string)
        .collect();
    let mut fields = vec![
        Field::choice(
            "stage",
            "Stage",
            stages,
            &l.map_or("New".into(), |l| l.stage.to_string()),
        ),
        Field::text(
            "status reason",
            "Reason (if Lost)",
            opt(l.and_then(|l| l.status_reason.as_deref())),
        ),
        Field::check(
            "bant budget",
            "Has budget",
            l.is_some_and(|l| l.bant.budget),
        ),
        Field::check(
            "bant authority",
            "Has authority",
            l.is_some_and(|l| l.bant.authority),
        ),
        Field::check("bant need", "Has need", l.is_some_and(|l| l.bant.need)),
        Field::check(
            "bant timeline",
            "Has timeline",
            l.is_some_and(|l| l.bant.timeline),
        ),
        Field::text(
            "interested products",
            "Interested in",
            opt(l.and_then(|l| l.interested_products.as_deref())),
        ),
    ];
    fields.extend(consent_fields(
        l.map(|l| [l.consent_email, l.consent_gdpr, l.consent_ccpa]),
    ));
    fields.extend([
        Field::text(
            "utm source",
            "UTM source",
            opt(l.and_then(|l| l.utm_source.as_deref())),
        ),
        Field::text(
            "utm medium",
            "UTM medium",
            opt(l.and_then(|l| l.utm_medium.as_deref())),
        ),
        Field::text(
            "utm campaign",
            "UTM campaign",
            opt(l.and_then(|l| l.utm_campaign.as_deref())),
        ),
        Field::text("notes", "Notes", opt(l.and_then(|l| l.notes.as_deref()))),
    ]);
    fields
}
