//! The deal form: its fields, and saving it through one service call.

use crm_core::{ContactId, Currency, Deal, DealId, DealPatch, EntityKind, NewDeal, RecordRef};

use super::{Field, Form, FormKind, date, opt};
use crate::ctx::Ctx;

impl Form {
    pub(crate) fn new_deal(contact: Option<ContactId>) -> Form {
        let contact = contact.map(|c| c.to_string()).unwrap_or_default();
        Form::new(
            FormKind::NewDeal,
            "New deal",
            vec![
                Field::text("title", "Title", "").required(),
                Field::text("contact", "Contact id", &contact),
                Field::text("amount", "Amount", ""),
                Field::text("currency", "Currency", "INR"),
                Field::choice("stage", "Stage", Vec::new(), ""),
                Field::text("expected close", "Expected close", ""),
                Field::text("owner", "Owner (username)", ""),
            ],
        )
    }

    pub(crate) fn edit_deal(d: &Deal) -> Form {
        Form::new(
            FormKind::EditDeal(d.id),
            &format!("Edit deal {}", d.id),
            vec![
                Field::text("title", "Title", &d.title).required(),
                Field::text(
                    "contact",
                    "Contact id",
                    &d.contact_id.map(|c| c.to_string()).unwrap_or_default(),
                ),
                Field::text(
                    "amount",
                    "Amount",
                    &crm_core::Money::new(d.amount, d.currency).plain(),
                ),
                Field::text("currency", "Currency", d.currency.as_str()),
                Field::text("probability", "Probability (%)", &d.probability.to_string()),
                Field::text(
                    "expected close",
                    "Expected close",
                    &d.expected_close.map(|d| d.to_string()).unwrap_or_default(),
                ),
                Field::text("owner", "Owner (username)", opt(d.owner.as_deref())),
            ],
        )
        .at_version(d.version)
        .holding(&d.fields)
    }

    pub(super) fn save_new_deal(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let d = crm.add_deal(
            actor,
            &NewDeal {
                title: self.get("title").unwrap_or_default(),
                contact: self
                    .get("contact")
                    .and_then(|s| s.parse().ok())
                    .map(ContactId),
                amount: self.get("amount"),
                currency: self
                    .get("currency")
                    .and_then(|s| s.parse::<Currency>().ok()),
                stage: self.get("stage"),
                expected_close: self.get("expected close").and_then(|s| date(&s)),
                owner: self.get("owner"),
                fields: self.custom_input(),
                ..NewDeal::default()
            },
        )?;
        Ok((
            format!("Deal {} added: {}", d.id, d.title),
            RecordRef::new(EntityKind::Deal, d.id.0),
        ))
    }

    pub(super) fn save_edit_deal(
        &self,
        ctx: &Ctx<'_>,
        id: DealId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let d = ctx.crm.edit_deal(
            ctx.actor,
            id,
            &DealPatch {
                title: self.changed("title"),
                contact: self
                    .changed("contact")
                    .map(|s| s.parse().ok().map(ContactId)),
                amount: self.changed("amount"),
                currency: self.changed("currency").and_then(|s| s.parse().ok()),
                probability: self.changed("probability").and_then(|s| s.parse().ok()),
                expected_close: self.changed("expected close").map(|s| date(&s)),
                owner: self.changed("owner"),
                if_version: self.version,
                fields: self.custom_input(),
                ..DealPatch::default()
            },
        )?;
        Ok((
            format!("Deal {} saved", d.id),
            RecordRef::new(EntityKind::Deal, d.id.0),
        ))
    }
}
