//! Companies (accounts): add, look up, list, edit, merge and delete, and the company page.
//! Everyone reads companies; what a page lists under one is cut to what the actor may read.

use serde::Serialize;

use super::{Crm, fields, owner_named, user_named};
use crate::rules::{companies, validate};
use crate::store::{CompanyFilter, CompanyRow, Tx};
use crate::{
    Actor, Company, CompanyId, CompanyPage, CompanyPatch, CompanyQuery, CompanySize, EntityKind,
    Error, FieldsOf, NewCompany, Page, Result, UserId, Version,
};

/// What a merge of companies did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CompanyMerge {
    pub kept: Company,
    /// Names of the companies merged in and removed.
    pub removed: Vec<String>,
    /// Contacts, leads and deals moved to the kept company.
    pub moved: usize,
}

fn size(raw: Option<&str>) -> Result<Option<CompanySize>> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse::<CompanySize>)
        .transpose()
        .map_err(Error::from)
}

/// A company's name, validated: it must leave something to match on once case, punctuation
/// and legal suffixes are set aside.
fn name(raw: &str) -> Result<String> {
    let name = validate::required("name", raw)?;
    if companies::name_key(&name).is_none() {
        return Err(Error::invalid("name", "needs a letter or a digit"));
    }
    Ok(name)
}

fn existing(tx: &Tx<'_>, id: CompanyId) -> Result<Company> {
    tx.company(id)?
        .ok_or_else(|| Error::not_found("company", id))
}

/// Company `id` with its custom values, as the services hand a company out.
fn shown(tx: &Tx<'_>, id: CompanyId) -> Result<Company> {
    let company = existing(tx, id)?;
    fields::with_values(
        tx,
        FieldsOf::Companies,
        company,
        |c| c.id.0,
        |c| &mut c.fields,
    )
}

/// The company `text` names: `#3` or `3` by id, anything else by name as companies match
/// (case, punctuation and legal suffixes aside).
pub(crate) fn named(tx: &Tx<'_>, field: &str, text: &str) -> Result<CompanyId> {
    if let Ok(id) = text.trim().trim_start_matches('#').parse::<i64>() {
        let id = CompanyId(id);
        tx.company(id)?
            .ok_or_else(|| Error::invalid(field, format!("company {id} does not exist")))?;
        return Ok(id);
    }
    tx.company_matching(Some(text), None)?
        .map(|(id, _)| id)
        .ok_or_else(|| Error::invalid(field, format!("no company named '{}'", text.trim())))
}

/// The company a deal's `--company` text links to: an id must exist; a name finds its company
/// or makes one, as a contact's company text does.
pub(crate) fn for_deal(
    tx: &Tx<'_>,
    text: &str,
    owner: Option<UserId>,
    now: &str,
) -> Result<Option<CompanyId>> {
    let text = validate::optional("company", Some(text))?;
    match text {
        None => Ok(None),
        Some(t) if t.trim_start_matches('#').parse::<i64>().is_ok() => {
            named(tx, "company", &t).map(Some)
        }
        Some(t) => tx.link_company(Some(&t), None, None, owner, now),
    }
}

fn refuse_duplicate(tx: &Tx<'_>, row: &CompanyRow, except: Option<CompanyId>) -> Result<()> {
    let Some((id, field)) = tx.company_matching(Some(&row.name), row.domain.as_deref())? else {
        return Ok(());
    };
    if Some(id) == except {
        return Ok(());
    }
    let value = if field == "name" {
        row.name.clone()
    } else {
        row.domain.clone().unwrap_or_default()
    };
    Err(Error::Duplicate {
        entity: "company",
        id: id.0,
        name: existing(tx, id)?.name,
        field,
        value,
    })
}

fn log(
    tx: &Tx<'_>,
    actor: &Actor,
    verb: &str,
    id: CompanyId,
    summary: &str,
    now: &str,
) -> Result<()> {
    tx.insert_activity(
        Some(actor.id),
        verb,
        EntityKind::Company,
        id.0,
        summary,
        now,
    )
}

