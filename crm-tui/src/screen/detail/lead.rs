//! The lead's page: what it loads to show.

use crm_core::{EntityKind, LeadId, RecordRef};

use super::{DetailScreen, Link, Loaded, text, time};
use crate::screen::Ctx;

impl DetailScreen {
    pub(super) fn load_lead(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let l = crm.lead(actor, LeadId(id))?;
        self.title = format!("Lead {} · {}", l.id, l.full_name());
        let bant = [
            ("B", l.bant.budget),
            ("A", l.bant.authority),
            ("N", l.bant.need),
            ("T", l.bant.timeline),
        ]
        .iter()
        .map(|(k, on)| if *on { (*k).to_string() } else { "·".into() })
        .collect::<String>();
        self.fields = vec![
            ("Name", l.full_name()),
            ("Company", text(l.company.as_deref())),
            ("Job title", text(l.job_title.as_deref())),
            ("Email", text(l.email.as_deref())),
            ("Phone", text(l.phone.as_deref())),
            ("Location", text(l.location.as_deref())),
            ("Industry", text(l.industry.as_deref())),
            ("Campaign", l.campaign.clone()),
            ("Source", l.source.to_string()),
            ("Stage", l.stage.to_string()),
            ("Score", format!("{} ({})", l.score, l.temperature)),
            ("Owner", text(l.owner.as_deref())),
            ("BANT", bant),
            ("Next action", time(l.next_action_at)),
            ("Notes", text(l.notes.as_deref())),
            ("Created", time(Some(l.created_at))),
        ];
        self.links.push((
            "Campaign".into(),
            vec![Link {
                text: l.campaign.clone(),
                record: Some(RecordRef::new(EntityKind::Campaign, l.campaign_id.0)),
            }],
        ));
        self.company_link(l.company_id, l.company.as_deref());
        let tasks = crm.lead_open_tasks(actor, l.id)?;
        self.links.push((
            "Open tasks".into(),
            tasks
                .iter()
                .map(|t| Link {
                    text: format!("{} {} · due {}", t.kind, t.title, time(t.due_at)),
                    record: Some(RecordRef::new(EntityKind::Task, t.id.0)),
                })
                .collect(),
        ));
        if let (Some(contact), Some(deal)) = (l.converted_contact_id, l.deal_id) {
            self.links.push((
                "Converted into".into(),
                vec![
                    Link {
                        text: format!("contact {contact}"),
                        record: Some(RecordRef::new(EntityKind::Contact, contact.0)),
                    },
                    Link {
                        text: format!("deal {deal}"),
                        record: Some(RecordRef::new(EntityKind::Deal, deal.0)),
                    },
                ],
            ));
        }
        self.loaded = Some(Loaded::Lead(l));
        Ok(())
    }
}
