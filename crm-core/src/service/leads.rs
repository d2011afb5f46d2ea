//! Leads: capture (with round-robin), scoring, nurture drips, and conversion.

use std::fmt::Write as _;

use chrono::Duration;
use serde::Serialize;

use super::{Crm, user_named};
use crate::auth::Scope;
use crate::clock::to_text;
use crate::model::full_name;
use crate::rules::scoring::{self, ScoreInput};
use crate::rules::{drip, round_robin, validate};
use crate::store::{ContactRow, DealRow, LeadFilter, LeadRow, LeadTask, Tx};
use crate::{
    Actor, Bant, Conversion, EntityKind, Error, Lead, LeadId, LeadPatch, LeadQuery, LeadSource,
    LeadStage, NewLead, Page, Result, ScorePart, TaskId, TaskKind, TaskSummary, UserId,
    parse_amount,
};

/// What a nurture run created, lead by lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NurtureReport {
    pub leads: Vec<NurturedLead>,
}

/// The drip tasks of one lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NurturedLead {
    pub lead_id: LeadId,
    pub name: String,
    pub owner: Option<String>,
    pub tasks: Vec<TaskId>,
    /// Email steps left out because the lead has not consented to email.
    pub skipped_email_steps: usize,
}

fn score(value: i64) -> Result<u8> {
    u8::try_from(value)
        .ok()
        .filter(|s| *s <= 100)
        .ok_or_else(|| Error::invalid("score", format!("{value} is outside 0..=100")))
}

/// The lead if it exists and the actor may work on it.
fn workable(tx: &Tx<'_>, actor: &Actor, id: LeadId, verb: &str) -> Result<Lead> {
    let lead = tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))?;
    let scope = actor.lead_scope();
    if scope != Scope::All && !tx.lead_in_scope(id, scope)? {
        return Err(actor.refuse_record(&format!("{verb} lead {id}"), scope));
    }
    Ok(lead)
}

/// The id and username of an active user who can take leads; errors name `field`.
fn active_owner(tx: &Tx<'_>, field: &str, username: &str) -> Result<(UserId, String)> {
    let owner = user_named(tx, field, username)?;
    let stored = tx
        .user_by_id(owner)?
        .ok_or_else(|| Error::not_found("user", owner))?;
    if !stored.user.active {
        return Err(Error::invalid(
            field,
            format!("'{}' is disabled", stored.user.username),
        ));
    }
    Ok((owner, stored.user.username))
}

/// Sets a lead's owner and logs it; the caller has checked the actor may assign it.
fn give_lead(
    tx: &Tx<'_>,
    actor: &Actor,
    lead: &Lead,
    owner: UserId,
    owner_name: &str,
    now: &str,
) -> Result<()> {
    let mut row = LeadRow::from(lead);
    row.owner_id = Some(owner);
    tx.update_lead(lead.id, &row, now)?;
    log(
        tx,
        actor,
        "assigned",
        lead.id,
        &format!(
            "{} assigned lead '{}' to {owner_name}",
            actor.display_name,
            lead.full_name(),
        ),
        now,
    )
}

/// Converted leads are read-only: the error names what the conversion made.
fn not_converted(lead: &Lead) -> Result<()> {
    if lead.stage == LeadStage::Converted {
        return Err(Error::Conflict(format!(
            "lead {} was already converted into contact {} and deal {}; it is read-only",
            lead.id,
            lead.converted_contact_id
                .map_or("?".into(), |c| c.to_string()),
            lead.deal_id.map_or("?".into(), |d| d.to_string()),
        )));
    }
    Ok(())
}

/// The next active sales rep in turn; moves the cursor. Refuses when there is none.
fn next_rep(tx: &Tx<'_>, now: &str) -> Result<UserId> {
    let reps = tx.active_sales_reps()?;
    let rep = round_robin::next(&reps, tx.assignment_cursor()?).ok_or_else(|| {
        Error::Conflict(
            "no active sales rep to auto-assign to; add one with `crm users add --role sales_rep`"
                .into(),
        )
    })?;
    tx.set_assignment_cursor(rep, now)?;
    Ok(rep)
}

