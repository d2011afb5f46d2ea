//! The `tickets` and `outbox` tables.

use super::sql::Value;
use super::sql::{OptionalExtension, Row, params, params_from_iter};

use super::filter::{Filter, Keyset, contains_pattern};
use super::{Tx, enum_at, opt_time_at, time_at};
use crate::{
    ContactId, OutboxId, OutboxMessage, Page, Result, Ticket, TicketId, TicketPriority,
    TicketStatus, UserId,
};

/// Which tickets an actor sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TicketScope {
    All,
    /// Tickets whose customer the user owns (a sales rep's view).
    OwnContacts(UserId),
    Nothing,
}

/// Validated values of a new ticket.
#[derive(Clone, Copy)]
pub(crate) struct TicketRow<'a> {
    pub(crate) subject: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) contact: ContactId,
    pub(crate) priority: TicketPriority,
    pub(crate) assignee: Option<UserId>,
}

/// Filters of a ticket listing with names resolved.
pub(crate) struct TicketFilter {
    /// Conditions on custom fields.
    pub(crate) fields: Vec<crate::store::FieldTest>,
    pub(crate) scope: TicketScope,
    pub(crate) status: Option<TicketStatus>,
    pub(crate) priority: Option<TicketPriority>,
    pub(crate) assignee: Option<UserId>,
    pub(crate) contact: Option<ContactId>,
    pub(crate) search: Option<String>,
    pub(crate) include_resolved: bool,
    pub(crate) limit: u32,
    pub(crate) after: Option<TicketId>,
}

const SELECT: &str = concat!(
    "SELECT t.*, ",
    person_name!("c"),
    " AS contact_name,
        c.email AS contact_email, a.username AS assignee_name, cb.username AS creator_name
    FROM tickets t
    JOIN contacts c ON c.id = t.contact_id
    LEFT JOIN users a ON a.id = t.assignee_id
    LEFT JOIN users cb ON cb.id = t.created_by"
);

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<Ticket> {
    Ok(Ticket {
        fields: crate::FieldValues::default(),
        version: crate::Version(row.get("version")?),
        id: TicketId(row.get("id")?),
        subject: row.get("subject")?,
        description: row.get("description")?,
        contact_id: ContactId(row.get("contact_id")?),
        contact: row.get("contact_name")?,
        contact_email: row.get("contact_email")?,
        priority: enum_at(row, "priority")?,
        status: enum_at(row, "status")?,
        assignee_id: row.get::<_, Option<i64>>("assignee_id")?.map(UserId),
        assignee: row.get("assignee_name")?,
        created_by: row.get("creator_name")?,
        resolution: row.get("resolution")?,
        resolved_at: opt_time_at(row, "resolved_at")?,
        created_at: time_at(row, "created_at")?,
        updated_at: time_at(row, "updated_at")?,
    })
}

fn outbox_from_row(row: &Row<'_>) -> super::sql::SqlResult<OutboxMessage> {
    Ok(OutboxMessage {
        id: OutboxId(row.get("id")?),
        to: row.get("to_addr")?,
        subject: row.get("subject")?,
        body: row.get("body")?,
        status: enum_at(row, "status")?,
        attempts: row.get("attempts")?,
        last_error: row.get("last_error")?,
        ticket_id: row.get::<_, Option<i64>>("ticket_id")?.map(TicketId),
        sent_at: opt_time_at(row, "sent_at")?,
        created_at: time_at(row, "created_at")?,
    })
}

pub(super) fn scope_filter(filter: &mut Filter, scope: TicketScope) {
    match scope {
        TicketScope::All => {}
        TicketScope::OwnContacts(user) => filter.and("c.owner_id = ?", [Value::Integer(user.0)]),
        TicketScope::Nothing => filter.and("1 = 0", []),
    }
}

/// As [`scope_filter`], for a query that another index narrows (as `Filter::scope_for_page`):
/// the owner test is kept out of index choice (the unary `+`), so SQLite does not read all of
/// a rep's contacts first.
pub(super) fn scope_filter_for_page(filter: &mut Filter, scope: TicketScope) {
    match scope {
        TicketScope::OwnContacts(user) => {
            filter.and("+c.owner_id = ?", [Value::Integer(user.0)]);
        }
        other => scope_filter(filter, other),
    }
}

