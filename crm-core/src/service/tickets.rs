//! Support tickets: open, assign, start, resolve (queueing the customer's email), reopen.

use super::{Crm, fields};
use crate::rules::{resolution_mail, validate};
use crate::store::{TicketFilter, TicketRow, TicketScope, Tx};
use crate::{
    Actor, EntityKind, Error, FieldsOf, NewTicket, Page, Resolution, Result, Role, Ticket,
    TicketId, TicketPatch, TicketPriority, TicketQuery, TicketStatus, UserId,
};

fn workable(tx: &Tx<'_>, actor: &Actor, id: TicketId, verb: &str) -> Result<Ticket> {
    let ticket = tx
        .ticket(id)?
        .ok_or_else(|| Error::not_found("ticket", id))?;
    let scope = actor.ticket_scope();
    if scope != TicketScope::All && !tx.ticket_in_scope(id, scope)? {
        let message = format!(
            "{} '{}' may not {verb} ticket {id} (needs role admin, manager or support_agent)",
            actor.role, actor.username
        );
        // A role that sees tickets of its own customers is not told that this one exists.
        return Err(if scope == TicketScope::Nothing {
            Error::Forbidden(message)
        } else {
            Error::OutOfScope(message)
        });
    }
    Ok(ticket)
}

/// An active user who may take tickets: a support agent, admin or manager.
fn assignee(tx: &Tx<'_>, username: &str) -> Result<(UserId, String)> {
    let stored = tx
        .user_by_username(&username.trim().to_lowercase())?
        .ok_or_else(|| {
            Error::invalid("assignee", format!("no user named '{}'", username.trim()))
        })?;
    let user = stored.user;
    if !user.active {
        return Err(Error::invalid(
            "assignee",
            format!("'{}' is disabled", user.username),
        ));
    }
    if !user.role.works_tickets() {
        return Err(Error::invalid(
            "assignee",
            format!(
                "'{}' is a {}; tickets go to support agents, admins or managers",
                user.username, user.role
            ),
        ));
    }
    Ok((user.id, user.username))
}

fn log(
    tx: &Tx<'_>,
    actor: &Actor,
    verb: &str,
    id: TicketId,
    summary: &str,
    now: &str,
) -> Result<()> {
    tx.insert_activity(Some(actor.id), verb, EntityKind::Ticket, id.0, summary, now)
}

/// Ticket `id` with its custom values, as the services hand a ticket out.
fn shown(tx: &Tx<'_>, id: TicketId) -> Result<Ticket> {
    let ticket = tx
        .ticket(id)?
        .ok_or_else(|| Error::not_found("ticket", id))?;
    fields::with_values(tx, FieldsOf::Tickets, ticket, |t| t.id.0, |t| &mut t.fields)
}

impl Crm {
    /// Opens a ticket for a customer (a contact).
    pub fn add_ticket(&self, actor: &Actor, new: &NewTicket) -> Result<Ticket> {
        if actor.role == Role::Marketer {
            return Err(Error::Forbidden(format!(
                "{} '{}' may not open tickets (needs role admin, manager, support_agent or sales_rep)",
                actor.role, actor.username
            )));
        }
        let subject = validate::required("subject", &new.subject)?;
        let description = validate::multiline("description", new.description.as_deref())?;
        let now = self.now_text();
        self.store.write(|tx| {
            // An agent may read the contacts of their tickets, so a ticket of theirs for any
            // contact would open that contact to them: they open tickets for contacts they
            // may already read (their own, or ones on their tickets).
            let contact = super::contacts::linkable_contact(tx, actor, "contact", new.contact)?;
            let assignee = new
                .assignee
                .as_deref()
                .map(|a| assignee(tx, a))
                .transpose()?;
            if assignee.is_some() {
                actor.require_ticket_work("assign tickets")?;
            }
            let priority = new.priority.unwrap_or(TicketPriority::Medium);
            let row = TicketRow {
                subject: &subject,
                description: description.as_deref(),
                contact: contact.id,
                priority,
                assignee: assignee.as_ref().map(|a| a.0),
            };
            let id = tx.insert_ticket(&row, actor.id, &now)?;
            fields::write_fields(tx, FieldsOf::Tickets, id.0, &new.fields, true)?;
            let to = assignee
                .map(|(_, name)| format!(", assigned to {name}"))
                .unwrap_or_default();
            log(
                tx,
                actor,
                "created",
                id,
                &format!(
                    "{} opened ticket #{id} '{subject}' for {}{to}",
                    actor.display_name,
                    contact.full_name()
                ),
                &now,
            )?;
            shown(tx, id)
        })
    }

