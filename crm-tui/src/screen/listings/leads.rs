//! The leads list: its columns, filters, sorts, keys, and the service call.

use std::collections::BTreeSet;

use crm_core::{
    EntityKind, Lead, LeadId, LeadQuery, LeadSort, LeadStage, Page, RecordRef, Temperature,
    ViewKind,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Constraint;
use ratatui::text::Span;

use super::{mine, parsed};
use crate::action::Action;
use crate::popup::form::Form;
use crate::popup::{Choice, Popup, Prompt};
use crate::screen::Ctx;
use crate::screen::Section;
use crate::screen::list::{FilterDef, ListQuery, Listing, PAGE};
use crate::theme::Theme;
use crate::widget::safe;

pub(crate) struct Leads;

/// The keys every lead view shares (list and detail page).
pub(crate) fn lead_action(key: KeyEvent, lead: &Lead, marked: &[LeadId]) -> Option<Action> {
    let id = lead.id;
    Some(match key.code {
        KeyCode::Char('e') => Action::Show(Popup::Form(Form::edit_lead(lead))),
        KeyCode::Char('#') => Action::Show(Popup::Prompt(Prompt::score(id, lead.score))),
        KeyCode::Char('t') => Action::Show(Popup::Choice(Choice::lead_stage(id, lead.stage))),
        KeyCode::Char('c') => Action::AskConvert(id),
        KeyCode::Char('n') => {
            let ids = if marked.is_empty() {
                vec![id]
            } else {
                marked.to_vec()
            };
            Action::Show(Popup::confirm_nurture(ids))
        }
        _ => return None,
    })
}

impl Listing for Leads {
    type Item = Lead;
    const TITLE: &'static str = "Leads";
    const SECTION: Section = Section::Leads;
    const EMPTY: &'static str =
        "No leads yet. Press a to add one, or import a CSV with `crm import leads`.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("name", Constraint::Fill(3)),
        ("company", Constraint::Fill(2)),
        ("campaign", Constraint::Fill(2)),
        ("stage", Constraint::Length(10)),
        ("score", Constraint::Length(10)),
        ("owner", Constraint::Length(8)),
    ];
    const SORTS: &'static [&'static str] = &[
        "created",
        "score",
        "name",
        "company",
        "stage",
        "next-action",
    ];
    const FILTERS: &'static [FilterDef] = &[
        FilterDef {
            key: "f",
            label: "stage",
            options: crm_core::LeadStage::NAMES,
        },
        FilterDef {
            key: "h",
            label: "heat",
            options: crm_core::Temperature::NAMES,
        },
        FilterDef {
            key: "m",
            label: "owner",
            options: &["mine"],
        },
    ];
    const KEYS: &'static [(&'static str, &'static str)] = &[
        ("a", "add"),
        ("e", "edit"),
        ("#", "score"),
        ("t", "stage"),
        ("n", "nurture"),
        ("c", "convert"),
    ];
    const MARKABLE: bool = true;
    const VIEWS: Option<ViewKind> = Some(ViewKind::Leads);

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Lead>> {
        if let Some(name) = &q.view {
            let query =
                ctx.crm
                    .lead_view(ctx.actor, name)?
                    .paged(PAGE, after.map(LeadId), q.search());
            return ctx.crm.list_leads(ctx.actor, &query);
        }
        let stage: Option<LeadStage> = parsed(q.filter::<Self>(0));
        let sort = parsed(q.sort::<Self>()).unwrap_or(LeadSort::Created);
        // Newest and best first unless reversed; names and stages read A-Z.
        let natural_descending = matches!(sort, LeadSort::Created | LeadSort::Score);
        ctx.crm.list_leads(
            ctx.actor,
            &LeadQuery {
                stage,
                temperature: parsed::<Temperature>(q.filter::<Self>(1)),
                owner: mine(ctx, q.filter::<Self>(2)),
                search: q.search(),
                include_converted: stage == Some(LeadStage::Converted),
                sort,
                descending: natural_descending != q.descending,
                limit: PAGE,
                after: after.map(LeadId),
                ..LeadQuery::default()
            },
        )
    }

    fn cells(l: &Lead, theme: Theme) -> Vec<Span<'static>> {
        vec![
            Span::from(l.id.to_string()),
            Span::from(safe(Some(&l.full_name()))),
            Span::from(safe(l.company.as_deref())),
            Span::from(safe(Some(&l.campaign))),
            Span::from(l.stage.to_string()),
            Span::styled(
                format!("{:>3} {}", l.score, l.temperature),
                theme.temperature(l.temperature),
            ),
            Span::from(safe(l.owner.as_deref())),
        ]
    }

    fn id(l: &Lead) -> i64 {
        l.id.0
    }

    fn record(l: &Lead) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Lead, l.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Lead>, marked: &BTreeSet<i64>) -> Option<Action> {
        if key.code == KeyCode::Char('a') {
            return Some(Action::Show(Popup::Form(Form::new_lead())));
        }
        let marked: Vec<LeadId> = marked.iter().copied().map(LeadId).collect();
        lead_action(key, item?, &marked)
    }
}
