//! Who may read which record, for the features that attach to any record (tasks, notes, the
//! activity of one record).

use super::Crm;
use crate::auth::Scope;
use crate::store::{TicketScope, Tx};
use crate::{ContactId, DealId, EntityKind, Error, LeadId, RecordRef, Result, TicketId, Version};

impl Crm {
    /// Refuses unless `record` exists (a lead, contact, deal or ticket) and the actor may read it.
    pub(crate) fn require_readable(
        tx: &Tx<'_>,
        actor: &crate::Actor,
        record: RecordRef,
    ) -> Result<()> {
        let entity = match record.kind {
            EntityKind::Lead => "lead",
            EntityKind::Contact => "contact",
            EntityKind::Deal => "deal",
            EntityKind::Ticket => "ticket",
            other => {
                return Err(Error::invalid(
                    "record",
                    format!(
                        "a {other} cannot carry tasks or notes; use lead, contact, deal or ticket"
                    ),
                ));
            }
        };
        if !tx.record_exists(record)? {
            return Err(Error::not_found(entity, record.id));
        }
        let readable = match record.kind {
            EntityKind::Lead => tx.lead_in_scope(LeadId(record.id), actor.lead_scope())?,
            EntityKind::Contact => {
                tx.contact_in_scope(ContactId(record.id), actor.contact_read_scope())?
            }
            EntityKind::Deal => tx.deal_in_scope(DealId(record.id), actor.deal_scope())?,
            _ => {
                actor.ticket_scope() == TicketScope::All
                    || tx.ticket_in_scope(TicketId(record.id), actor.ticket_scope())?
            }
        };
        if readable {
            Ok(())
        } else {
            Err(actor.hide_record(&format!("work on {record}"), Scope::Own(actor.id)))
        }
    }
}

/// Refuses a write based on `expected` when the record is at `current` now: someone saved in
/// between, and writing would silently undo their change. Without an expectation (a one-shot
/// CLI edit reads and writes in one transaction) any version is fine.
pub(crate) fn require_version(
    tx: &Tx<'_>,
    record: RecordRef,
    current: Version,
    expected: Option<Version>,
) -> Result<()> {
    let Some(expected) = expected else {
        return Ok(());
    };
    if expected == current {
        return Ok(());
    }
    // The feed says who made the last change; a change with no entry (a system job) is
    // still refused, without a name.
    let last = tx.activities(&crate::store::FeedFilter {
        record: Some(record),
        limit: 1,
        ..crate::store::FeedFilter::default()
    })?;
    let (by, at) = last.first().map_or_else(
        || ("someone".to_string(), "an unknown time".to_string()),
        |a| {
            (
                a.actor.clone().unwrap_or_else(|| "the system".to_string()),
                a.at.format("%Y-%m-%d %H:%M UTC").to_string(),
            )
        },
    );
    Err(Error::Stale {
        entity: record.kind.as_str(),
        id: record.id,
        current,
        by,
        at,
    })
}