impl Tx<'_> {
    pub(crate) fn insert_ticket(
        &self,
        t: &TicketRow<'_>,
        by: UserId,
        now: &str,
    ) -> Result<TicketId> {
        let TicketRow {
            subject,
            description,
            contact,
            priority,
            assignee,
        } = *t;
        let new_id = self.insert(
            "INSERT INTO tickets (subject, description, contact_id, priority, status, assignee_id, created_by,
                                  created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'Open', ?5, ?6, ?7, ?7)",
            params![subject, description, contact.0, priority.as_str(), assignee.map(|a| a.0), by.0, now],
        )?;
        Ok(TicketId(new_id))
    }

    pub(crate) fn ticket(&self, id: TicketId) -> Result<Option<Ticket>> {
        let sql = format!("{SELECT} WHERE t.id = ?1");
        Ok(self.query_row(&sql, [id.0], from_row).optional()?)
    }

    pub(crate) fn ticket_in_scope(&self, id: TicketId, scope: TicketScope) -> Result<bool> {
        let mut filter = Filter::default();
        filter.and("t.id = ?", [Value::Integer(id.0)]);
        scope_filter(&mut filter, scope);
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM tickets t JOIN contacts c ON c.id = t.contact_id {})",
            filter.where_sql()
        );
        Ok(self.query_row(&sql, params_from_iter(&filter.args), |r| r.get(0))?)
    }

    pub(crate) fn list_tickets(&self, f: &TicketFilter) -> Result<Page<Ticket>> {
        let mut filter = Filter::default();
        scope_filter(&mut filter, f.scope);
        if let Some(s) = f.status {
            filter.and("t.status = ?", [Value::Text(s.as_str().into())]);
        } else if !f.include_resolved {
            filter.and("t.status <> 'Resolved'", []);
        }
        if let Some(p) = f.priority {
            filter.and("t.priority = ?", [Value::Text(p.as_str().into())]);
        }
        if let Some(a) = f.assignee {
            filter.and("t.assignee_id = ?", [Value::Integer(a.0)]);
        }
        if let Some(c) = f.contact {
            filter.and("t.contact_id = ?", [Value::Integer(c.0)]);
        }
        if let Some(search) = &f.search {
            let pattern = contains_pattern(search);
            filter.and(
                "(lower(t.subject) LIKE ? ESCAPE '\\' \
                  OR lower(c.first_name || ' ' || ifnull(c.last_name, '')) LIKE ? ESCAPE '\\')",
                [pattern.clone(), pattern],
            );
        }
        self.narrow_by_fields(&mut filter, "t", &f.fields)?;
        // The queue: most urgent first, then oldest first.
        let urgency = "CASE {t}.priority WHEN 'Urgent' THEN 0 WHEN 'High' THEN 1 WHEN 'Medium' THEN 2 ELSE 3 END";
        let keyset = Keyset::new(
            "tickets",
            "t",
            &[urgency, "{t}.created_at"],
            false,
            f.after.map(|a| a.0),
        );
        self.page_of(SELECT, &filter, &keyset, f.limit, from_row, |t| t.id.0)
    }

    pub(crate) fn set_ticket_assignee(
        &self,
        id: TicketId,
        assignee: UserId,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "UPDATE tickets SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.0, assignee.0, now],
        )?;
        Ok(())
    }

    /// Sets the status; resolving stores the resolution and time, anything else clears them.
    pub(crate) fn update_ticket(
        &self,
        id: TicketId,
        subject: &str,
        description: Option<&str>,
        priority: TicketPriority,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "UPDATE tickets SET subject = ?2, description = ?3, priority = ?4, updated_at = ?5 WHERE id = ?1",
            params![id.0, subject, description, priority.as_str(), now],
        )?;
        Ok(())
    }

    pub(crate) fn set_ticket_status(
        &self,
        id: TicketId,
        status: TicketStatus,
        resolution: Option<&str>,
        now: &str,
    ) -> Result<()> {
        let resolved = status == TicketStatus::Resolved;
        self.execute(
            "UPDATE tickets SET status = ?2, resolution = ?3, resolved_at = ?4, updated_at = ?5 WHERE id = ?1",
            params![id.0, status.as_str(), resolution, resolved.then_some(now), now],
        )?;
        Ok(())
    }

    /// Tickets by status, priority and assignee, and the mean hours to resolve.
    pub(crate) fn ticket_counts(&self, column: &str) -> Result<Vec<(String, i64)>> {
        let expr = match column {
            "status" => "t.status",
            "priority" => "t.priority",
            _ => "ifnull(a.username, '(unassigned)')",
        };
        let sql = format!(
            "SELECT {expr} AS k, count(*) FROM tickets t LEFT JOIN users a ON a.id = t.assignee_id
             WHERE t.status <> 'Resolved' GROUP BY k ORDER BY count(*) DESC, k"
        );
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn ticket_resolution_stats(&self) -> Result<(i64, Option<f64>)> {
        Ok(self.query_row(
            "SELECT count(*), avg((julianday(resolved_at) - julianday(created_at)) * 24)
             FROM tickets WHERE status = 'Resolved'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    pub(crate) fn insert_outbox(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        ticket: Option<TicketId>,
        now: &str,
    ) -> Result<OutboxId> {
        let new_id = self.insert(
            "INSERT INTO outbox (to_addr, subject, body, status, attempts, ticket_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'queued', 0, ?4, ?5, ?5)",
            params![to, subject, body, ticket.map(|t| t.0), now],
        )?;
        Ok(OutboxId(new_id))
    }

    pub(crate) fn outbox_message(&self, id: OutboxId) -> Result<Option<OutboxMessage>> {
        Ok(self
            .query_row(
                "SELECT * FROM outbox WHERE id = ?1",
                [id.0],
                outbox_from_row,
            )
            .optional()?)
    }

    pub(crate) fn list_outbox(
        &self,
        status: Option<&str>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>> {
        let mut stmt = self.prepare(
            "SELECT * FROM outbox WHERE CAST(?1 AS TEXT) IS NULL OR status = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![status, limit], outbox_from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Ids of queued messages not claimed by a running sender, oldest first.
    pub(crate) fn sendable_outbox(&self, now: &str) -> Result<Vec<OutboxId>> {
        let mut stmt = self.prepare(
            "SELECT id FROM outbox WHERE status = 'queued' AND (claimed_until IS NULL OR claimed_until <= ?1) ORDER BY id",
        )?;
        let rows = stmt.query_map([now], |r| r.get(0).map(OutboxId))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Claims a queued message for one sender until `until`; false when another has it. Gives
    /// the message its Message-ID on the first claim and returns it.
    pub(crate) fn claim_outbox(
        &self,
        id: OutboxId,
        until: &str,
        message_id: &str,
        now: &str,
    ) -> Result<Option<String>> {
        let changed = self.execute(
            "UPDATE outbox SET claimed_until = ?2, message_id = ifnull(message_id, ?3), attempts = attempts + 1,
                updated_at = ?4
             WHERE id = ?1 AND status = 'queued' AND (claimed_until IS NULL OR claimed_until <= ?4)",
            params![id.0, until, message_id, now],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        Ok(
            self.query_row("SELECT message_id FROM outbox WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })?,
        )
    }

    pub(crate) fn mark_outbox_sent(&self, id: OutboxId, now: &str) -> Result<()> {
        self.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?2, claimed_until = NULL, last_error = NULL, updated_at = ?2
             WHERE id = ?1",
            params![id.0, now],
        )?;
        Ok(())
    }

    /// Records a failed attempt; after `max_attempts` the message is set aside as failed.
    pub(crate) fn mark_outbox_failed(
        &self,
        id: OutboxId,
        error: &str,
        max_attempts: u32,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "UPDATE outbox SET last_error = ?2, claimed_until = NULL, updated_at = ?4,
                status = CASE WHEN attempts >= ?3 THEN 'failed' ELSE 'queued' END
             WHERE id = ?1",
            params![id.0, error, max_attempts, now],
        )?;
        Ok(())
    }

    pub(crate) fn requeue_outbox(&self, id: OutboxId, now: &str) -> Result<bool> {
        Ok(self.execute(
            "UPDATE outbox SET status = 'queued', claimed_until = NULL, updated_at = ?2 WHERE id = ?1 AND status <> 'sent'",
            params![id.0, now],
        )? > 0)
    }
}