fn log(
    tx: &Tx<'_>,
    actor: &Actor,
    verb: &str,
    lead: LeadId,
    summary: &str,
    now: &str,
) -> Result<()> {
    tx.insert_activity(Some(actor.id), verb, EntityKind::Lead, lead.0, summary, now)
}

impl Crm {
    /// Captures a lead. No campaign means General / Unassigned; `auto_assign` gives it to the
    /// next active sales rep in turn; a rep's own leads are theirs.
    pub fn add_lead(&self, actor: &Actor, new: &NewLead) -> Result<Lead> {
        let now = self.now_text();
        self.store.write(|tx| {
            let id = create_lead(tx, actor, new, &now)?;
            tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))
        })
    }

    /// One lead, if the actor may see it.
    pub fn lead(&self, actor: &Actor, id: LeadId) -> Result<Lead> {
        self.store.read(|tx| workable(tx, actor, id, "read"))
    }

    /// A page of the leads the actor may see; converted leads only with `include_converted`.
    pub fn list_leads(&self, actor: &Actor, query: &LeadQuery) -> Result<Page<Lead>> {
        if actor.lead_scope() == Scope::Nothing {
            return Err(actor.refuse_record("list leads", Scope::Nothing));
        }
        let search = validate::optional("search", query.search.as_deref())?;
        for (field, value) in [
            ("min score", query.min_score),
            ("max score", query.max_score),
        ] {
            if let Some(v) = value {
                score(v).map_err(|_| Error::invalid(field, format!("{v} is outside 0..=100")))?;
            }
        }
        validate::page_limit(query.limit)?;
        self.store.read(|tx| {
            let campaign = query
                .campaign
                .as_deref()
                .map(|c| Crm::campaign_id(tx, c))
                .transpose()?;
            let owner = query
                .owner
                .as_deref()
                .map(|o| user_named(tx, "owner", o))
                .transpose()?;
            tx.list_leads(&LeadFilter {
                scope: actor.lead_scope(),
                stage: query.stage,
                temperature: query.temperature,
                campaign,
                owner,
                source: query.source,
                min_score: query.min_score,
                max_score: query.max_score,
                search: search.as_deref(),
                include_converted: query.include_converted,
                sort: query.sort,
                descending: query.descending,
                limit: query.limit,
                after: query.after,
            })
        })
    }

    /// Changes a lead. Marking it Lost cancels its open drip tasks (the stop rule).
    pub fn edit_lead(&self, actor: &Actor, id: LeadId, patch: &LeadPatch) -> Result<Lead> {
        if patch.owner.is_some() {
            actor.require_lead_assign()?;
        }
        let now = self.now_text();
        self.store.write(|tx| {
            let owner = new_owner(tx, patch)?;
            update_lead(tx, actor, id, patch, &now)?;
            reassign(tx, actor, id, owner.as_ref(), &now)?;
            tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))
        })
    }

    /// Deletes a lead with its tasks and notes. Converted leads stay: analytics count them.
    pub fn delete_lead(&self, actor: &Actor, id: LeadId) -> Result<Lead> {
        let now = self.now_text();
        self.store.write(|tx| {
            let lead = workable(tx, actor, id, "delete")?;
            not_converted(&lead)?;
            tx.delete_lead(id)?;
            log(
                tx,
                actor,
                "deleted",
                id,
                &format!("{} deleted lead '{}'", actor.display_name, lead.full_name()),
                &now,
            )?;
            Ok(lead)
        })
    }

    /// Sets the score by hand (0..=100); the temperature follows.
    pub fn set_lead_score(&self, actor: &Actor, id: LeadId, value: i64) -> Result<Lead> {
        let value = score(value)?;
        self.rescore(actor, id, |_| Ok(value), "set")
    }

    /// Computes the score from the transparent rules of `rules::scoring`.
    pub fn auto_score_lead(&self, actor: &Actor, id: LeadId) -> Result<Lead> {
        let now = self.now();
        self.rescore(
            actor,
            id,
            |lead| Ok(scoring::total(&explain_parts(lead, now))),
            "auto-scored",
        )
    }

    fn rescore(
        &self,
        actor: &Actor,
        id: LeadId,
        compute: impl Fn(&Lead) -> Result<u8>,
        how: &str,
    ) -> Result<Lead> {
        let now = self.now_text();
        self.store.write(|tx| {
            let lead = workable(tx, actor, id, "score")?;
            not_converted(&lead)?;
            let mut row = LeadRow::from(&lead);
            row.score = compute(&lead)?;
            tx.update_lead(id, &row, &now)?;
            let t = scoring::temperature(row.score);
            log(
                tx,
                actor,
                "scored",
                id,
                &format!(
                    "{} {how} the score of lead '{}': {} -> {} ({t})",
                    actor.display_name,
                    lead.full_name(),
                    lead.score,
                    row.score
                ),
                &now,
            )?;
            tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))
        })
    }

    /// Each scoring rule's points for this lead, as the automatic score would count them.
    pub fn explain_lead_score(&self, actor: &Actor, id: LeadId) -> Result<(Lead, Vec<ScorePart>)> {
        let now = self.now();
        let lead = self.lead(actor, id)?;
        let parts = explain_parts(&lead, now);
        Ok((lead, parts))
    }

    /// Gives a lead to a user by hand.
    pub fn assign_lead(&self, actor: &Actor, id: LeadId, username: &str) -> Result<Lead> {
        actor.require_lead_assign()?;
        let now = self.now_text();
        self.store.write(|tx| {
            let (owner, name) = active_owner(tx, "owner", username)?;
            let lead = workable(tx, actor, id, "assign")?;
            not_converted(&lead)?;
            give_lead(tx, actor, &lead, owner, &name, &now)?;
            tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))
        })
    }

    /// One change to many leads, in one transaction: the patch as `edit_lead` applies it, its
    /// owner included. One lead the actor may not change, or one bad value, and nothing
    /// changes; the error names the lead. A repeated id counts once. Returns how many leads
    /// were changed.
    pub fn edit_leads(&self, actor: &Actor, ids: &[LeadId], patch: &LeadPatch) -> Result<usize> {
        if patch.owner.is_some() {
            actor.require_lead_assign()?;
        }
        let ids = super::distinct(ids);
        let now = self.now_text();
        self.store.write(|tx| {
            let owner = new_owner(tx, patch)?;
            for &id in &ids {
                let one = || -> Result<()> {
                    update_lead(tx, actor, id, patch, &now)?;
                    reassign(tx, actor, id, owner.as_ref(), &now)
                };
                one().map_err(|err| match err {
                    Error::Invalid { field, reason } => {
                        Error::invalid(&field, format!("{reason} (lead {id})"))
                    }
                    other => other,
                })?;
            }
            Ok(ids.len())
        })
    }

    /// Gives every open (not converted) lead of `from` to `to`, in one transaction with an
    /// activity row per lead: a rep who leaves hands over their whole book at once. Returns how
    /// many leads moved.
    pub fn reassign_leads(&self, actor: &Actor, from: &str, to: &str) -> Result<usize> {
        actor.require_lead_assign()?;
        let now = self.now_text();
        self.store.write(|tx| {
            let from_id = user_named(tx, "from", from)?;
            let (owner, name) = active_owner(tx, "to", to)?;
            if owner == from_id {
                return Err(Error::invalid("to", "is the same user as --from"));
            }
            let ids = tx.open_lead_ids_of(from_id)?;
            for id in &ids {
                let lead = workable(tx, actor, *id, "assign")?;
                give_lead(tx, actor, &lead, owner, &name, &now)?;
            }
            Ok(ids.len())
        })
    }

    /// Creates a drip of follow-up tasks for each lead, assigned to its owner (or the acting user
    /// when it has none), due on the drip's days, and sets each lead's next action. One
    /// transaction for all leads: one bad id and nothing is created.
    pub fn nurture_leads(
        &self,
        actor: &Actor,
        ids: &[LeadId],
        drip_text: Option<&str>,
    ) -> Result<NurtureReport> {
        if ids.is_empty() {
            return Err(Error::invalid("leads", "name at least one lead id"));
        }
        let steps = drip::parse(drip_text.unwrap_or(drip::DEFAULT))?;
        let start = self.now();
        let now = to_text(start);
        self.store.write(|tx| {
            let mut report = NurtureReport { leads: Vec::new() };
            for id in ids {
                let lead = workable(tx, actor, *id, "nurture")?;
                not_converted(&lead)?;
                if lead.stage == LeadStage::Lost {
                    return Err(Error::Conflict(format!(
                        "lead {id} is Lost; reopen it before nurturing"
                    )));
                }
                let assignee = lead.owner_id.unwrap_or(actor.id);
                let mut tasks = Vec::new();
                let mut first_due = None;
                let mut skipped_email_steps = 0;
                for (n, step) in steps.iter().enumerate() {
                    // No consent, no email: the step is left out, the others keep their
                    // numbers so the rep sees the gap.
                    if step.kind == TaskKind::Email && !lead.consent_email {
                        skipped_email_steps += 1;
                        continue;
                    }
                    // Follow-ups fall due at 09:00 UTC on their day.
                    let day = start.date_naive() + Duration::days(i64::from(step.day));
                    let due = crate::rules::when::start_of_day(day);
                    let due = if step.day == 0 { start.max(due) } else { due };
                    first_due.get_or_insert(due);
                    let title = format!(
                        "{} {} (drip step {} of {})",
                        step.kind,
                        lead.full_name(),
                        n + 1,
                        steps.len()
                    );
                    let task = tx.insert_lead_task(
                        &LeadTask {
                            title: &title,
                            kind: step.kind,
                            due_at: &to_text(due),
                            assignee: Some(assignee),
                            lead: *id,
                            drip_step: u32::try_from(n + 1).ok(),
                        },
                        actor.id,
                        &now,
                    )?;
                    tasks.push(task);
                }
                let mut row = LeadRow::from(&lead);
                row.next_action_at = first_due.or(row.next_action_at);
                tx.update_lead(*id, &row, &now)?;
                let left_out = match skipped_email_steps {
                    0 => String::new(),
                    n => format!(" ({n} email steps left out: no email consent)"),
                };
                log(
                    tx,
                    actor,
                    "nurtured",
                    *id,
                    &format!(
                        "{} started a {}-step drip for lead '{}'{left_out}",
                        actor.display_name,
                        steps.len(),
                        lead.full_name()
                    ),
                    &now,
                )?;
                let owner = lead.owner.clone().or_else(|| Some(actor.username.clone()));
                report.leads.push(NurturedLead {
                    lead_id: *id,
                    name: lead.full_name(),
                    owner,
                    tasks,
                    skipped_email_steps,
                });
            }
            Ok(report)
        })
    }

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

    /// The open tasks of a lead, for `leads show` and the TUI.
    pub fn lead_open_tasks(&self, actor: &Actor, id: LeadId) -> Result<Vec<TaskSummary>> {
        self.store.read(|tx| {
            workable(tx, actor, id, "read")?;
            tx.open_lead_tasks(id)
        })
    }
}

