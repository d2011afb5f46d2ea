//! The tasks list: its columns, filters, sorts, keys, and the service call.

use std::collections::BTreeSet;

use crm_core::{EntityKind, Page, RecordRef, Task, TaskId, TaskQuery, TaskStatus};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Constraint;
use ratatui::text::Span;

use super::when;
use crate::action::{Action, Command};
use crate::popup::Popup;
use crate::popup::form::Form;
use crate::screen::Ctx;
use crate::screen::Section;
use crate::screen::list::{FilterDef, ListQuery, Listing, PAGE};
use crate::theme::Theme;
use crate::widget::safe;

pub(crate) struct Tasks;

impl Listing for Tasks {
    type Item = Task;
    const TITLE: &'static str = "Tasks";
    const SECTION: Section = Section::Tasks;
    const EMPTY: &'static str = "No tasks. Press a to add one.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("kind", Constraint::Length(7)),
        ("title", Constraint::Fill(4)),
        ("due", Constraint::Length(16)),
        ("assignee", Constraint::Length(9)),
        ("about", Constraint::Length(12)),
        ("status", Constraint::Length(9)),
    ];
    const FILTERS: &'static [FilterDef] = &[
        FilterDef {
            key: "f",
            label: "show",
            options: &["open", "overdue", "today", "done"],
        },
        FilterDef {
            key: "m",
            label: "assignee",
            options: &["mine"],
        },
    ];
    const KEYS: &'static [(&'static str, &'static str)] =
        &[("a", "add"), ("e", "edit"), ("d", "done")];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Task>> {
        let show = q.filter::<Self>(0);
        ctx.crm.list_tasks(
            ctx.actor,
            &TaskQuery {
                mine: q.filter::<Self>(1).is_some(),
                status: match show {
                    Some("open") => Some(TaskStatus::Open),
                    Some("done") => Some(TaskStatus::Done),
                    _ => None,
                },
                overdue: show == Some("overdue"),
                due_today: show == Some("today"),
                search: q.search(),
                limit: PAGE,
                after: after.map(TaskId),
                ..TaskQuery::default()
            },
        )
    }

    fn cells(t: &Task, theme: Theme) -> Vec<Span<'static>> {
        let status = if t.status == TaskStatus::Done {
            theme.good()
        } else {
            theme.text()
        };
        vec![
            Span::from(t.id.to_string()),
            Span::from(t.kind.to_string()),
            Span::from(safe(Some(&t.title))),
            Span::from(when(t.due_at)),
            Span::from(safe(t.assignee.as_deref())),
            Span::from(
                t.link
                    .map_or_else(String::new, |l| format!("{} {}", l.kind, l.id)),
            ),
            Span::styled(t.status.to_string(), status),
        ]
    }

    fn id(t: &Task) -> i64 {
        t.id.0
    }

    fn record(t: &Task) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Task, t.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Task>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('a') => Some(Action::Show(Popup::Form(Form::new_task(None)))),
            KeyCode::Char('e') => item.map(|t| Action::Show(Popup::Form(Form::edit_task(t)))),
            KeyCode::Char('d') => item
                .filter(|t| t.status == TaskStatus::Open)
                .map(|t| Action::Do(Command::CompleteTask(t.id))),
            _ => None,
        }
    }
}