impl Crm {
    /// Adds a company, owned by the acting user unless another is named (managers only).
    /// Refused when a company with the same name (as companies match) or domain exists,
    /// unless `allow_duplicate`.
    pub fn add_company(&self, actor: &Actor, new: &NewCompany) -> Result<Company> {
        let now = self.now_text();
        self.store.write(|tx| {
            actor.require_company_write("add companies", None)?;
            let mut row = CompanyRow {
                name: name(&new.name)?,
                domain: companies::domain("domain", new.domain.as_deref())?,
                industry: validate::optional("industry", new.industry.as_deref())?,
                size: size(new.size.as_deref())?,
                phone: validate::phone("phone", new.phone.as_deref())?,
                address: validate::optional("address", new.address.as_deref())?,
                owner_id: Some(actor.id),
            };
            if let Some(owner) = &new.owner {
                row.owner_id = owner_named(tx, owner)?;
            }
            actor.require_assign_to(row.owner_id, "a company")?;
            if !new.allow_duplicate {
                refuse_duplicate(tx, &row, None)?;
            }
            let id = tx.insert_company(&row, &now)?;
            fields::write_fields(tx, FieldsOf::Companies, id.0, &new.fields, true)?;
            log(
                tx,
                actor,
                "created",
                id,
                &format!("{} added company '{}'", actor.display_name, row.name),
                &now,
            )?;
            shown(tx, id)
        })
    }

    /// One company; every user may read companies.
    pub fn company(&self, _actor: &Actor, id: CompanyId) -> Result<Company> {
        self.store.read(|tx| shown(tx, id))
    }

    /// The id of the company `text` names (`#3`, `3`, or its name in any case and form).
    pub fn find_company(&self, _actor: &Actor, text: &str) -> Result<CompanyId> {
        self.store.read(|tx| named(tx, "company", text))
    }

    /// The company with its contacts, open leads, open deals, won revenue and tickets, each cut
    /// to the records the actor may read (so a rep's revenue is that of their own deals).
    pub fn company_page(&self, actor: &Actor, id: CompanyId) -> Result<CompanyPage> {
        self.store.read(|tx| {
            let company = shown(tx, id)?;
            Ok(CompanyPage {
                contacts: tx.company_contacts(id, actor.contact_read_scope())?,
                leads: tx.company_leads(id, actor.lead_scope())?,
                open_deals: tx.company_open_deals(id, actor.deal_scope())?,
                won_revenue: tx.company_won_revenue(id, actor.deal_scope())?,
                tickets: tx.company_tickets(id, actor.ticket_scope())?,
                company,
            })
        })
    }

    /// A page of companies, filtered and sorted.
    pub fn list_companies(&self, _actor: &Actor, query: &CompanyQuery) -> Result<Page<Company>> {
        let search = validate::optional("search", query.search.as_deref())?;
        let industry = validate::optional("industry", query.industry.as_deref())?;
        validate::page_limit(query.limit)?;
        self.store.read(|tx| {
            let owner = match &query.owner {
                Some(name) => Some(user_named(tx, "owner", name)?),
                None => None,
            };
            let mut page = tx.list_companies(&CompanyFilter {
                fields: fields::field_tests(tx, FieldsOf::Companies, &query.wheres)?,
                search: search.as_deref(),
                industry: industry.as_deref(),
                owner,
                sort: query.sort,
                by_field: fields::field_sort(tx, FieldsOf::Companies, query.sort_field.as_deref())?,
                descending: query.descending,
                limit: query.limit,
                after: query.after,
            })?;
            fields::fill(
                tx,
                FieldsOf::Companies,
                &mut page.items,
                |c| c.id.0,
                |c| &mut c.fields,
            )?;
            Ok(page)
        })
    }

