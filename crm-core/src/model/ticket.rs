//! Support tickets and the outgoing mail they cause.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fixed_set::fixed_set;
use super::{ContactId, OutboxId, TicketId, UserId};

fixed_set! {
    /// Where a ticket is.
    TicketStatus, "ticket status" {
        Open => "Open",
        InProgress => "In Progress",
        Resolved => "Resolved",
    }
}

fixed_set! {
    /// How urgent a ticket is.
    TicketPriority, "ticket priority" {
        Low => "Low",
        Medium => "Medium",
        High => "High",
        Urgent => "Urgent",
    }
}

fixed_set! {
    /// Where an outgoing message is.
    OutboxStatus, "outbox status" {
        /// Waiting to be sent (also after a failed attempt).
        Queued => "queued",
        Sent => "sent",
        /// Gave up after too many attempts; `crm outbox retry` queues it again.
        Failed => "failed",
    }
}

/// A ticket with the names of its customer and assignee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Ticket {
    pub id: TicketId,
    pub subject: String,
    pub description: Option<String>,
    pub contact_id: ContactId,
    pub contact: String,
    pub contact_email: Option<String>,
    pub priority: TicketPriority,
    pub status: TicketStatus,
    pub assignee_id: Option<UserId>,
    pub assignee: Option<String>,
    pub created_by: Option<String>,
    pub resolution: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one with every change; `If-Match` and the edit forms compare it.
    pub version: crate::Version,
    /// Custom field values by key (issue 25); left out when the record has none.
    #[serde(default, skip_serializing_if = "super::FieldValues::is_empty")]
    pub fields: super::FieldValues,
}

/// Input for a new ticket.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub subject: String,
    pub description: Option<String>,
    pub contact: ContactId,
    pub priority: Option<TicketPriority>,
    /// Username of a support agent (or admin/manager).
    pub assignee: Option<String>,
    /// Custom field values by key (`--field key=value`).
    pub fields: super::FieldInput,
}

/// Changes to a ticket's text and priority (its status and assignee have their own services).
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TicketPatch {
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub subject: Option<String>,
    /// `Some("")` clears it.
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub description: Option<String>,
    pub priority: Option<TicketPriority>,
    /// The version the change was made against (`If-Match`, an edit form's record): a record
    /// saved since is refused with [`crate::Error::Stale`]. `None` writes over any version.
    #[serde(skip)]
    pub if_version: Option<crate::Version>,
    /// Custom field values to set by key; an empty value clears one.
    pub fields: super::FieldInput,
}

/// Filters of a ticket listing.
#[derive(Debug, Clone)]
pub struct TicketQuery {
    pub status: Option<TicketStatus>,
    pub priority: Option<TicketPriority>,
    pub assignee: Option<String>,
    pub contact: Option<ContactId>,
    /// Subject or customer name contains this text, any case.
    pub search: Option<String>,
    /// Include resolved tickets (hidden by default: the queue is what is still open).
    pub include_resolved: bool,
    pub limit: u32,
    pub after: Option<TicketId>,
    /// Conditions on custom fields, all of which a record passes (`--where key=value`).
    pub wheres: Vec<super::FieldCondition>,
}

impl Default for TicketQuery {
    fn default() -> Self {
        TicketQuery {
            wheres: Vec::new(),
            status: None,
            priority: None,
            assignee: None,
            contact: None,
            search: None,
            include_resolved: false,
            limit: 50,
            after: None,
        }
    }
}

/// What resolving a ticket did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Resolution {
    pub ticket: Ticket,
    /// The queued email to the customer; None when the contact has no email address.
    pub email: Option<OutboxId>,
}

/// One outgoing email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct OutboxMessage {
    pub id: OutboxId,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: OutboxStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub ticket_id: Option<TicketId>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}
