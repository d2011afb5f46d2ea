//! Contacts: add, look up, list, edit and delete, within the actor's scope.

use serde::Serialize;

use super::{Crm, fields, owner_named};
use crate::auth::Scope;
use crate::model::person_name;
use crate::rules::validate;
use crate::store::{ContactFilter, ContactRow, Tx};
use crate::{
    Actor, Contact, ContactId, ContactPatch, ContactQuery, EntityKind, Error, FieldsOf, NewContact,
    Page, Result, Version,
};

/// What a deletion removed along with the contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DeletedContact {
    pub id: ContactId,
    pub name: String,
    pub notes: i64,
    pub tasks: i64,
}

fn tags(raw: &[String]) -> Result<Vec<String>> {
    let mut tags = raw
        .iter()
        .flat_map(|t| t.split(','))
        .filter(|t| !t.trim().is_empty())
        .map(validate::tag)
        .collect::<Result<Vec<_>>>()?;
    tags.sort();
    tags.dedup();
    Ok(tags)
}

impl Crm {
    /// Adds a contact. Its owner is the acting user unless another is named (managers only).
    pub fn add_contact(&self, actor: &Actor, new: &NewContact) -> Result<Contact> {
        let now = self.now_text();
        self.store.write(|tx| {
            let id = create_contact(tx, actor, new, &now)?;
            shown(tx, id)
        })
    }

    /// One contact, if the actor may read it.
    pub fn contact(&self, actor: &Actor, id: ContactId) -> Result<Contact> {
        self.store.read(|tx| {
            let contact = shown(tx, id)?;
            let scope = actor.contact_read_scope();
            if !tx.contact_in_scope(id, scope)? {
                return Err(actor.hide_record(&format!("read contact {id}"), scope));
            }
            Ok(contact)
        })
    }

    /// A page of the contacts the actor may read, filtered and sorted.
    pub fn list_contacts(&self, actor: &Actor, query: &ContactQuery) -> Result<Page<Contact>> {
        let search = validate::optional("search", query.search.as_deref())?;
        let company = validate::optional("company", query.company.as_deref())?;
        let tag = query.tag.as_deref().map(validate::tag).transpose()?;
        validate::page_limit(query.limit)?;
        self.store.read(|tx| {
            let owner = match &query.owner {
                Some(name) => Some(
                    owner_named(tx, name)?.ok_or_else(|| Error::invalid("owner", "is empty"))?,
                ),
                None => None,
            };
            let mut page = tx.list_contacts(&ContactFilter {
                fields: fields::field_tests(tx, FieldsOf::Contacts, &query.wheres)?,
                scope: actor.contact_read_scope(),
                owner,
                company: company.as_deref(),
                tag: tag.as_deref(),
                search: search.as_deref(),
                sort: query.sort,
                by_field: fields::field_sort(tx, FieldsOf::Contacts, query.sort_field.as_deref())?,
                descending: query.descending,
                limit: query.limit,
                after: query.after,
            })?;
            fields::fill(
                tx,
                FieldsOf::Contacts,
                &mut page.items,
                |c| c.id.0,
                |c| &mut c.fields,
            )?;
            Ok(page)
        })
    }

    /// Changes a contact the actor may write.
    pub fn edit_contact(
        &self,
        actor: &Actor,
        id: ContactId,
        patch: &ContactPatch,
    ) -> Result<Contact> {
        if patch.is_empty() {
            return Err(Error::invalid(
                "changes",
                "nothing to change; name at least one field",
            ));
        }
        let now = self.now_text();
        self.store.write(|tx| {
            update_contact(tx, actor, id, patch, &now)?;
            shown(tx, id)
        })
    }

    /// Deletes a contact with its notes and tasks. Refused while deals or tickets point at it, or
    /// when it came from a converted lead (the lead must keep what it became).
    pub fn delete_contact(
        &self,
        actor: &Actor,
        id: ContactId,
        if_version: Option<Version>,
    ) -> Result<DeletedContact> {
        let now = self.now_text();
        self.store
            .write(|tx| remove_contact(tx, actor, id, if_version, &now))
    }

    /// Deletes many contacts in one transaction, each as `delete_contact` would: one that may not
    /// go (not the actor's, or linked to deals or tickets) and none do; the error names it. A
    /// repeated id counts once.
    pub fn delete_contacts(&self, actor: &Actor, ids: &[ContactId]) -> Result<Vec<DeletedContact>> {
        let ids = super::distinct(ids);
        let now = self.now_text();
        self.store.write(|tx| {
            ids.iter()
                .map(|&id| remove_contact(tx, actor, id, None, &now))
                .collect()
        })
    }
}