    /// Changes a company's fields. A new name or domain that another company has is refused.
    pub fn edit_company(
        &self,
        actor: &Actor,
        id: CompanyId,
        patch: &CompanyPatch,
    ) -> Result<Company> {
        let now = self.now_text();
        self.store.write(|tx| {
            let current = existing(tx, id)?;
            actor.require_company_write(&format!("edit company {id}"), current.owner_id)?;
            super::records::require_version(tx, id.into(), current.version, patch.if_version)?;
            let mut row = CompanyRow::from(&current);
            if let Some(raw) = &patch.name {
                row.name = name(raw)?;
            }
            if let Some(domain) = &patch.domain {
                row.domain = companies::domain("domain", Some(domain))?;
            }
            row.industry = validate::patched("industry", row.industry, patch.industry.as_ref())?;
            if let Some(s) = &patch.size {
                row.size = size(Some(s))?;
            }
            row.phone =
                validate::patched_with("phone", row.phone, patch.phone.as_ref(), validate::phone)?;
            row.address = validate::patched("address", row.address, patch.address.as_ref())?;
            if let Some(owner) = &patch.owner {
                row.owner_id = owner_named(tx, owner)?;
                if row.owner_id != current.owner_id {
                    actor.require_assign_to(row.owner_id, "a company")?;
                }
            }
            if patch.name.is_some() || patch.domain.is_some() {
                refuse_duplicate(tx, &row, Some(id))?;
            }
            tx.update_company(id, &row, &now)?;
            fields::write_fields(tx, FieldsOf::Companies, id.0, &patch.fields, false)?;
            log(
                tx,
                actor,
                "updated",
                id,
                &format!("{} updated company '{}'", actor.display_name, current.name),
                &now,
            )?;
            shown(tx, id)
        })
    }

    /// Deletes a company nothing links to; while contacts, leads or deals do, it is refused
    /// with their counts (merge it into another company instead).
    pub fn delete_company(
        &self,
        actor: &Actor,
        id: CompanyId,
        if_version: Option<Version>,
    ) -> Result<Company> {
        let now = self.now_text();
        self.store.write(|tx| {
            actor.require_company_admin("delete companies")?;
            let company = existing(tx, id)?;
            super::records::require_version(tx, id.into(), company.version, if_version)?;
            if company.contacts + company.leads + company.deals > 0 {
                return Err(Error::Conflict(format!(
                    "company {id} '{}' still has {} contact(s), {} lead(s) and {} deal(s); \
                     merge it into another company with `crm companies merge`",
                    company.name, company.contacts, company.leads, company.deals
                )));
            }
            tx.delete_company(id)?;
            log(
                tx,
                actor,
                "deleted",
                id,
                &format!("{} deleted company '{}'", actor.display_name, company.name),
                &now,
            )?;
            Ok(company)
        })
    }

    /// Merges companies into `keep` in one transaction: their contacts, leads and deals move
    /// to it, its empty fields (custom ones too) are filled from them (first one first), and
    /// they are removed.
    pub fn merge_companies(
        &self,
        actor: &Actor,
        keep: CompanyId,
        others: &[CompanyId],
    ) -> Result<CompanyMerge> {
        let others = super::distinct(others);
        if others.is_empty() || others.contains(&keep) {
            return Err(Error::invalid(
                "companies",
                "name the company to keep and at least one other to merge into it",
            ));
        }
        let now = self.now_text();
        self.store.write(|tx| {
            actor.require_company_admin("merge companies")?;
            let kept = existing(tx, keep)?;
            let mut row = CompanyRow::from(&kept);
            let (mut moved, mut removed) = (0, Vec::new());
            for &other in &others {
                let gone = existing(tx, other)?;
                row.domain = row.domain.or(gone.domain);
                row.industry = row.industry.or(gone.industry);
                row.size = row.size.or(gone.size);
                row.phone = row.phone.or(gone.phone);
                row.address = row.address.or(gone.address);
                row.owner_id = row.owner_id.or(gone.owner_id);
                moved += tx.move_company_links(other, keep)?;
                fields::take_missing_values(tx, FieldsOf::Companies, keep.0, other.0)?;
                tx.delete_company(other)?;
                removed.push(gone.name);
            }
            tx.update_company(keep, &row, &now)?;
            log(
                tx,
                actor,
                "merged",
                keep,
                &format!(
                    "{} merged {} into company '{}' ({moved} record(s) moved)",
                    actor.display_name,
                    removed
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    kept.name
                ),
                &now,
            )?;
            Ok(CompanyMerge {
                kept: shown(tx, keep)?,
                removed,
                moved,
            })
        })
    }
}
