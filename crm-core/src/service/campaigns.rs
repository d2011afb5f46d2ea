//! Campaigns: plan, change, spend, and read with their computed metrics.

use chrono::NaiveDate;

use super::{Crm, user_named};
use crate::rules::validate;
use crate::store::{CampaignRow, Tx};
use crate::{
    Actor, Campaign, CampaignId, CampaignPatch, CampaignSort, CampaignStatus, Channel, EntityKind,
    Error, NewCampaign, Priority, Result, SpendEntry, UserId, Version, parse_amount,
};

/// A short code from a name: "Launch Sprint 2025" -> "launch-sprint-2025".
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(60).collect()
}

fn code(value: &str) -> Result<String> {
    let code = validate::required("code", value)?.to_lowercase();
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Error::invalid(
            "code",
            format!("'{code}' may only hold a-z, 0-9, '-', '_' and '.'"),
        ));
    }
    Ok(code)
}

fn amount(field: &str, text: Option<&String>, current: i64) -> Result<i64> {
    text.map_or(Ok(current), |t| parse_amount(field, t))
}

fn planned(value: Option<i64>, current: i64) -> Result<i64> {
    match value {
        Some(n) if n < 0 => Err(Error::invalid("planned leads", format!("{n} is negative"))),
        Some(n) => Ok(n),
        None => Ok(current),
    }
}

fn users(tx: &Tx<'_>, field: &str, names: &[String]) -> Result<Vec<UserId>> {
    names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| user_named(tx, field, n))
        .collect()
}

fn check_dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<()> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(Error::invalid(
            "end date",
            format!("{e} is before the start date {s}"),
        )),
        _ => Ok(()),
    }
}

fn find(tx: &Tx<'_>, reference: &str) -> Result<Campaign> {
    let id = Crm::campaign_id(tx, reference)?;
    tx.campaign(id)?
        .ok_or_else(|| Error::not_found("campaign", id))
}

/// The row a patch makes of a campaign, validated.
fn patched_row(tx: &Tx<'_>, c: &Campaign, patch: &CampaignPatch) -> Result<CampaignRow> {
    let code = match &patch.code {
        Some(new) => code(new)?,
        None => c.code.clone(),
    };
    if tx.code_taken(&code, Some(c.id))? {
        return Err(Error::Conflict(format!(
            "campaign code '{code}' is already used"
        )));
    }
    let start = patch.start_date.unwrap_or(c.start_date);
    let end = patch.end_date.unwrap_or(c.end_date);
    check_dates(start, end)?;
    let owner_id = match &patch.owner {
        Some(name) if name.trim().is_empty() => None,
        Some(name) => users(tx, "owner", std::slice::from_ref(name))?
            .into_iter()
            .next(),
        None => c.owner_id,
    };
    let team = match &patch.team {
        Some(names) => users(tx, "team", names)?,
        None => users(tx, "team", &c.team)?,
    };
    let row = CampaignRow {
        name: match &patch.name {
            Some(n) => validate::required("name", n)?,
            None => c.name.clone(),
        },
        code,
        description: validate::patched(
            "description",
            c.description.clone(),
            patch.description.as_ref(),
        )?,
        business_unit: validate::patched(
            "business unit",
            c.business_unit.clone(),
            patch.business_unit.as_ref(),
        )?,
        objective: validate::patched("objective", c.objective.clone(), patch.objective.as_ref())?,
        channel: patch.channel.unwrap_or(c.channel),
        audience_segment: validate::patched(
            "audience segment",
            c.audience_segment.clone(),
            patch.audience_segment.as_ref(),
        )?,
        product_line: validate::patched(
            "product line",
            c.product_line.clone(),
            patch.product_line.as_ref(),
        )?,
        start_date: start,
        end_date: end,
        currency: patch.currency.unwrap_or(c.currency),
        budget: amount("budget", patch.budget.as_ref(), c.budget)?,
        expected_spend: amount(
            "expected spend",
            patch.expected_spend.as_ref(),
            c.expected_spend,
        )?,
        planned_leads: planned(patch.planned_leads, c.planned_leads)?,
        owner_id,
        team,
        status: patch.status.unwrap_or(c.status),
        priority: patch.priority.unwrap_or(c.priority),
        compliance_checklist: validate::patched(
            "compliance checklist",
            c.compliance_checklist.clone(),
            patch.compliance_checklist.as_ref(),
        )?,
        external_campaign_id: validate::patched(
            "external campaign id",
            c.external_campaign_id.clone(),
            patch.external_campaign_id.as_ref(),
        )?,
        utm_source: validate::patched(
            "utm source",
            c.utm_source.clone(),
            patch.utm_source.as_ref(),
        )?,
        utm_medium: validate::patched(
            "utm medium",
            c.utm_medium.clone(),
            patch.utm_medium.as_ref(),
        )?,
        utm_campaign: validate::patched(
            "utm campaign",
            c.utm_campaign.clone(),
            patch.utm_campaign.as_ref(),
        )?,
    };
    Ok(row)
}