fn remove_contact(
    tx: &Tx<'_>,
    actor: &Actor,
    id: ContactId,
    if_version: Option<Version>,
    now: &str,
) -> Result<DeletedContact> {
    let contact = writable_contact(tx, actor, id, "delete")?;
    super::records::require_version(tx, id.into(), contact.version, if_version)?;
    let links = tx.contact_links(id)?;
    let mut blockers = Vec::new();
    if links.deals > 0 {
        blockers.push(format!("{} deal(s)", links.deals));
    }
    if links.tickets > 0 {
        blockers.push(format!("{} ticket(s)", links.tickets));
    }
    if links.converted_leads > 0 {
        blockers.push(format!("{} converted lead(s)", links.converted_leads));
    }
    if !blockers.is_empty() {
        return Err(Error::Conflict(format!(
            "contact {id} is linked to {}; move or delete those first",
            blockers.join(" and ")
        )));
    }
    tx.delete_contact(id)?;
    let name = contact.full_name();
    tx.insert_activity(
        Some(actor.id),
        "deleted",
        EntityKind::Contact,
        id.0,
        &format!("{} deleted contact '{name}'", actor.display_name),
        now,
    )?;
    Ok(DeletedContact {
        id,
        name,
        notes: links.notes,
        tasks: links.tasks,
    })
}

fn writable_contact(tx: &Tx<'_>, actor: &Actor, id: ContactId, verb: &str) -> Result<Contact> {
    let contact = tx
        .contact(id)?
        .ok_or_else(|| Error::not_found("contact", id))?;
    if !may_write_contact(tx, actor, id)? {
        return Err(
            actor.refuse_record(&format!("{verb} contact {id}"), actor.contact_write_scope())
        );
    }
    Ok(contact)
}

/// Refuses to link a deal or a ticket to a contact the actor may not read: the link shows the
/// contact's name, email and company to whoever holds the deal or ticket, so making it is an
/// access like reading it. The refusal names the contact's id only, which the actor typed.
/// Returns the contact, for the caller that shows it.
pub(crate) fn linkable_contact(
    tx: &Tx<'_>,
    actor: &Actor,
    field: &str,
    id: ContactId,
) -> Result<Contact> {
    let contact = tx
        .contact(id)?
        .ok_or_else(|| Error::invalid(field, format!("contact {id} does not exist")))?;
    let scope = actor.contact_read_scope();
    if scope != Scope::All && !tx.contact_in_scope(id, scope)? {
        return Err(actor.refuse_record(&format!("link to contact {id}"), scope));
    }
    Ok(contact)
}

/// Whether the actor may change this contact (a conversion reuses only such a contact).
pub(crate) fn may_write_contact(tx: &Tx<'_>, actor: &Actor, id: ContactId) -> Result<bool> {
    let scope = actor.contact_write_scope();
    Ok(scope == Scope::All || tx.contact_in_scope(id, scope)?)
}

/// The body of `add_contact` inside a caller's transaction (the importer runs it once per row).
pub(crate) fn create_contact(
    tx: &Tx<'_>,
    actor: &Actor,
    new: &NewContact,
    now: &str,
) -> Result<ContactId> {
    actor.require_contact_create()?;
    let mut row = ContactRow {
        first_name: validate::first_name(&new.first_name)?,
        last_name: validate::optional("last name", new.last_name.as_deref())?,
        email: validate::email("email", new.email.as_deref())?,
        phone: validate::phone("phone", new.phone.as_deref())?,
        company: validate::optional("company", new.company.as_deref())?,
        company_id: None,
        job_title: validate::optional("job title", new.job_title.as_deref())?,
        location: validate::optional("location", new.location.as_deref())?,
        tags: tags(&new.tags)?,
        owner_id: Some(actor.id),
        consent_email: new.consent_email,
        consent_gdpr: new.consent_gdpr,
        consent_ccpa: new.consent_ccpa,
    };
    someone(&row)?;
    super::privacy::refuse_suppressed(tx, row.email.as_deref())?;
    if let Some(owner) = &new.owner {
        row.owner_id = owner_named(tx, owner)?;
    }
    actor.require_assign_to(row.owner_id, "a contact")?;
    row.company_id = company_of(tx, &row, now)?;
    if !new.allow_duplicate {
        super::duplicates::refuse_duplicate(
            tx,
            actor,
            EntityKind::Contact,
            row.email.as_deref(),
            row.phone.as_deref(),
        )?;
    }
    let id = tx.insert_contact(&row, now)?;
    fields::write_fields(tx, FieldsOf::Contacts, id.0, &new.fields, true)?;
    let name = person_name(
        &row.first_name,
        row.last_name.as_deref(),
        row.email.as_deref(),
        row.phone.as_deref(),
    );
    tx.insert_activity(
        Some(actor.id),
        "created",
        EntityKind::Contact,
        id.0,
        &format!("{} added contact '{name}'", actor.display_name),
        now,
    )?;
    Ok(id)
}

