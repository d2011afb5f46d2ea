//! The tickets list: its columns, filters, sorts, keys, and the service call.

use std::collections::BTreeSet;

use crm_core::{
    EntityKind, Page, RecordRef, Ticket, TicketId, TicketPriority, TicketQuery, TicketStatus,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Constraint;
use ratatui::text::Span;

use super::{mine, parsed};
use crate::action::{Action, Command};
use crate::popup::form::Form;
use crate::popup::{Choice, Popup, Prompt};
use crate::screen::Ctx;
use crate::screen::Section;
use crate::screen::list::{FilterDef, ListQuery, Listing, PAGE};
use crate::theme::Theme;
use crate::widget::safe;

pub(crate) struct Tickets;

/// The keys every ticket view shares (queue and detail page).
pub(crate) fn ticket_action(key: KeyEvent, ticket: &Ticket) -> Option<Action> {
    let id: TicketId = ticket.id;
    Some(match key.code {
        KeyCode::Char('o') => Action::Show(Popup::Choice(Choice::assign_ticket(
            id,
            ticket.assignee.as_deref(),
        ))),
        KeyCode::Char('e') => Action::Show(Popup::Form(Form::edit_ticket(ticket))),
        KeyCode::Char('w') => Action::Do(Command::StartTicket(id)),
        KeyCode::Char('v') => Action::Show(Popup::Prompt(Prompt::resolve(id))),
        _ => return None,
    })
}

impl Listing for Tickets {
    type Item = Ticket;
    const TITLE: &'static str = "Tickets";
    const SECTION: Section = Section::Tickets;
    const EMPTY: &'static str = "The queue is empty. Press a to open a ticket.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("subject", Constraint::Fill(4)),
        ("customer", Constraint::Fill(2)),
        ("priority", Constraint::Length(8)),
        ("status", Constraint::Length(11)),
        ("assignee", Constraint::Length(9)),
    ];
    const FILTERS: &'static [FilterDef] = &[
        FilterDef {
            key: "f",
            label: "status",
            options: crm_core::TicketStatus::NAMES,
        },
        FilterDef {
            key: "p",
            label: "priority",
            options: &["Urgent", "High", "Medium", "Low"],
        },
        FilterDef {
            key: "m",
            label: "assignee",
            options: &["mine"],
        },
    ];
    const KEYS: &'static [(&'static str, &'static str)] = &[
        ("a", "new ticket"),
        ("e", "edit"),
        ("o", "assign"),
        ("w", "start work"),
        ("v", "resolve"),
    ];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Ticket>> {
        ctx.crm.list_tickets(
            ctx.actor,
            &TicketQuery {
                status: parsed::<TicketStatus>(q.filter::<Self>(0)),
                priority: parsed::<TicketPriority>(q.filter::<Self>(1)),
                assignee: mine(ctx, q.filter::<Self>(2)),
                search: q.search(),
                limit: PAGE,
                after: after.map(TicketId),
                ..TicketQuery::default()
            },
        )
    }

    fn cells(t: &Ticket, theme: Theme) -> Vec<Span<'static>> {
        let priority = match t.priority {
            TicketPriority::Urgent => theme.bad(),
            TicketPriority::High => theme.warn(),
            _ => theme.text(),
        };
        vec![
            Span::from(t.id.to_string()),
            Span::from(safe(Some(&t.subject))),
            Span::from(safe(Some(&t.contact))),
            Span::styled(t.priority.to_string(), priority),
            Span::from(t.status.to_string()),
            Span::from(safe(t.assignee.as_deref())),
        ]
    }

    fn id(t: &Ticket) -> i64 {
        t.id.0
    }

    fn record(t: &Ticket) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Ticket, t.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Ticket>, _: &BTreeSet<i64>) -> Option<Action> {
        if key.code == KeyCode::Char('a') {
            return Some(Action::Show(Popup::Form(Form::new_ticket(None))));
        }
        ticket_action(key, item?)
    }
}