impl Crm {
    /// Plans a new campaign. The code is made from the name when not given and must be unique.
    pub fn add_campaign(&self, actor: &Actor, new: &NewCampaign) -> Result<Campaign> {
        let now = self.now_text();
        self.store.write(|tx| {
            let id = create_campaign(tx, actor, new, &now)?;
            tx.campaign(id)?
                .ok_or_else(|| Error::not_found("campaign", id))
        })
    }

    /// One campaign by id, code or name, with its metrics.
    pub fn campaign(&self, actor: &Actor, reference: &str) -> Result<Campaign> {
        actor.require_campaign_read()?;
        self.store.read(|tx| find(tx, reference))
    }

    /// Every campaign with its metrics, in the chosen order.
    pub fn list_campaigns(
        &self,
        actor: &Actor,
        sort: CampaignSort,
        descending: bool,
    ) -> Result<Vec<Campaign>> {
        actor.require_campaign_read()?;
        self.store.read(|tx| tx.list_campaigns(sort, descending))
    }

    /// Changes a campaign. The built-in General / Unassigned campaign keeps its name and code.
    pub fn edit_campaign(
        &self,
        actor: &Actor,
        reference: &str,
        patch: &CampaignPatch,
    ) -> Result<Campaign> {
        actor.require_campaign_write("edit campaigns")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let id = find(tx, reference)?.id;
            update_campaign(tx, actor, id, patch, &now)?;
            tx.campaign(id)?
                .ok_or_else(|| Error::not_found("campaign", id))
        })
    }

    /// Deletes a campaign that no lead or deal points to. General / Unassigned is never deleted.
    pub fn delete_campaign(
        &self,
        actor: &Actor,
        reference: &str,
        if_version: Option<Version>,
    ) -> Result<Campaign> {
        actor.require_campaign_write("delete campaigns")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let c = find(tx, reference)?;
            super::records::require_version(tx, c.id.into(), c.version, if_version)?;
            if c.is_system {
                return Err(Error::Conflict(format!("'{}' is built in and cannot be deleted", c.name)));
            }
            let leads = tx.campaign_lead_count(c.id)?;
            let deals = tx.campaign_deal_count(c.id)?;
            if leads > 0 || deals > 0 {
                return Err(Error::Conflict(format!(
                    "campaign '{}' still has {leads} lead(s) and {deals} deal(s); move them to another campaign first",
                    c.code
                )));
            }
            tx.delete_campaign(c.id)?;
            tx.insert_activity(
                Some(actor.id),
                "deleted",
                EntityKind::Campaign,
                c.id.0,
                &format!("{} deleted campaign '{}'", actor.display_name, c.name),
                &now,
            )?;
            Ok(c)
        })
    }

    /// Records money spent on a campaign; actual spend and ROI follow at once.
    pub fn add_spend(
        &self,
        actor: &Actor,
        reference: &str,
        spent_on: NaiveDate,
        amount_text: &str,
        note: Option<&str>,
    ) -> Result<Campaign> {
        actor.require_campaign_write("record campaign spend")?;
        let amount = parse_amount("amount", amount_text)?;
        if amount == 0 {
            return Err(Error::invalid("amount", "must be more than zero"));
        }
        let note = validate::optional("note", note)?;
        let now = self.now_text();
        self.store.write(|tx| {
            let c = find(tx, reference)?;
            tx.insert_spend(c.id, spent_on, amount, note.as_deref(), actor.id, &now)?;
            tx.insert_activity(
                Some(actor.id),
                "spent",
                EntityKind::Campaign,
                c.id.0,
                &format!(
                    "{} recorded {} spend on campaign '{}'",
                    actor.display_name,
                    crate::Money::new(amount, c.currency),
                    c.name
                ),
                &now,
            )?;
            tx.campaign(c.id)?
                .ok_or_else(|| Error::not_found("campaign", c.id))
        })
    }

    /// The spend entries of a campaign, oldest first.
    pub fn list_spend(&self, actor: &Actor, reference: &str) -> Result<Vec<SpendEntry>> {
        actor.require_campaign_read()?;
        self.store.read(|tx| {
            let c = find(tx, reference)?;
            tx.list_spend(c.id)
        })
    }

    /// The id of a campaign by id, code or name. Only the id is looked up: reading the whole
    /// campaign would compute its metrics over all its leads, once per imported row.
    pub(crate) fn campaign_id(tx: &Tx<'_>, reference: &str) -> Result<CampaignId> {
        tx.campaign_id_by_ref(reference)?
            .ok_or_else(|| Error::not_found("campaign", format!("'{}'", reference.trim())))
    }
}

