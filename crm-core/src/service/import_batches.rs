//! `crm import history` and `crm import undo`: every committed import is a batch that can be
//! taken back while what it created is still as it left it.

use serde_json::Value as Json;

use super::Crm;
use crate::auth::Scope;
use crate::import::ImportKind;
use crate::import::{ImportBatch, UndoneImport};
use crate::store::{BatchRow, Tx};
use crate::{Actor, BatchId, EntityKind, Error, Result, Role};

/// How many of the records that stop an undo are named in its error.
const NAMED_BLOCKERS: u32 = 3;

fn sees_all(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Manager)
}

/// The batch, if the actor ran it or is an admin or manager.
fn own_batch(tx: &Tx<'_>, actor: &Actor, id: BatchId, verb: &str) -> Result<BatchRow> {
    let row = tx
        .batch(id)?
        .ok_or_else(|| Error::not_found("import batch", id))?;
    if row.imported_by != Some(actor.id) && !sees_all(actor) {
        return Err(Error::Forbidden(format!(
            "{} '{}' may not {verb} import batch {id} (needs to be the user who imported it, or role admin or manager)",
            actor.role, actor.username
        )));
    }
    Ok(row)
}

impl Crm {
    /// The latest imports, newest first: the actor's own, or everyone's for admins and
    /// managers.
    pub fn import_history(&self, actor: &Actor, limit: u32) -> Result<Vec<ImportBatch>> {
        let by = (!sees_all(actor)).then_some(actor.id);
        self.store.read(|tx| {
            Ok(tx
                .batches(by, limit.clamp(1, 1000))?
                .into_iter()
                .map(|b| b.batch)
                .collect())
        })
    }

    /// Takes an import back in one transaction: removes the records it created and restores
    /// the fields its updates changed (unless changed again since). Refused, naming them, when
    /// a created record has since been converted or gained deals, notes, tasks or tickets.
    pub fn undo_import(&self, actor: &Actor, id: BatchId) -> Result<UndoneImport> {
        let now = self.now_text();
        self.store.write(|tx| {
            let batch = own_batch(tx, actor, id, "undo")?;
            if batch.batch.undone_at.is_some() {
                return Err(Error::Conflict(format!(
                    "import batch {id} was already undone"
                )));
            }
            refuse_records_no_longer_theirs(tx, actor, &batch)?;
            let blockers = tx.batch_blockers(&batch, NAMED_BLOCKERS + 1)?;
            if !blockers.is_empty() {
                return Err(Error::Conflict(format!(
                    "import batch {id} cannot be undone: {}; nothing was changed",
                    some_of(&blockers, "; ", " (and more)")
                )));
            }
            let kind = batch.batch.kind.entity();
            let mut restored = 0;
            for (entity_id, text) in tx.import_changes(id)? {
                let changes: serde_json::Map<String, Json> =
                    serde_json::from_str(&text).map_err(|e| {
                        Error::Conflict(format!("import batch {id} has an unreadable change: {e}"))
                    })?;
                let mut any = false;
                for (column, pair) in &changes {
                    let (before, after) = (&pair[0], &pair[1]);
                    any |= if column == super::import::TAGS {
                        restore_tags(tx, entity_id, before, after)?
                    } else if column == super::import::CUSTOM {
                        restore_custom(tx, kind, entity_id, before, after)?
                    } else {
                        tx.set_field_if(kind, column, entity_id, before, after)?
                    };
                }
                restored += usize::from(any);
            }
            let removed = tx.delete_batch_records(&batch)?;
            let companies_removed = tx.delete_unlinked_companies(id)?;
            tx.mark_batch_undone(id, actor.id, &now)?;
            tx.insert_activity(
                Some(actor.id),
                "undid import",
                EntityKind::User,
                actor.id.0,
                &format!(
                    "{} undid import batch {id} ({}): {removed} {} removed, {restored} restored, \
                     {companies_removed} compan{} it created removed",
                    actor.display_name,
                    batch.batch.file_name,
                    batch.batch.kind,
                    if companies_removed == 1 { "y" } else { "ies" }
                ),
                &now,
            )?;
            let batch = tx
                .batch(id)?
                .map(|b| b.batch)
                .ok_or_else(|| Error::not_found("import batch", id))?;
            Ok(UndoneImport {
                batch,
                removed,
                restored,
                companies_removed,
            })
        })
    }
}

/// Puts back a record's custom values as they were before an update-import, unless they were
/// changed again since; true when it did.
fn restore_custom(
    tx: &Tx<'_>,
    kind: EntityKind,
    id: i64,
    before: &Json,
    after: &Json,
) -> Result<bool> {
    use crate::store::RawValue;
    let Some(of) = crate::FieldsOf::of(kind) else {
        return Ok(false);
    };
    let read = |json: &Json| -> Result<Vec<RawValue>> {
        serde_json::from_value(json.clone())
            .map_err(|e| Error::Conflict(format!("an import change is unreadable: {e}")))
    };
    let (before, after) = (read(before)?, read(after)?);
    if tx.raw_values(of, id)? != after {
        return Ok(false);
    }
    let mut fields: Vec<i64> = before.iter().chain(&after).map(|v| v.field).collect();
    fields.sort_unstable();
    fields.dedup();
    for field in fields {
        tx.clear_values(field, id)?;
    }
    tx.restore_values(id, &before)?;
    Ok(true)
}

/// The first [`NAMED_BLOCKERS`] of `items` joined by `separator`, and `more` when there were
/// others (the caller asks the store for one more than it names, to know).
fn some_of(items: &[String], separator: &str, more: &str) -> String {
    let shown = items[..items.len().min(NAMED_BLOCKERS as usize)].join(separator);
    if items.len() > NAMED_BLOCKERS as usize {
        format!("{shown}{more}")
    } else {
        shown
    }
}

/// An undo deletes and rewrites the batch's records: someone other than an admin or manager
/// may do it only while every one of them is still theirs to change (a lead reassigned to
/// another rep since, or edited by them, is not). The refusal names the records.
fn refuse_records_no_longer_theirs(tx: &Tx<'_>, actor: &Actor, batch: &BatchRow) -> Result<()> {
    let scope = match batch.batch.kind {
        ImportKind::Leads => actor.lead_scope(),
        ImportKind::Contacts => actor.contact_write_scope(),
        ImportKind::Deals => actor.deal_scope(),
        // Campaigns have no per-user scope: whoever may import them may change them all.
        ImportKind::Campaigns => return Ok(()),
    };
    if scope == Scope::All {
        return Ok(());
    }
    let outside = tx.batch_records_outside(batch, scope, NAMED_BLOCKERS + 1)?;
    if outside.is_empty() {
        return Ok(());
    }
    let what = batch.batch.kind.singular();
    let records: Vec<String> = outside.iter().map(|id| format!("{what} {id}")).collect();
    let named = some_of(&records, ", ", " and more");
    Err(actor.refuse(
        &format!(
            "undo import batch {}: {named} no longer theirs to change",
            batch.batch.id
        ),
        "role admin or manager",
    ))
}

/// Puts a contact's tags back as they were before an update-import, unless they have changed
/// since (a later edit wins, as for every column). True when they were put back.
fn restore_tags(tx: &Tx<'_>, id: i64, before: &Json, after: &Json) -> Result<bool> {
    let list = |v: &Json| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let Some(contact) = tx.contact(crate::ContactId(id))? else {
        return Ok(false);
    };
    if contact.tags != list(after) {
        return Ok(false);
    }
    tx.replace_tags(crate::ContactId(id), &list(before))?;
    Ok(true)
}