/// The contact a conversion links to: an existing one with the same email or phone (only its
/// empty fields filled from the lead), or a new one made from the lead. True when reused.
/// The deal title a conversion uses unless the user gives one.
fn default_deal_title(lead: &Lead) -> String {
    match &lead.company {
        Some(company) => format!("{company} — {}", lead.full_name()),
        None => format!("Deal with {}", lead.full_name()),
    }
}

/// What a conversion would do, shown before the user confirms.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
    let found = super::duplicates::existing(
        tx,
        EntityKind::Contact,
        lead.email.as_deref(),
        lead.phone.as_deref(),
    )?
    .map(|(id, _)| crate::ContactId(id));
    match found {
        Some(id) if super::contacts::may_write_contact(tx, actor, id)? => Ok(Some(id)),
        _ => Ok(None),
    }
}

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

fn explain_parts(lead: &Lead, now: chrono::DateTime<chrono::Utc>) -> Vec<ScorePart> {
    scoring::explain(&ScoreInput {
        bant: lead.bant,
        job_title: lead.job_title.as_deref(),
        source: lead.source,
        last_contacted_at: lead.last_contacted_at,
        consent_email: lead.consent_email,
        consent_gdpr: lead.consent_gdpr,
        now,
    })
}

/// The body of `add_lead` inside a caller's transaction.
pub(crate) fn create_lead(tx: &Tx<'_>, actor: &Actor, new: &NewLead, now: &str) -> Result<LeadId> {
    let mut row = checked_lead(tx, actor, new, &mut |c| Crm::campaign_id(tx, c))?;
    insert_checked_lead(tx, actor, &mut row, new.auto_assign, now)
}

