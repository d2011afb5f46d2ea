//! The companies list: its columns, filters, sorts, keys, and the service call.

use std::collections::BTreeSet;

use crm_core::{Company, CompanyQuery, CompanySort, EntityKind, Page, RecordRef};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Constraint;
use ratatui::text::Span;

use super::{mine, parsed};
use crate::action::Action;
use crate::popup::Popup;
use crate::popup::form::Form;
use crate::screen::Ctx;
use crate::screen::Section;
use crate::screen::list::{FilterDef, ListQuery, Listing, PAGE};
use crate::theme::Theme;
use crate::widget::safe;

/// Companies, reached from the contacts list; Enter opens a company's page.
pub(crate) struct Companies;

impl Listing for Companies {
    type Item = Company;
    const TITLE: &'static str = "Companies";
    const SECTION: Section = Section::Contacts;
    const EMPTY: &'static str = "No companies yet. They appear as contacts and leads name them, or add one with `crm companies add`.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("name", Constraint::Fill(3)),
        ("domain", Constraint::Fill(2)),
        ("industry", Constraint::Fill(2)),
        ("contacts", Constraint::Length(9)),
        ("leads", Constraint::Length(6)),
        ("deals", Constraint::Length(6)),
        ("owner", Constraint::Length(8)),
    ];
    const SORTS: &'static [&'static str] = &["name", "domain", "industry", "created"];
    const FILTERS: &'static [FilterDef] = &[FilterDef {
        key: "m",
        label: "owner",
        options: &["mine"],
    }];
    const KEYS: &'static [(&'static str, &'static str)] = &[("e", "edit"), ("c", "contacts")];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Company>> {
        ctx.crm.list_companies(
            ctx.actor,
            &CompanyQuery {
                search: q.search(),
                owner: mine(ctx, q.filter::<Self>(0)),
                sort: parsed(q.sort::<Self>()).unwrap_or(CompanySort::Name),
                descending: q.descending,
                limit: PAGE,
                after: after.map(crm_core::CompanyId),
                ..CompanyQuery::default()
            },
        )
    }

    fn cells(c: &Company, _theme: Theme) -> Vec<Span<'static>> {
        vec![
            Span::from(c.id.to_string()),
            Span::from(safe(Some(&c.name))),
            Span::from(safe(c.domain.as_deref())),
            Span::from(safe(c.industry.as_deref())),
            Span::from(c.contacts.to_string()),
            Span::from(c.leads.to_string()),
            Span::from(c.deals.to_string()),
            Span::from(safe(c.owner.as_deref())),
        ]
    }

    fn id(c: &Company) -> i64 {
        c.id.0
    }

    fn record(c: &Company) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Company, c.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Company>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('e') => item.map(|c| Action::Show(Popup::Form(Form::edit_company(c)))),
            KeyCode::Char('c') => Some(Action::Go(crate::screen::Section::Contacts)),
            _ => None,
        }
    }
}
