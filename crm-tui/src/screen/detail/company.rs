//! The company's page: what it loads to show.

use crm_core::{CompanyId, EntityKind, Money, RecordRef};

use super::{DetailScreen, Link, Loaded, text};
use crate::screen::Ctx;

impl DetailScreen {
    /// A company's page: its fields, and the contacts, open leads, open deals and tickets under
    /// it that the user may read.
    pub(super) fn load_company(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let page = ctx.crm.company_page(ctx.actor, CompanyId(id))?;
        let c = page.company;
        self.title = format!("Company {} · {}", c.id, c.name);
        let revenue = if page.won_revenue.is_empty() {
            "—".to_string()
        } else {
            page.won_revenue
                .iter()
                .map(|r| format!("{} ({} won)", Money::new(r.amount, r.currency), r.deals))
                .collect::<Vec<_>>()
                .join(", ")
        };
        self.fields = vec![
            ("Name", c.name.clone()),
            ("Domain", text(c.domain.as_deref())),
            ("Industry", text(c.industry.as_deref())),
            ("Size", c.size.map_or("—".into(), |s| s.to_string())),
            ("Phone", text(c.phone.as_deref())),
            ("Address", text(c.address.as_deref())),
            ("Owner", text(c.owner.as_deref())),
            (
                "Records",
                format!(
                    "{} contacts, {} leads, {} deals",
                    c.contacts, c.leads, c.deals
                ),
            ),
            ("Won revenue", revenue),
        ];
        let link = |kind, id, text: String| Link {
            text,
            record: Some(RecordRef::new(kind, id)),
        };
        self.links = vec![
            (
                "Contacts".into(),
                page.contacts
                    .iter()
                    .map(|p| {
                        let title = p
                            .job_title
                            .as_deref()
                            .map_or(String::new(), |t| format!(" · {t}"));
                        link(EntityKind::Contact, p.id.0, format!("{}{title}", p.name))
                    })
                    .collect(),
            ),
            (
                "Open deals".into(),
                page.open_deals
                    .iter()
                    .map(|d| {
                        let value = Money::new(d.amount, d.currency);
                        link(
                            EntityKind::Deal,
                            d.id.0,
                            format!("{} · {} · {value}", d.title, d.stage),
                        )
                    })
                    .collect(),
            ),
            (
                "Open leads".into(),
                page.leads
                    .iter()
                    .map(|l| {
                        link(
                            EntityKind::Lead,
                            l.id.0,
                            format!("{} · {} · {}", l.name, l.stage, l.score),
                        )
                    })
                    .collect(),
            ),
            (
                "Tickets".into(),
                page.tickets
                    .iter()
                    .map(|t| {
                        link(
                            EntityKind::Ticket,
                            t.id.0,
                            format!("{} · {} · {}", t.subject, t.status, t.contact),
                        )
                    })
                    .collect(),
            ),
        ];
        self.loaded = Some(Loaded::Company(c));
        Ok(())
    }

    /// The company a contact or lead is linked to, as a section of its own.
    pub(super) fn company_link(&mut self, id: Option<CompanyId>, name: Option<&str>) {
        if let Some(id) = id {
            self.links.push((
                "Company".into(),
                vec![Link {
                    text: text(name),
                    record: Some(RecordRef::new(EntityKind::Company, id.0)),
                }],
            ));
        }
    }
}
