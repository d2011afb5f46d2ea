//! The rights of the people in the CRM (GDPR articles 15 and 17, CCPA): a copy of everything
//! held about a person, and erasure on request with a suppression list.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Crm;
use crate::auth::token::hex;
use crate::rules::validate;
use crate::store::{PersonRows, Tx};
use crate::{
    Activity, Actor, Contact, Deal, EntityKind, Error, Lead, Note, OutboxMessage, Result, Task,
    Ticket,
};

/// Every row that refers to one person (`crm privacy export`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PersonalData {
    pub email: String,
    pub exported_at: DateTime<Utc>,
    pub leads: Vec<Lead>,
    pub contacts: Vec<Contact>,
    pub deals: Vec<Deal>,
    pub tickets: Vec<Ticket>,
    pub tasks: Vec<Task>,
    pub notes: Vec<Note>,
    pub outbox: Vec<OutboxMessage>,
    pub activities: Vec<Activity>,
    /// Contacts merged away that were the person, as the merge saved them for its undo.
    pub merged_records: Vec<serde_json::Value>,
    /// What update-imports changed on the person's records, kept for the imports' undo.
    pub import_changes: Vec<serde_json::Value>,
}

/// What an erasure removed or anonymised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Erasure {
    pub leads: usize,
    pub contacts: usize,
    /// Deals kept for the revenue figures, unlinked from the person and stripped of their text.
    pub deals_anonymised: usize,
    pub tickets: usize,
    pub tasks: usize,
    pub notes: usize,
    pub outbox: usize,
    /// Activity rows kept (the audit trail) with their summaries replaced.
    pub activities_anonymised: usize,
    /// True when the write-ahead log was emptied into the database file afterwards, so no old
    /// copy of the erased pages is left in the -wal file. False when another connection was
    /// reading at that moment; the next checkpoint empties it.
    pub wal_cleared: bool,
}

/// The suppression list keeps this instead of the address.
fn email_hash(email: &str) -> String {
    hex(&Sha256::digest(email.trim().to_lowercase().as_bytes()))
}

/// Whether an address was erased on request (a web form drops such a post without a word).
pub(crate) fn is_suppressed(tx: &Tx<'_>, email: Option<&str>) -> Result<bool> {
    match email {
        Some(email) => tx.is_suppressed(&email_hash(email)),
        None => Ok(false),
    }
}

/// Refuses an address erased on request: a new lead or contact, an import row or an edit must
/// not bring the person back.
pub(crate) fn refuse_suppressed(tx: &Tx<'_>, email: Option<&str>) -> Result<()> {
    match email {
        Some(email) if tx.is_suppressed(&email_hash(email))? => Err(Error::invalid(
            "email",
            format!("'{email}' was erased on request and may not be stored again"),
        )),
        _ => Ok(()),
    }
}

fn required_email(email: &str) -> Result<String> {
    validate::email("email", Some(email))?.ok_or_else(|| Error::invalid("email", "is empty"))
}

impl Crm {
    /// Everything the CRM holds about the person with this email (admin only): their leads and
    /// contacts, the deals and tickets of those, tasks and notes on any of them, mail to them,
    /// and the activity rows about all of it. One consistent read.
    pub fn privacy_export(&self, actor: &Actor, email: &str) -> Result<PersonalData> {
        actor.require_admin("export a person's data")?;
        let email = required_email(email)?;
        let exported_at = self.now();
        self.store.read(|tx| {
            let rows = tx.person_rows(&email)?;
            let mut data = load(tx, &email, exported_at, &rows)?;
            with_custom_values(tx, &mut data)?;
            tx.drop_person_table()?;
            Ok(data)
        })
    }

