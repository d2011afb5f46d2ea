//! The ticket's page: what it loads to show.

use crm_core::{EntityKind, RecordRef, Ticket, TicketId};

use super::{DetailScreen, Link, Loaded, text, time};
use crate::screen::Ctx;

impl DetailScreen {
    pub(super) fn load_ticket(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let t = crm.ticket(actor, TicketId(id))?;
        self.title = format!("Ticket {} · {}", t.id, t.subject);
        self.fields = vec![
            ("Subject", t.subject.clone()),
            ("Customer", t.contact.clone()),
            ("Email", text(t.contact_email.as_deref())),
            ("Priority", t.priority.to_string()),
            ("Status", t.status.to_string()),
            ("Assignee", text(t.assignee.as_deref())),
            ("Description", text(t.description.as_deref())),
            ("Resolution", text(t.resolution.as_deref())),
            ("Resolved", time(t.resolved_at)),
            ("Opened", time(Some(t.created_at))),
        ];
        self.links.push((
            "Customer".into(),
            vec![Link {
                text: t.contact.clone(),
                record: Some(RecordRef::new(EntityKind::Contact, t.contact_id.0)),
            }],
        ));
        self.loaded = Some(Loaded::Ticket(t));
        Ok(())
    }
}

pub(super) fn ticket_link(t: &Ticket) -> Link {
    Link {
        text: format!("#{} {} · {}", t.id, t.subject, t.status),
        record: Some(RecordRef::new(EntityKind::Ticket, t.id.0)),
    }
}