/// The body of `add_campaign` inside a caller's transaction (the importer runs it per row).
pub(crate) fn create_campaign(
    tx: &Tx<'_>,
    actor: &Actor,
    new: &NewCampaign,
    now: &str,
) -> Result<CampaignId> {
    actor.require_campaign_write("add campaigns")?;
    let name = validate::required("name", &new.name)?;
    let code = match &new.code {
        Some(c) => code(c)?,
        None => code(&slug(&name))
            .map_err(|_| Error::invalid("code", "cannot be made from the name; pass --code"))?,
    };
    check_dates(new.start_date, new.end_date)?;
    if tx.code_taken(&code, None)? {
        return Err(Error::Conflict(format!(
            "campaign code '{code}' is already used; pass another --code"
        )));
    }
    let owner = match &new.owner {
        Some(name) => Some(
            users(tx, "owner", std::slice::from_ref(name))?
                .into_iter()
                .next()
                .ok_or_else(|| Error::invalid("owner", "is empty"))?,
        ),
        None => Some(actor.id),
    };
    let row = CampaignRow {
        name: name.clone(),
        code: code.clone(),
        description: validate::optional("description", new.description.as_deref())?,
        business_unit: validate::optional("business unit", new.business_unit.as_deref())?,
        objective: validate::optional("objective", new.objective.as_deref())?,
        channel: new.channel.unwrap_or(Channel::Other),
        audience_segment: validate::optional("audience segment", new.audience_segment.as_deref())?,
        product_line: validate::optional("product line", new.product_line.as_deref())?,
        start_date: new.start_date,
        end_date: new.end_date,
        currency: new.currency.unwrap_or_default(),
        budget: amount("budget", new.budget.as_ref(), 0)?,
        expected_spend: amount("expected spend", new.expected_spend.as_ref(), 0)?,
        planned_leads: planned(new.planned_leads, 0)?,
        owner_id: owner,
        team: users(tx, "team", &new.team)?,
        status: new.status.unwrap_or(CampaignStatus::Planned),
        priority: new.priority.unwrap_or(Priority::Medium),
        compliance_checklist: validate::optional(
            "compliance checklist",
            new.compliance_checklist.as_deref(),
        )?,
        external_campaign_id: validate::optional(
            "external campaign id",
            new.external_campaign_id.as_deref(),
        )?,
        utm_source: validate::optional("utm source", new.utm_source.as_deref())?,
        utm_medium: validate::optional("utm medium", new.utm_medium.as_deref())?,
        utm_campaign: validate::optional("utm campaign", new.utm_campaign.as_deref())?,
    };
    let id = tx.insert_campaign(&row, now)?;
    tx.insert_activity(
        Some(actor.id),
        "created",
        EntityKind::Campaign,
        id.0,
        &format!("{} added campaign '{name}'", actor.display_name),
        now,
    )?;
    Ok(id)
}

/// The body of `edit_campaign` inside a caller's transaction.
pub(crate) fn update_campaign(
    tx: &Tx<'_>,
    actor: &Actor,
    id: CampaignId,
    patch: &CampaignPatch,
    now: &str,
) -> Result<()> {
    actor.require_campaign_write("edit campaigns")?;
    let c = tx
        .campaign(id)?
        .ok_or_else(|| Error::not_found("campaign", id))?;
    super::records::require_version(tx, id.into(), c.version, patch.if_version)?;
    if c.is_system && (patch.name.is_some() || patch.code.is_some()) {
        return Err(Error::Conflict(format!(
            "'{}' is built in; its name and code cannot change",
            c.name
        )));
    }
    let row = patched_row(tx, &c, patch)?;
    tx.update_campaign(c.id, &row, now)?;
    tx.insert_activity(
        Some(actor.id),
        "updated",
        EntityKind::Campaign,
        c.id.0,
        &format!("{} updated campaign '{}'", actor.display_name, c.name),
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_lower_case_words_joined_by_dashes() {
        assert_eq!(slug("Launch Sprint 2025"), "launch-sprint-2025");
        assert_eq!(slug("Festive Cashback Promo!"), "festive-cashback-promo");
        assert_eq!(slug("  Q2 / Webinars  "), "q2-webinars");
        assert_eq!(slug("!!!"), "");
    }
}
