//! The contacts list: its columns, filters, sorts, keys, and the service call.

use std::collections::BTreeSet;

use crm_core::{Contact, ContactQuery, ContactSort, EntityKind, Page, RecordRef, ViewKind};
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

pub(crate) struct Contacts;

impl Listing for Contacts {
    type Item = Contact;
    const TITLE: &'static str = "Contacts";
    const SECTION: Section = Section::Contacts;
    const EMPTY: &'static str = "No contacts yet. Press a to add one.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("name", Constraint::Fill(3)),
        ("company", Constraint::Fill(2)),
        ("email", Constraint::Fill(3)),
        ("phone", Constraint::Length(16)),
        ("owner", Constraint::Length(8)),
    ];
    const SORTS: &'static [&'static str] = &["name", "company", "email", "created", "updated"];
    const FILTERS: &'static [FilterDef] = &[FilterDef {
        key: "m",
        label: "owner",
        options: &["mine"],
    }];
    const KEYS: &'static [(&'static str, &'static str)] =
        &[("a", "add"), ("e", "edit"), ("c", "companies")];
    const VIEWS: Option<ViewKind> = Some(ViewKind::Contacts);

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Contact>> {
        if let Some(name) = &q.view {
            let query = ctx.crm.contact_view(ctx.actor, name)?.paged(
                PAGE,
                after.map(crm_core::ContactId),
                q.search(),
            );
            return ctx.crm.list_contacts(ctx.actor, &query);
        }
        ctx.crm.list_contacts(
            ctx.actor,
            &ContactQuery {
                owner: mine(ctx, q.filter::<Self>(0)),
                search: q.search(),
                sort: parsed(q.sort::<Self>()).unwrap_or(ContactSort::Name),
                descending: q.descending,
                limit: PAGE,
                after: after.map(crm_core::ContactId),
                ..ContactQuery::default()
            },
        )
    }

    fn cells(c: &Contact, _theme: Theme) -> Vec<Span<'static>> {
        vec![
            Span::from(c.id.to_string()),
            Span::from(safe(Some(&c.full_name()))),
            Span::from(safe(c.company.as_deref())),
            Span::from(safe(c.email.as_deref())),
            Span::from(safe(c.phone.as_deref())),
            Span::from(safe(c.owner.as_deref())),
        ]
    }

    fn id(c: &Contact) -> i64 {
        c.id.0
    }

    fn record(c: &Contact) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Contact, c.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Contact>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('a') => Some(Action::Show(Popup::Form(Form::new_contact()))),
            KeyCode::Char('e') => item.map(|c| Action::Show(Popup::Form(Form::edit_contact(c)))),
            KeyCode::Char('c') => Some(Action::CompanyList),
            _ => None,
        }
    }
}
