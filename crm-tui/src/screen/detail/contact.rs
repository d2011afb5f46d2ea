//! The contact's page: what it loads to show.

use crm_core::{ContactId, DealQuery, EntityKind, RecordRef, TicketQuery};

use super::deal::deal_link;
use super::ticket::ticket_link;
use super::{DetailScreen, Link, Loaded, text, time, yes};
use crate::screen::Ctx;

impl DetailScreen {
    pub(super) fn load_contact(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.contact(actor, ContactId(id))?;
        self.title = format!("Contact {} · {}", c.id, c.full_name());
        self.fields = vec![
            ("Name", c.full_name()),
            ("Email", text(c.email.as_deref())),
            ("Phone", text(c.phone.as_deref())),
            ("Company", text(c.company.as_deref())),
            ("Job title", text(c.job_title.as_deref())),
            ("Location", text(c.location.as_deref())),
            ("Tags", c.tags.join(", ")),
            ("Owner", text(c.owner.as_deref())),
            (
                "From lead",
                c.source_lead_id.map_or("—".into(), |l| l.to_string()),
            ),
            ("Email consent", yes(c.consent_email)),
            ("Created", time(Some(c.created_at))),
        ];
        // A support agent may read the contact but not its deals: show what is allowed.
        if let Ok(deals) = crm.list_deals(
            actor,
            &DealQuery {
                contact: Some(c.id),
                limit: 20,
                ..DealQuery::default()
            },
        ) {
            self.links
                .push(("Deals".into(), deals.items.iter().map(deal_link).collect()));
        }
        if let Ok(tickets) = crm.list_tickets(
            actor,
            &TicketQuery {
                contact: Some(c.id),
                include_resolved: true,
                limit: 20,
                ..TicketQuery::default()
            },
        ) {
            self.links.push((
                "Tickets".into(),
                tickets.items.iter().map(ticket_link).collect(),
            ));
        }
        self.company_link(c.company_id, c.company.as_deref());
        if let Some(lead) = c.source_lead_id {
            self.links.push((
                "Converted from".into(),
                vec![Link {
                    text: format!("lead {lead}"),
                    record: Some(RecordRef::new(EntityKind::Lead, lead)),
                }],
            ));
        }
        self.loaded = Some(Loaded::Contact(c));
        Ok(())
    }
}