/// Everything `add_lead` checks, without writing: the validated row, its campaign (found by
/// `campaign_of`, which an importer remembers) and owner resolved; an auto-assigned owner is
/// picked when it is written.
pub(crate) fn checked_lead(
    tx: &Tx<'_>,
    actor: &Actor,
    new: &NewLead,
    campaign_of: &mut dyn FnMut(&str) -> Result<crate::CampaignId>,
) -> Result<LeadRow> {
    actor.require_lead_create()?;
    let score = score(new.score.unwrap_or(0))?;
    if new.stage == Some(LeadStage::Converted) {
        return Err(Error::invalid(
            "stage",
            "a new lead cannot start Converted; add it, then `crm leads convert`",
        ));
    }
    let mut row = LeadRow {
        first_name: validate::required("first name", &new.first_name)?,
        last_name: validate::optional("last name", new.last_name.as_deref())?,
        company: validate::optional("company", new.company.as_deref())?,
        company_id: None,
        job_title: validate::optional("job title", new.job_title.as_deref())?,
        email: validate::email("email", new.email.as_deref())?,
        phone: validate::phone("phone", new.phone.as_deref())?,
        location: validate::optional("location", new.location.as_deref())?,
        industry: validate::optional("industry", new.industry.as_deref())?,
        region: validate::optional("region", new.region.as_deref())?,
        campaign_id: crate::CampaignId(0),
        source: new.source.unwrap_or(LeadSource::Other),
        utm_source: validate::optional("utm source", new.utm_source.as_deref())?,
        utm_medium: validate::optional("utm medium", new.utm_medium.as_deref())?,
        utm_campaign: validate::optional("utm campaign", new.utm_campaign.as_deref())?,
        stage: new.stage.unwrap_or(LeadStage::New),
        score,
        status_reason: validate::optional("status reason", new.status_reason.as_deref())?,
        owner_id: None,
        notes: validate::multiline("notes", new.notes.as_deref())?,
        last_contacted_at: None,
        next_action_at: None,
        bant: new.bant,
        interested_products: validate::optional(
            "interested products",
            new.interested_products.as_deref(),
        )?,
        consent_email: new.consent_email,
        consent_gdpr: new.consent_gdpr,
        consent_ccpa: new.consent_ccpa,
    };
    super::privacy::refuse_suppressed(tx, row.email.as_deref())?;
    row.campaign_id = match &new.campaign {
        Some(c) if !c.trim().is_empty() => campaign_of(c)?,
        _ => tx.general_campaign()?,
    };
    row.owner_id = if new.auto_assign {
        // The round-robin hands the lead to another rep: distribution work, as `assign` is.
        actor.require_lead_assign()?;
        None
    } else if let Some(owner) = &new.owner {
        let owner = user_named(tx, "owner", owner)?;
        if owner != actor.id {
            actor.require_lead_assign()?;
        }
        Some(owner)
    } else if actor.role == crate::Role::SalesRep {
        Some(actor.id)
    } else {
        None
    };
    if !new.allow_duplicate {
        super::duplicates::refuse_duplicate(
            tx,
            actor,
            EntityKind::Lead,
            row.email.as_deref(),
            row.phone.as_deref(),
        )?;
    }
    Ok(row)
}

