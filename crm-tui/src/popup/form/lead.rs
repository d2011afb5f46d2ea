//! The lead form: its fields, and saving it through one service call.

use crm_core::{EntityKind, Lead, LeadId, LeadPatch, LeadSource, NewLead, RecordRef};

use super::{Field, Form, FormKind, names, opt};
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
                allow_duplicate: self.flag("allow duplicate"),
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
                // One transaction with the edit: a refused assignment keeps the edit out too.
                owner: self.changed("owner").filter(|o| !o.is_empty()),
                if_version: self.version,
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
        Field::text("first name", "First name", l.map_or("", |l| &l.first_name)).required(),
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
    fields.push(Field::text(
        "notes",
        "Notes",
        opt(l.and_then(|l| l.notes.as_deref())),
    ));
    if l.is_none() {
        fields.push(Field::check("allow duplicate", "Add if duplicate", false));
    }
    fields
}