    /// Removes the person with this email everywhere, in one transaction (admin only): their
    /// leads, contacts, tickets, tasks, notes and mail are deleted; their deals stay for the
    /// revenue figures but lose every link and text that names them; the activity rows stay
    /// as the audit trail with their summaries replaced. Deleted bytes are overwritten
    /// (every connection runs with `secure_delete`), and the address goes on the suppression list, stored hashed.
    pub fn privacy_erase(&self, actor: &Actor, email: &str) -> Result<Erasure> {
        actor.require_admin("erase a person's data")?;
        let email = required_email(email)?;
        let now = self.now_text();
        let mut erasure = self.store.write(|tx| {
            let rows = tx.person_rows(&email)?;
            let erasure = Erasure {
                leads: rows.leads.len(),
                contacts: rows.contacts.len(),
                deals_anonymised: rows.deals.len(),
                tickets: rows.tickets.len(),
                tasks: rows.tasks.len(),
                notes: rows.notes.len(),
                outbox: rows.outbox.len(),
                activities_anonymised: rows.activities.len(),
                wal_cleared: false,
            };
            tx.erase_person_rows(&now)?;
            tx.suppress_email(&email_hash(&email), &now)?;
            // The feed says that an erasure happened and its size, never whose.
            tx.insert_activity(
                Some(actor.id),
                "erased",
                EntityKind::User,
                actor.id.0,
                &format!(
                    "{} erased a person's data on request ({} leads, {} contacts, {} tickets, \
                         {} deals anonymised)",
                    actor.display_name,
                    erasure.leads,
                    erasure.contacts,
                    erasure.tickets,
                    erasure.deals_anonymised
                ),
                &now,
            )?;
            Ok(erasure)
        })?;
        erasure.wal_cleared = self.store.checkpoint()?;
        Ok(erasure)
    }
}

/// Adds the custom values of the person's records, of retired fields too.
fn with_custom_values(tx: &Tx<'_>, data: &mut PersonalData) -> Result<()> {
    use super::fields::fill_with_retired as fill;
    use crate::FieldsOf;
    fill(
        tx,
        FieldsOf::Leads,
        &mut data.leads,
        |l| l.id.0,
        |l| &mut l.fields,
    )?;
    fill(
        tx,
        FieldsOf::Contacts,
        &mut data.contacts,
        |c| c.id.0,
        |c| &mut c.fields,
    )?;
    fill(
        tx,
        FieldsOf::Deals,
        &mut data.deals,
        |d| d.id.0,
        |d| &mut d.fields,
    )?;
    fill(
        tx,
        FieldsOf::Tickets,
        &mut data.tickets,
        |t| t.id.0,
        |t| &mut t.fields,
    )
}

fn load(
    tx: &Tx<'_>,
    email: &str,
    exported_at: DateTime<Utc>,
    rows: &PersonRows,
) -> Result<PersonalData> {
    // Every id came from the same snapshot, so each lookup finds its row.
    fn each<I: Copy, T>(ids: &[I], get: impl Fn(I) -> Result<Option<T>>) -> Result<Vec<T>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(get(*id)?);
        }
        Ok(out)
    }
    Ok(PersonalData {
        email: email.to_string(),
        exported_at,
        leads: each(&rows.leads, |id| tx.lead(id))?,
        contacts: each(&rows.contacts, |id| tx.contact(id))?,
        deals: each(&rows.deals, |id| tx.deal(id))?,
        tickets: each(&rows.tickets, |id| tx.ticket(id))?,
        tasks: each(&rows.tasks, |id| tx.task(id))?,
        notes: each(&rows.notes, |id| tx.note(id))?,
        outbox: each(&rows.outbox, |id| tx.outbox_message(id))?,
        activities: each(&rows.activities, |id| tx.activity(id))?,
        merged_records: each(&rows.merges, |id| {
            Ok(tx.merge(id)?.and_then(|m| {
                let snapshot = serde_json::from_str::<serde_json::Value>(m.snapshot.as_deref()?).ok()?;
                Some(serde_json::json!({ "merge": m.id, "into_contact": m.keep_id, "saved": snapshot["removed"] }))
            }))
        })?,
        import_changes: each(&rows.import_changes, |id| {
            Ok(tx.import_change(id)?.map(|(batch, entity, changes)| {
                let changes =
                    serde_json::from_str::<serde_json::Value>(&changes).unwrap_or_default();
                serde_json::json!({ "batch": batch, "record": entity, "changes": changes })
            }))
        })?,
    })
}