    /// Changes a ticket's subject, description or priority (support work).
    pub fn edit_ticket(&self, actor: &Actor, id: TicketId, patch: &TicketPatch) -> Result<Ticket> {
        actor.require_ticket_work("edit tickets")?;
        let subject = patch
            .subject
            .as_deref()
            .map(|s| validate::required("subject", s))
            .transpose()?;
        let description = match patch.description.as_deref() {
            Some(text) => Some(validate::multiline("description", Some(text))?),
            None => None,
        };
        let now = self.now_text();
        self.store.write(|tx| {
            let ticket = workable(tx, actor, id, "edit")?;
            super::records::require_version(tx, id.into(), ticket.version, patch.if_version)?;
            let subject = subject.clone().unwrap_or_else(|| ticket.subject.clone());
            let description = description.clone().unwrap_or(ticket.description.clone());
            let priority = patch.priority.unwrap_or(ticket.priority);
            tx.update_ticket(id, &subject, description.as_deref(), priority, &now)?;
            fields::write_fields(tx, FieldsOf::Tickets, id.0, &patch.fields, false)?;
            log(
                tx,
                actor,
                "updated",
                id,
                &format!("{} edited ticket #{id} '{subject}'", actor.display_name),
                &now,
            )?;
            shown(tx, id)
        })
    }

    /// One ticket, if the actor may see it.
    pub fn ticket(&self, actor: &Actor, id: TicketId) -> Result<Ticket> {
        self.store.read(|tx| {
            workable(tx, actor, id, "read")?;
            shown(tx, id)
        })
    }

    /// The queue: most urgent first, oldest first; resolved tickets only when asked.
    pub fn list_tickets(&self, actor: &Actor, query: &TicketQuery) -> Result<Page<Ticket>> {
        if actor.ticket_scope() == TicketScope::Nothing {
            return Err(Error::Forbidden(format!(
                "{} '{}' may not list tickets (needs role admin, manager or support_agent)",
                actor.role, actor.username
            )));
        }
        validate::page_limit(query.limit)?;
        let search = validate::optional("search", query.search.as_deref())?;
        self.store.read(|tx| {
            let assignee = match &query.assignee {
                Some(name) => Some(tx.user_id(&name.trim().to_lowercase())?.ok_or_else(|| {
                    Error::invalid("assignee", format!("no user named '{}'", name.trim()))
                })?),
                None => None,
            };
            let mut page = tx.list_tickets(&TicketFilter {
                fields: fields::field_tests(tx, FieldsOf::Tickets, &query.wheres)?,
                scope: actor.ticket_scope(),
                status: query.status,
                priority: query.priority,
                assignee,
                contact: query.contact,
                search: search.clone(),
                include_resolved: query.include_resolved,
                limit: query.limit,
                after: query.after,
            })?;
            fields::fill(
                tx,
                FieldsOf::Tickets,
                &mut page.items,
                |t| t.id.0,
                |t| &mut t.fields,
            )?;
            Ok(page)
        })
    }

    /// Gives a ticket to a support agent (or an admin or manager).
    /// The people a ticket may go to: active support agents, admins and managers, by name.
    /// For those who assign tickets, so a front end can offer a list instead of a blank.
    pub fn ticket_assignees(&self, actor: &Actor) -> Result<Vec<crate::User>> {
        actor.require_ticket_work("assign tickets")?;
        let mut users = self.store.read(|tx| tx.list_users())?;
        users.retain(|u| u.active && u.role.works_tickets());
        users.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(users)
    }