/// Writes a lead `checked_lead` passed: gives it its turn's rep when `auto_assign`, links its
/// company and logs it. Fails only when the database does, or before writing anything when no
/// rep can be auto-assigned, so the importer needs no savepoint around the pair.
pub(crate) fn insert_checked_lead(
    tx: &Tx<'_>,
    actor: &Actor,
    row: &mut LeadRow,
    auto_assign: bool,
    now: &str,
) -> Result<LeadId> {
    if auto_assign {
        row.owner_id = Some(next_rep(tx, now)?);
    }
    row.company_id = company_of(tx, row, now)?;
    let id = tx.insert_lead(row, actor.id, now)?;
    // Names looked up one by one, not by reading the lead back: this runs once per imported row.
    let owner = row.owner_id.map(|o| tx.username(o)).transpose()?;
    let assigned = match (owner, auto_assign) {
        (Some(owner), true) => format!(", auto-assigned to {owner}"),
        (Some(owner), false) => format!(", owned by {owner}"),
        (None, _) => String::new(),
    };
    log(
        tx,
        actor,
        "created",
        id,
        &format!(
            "{} added lead '{}' to {}{assigned}",
            actor.display_name,
            full_name(&row.first_name, row.last_name.as_deref()),
            tx.campaign_name(row.campaign_id)?
        ),
        now,
    )?;
    Ok(id)
}

