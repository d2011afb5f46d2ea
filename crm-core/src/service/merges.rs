//! Merging duplicate contacts into one, and undoing a merge.
//!
//! A merge fills the kept contact's empty fields from the others (first one that has a value),
//! gathers their tags, moves every deal, ticket, task, note and converted lead that pointed at
//! them to the kept one, removes them, and saves all of that in `merges.snapshot`. The undo
//! puts the removed rows back with their ids, moves back the links that still point at the kept
//! contact, and empties again the fields the merge filled unless someone has changed them since.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use super::Crm;
use crate::auth::Scope;
use crate::store::{ContactLink, MergeRow, RawValue, Tx};
use crate::{Actor, ContactId, EntityKind, Error, FieldsOf, Merge, MergeId, Result, Role};

/// The fields a merge may fill on the kept contact when they are empty there.
const FILLABLE: [&str; 9] = [
    "last_name",
    "email",
    "phone",
    "company",
    // With the company's text goes its link.
    "company_id",
    "job_title",
    "location",
    "owner_id",
    "source_lead_id",
];

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
struct Snapshot {
    /// The removed contacts, whole, with their tags.
    removed: Vec<Removed>,
    /// Fields of the kept contact: (column, before, after).
    filled: Vec<(String, Json, Json)>,
    /// Tags the kept contact gained.
    added_tags: Vec<String>,
    /// The kept contact's `updated_at` before the merge.
    keep_updated_at: Json,
    /// (table, column, row id, the removed contact it pointed at).
    moved: Vec<(String, String, i64, i64)>,
    /// The removed contacts' custom values: (contact id, its values).
    #[serde(default)]
    custom: Vec<(i64, Vec<RawValue>)>,
    /// Custom fields of the kept contact that the merge filled, by field id.
    #[serde(default)]
    custom_filled: Vec<i64>,
}

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
struct Removed {
    row: Map<String, Json>,
    tags: Vec<String>,
}

fn saved_link(table: &str, column: &str) -> Result<ContactLink> {
    ContactLink::from_stored(table, column).ok_or_else(|| {
        Error::Conflict(format!(
            "a saved merge names an unknown link {table}.{column}"
        ))
    })
}

impl Crm {
    /// Merges `others` into `keep`, in one transaction, recorded so that `undo_merge` can put
    /// everything back. The actor must be able to change every one of them.
    pub fn merge_contacts(
        &self,
        actor: &Actor,
        keep: ContactId,
        others: &[ContactId],
    ) -> Result<Merge> {
        let others = super::distinct(others);
        if others.is_empty() {
            return Err(Error::invalid(
                "others",
                "name at least one contact to merge into the kept one",
            ));
        }
        if others.contains(&keep) {
            return Err(Error::invalid(
                "others",
                format!("contact {keep} is the one kept; it cannot also be merged away"),
            ));
        }
        let now = self.now_text();
        self.store.write(|tx| {
            let kept = writable(tx, actor, keep)?;
            let mut keep_row = tx
                .whole_row(EntityKind::Contact, keep.0)?
                .ok_or_else(|| Error::not_found("contact", keep))?;
            let mut snapshot = Snapshot {
                removed: Vec::new(),
                filled: Vec::new(),
                added_tags: Vec::new(),
                keep_updated_at: keep_row.get("updated_at").cloned().unwrap_or(Json::Null),
                moved: Vec::new(),
                custom: Vec::new(),
                custom_filled: Vec::new(),
            };
            let mut names = Vec::new();
            for &other in &others {
                let contact = writable(tx, actor, other)?;
                names.push(format!("{other} '{}'", contact.full_name()));
                take_in(tx, &mut snapshot, &mut keep_row, &kept.tags, &contact, keep)?;
            }
            for (column, before, after) in &snapshot.filled {
                tx.set_field_if(EntityKind::Contact, column, keep.0, after, before)?;
            }
            tx.set_field_if(
                EntityKind::Contact,
                "updated_at",
                keep.0,
                &Json::from(now.clone()),
                &snapshot.keep_updated_at,
            )?;
            let mut tags = kept.tags.clone();
            tags.extend(snapshot.added_tags.iter().cloned());
            tx.replace_tags(keep, &tags)?;
            take_custom_values(tx, &mut snapshot, keep, &others)?;
            for &other in &others {
                tx.delete_contact(other)?;
            }
            let ids: Vec<i64> = others.iter().map(|c| c.0).collect();
            let text = serde_json::to_string(&snapshot)
                .map_err(|e| Error::Conflict(format!("cannot save the merge: {e}")))?;
            let id = tx.insert_merge(EntityKind::Contact, keep.0, &ids, &text, actor.id, &now)?;
            let summary = format!(
                "{} merged contact {} into contact {keep} '{}' (merge {id})",
                actor.display_name,
                names.join(", "),
                kept.full_name()
            );
            tx.insert_activity(
                Some(actor.id),
                "merged",
                EntityKind::Contact,
                keep.0,
                &summary,
                &now,
            )?;
            for &other in &others {
                tx.insert_activity(
                    Some(actor.id),
                    "merged",
                    EntityKind::Contact,
                    other.0,
                    &summary,
                    &now,
                )?;
            }
            let row = tx.merge(id)?.ok_or_else(|| Error::not_found("merge", id))?;
            merge_of(row)
        })
    }

