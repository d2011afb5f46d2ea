//! Converting a lead into a contact and a deal, and the plan shown before it.

use std::fmt::Write as _;

use super::{log, not_converted, workable};
use crate::rules::validate;
use crate::service::Crm;
use crate::store::{ContactRow, DealRow, Tx};
use crate::{Actor, Conversion, EntityKind, Error, Lead, LeadId, LeadStage, Result, parse_amount};

/// The deal title a conversion uses unless the user gives one.
fn default_deal_title(lead: &Lead) -> String {
    match &lead.company {
        Some(company) => format!("{company} — {}", lead.full_name()),
        None => format!("Deal with {}", lead.full_name()),
    }
}

/// What a conversion would do, shown before the user confirms.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct ConversionPlan {
    pub lead: Lead,
    /// A contact with the lead's email or phone, which the conversion reuses.
    pub existing_contact: Option<crate::Contact>,
    /// The name of the contact created when none exists.
    pub contact_name: String,
    pub deal_title: String,
    /// The stage the deal starts in.
    pub stage: String,
    /// The campaign the deal is attributed to.
    pub campaign: String,
}

/// The contact with the lead's email or, failing that, its phone: the one a conversion reuses,
/// when the actor may change it. Another rep's customer is never linked to (nor touched):
/// the conversion makes a new contact instead, and says nothing of the other.
fn matching_contact(tx: &Tx<'_>, actor: &Actor, lead: &Lead) -> Result<Option<crate::ContactId>> {
    let found = crate::service::duplicates::existing(
        tx,
        EntityKind::Contact,
        lead.email.as_deref(),
        lead.phone.as_deref(),
    )?
    .map(|(id, _)| crate::ContactId(id));
    match found {
        Some(id) if crate::service::contacts::may_write_contact(tx, actor, id)? => Ok(Some(id)),
        _ => Ok(None),
    }
}

/// The contact a conversion links to: an existing one with the same email or phone (only its
/// empty fields filled from the lead), or a new one made from the lead. True when reused.
fn contact_for(
    tx: &Tx<'_>,
    lead: &Lead,
    actor: &Actor,
    now: &str,
) -> Result<(crate::ContactId, bool)> {
    let existing = matching_contact(tx, actor, lead)?;
    let contact_id = match existing {
        Some(contact_id) => {
            let current = tx
                .contact(contact_id)?
                .ok_or_else(|| Error::not_found("contact", contact_id))?;
            let mut row = ContactRow::from(current);
            fill(&mut row.last_name, lead.last_name.as_ref());
            fill(&mut row.email, lead.email.as_ref());
            fill(&mut row.phone, lead.phone.as_ref());
            fill(&mut row.company, lead.company.as_ref());
            if row.company_id.is_none() {
                row.company_id = lead.company_id;
            }
            fill(&mut row.job_title, lead.job_title.as_ref());
            fill(&mut row.location, lead.location.as_ref());
            if row.owner_id.is_none() {
                row.owner_id = lead.owner_id;
            }
            tx.update_contact(contact_id, &row, now)?;
            contact_id
        }
        None => tx.insert_contact(
            &ContactRow {
                first_name: lead.first_name.clone(),
                last_name: lead.last_name.clone(),
                email: lead.email.clone(),
                phone: lead.phone.clone(),
                company: lead.company.clone(),
                company_id: lead.company_id,
                job_title: lead.job_title.clone(),
                location: lead.location.clone(),
                tags: Vec::new(),
                owner_id: lead.owner_id.or(Some(actor.id)),
                consent_email: lead.consent_email,
                consent_gdpr: lead.consent_gdpr,
                consent_ccpa: lead.consent_ccpa,
            },
            now,
        )?,
    };
    Ok((contact_id, existing.is_some()))
}

fn fill(slot: &mut Option<String>, from: Option<&String>) {
    if slot.is_none() {
        *slot = from.cloned();
    }
}

impl Crm {
    /// Converts a lead into a contact and a deal in one transaction. A contact with the same
    /// email or phone is reused (only its empty fields are filled); a Lost lead needs `force`.
    pub fn convert_lead(
        &self,
        actor: &Actor,
        id: LeadId,
        deal_title: Option<&str>,
        amount: Option<&str>,
        force: bool,
    ) -> Result<Conversion> {
        actor.require_convert()?;
        let amount = amount
            .map(|a| parse_amount("amount", a))
            .transpose()?
            .unwrap_or(0);
        let deal_title = validate::optional("deal title", deal_title)?;
        let now = self.now_text();
        self.store.write(|tx| {
            let lead = workable(tx, actor, id, "convert")?;
            not_converted(&lead)?;
            if lead.stage == LeadStage::Lost && !force {
                return Err(Error::Conflict(format!(
                    "lead {id} is Lost; pass --force to convert it anyway"
                )));
            }
            let (contact_id, reused) = contact_for(tx, &lead, actor, &now)?;
            tx.set_contact_source_lead(contact_id, id)?;
            let title = deal_title
                .clone()
                .unwrap_or_else(|| default_deal_title(&lead));
            let currency = tx
                .campaign(lead.campaign_id)?
                .map(|c| c.currency)
                .unwrap_or_default();
            let stage = tx.first_open_stage()?;
            let row = DealRow {
                title: title.clone(),
                contact_id: Some(contact_id),
                company_id: tx.contact_company(contact_id)?.or(lead.company_id),
                campaign_id: Some(lead.campaign_id),
                lead_id: Some(id),
                amount,
                currency,
                probability: stage.probability,
                expected_close: None,
                owner_id: lead.owner_id.or(Some(actor.id)),
            };
            let deal_id = tx.insert_deal(&row, stage.id, actor.id, &now)?;
            tx.mark_converted(id, contact_id, deal_id, &now)?;
            let cancelled = tx.cancel_open_drip_tasks(id, &now)?;
            let mut summary = format!(
                "{} converted lead '{}' into {} contact {contact_id} and deal '{title}'",
                actor.display_name,
                lead.full_name(),
                if reused { "existing" } else { "new" }
            );
            if cancelled > 0 {
                let _ = write!(summary, "; {cancelled} open drip task(s) cancelled");
            }
            log(tx, actor, "converted", id, &summary, &now)?;
            crate::service::webhooks::queue(tx, crate::WebhookEvent::LeadConverted, &now, || {
                Ok(serde_json::json!({
                    "lead": tx.lead(id)?,
                    "contact": tx.contact(contact_id)?,
                    "deal": tx.deal(deal_id)?,
                    "reused_contact": reused,
                }))
            })?;
            Ok(Conversion {
                lead_id: id,
                contact_id,
                reused_contact: reused,
                deal_id,
                deal_title: title.clone(),
                cancelled_tasks: cancelled,
            })
        })
    }

    /// What converting a lead would create, without changing anything: for the confirm dialog.
    /// Refuses exactly what `convert_lead` would refuse, except a Lost lead (the dialog says so).
    pub fn conversion_plan(&self, actor: &Actor, id: LeadId) -> Result<ConversionPlan> {
        actor.require_convert()?;
        self.store.read(|tx| {
            let lead = workable(tx, actor, id, "convert")?;
            not_converted(&lead)?;
            let existing_contact = match matching_contact(tx, actor, &lead)? {
                Some(contact_id) => tx.contact(contact_id)?,
                None => None,
            };
            Ok(ConversionPlan {
                contact_name: lead.full_name(),
                deal_title: default_deal_title(&lead),
                stage: tx.first_open_stage()?.name,
                campaign: lead.campaign.clone(),
                existing_contact,
                lead,
            })
        })
    }
}
