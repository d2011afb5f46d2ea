//! Leads: capture (with round-robin), scoring, nurture drips, and conversion.

mod convert;
mod nurture;
mod scores;

use std::fmt::Write as _;

use super::{Crm, fields, user_named};
use crate::auth::Scope;
use crate::model::person_name;
use crate::rules::{round_robin, validate};
use crate::store::{LeadFilter, LeadRow, Tx};
use crate::{
    Actor, Bant, EntityKind, Error, FieldsOf, Lead, LeadId, LeadPatch, LeadQuery, LeadSource,
    LeadStage, NewLead, Page, Result, TaskSummary, UserId, Version,
};

pub use convert::ConversionPlan;
pub use nurture::{NurtureReport, NurturedLead, SkippedLead};
use scores::score;

/// The lead if it exists and the actor may work on it.
fn workable(tx: &Tx<'_>, actor: &Actor, id: LeadId, verb: &str) -> Result<Lead> {
    let lead = tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))?;
    let scope = actor.lead_scope();
    if scope != Scope::All && !tx.lead_in_scope(id, scope)? {
        return Err(actor.hide_record(&format!("{verb} lead {id}"), scope));
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
            shown(tx, id)
        })
    }

    /// One lead, if the actor may see it.
    pub fn lead(&self, actor: &Actor, id: LeadId) -> Result<Lead> {
        self.store.read(|tx| {
            workable(tx, actor, id, "read")?;
            shown(tx, id)
        })
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
            let mut page = tx.list_leads(&LeadFilter {
                scope: actor.lead_scope(),
                stage: query.stage,
                temperature: query.temperature,
                campaign,
                owner,
                source: query.source,
                min_score: query.min_score,
                max_score: query.max_score,
                search: search.as_deref(),
                fields: fields::field_tests(tx, FieldsOf::Leads, &query.wheres)?,
                include_converted: query.include_converted,
                sort: query.sort,
                by_field: fields::field_sort(tx, FieldsOf::Leads, query.sort_field.as_deref())?,
                descending: query.descending,
                limit: query.limit,
                after: query.after,
            })?;
            fields::fill(
                tx,
                FieldsOf::Leads,
                &mut page.items,
                |l| l.id.0,
                |l| &mut l.fields,
            )?;
            Ok(page)
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
            shown(tx, id)
        })
    }

    /// Deletes a lead with its tasks and notes. Converted leads stay: analytics count them.
    pub fn delete_lead(
        &self,
        actor: &Actor,
        id: LeadId,
        if_version: Option<Version>,
    ) -> Result<Lead> {
        let now = self.now_text();
        self.store.write(|tx| {
            let lead = workable(tx, actor, id, "delete")?;
            super::records::require_version(tx, id.into(), lead.version, if_version)?;
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

    /// The open tasks of a lead, for `leads show` and the TUI.
    pub fn lead_open_tasks(&self, actor: &Actor, id: LeadId) -> Result<Vec<TaskSummary>> {
        self.store.read(|tx| {
            workable(tx, actor, id, "read")?;
            tx.open_lead_tasks(id)
        })
    }
}

/// The body of `add_lead` inside a caller's transaction.
pub(crate) fn create_lead(tx: &Tx<'_>, actor: &Actor, new: &NewLead, now: &str) -> Result<LeadId> {
    let mut row = checked_lead(tx, actor, new, &mut |c| Crm::campaign_id(tx, c))?;
    let id = insert_checked_lead(tx, actor, &mut row, new.auto_assign, now)?;
    fields::write_fields(tx, FieldsOf::Leads, id.0, &new.fields, true)?;
    Ok(id)
}

/// Lead `id` with its custom values, as the services hand a lead out.
fn shown(tx: &Tx<'_>, id: LeadId) -> Result<Lead> {
    let lead = tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))?;
    fields::with_values(tx, FieldsOf::Leads, lead, |l| l.id.0, |l| &mut l.fields)
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
        first_name: validate::first_name(&new.first_name)?,
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
    someone(&row)?;
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
            person_name(
                &row.first_name,
                row.last_name.as_deref(),
                row.email.as_deref(),
                row.phone.as_deref()
            ),
            tx.campaign_name(row.campaign_id)?
        ),
        now,
    )?;
    super::webhooks::queue(tx, crate::WebhookEvent::LeadCreated, now, || {
        tx.lead(id)?.ok_or_else(|| Error::not_found("lead", id))
    })?;
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

/// A lead needs a name, an email or a phone ([`validate::identified`]).
fn someone(row: &LeadRow) -> Result<()> {
    validate::identified(
        &row.first_name,
        row.last_name.as_deref(),
        row.email.as_deref(),
        row.phone.as_deref(),
    )
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
    super::records::require_version(tx, id.into(), lead.version, patch.if_version)?;
    not_converted(&lead)?;
    let mut row = LeadRow::from(&lead);
    if let Some(first) = &patch.first_name {
        row.first_name = validate::first_name(first)?;
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
    someone(&row)?;
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
    fields::write_fields(tx, FieldsOf::Leads, id.0, &patch.fields, false)?;
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