    /// Puts back what merge `id` removed and moved, in one transaction. Only the user who
    /// merged, or an admin or manager, may undo a merge.
    pub fn undo_merge(&self, actor: &Actor, id: MergeId) -> Result<Merge> {
        let now = self.now_text();
        self.store.write(|tx| {
            let merge = tx.merge(id)?.ok_or_else(|| Error::not_found("merge", id))?;
            if merge.merged_by != Some(actor.id) && !matches!(actor.role, Role::Admin | Role::Manager) {
                return Err(Error::Forbidden(format!(
                    "{} '{}' may not undo merge {id} (needs to be the user who merged, or role admin or manager)",
                    actor.role, actor.username
                )));
            }
            if merge.undone_at.is_some() {
                return Err(Error::Conflict(format!("merge {id} was already undone")));
            }
            let Some(text) = &merge.snapshot else {
                return Err(Error::Conflict(format!(
                    "merge {id} cannot be undone: a person in it was erased for privacy"
                )));
            };
            let snapshot: Snapshot = serde_json::from_str(text)
                .map_err(|e| Error::Conflict(format!("merge {id} has an unreadable snapshot: {e}")))?;
            let keep = ContactId(merge.keep_id);
            let Some(kept) = tx.contact(keep)? else {
                return Err(Error::Conflict(format!(
                    "merge {id} cannot be undone: the kept contact {keep} has since been deleted or merged"
                )));
            };
            // The undo rewrites the kept contact: whoever merged must still be allowed to
            // change it (it may have moved to another rep since).
            if !super::contacts::may_write_contact(tx, actor, keep)? {
                return Err(actor.refuse_record(
                    &format!("undo merge {id}: contact {keep} is no longer theirs to change"),
                    actor.contact_write_scope(),
                ));
            }
            for removed in &snapshot.removed {
                let old = removed.row.get("id").and_then(Json::as_i64).unwrap_or_default();
                if tx.contact(ContactId(old))?.is_some() {
                    return Err(Error::Conflict(format!(
                        "merge {id} cannot be undone: contact id {old} has since been given to another contact"
                    )));
                }
                tx.restore_row(EntityKind::Contact, &removed.row)?;
                tx.replace_tags(ContactId(old), &removed.tags)?;
            }
            for (table, column, row_id, from) in &snapshot.moved {
                tx.relink_one(saved_link(table, column)?, *row_id, keep.0, *from)?;
            }
            for field in &snapshot.custom_filled {
                tx.clear_values(*field, keep.0)?;
            }
            for (old, values) in &snapshot.custom {
                tx.restore_values(*old, values)?;
            }
            for (column, before, after) in &snapshot.filled {
                if !FILLABLE.contains(&column.as_str()) {
                    return Err(Error::Conflict(format!("merge {id} names an unknown field '{column}'")));
                }
                tx.set_field_if(EntityKind::Contact, column, keep.0, before, after)?;
            }
            let tags: Vec<String> = kept
                .tags
                .into_iter()
                .filter(|t| !snapshot.added_tags.contains(t))
                .collect();
            tx.replace_tags(keep, &tags)?;
            tx.set_field_if(
                EntityKind::Contact,
                "updated_at",
                keep.0,
                &snapshot.keep_updated_at,
                &Json::from(merge.merged_at_text.clone()),
            )?;
            tx.mark_merge_undone(id, actor.id, &now)?;
            let summary = format!(
                "{} undid merge {id}: contact {} back beside contact {keep}",
                actor.display_name,
                merge
                    .merged_ids
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            tx.insert_activity(Some(actor.id), "unmerged", EntityKind::Contact, keep.0, &summary, &now)?;
            for old in &merge.merged_ids {
                tx.insert_activity(Some(actor.id), "unmerged", EntityKind::Contact, *old, &summary, &now)?;
            }
            let row = tx.merge(id)?.ok_or_else(|| Error::not_found("merge", id))?;
            merge_of(row)
        })
    }

    /// The latest merges, newest first. Admins and managers see all; others their own.
    pub fn merges(&self, actor: &Actor, limit: u32) -> Result<Vec<Merge>> {
        let all = matches!(actor.role, Role::Admin | Role::Manager);
        self.store.read(|tx| {
            tx.merges(limit.clamp(1, 1000))?
                .into_iter()
                .filter(|m| all || m.merged_by == Some(actor.id))
                .map(merge_of)
                .collect()
        })
    }

    /// One merge, for the user who made it or an admin or manager.
    pub fn merge(&self, actor: &Actor, id: MergeId) -> Result<Merge> {
        let all = matches!(actor.role, Role::Admin | Role::Manager);
        self.store.read(|tx| {
            let row = tx.merge(id)?.ok_or_else(|| Error::not_found("merge", id))?;
            if !all && row.merged_by != Some(actor.id) {
                return Err(Error::Forbidden(format!(
                    "{} '{}' may not read merge {id} (needs to be the user who merged, or role admin or manager)",
                    actor.role, actor.username
                )));
            }
            merge_of(row)
        })
    }
}

/// Saves the custom values of the contacts merged away, and fills each custom field the kept
/// contact lacks from the first of them that has it.
fn take_custom_values(
    tx: &Tx<'_>,
    snapshot: &mut Snapshot,
    keep: ContactId,
    others: &[ContactId],
) -> Result<()> {
    for &other in others {
        let values = tx.raw_values(FieldsOf::Contacts, other.0)?;
        let filled = super::fields::take_missing_values(tx, FieldsOf::Contacts, keep.0, other.0)?;
        for field in filled {
            if !snapshot.custom_filled.contains(&field) {
                snapshot.custom_filled.push(field);
            }
        }
        if !values.is_empty() {
            snapshot.custom.push((other.0, values));
        }
    }
    Ok(())
}

/// Saves `other` whole into the snapshot, notes which of the kept row's empty fields it fills
/// and which tags it adds, and moves every link from it to `keep`.
fn take_in(
    tx: &Tx<'_>,
    snapshot: &mut Snapshot,
    keep_row: &mut Map<String, Json>,
    keep_tags: &[String],
    other: &crate::Contact,
    keep: ContactId,
) -> Result<()> {
    let row = tx
        .whole_row(EntityKind::Contact, other.id.0)?
        .ok_or_else(|| Error::not_found("contact", other.id))?;
    for column in FILLABLE {
        let empty = keep_row.get(column).is_none_or(|v| v.is_null() || v == "");
        let value = row.get(column).filter(|v| !v.is_null() && *v != "");
        if let (true, Some(value)) = (empty, value) {
            let before = keep_row.get(column).cloned().unwrap_or(Json::Null);
            snapshot
                .filled
                .push((column.to_string(), before, value.clone()));
            keep_row.insert(column.to_string(), value.clone());
        }
    }
    let tags = other.tags.clone();
    for tag in &tags {
        if !keep_tags.contains(tag) && !snapshot.added_tags.contains(tag) {
            snapshot.added_tags.push(tag.clone());
        }
    }
    for link in ContactLink::ALL {
        let (table, column) = link.stored_names();
        for row_id in tx.rows_linked_to(link, other.id.0)? {
            snapshot
                .moved
                .push((table.into(), column.into(), row_id, other.id.0));
        }
        tx.relink_contact(link, other.id.0, keep.0)?;
    }
    snapshot.removed.push(Removed { row, tags });
    Ok(())
}

/// A contact the actor may change (and so merge, keep or remove).
fn writable(tx: &Tx<'_>, actor: &Actor, id: ContactId) -> Result<crate::Contact> {
    let contact = tx
        .contact(id)?
        .ok_or_else(|| Error::not_found("contact", id))?;
    let scope = actor.contact_write_scope();
    if scope != Scope::All && !tx.contact_in_scope(id, scope)? {
        return Err(actor.refuse_record(&format!("merge contact {id}"), scope));
    }
    Ok(contact)
}

fn merge_of(row: MergeRow) -> Result<Merge> {
    let snapshot: Option<Snapshot> = row
        .snapshot
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| {
            Error::Conflict(format!("merge {} has an unreadable snapshot: {e}", row.id))
        })?;
    Ok(Merge {
        id: row.id,
        kind: row.entity,
        keep_id: row.keep_id,
        merged_ids: row.merged_ids,
        filled: snapshot
            .as_ref()
            .map(|s| {
                s.filled
                    .iter()
                    .map(|(c, _, _)| c.replace('_', " "))
                    .collect()
            })
            .unwrap_or_default(),
        moved_links: snapshot.as_ref().map_or(0, |s| s.moved.len()),
        merged_by: row.merged_by_name,
        merged_at: row.merged_at,
        undoable: row.undone_at.is_none() && snapshot.is_some(),
        undone_at: row.undone_at,
    })
}
