//! The deals list: its columns, filters, sorts, keys, and the service call.

use std::collections::BTreeSet;

use crm_core::{Deal, DealId, DealQuery, DealSort, EntityKind, Page, RecordRef};
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
use crate::widget::{compact_money, safe};

pub(crate) struct Deals;

impl Listing for Deals {
    type Item = Deal;
    const TITLE: &'static str = "Deals";
    const SECTION: Section = Section::Pipeline;
    const EMPTY: &'static str = "No deals yet. Press a to add one, or convert a lead.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("title", Constraint::Fill(4)),
        ("contact", Constraint::Fill(2)),
        ("stage", Constraint::Length(12)),
        ("amount", Constraint::Length(14)),
        ("close by", Constraint::Length(10)),
        ("owner", Constraint::Length(8)),
    ];
    const SORTS: &'static [&'static str] =
        &["updated", "amount", "expected-close", "title", "created"];
    const FILTERS: &'static [FilterDef] = &[
        FilterDef {
            key: "f",
            label: "stage",
            options: &[
                "open",
                "New",
                "Qualified",
                "Proposal",
                "Negotiation",
                "Won",
                "Lost",
            ],
        },
        FilterDef {
            key: "m",
            label: "owner",
            options: &["mine"],
        },
    ];
    const KEYS: &'static [(&'static str, &'static str)] =
        &[("a", "add"), ("e", "edit"), ("v", "board")];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Deal>> {
        let stage = q.filter::<Self>(0);
        let sort = parsed(q.sort::<Self>()).unwrap_or(DealSort::Updated);
        let natural_descending = matches!(
            sort,
            DealSort::Updated | DealSort::Amount | DealSort::Created
        );
        ctx.crm.list_deals(
            ctx.actor,
            &DealQuery {
                stage: stage.filter(|s| *s != "open").map(str::to_string),
                open_only: stage == Some("open"),
                owner: mine(ctx, q.filter::<Self>(1)),
                search: q.search(),
                sort,
                descending: natural_descending != q.descending,
                limit: PAGE,
                after: after.map(DealId),
                ..DealQuery::default()
            },
        )
    }

    fn cells(d: &Deal, theme: Theme) -> Vec<Span<'static>> {
        let stage = if d.closed_at.is_some() && d.lost_reason.is_none() {
            theme.good()
        } else if d.lost_reason.is_some() {
            theme.bad()
        } else {
            theme.text()
        };
        vec![
            Span::from(d.id.to_string()),
            Span::from(safe(Some(&d.title))),
            Span::from(safe(d.contact.as_deref())),
            Span::styled(safe(Some(&d.stage)), stage),
            Span::from(compact_money(d.amount, d.currency.as_str())),
            Span::from(d.expected_close.map_or_else(String::new, |c| c.to_string())),
            Span::from(safe(d.owner.as_deref())),
        ]
    }

    fn id(d: &Deal) -> i64 {
        d.id.0
    }

    fn record(d: &Deal) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Deal, d.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Deal>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('a') => Some(Action::Show(Popup::Form(Form::new_deal(None)))),
            KeyCode::Char('e') => item.map(|d| Action::Show(Popup::Form(Form::edit_deal(d)))),
            KeyCode::Char('v') => Some(Action::Go(crate::screen::Section::Pipeline)),
            _ => None,
        }
    }
}
