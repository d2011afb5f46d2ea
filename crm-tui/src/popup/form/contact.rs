//! The contact form: its fields, and saving it through one service call.

use crm_core::{Contact, ContactId, ContactPatch, EntityKind, NewContact, RecordRef};

use super::{Field, Form, FormKind, consent_fields, opt, tag_changes, tags};
use crate::ctx::Ctx;

impl Form {
    pub(crate) fn new_contact() -> Form {
        Form::new(FormKind::NewContact, "New contact", contact_fields(None))
    }

    pub(crate) fn edit_contact(c: &Contact) -> Form {
        Form::new(
            FormKind::EditContact(c.id),
            &format!("Edit contact {}", c.id),
            contact_fields(Some(c)),
        )
        .at_version(c.version)
        .holding(&c.fields)
    }

    pub(super) fn save_new_contact(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.add_contact(
            actor,
            &NewContact {
                fields: self.custom_input(),
                first_name: self.get("first name").unwrap_or_default(),
                last_name: self.get("last name"),
                email: self.get("email"),
                phone: self.get("phone"),
                company: self.get("company"),
                job_title: self.get("job title"),
                location: self.get("location"),
                tags: tags(self.get("tags")),
                owner: self.get("owner"),
                consent_email: self.flag("consent email"),
                consent_gdpr: self.flag("consent gdpr"),
                consent_ccpa: self.flag("consent ccpa"),
                allow_duplicate: self.flag("allow duplicate"),
            },
        )?;
        Ok((
            format!("Contact {} added: {}", c.id, c.full_name()),
            RecordRef::new(EntityKind::Contact, c.id.0),
        ))
    }

    pub(super) fn save_edit_contact(
        &self,
        ctx: &Ctx<'_>,
        id: ContactId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let (add_tags, remove_tags) = tag_changes(self, "tags");
        let c = crm.edit_contact(
            actor,
            id,
            &ContactPatch {
                fields: self.custom_input(),
                first_name: self.changed("first name"),
                last_name: self.changed("last name"),
                email: self.changed("email"),
                phone: self.changed("phone"),
                company: self.changed("company"),
                job_title: self.changed("job title"),
                location: self.changed("location"),
                add_tags,
                remove_tags,
                owner: self.changed("owner"),
                consent_email: self.changed_flag("consent email"),
                consent_gdpr: self.changed_flag("consent gdpr"),
                consent_ccpa: self.changed_flag("consent ccpa"),
                if_version: self.version,
            },
        )?;
        Ok((
            format!("Contact {} saved", c.id),
            RecordRef::new(EntityKind::Contact, c.id.0),
        ))
    }
}

fn contact_fields(c: Option<&Contact>) -> Vec<Field> {
    let mut fields = vec![
        Field::text("first name", "First name", c.map_or("", |c| &c.first_name)),
        Field::text(
            "last name",
            "Last name",
            opt(c.and_then(|c| c.last_name.as_deref())),
        ),
        Field::text("email", "Email", opt(c.and_then(|c| c.email.as_deref()))),
        Field::text("phone", "Phone", opt(c.and_then(|c| c.phone.as_deref()))),
        Field::text(
            "company",
            "Company",
            opt(c.and_then(|c| c.company.as_deref())),
        ),
        Field::text(
            "job title",
            "Job title",
            opt(c.and_then(|c| c.job_title.as_deref())),
        ),
        Field::text(
            "location",
            "Location",
            opt(c.and_then(|c| c.location.as_deref())),
        ),
        Field::text(
            "tags",
            "Tags (comma)",
            &c.map(|c| c.tags.join(", ")).unwrap_or_default(),
        ),
        Field::text(
            "owner",
            "Owner (username)",
            opt(c.and_then(|c| c.owner.as_deref())),
        ),
    ];
    fields.extend(consent_fields(
        c.map(|c| [c.consent_email, c.consent_gdpr, c.consent_ccpa]),
    ));
    if c.is_none() {
        // Ticked after the service named a contact with the same email or phone.
        fields.push(Field::check("allow duplicate", "Add if duplicate", false));
    }
    fields
}
