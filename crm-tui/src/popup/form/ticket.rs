//! The ticket form: its fields, and saving it through one service call.

use crm_core::{
    ContactId, EntityKind, NewTicket, RecordRef, Ticket, TicketId, TicketPatch, TicketPriority,
};

use super::{Field, Form, FormKind, names, opt};
use crate::ctx::Ctx;

impl Form {
    pub(crate) fn new_ticket(contact: Option<ContactId>) -> Form {
        let contact = contact.map(|c| c.to_string()).unwrap_or_default();
        Form::new(
            FormKind::NewTicket,
            "New ticket",
            vec![
                Field::text("subject", "Subject", "").required(),
                Field::text("contact", "Customer contact id", &contact).required(),
                Field::choice("priority", "Priority", names(TicketPriority::ALL), "Medium"),
                Field::text("description", "Description", ""),
                // Options (nobody, then who tickets may go to) come in `prepare`.
                Field::choice("assignee", "Assignee", Vec::new(), ""),
            ],
        )
    }

    pub(crate) fn edit_ticket(t: &Ticket) -> Form {
        Form::new(
            FormKind::EditTicket(t.id),
            &format!("Edit ticket {}", t.id),
            vec![
                Field::text("subject", "Subject", &t.subject).required(),
                Field::choice(
                    "priority",
                    "Priority",
                    names(TicketPriority::ALL),
                    t.priority.as_str(),
                ),
                Field::text("description", "Description", opt(t.description.as_deref())),
            ],
        )
        .at_version(t.version)
        .holding(&t.fields)
    }

    pub(super) fn save_edit_ticket(
        &self,
        ctx: &Ctx<'_>,
        id: TicketId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let t = ctx.crm.edit_ticket(
            ctx.actor,
            id,
            &TicketPatch {
                fields: self.custom_input(),
                subject: self.changed("subject"),
                description: self.changed("description"),
                priority: self.changed("priority").and_then(|s| s.parse().ok()),
                if_version: self.version,
            },
        )?;
        Ok((
            format!("Ticket {} saved", t.id),
            RecordRef::new(EntityKind::Ticket, t.id.0),
        ))
    }

    pub(super) fn save_new_ticket(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let t = crm.add_ticket(
            actor,
            &NewTicket {
                fields: self.custom_input(),
                subject: self.get("subject").unwrap_or_default(),
                contact: ContactId(
                    self.get("contact")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0),
                ),
                priority: self.get("priority").and_then(|s| s.parse().ok()),
                description: self.get("description"),
                assignee: self.get("assignee"),
            },
        )?;
        Ok((
            format!("Ticket {} opened", t.id),
            RecordRef::new(EntityKind::Ticket, t.id.0),
        ))
    }
}
