//! The deal's page: what it loads to show.

use crm_core::{Deal, DealId, EntityKind, Money, RecordRef};

use super::{DetailScreen, Link, Loaded, text, time};
use crate::screen::Ctx;

impl DetailScreen {
    pub(super) fn load_deal(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let d = crm.deal(actor, DealId(id))?;
        self.title = format!("Deal {} · {}", d.id, d.title);
        self.fields = vec![
            ("Title", d.title.clone()),
            ("Amount", Money::new(d.amount, d.currency).to_string()),
            ("Stage", d.stage.clone()),
            ("Probability", format!("{}%", d.probability)),
            (
                "Expected close",
                d.expected_close.map_or("—".into(), |d| d.to_string()),
            ),
            ("Contact", text(d.contact.as_deref())),
            ("Company", text(d.company.as_deref())),
            ("Campaign", text(d.campaign.as_deref())),
            ("Owner", text(d.owner.as_deref())),
            ("Closed", time(d.closed_at)),
            ("Lost reason", text(d.lost_reason.as_deref())),
        ];
        let mut links = Vec::new();
        if let Some(c) = d.contact_id {
            links.push(Link {
                text: format!("contact: {}", text(d.contact.as_deref())),
                record: Some(RecordRef::new(EntityKind::Contact, c.0)),
            });
        }
        if let Some(c) = d.company_id {
            links.push(Link {
                text: format!("company: {}", text(d.company.as_deref())),
                record: Some(RecordRef::new(EntityKind::Company, c.0)),
            });
        }
        if let Some(l) = d.lead_id {
            links.push(Link {
                text: format!("from lead {l}"),
                record: Some(RecordRef::new(EntityKind::Lead, l.0)),
            });
        }
        self.links.push(("Linked".into(), links));
        let history = crm.deal_history(actor, d.id)?;
        self.links.push((
            "Stage history".into(),
            history
                .iter()
                .map(|m| Link {
                    text: format!(
                        "{} {} → {} by {}",
                        m.at.format("%Y-%m-%d"),
                        m.from.as_deref().unwrap_or("start"),
                        m.to,
                        m.by.as_deref().unwrap_or("system")
                    ),
                    record: None,
                })
                .collect(),
        ));
        self.loaded = Some(Loaded::Deal(d));
        Ok(())
    }
}

pub(super) fn deal_link(d: &Deal) -> Link {
    Link {
        text: format!(
            "{} · {} · {}",
            d.title,
            d.stage,
            Money::new(d.amount, d.currency)
        ),
        record: Some(RecordRef::new(EntityKind::Deal, d.id.0)),
    }
}