/// The active user a patch gives its leads to, with their name.
fn new_owner(tx: &Tx<'_>, patch: &LeadPatch) -> Result<Option<(crate::UserId, String)>> {
    patch
        .owner
        .as_deref()
        .map(|name| active_owner(tx, "owner", name))
        .transpose()
}

/// Gives the lead to `owner` as `assign_lead` would, unless it is theirs already.
fn reassign(
    tx: &Tx<'_>,
    actor: &Actor,
    id: LeadId,
    owner: Option<&(crate::UserId, String)>,
    now: &str,
) -> Result<()> {
    if let Some((owner, name)) = owner {
        let lead = workable(tx, actor, id, "assign")?;
        if lead.owner_id != Some(*owner) {
            give_lead(tx, actor, &lead, *owner, name, now)?;
        }
    }
    Ok(())
}

/// The body of `edit_lead` inside a caller's transaction.
pub(crate) fn update_lead(
    tx: &Tx<'_>,
    actor: &Actor,
    id: LeadId,
    patch: &LeadPatch,
    now: &str,
) -> Result<()> {
    if patch.stage == Some(LeadStage::Converted) {
        return Err(Error::invalid(
            "stage",
            "use `crm leads convert` to convert a lead",
        ));
    }
    let lead = workable(tx, actor, id, "edit")?;
    not_converted(&lead)?;
    let mut row = LeadRow::from(&lead);
    if let Some(first) = &patch.first_name {
        row.first_name = validate::required("first name", first)?;
    }
    row.last_name = validate::patched("last name", row.last_name, patch.last_name.as_ref())?;
    row.company = validate::patched("company", row.company, patch.company.as_ref())?;
    row.job_title = validate::patched("job title", row.job_title, patch.job_title.as_ref())?;
    if let Some(email) = &patch.email {
        row.email = validate::email("email", Some(email))?;
        super::privacy::refuse_suppressed(tx, row.email.as_deref())?;
    }
    if let Some(phone) = &patch.phone {
        row.phone = validate::phone("phone", Some(phone))?;
    }
    row.location = validate::patched("location", row.location, patch.location.as_ref())?;
    row.industry = validate::patched("industry", row.industry, patch.industry.as_ref())?;
    row.region = validate::patched("region", row.region, patch.region.as_ref())?;
    if let Some(c) = &patch.campaign {
        row.campaign_id = if c.trim().is_empty() {
            tx.general_campaign()?
        } else {
            Crm::campaign_id(tx, c)?
        };
    }
    row.source = patch.source.unwrap_or(row.source);
    row.utm_source = validate::patched("utm source", row.utm_source, patch.utm_source.as_ref())?;
    row.utm_medium = validate::patched("utm medium", row.utm_medium, patch.utm_medium.as_ref())?;
    row.utm_campaign = validate::patched(
        "utm campaign",
        row.utm_campaign,
        patch.utm_campaign.as_ref(),
    )?;
    row.stage = patch.stage.unwrap_or(row.stage);
    if let Some(value) = patch.score {
        row.score = score(value)?;
    }
    row.status_reason = validate::patched(
        "status reason",
        row.status_reason,
        patch.status_reason.as_ref(),
    )?;
    if let Some(notes) = &patch.notes {
        row.notes = validate::multiline("notes", Some(notes))?;
    }
    row.last_contacted_at = patch.last_contacted_at.unwrap_or(row.last_contacted_at);
    row.next_action_at = patch.next_action_at.unwrap_or(row.next_action_at);
    row.bant = Bant {
        budget: patch.bant_budget.unwrap_or(row.bant.budget),
        authority: patch.bant_authority.unwrap_or(row.bant.authority),
        need: patch.bant_need.unwrap_or(row.bant.need),
        timeline: patch.bant_timeline.unwrap_or(row.bant.timeline),
    };
    row.interested_products = validate::patched(
        "interested products",
        row.interested_products,
        patch.interested_products.as_ref(),
    )?;
    row.consent_email = patch.consent_email.unwrap_or(row.consent_email);
    row.consent_gdpr = patch.consent_gdpr.unwrap_or(row.consent_gdpr);
    row.consent_ccpa = patch.consent_ccpa.unwrap_or(row.consent_ccpa);
    let lost_now = row.stage == LeadStage::Lost && lead.stage != LeadStage::Lost;
    if lost_now {
        row.next_action_at = None;
    }
    if row.company != lead.company || row.email != lead.email {
        row.company_id = company_of(tx, &row, now)?;
    }
    tx.update_lead(id, &row, now)?;
    let mut summary = if row.stage == lead.stage {
        format!("{} updated lead '{}'", actor.display_name, lead.full_name())
    } else {
        format!(
            "{} moved lead '{}' from {} to {}",
            actor.display_name,
            lead.full_name(),
            lead.stage,
            row.stage
        )
    };
    if lost_now {
        let cancelled = tx.cancel_open_drip_tasks(id, now)?;
        if cancelled > 0 {
            let _ = write!(summary, "; {cancelled} open drip task(s) cancelled");
        }
    }
    log(tx, actor, "updated", id, &summary, now)
}

/// The company the row's company text (or, without one, its email's domain) links it to.
fn company_of(tx: &Tx<'_>, row: &LeadRow, now: &str) -> Result<Option<crate::CompanyId>> {
    tx.link_company(
        row.company.as_deref(),
        row.email.as_deref(),
        row.industry.as_deref(),
        row.owner_id,
        now,
    )
}