    pub fn assign_ticket(&self, actor: &Actor, id: TicketId, username: &str) -> Result<Ticket> {
        actor.require_ticket_work("assign tickets")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let ticket = workable(tx, actor, id, "assign")?;
            let (user, name) = assignee(tx, username)?;
            tx.set_ticket_assignee(id, user, &now)?;
            log(
                tx,
                actor,
                "assigned",
                id,
                &format!(
                    "{} assigned ticket #{id} '{}' to {name}",
                    actor.display_name, ticket.subject
                ),
                &now,
            )?;
            tx.ticket(id)?.ok_or_else(|| Error::not_found("ticket", id))
        })
    }

    /// Starts work on a ticket (In Progress); an unassigned ticket goes to whoever starts it.
    pub fn start_ticket(&self, actor: &Actor, id: TicketId) -> Result<Ticket> {
        actor.require_ticket_work("work on tickets")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let ticket = workable(tx, actor, id, "start")?;
            if ticket.status != TicketStatus::Open {
                return Err(Error::Conflict(format!(
                    "ticket #{id} is {}; only an Open ticket can be started",
                    ticket.status
                )));
            }
            if ticket.assignee_id.is_none() {
                tx.set_ticket_assignee(id, actor.id, &now)?;
            }
            tx.set_ticket_status(id, TicketStatus::InProgress, None, &now)?;
            log(
                tx,
                actor,
                "started",
                id,
                &format!(
                    "{} started ticket #{id} '{}'",
                    actor.display_name, ticket.subject
                ),
                &now,
            )?;
            tx.ticket(id)?.ok_or_else(|| Error::not_found("ticket", id))
        })
    }

    /// Resolves a ticket with its resolution and, in the same transaction, queues the email that
    /// tells the customer. A customer without an email address gets none, and the result says so.
    pub fn resolve_ticket(
        &self,
        actor: &Actor,
        id: TicketId,
        resolution: &str,
    ) -> Result<Resolution> {
        actor.require_ticket_work("resolve tickets")?;
        let resolution = validate::multiline("resolution", Some(resolution))?
            .ok_or_else(|| Error::invalid("resolution", "is required"))?;
        let now = self.now_text();
        self.store.write(|tx| {
            let ticket = workable(tx, actor, id, "resolve")?;
            if ticket.status == TicketStatus::Resolved {
                return Err(Error::Conflict(format!(
                    "ticket #{id} is already resolved; reopen it first"
                )));
            }
            tx.set_ticket_status(id, TicketStatus::Resolved, Some(&resolution), &now)?;
            let contact = tx
                .contact(ticket.contact_id)?
                .ok_or_else(|| Error::not_found("contact", ticket.contact_id))?;
            let email = match &contact.email {
                Some(to) => {
                    let (subject, body) = resolution_mail::compose(
                        id.0,
                        &ticket.subject,
                        &contact.first_name,
                        &resolution,
                    );
                    Some(tx.insert_outbox(to, &subject, &body, Some(id), &now)?)
                }
                None => None,
            };
            let mail = if email.is_some() {
                "; the customer's email is queued"
            } else {
                "; the customer has no email address"
            };
            log(
                tx,
                actor,
                "resolved",
                id,
                &format!(
                    "{} resolved ticket #{id} '{}'{mail}",
                    actor.display_name, ticket.subject
                ),
                &now,
            )?;
            let ticket = tx
                .ticket(id)?
                .ok_or_else(|| Error::not_found("ticket", id))?;
            super::webhooks::queue(tx, crate::WebhookEvent::TicketResolved, &now, || {
                Ok(&ticket)
            })?;
            Ok(Resolution { ticket, email })
        })
    }

    /// Reopens a resolved ticket.
    pub fn reopen_ticket(&self, actor: &Actor, id: TicketId) -> Result<Ticket> {
        actor.require_ticket_work("reopen tickets")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let ticket = workable(tx, actor, id, "reopen")?;
            if ticket.status != TicketStatus::Resolved {
                return Err(Error::Conflict(format!(
                    "ticket #{id} is {}, not resolved",
                    ticket.status
                )));
            }
            tx.set_ticket_status(id, TicketStatus::Open, None, &now)?;
            log(
                tx,
                actor,
                "reopened",
                id,
                &format!(
                    "{} reopened ticket #{id} '{}'",
                    actor.display_name, ticket.subject
                ),
                &now,
            )?;
            tx.ticket(id)?.ok_or_else(|| Error::not_found("ticket", id))
        })
    }
}