/// A contact needs a name, an email or a phone ([`validate::identified`]).
fn someone(row: &ContactRow) -> Result<()> {
    validate::identified(
        &row.first_name,
        row.last_name.as_deref(),
        row.email.as_deref(),
        row.phone.as_deref(),
    )
}

/// The body of `edit_contact` inside a caller's transaction.
pub(crate) fn update_contact(
    tx: &Tx<'_>,
    actor: &Actor,
    id: ContactId,
    patch: &ContactPatch,
    now: &str,
) -> Result<()> {
    let current = writable_contact(tx, actor, id, "edit")?;
    super::records::require_version(tx, id.into(), current.version, patch.if_version)?;
    let mut tag_set = current.tags.clone();
    tag_set.extend(tags(&patch.add_tags)?);
    let removed = tags(&patch.remove_tags)?;
    tag_set.retain(|t| !removed.contains(t));
    let name = current.full_name();
    let mut row = ContactRow::from(current.clone());
    if let Some(first) = &patch.first_name {
        row.first_name = validate::first_name(first)?;
    }
    row.last_name = validate::patched("last name", row.last_name, patch.last_name.as_ref())?;
    row.email = validate::patched_with("email", row.email, patch.email.as_ref(), validate::email)?;
    if patch.email.is_some() {
        super::privacy::refuse_suppressed(tx, row.email.as_deref())?;
    }
    row.phone = validate::patched_with("phone", row.phone, patch.phone.as_ref(), validate::phone)?;
    row.company = validate::patched("company", row.company, patch.company.as_ref())?;
    row.job_title = validate::patched("job title", row.job_title, patch.job_title.as_ref())?;
    row.location = validate::patched("location", row.location, patch.location.as_ref())?;
    row.tags = tags(&tag_set)?;
    if let Some(owner) = &patch.owner {
        row.owner_id = owner_named(tx, owner)?;
        if row.owner_id != current.owner_id {
            actor.require_assign_to(row.owner_id, "a contact")?;
        }
    }
    row.consent_email = patch.consent_email.unwrap_or(row.consent_email);
    row.consent_gdpr = patch.consent_gdpr.unwrap_or(row.consent_gdpr);
    row.consent_ccpa = patch.consent_ccpa.unwrap_or(row.consent_ccpa);
    if row.company != current.company || row.email != current.email {
        row.company_id = company_of(tx, &row, now)?;
        tx.move_contact_deals(id, current.company_id, row.company_id)?;
    }
    someone(&row)?;
    tx.update_contact(id, &row, now)?;
    fields::write_fields(tx, FieldsOf::Contacts, id.0, &patch.fields, false)?;
    tx.insert_activity(
        Some(actor.id),
        "updated",
        EntityKind::Contact,
        id.0,
        &format!("{} updated contact '{name}'", actor.display_name),
        now,
    )
}

/// Contact `id` with its custom values, as the services hand a contact out.
fn shown(tx: &Tx<'_>, id: ContactId) -> Result<Contact> {
    let contact = tx
        .contact(id)?
        .ok_or_else(|| Error::not_found("contact", id))?;
    fields::with_values(
        tx,
        FieldsOf::Contacts,
        contact,
        |c| c.id.0,
        |c| &mut c.fields,
    )
}

/// The company the row's company text (or, without one, its email's domain) links it to.
fn company_of(tx: &Tx<'_>, row: &ContactRow, now: &str) -> Result<Option<crate::CompanyId>> {
    tx.link_company(
        row.company.as_deref(),
        row.email.as_deref(),
        None,
        row.owner_id,
        now,
    )
}
