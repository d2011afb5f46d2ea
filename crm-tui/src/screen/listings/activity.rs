//! The activity list: its columns, filters, sorts, keys, and the service call.

use crm_core::{Activity, ActivityQuery, Page, RecordRef};
use ratatui::layout::Constraint;
use ratatui::text::Span;

use super::mine;
use crate::screen::Ctx;
use crate::screen::Section;
use crate::screen::list::{FilterDef, ListQuery, Listing, PAGE};
use crate::theme::Theme;
use crate::widget::safe;

pub(crate) struct ActivityFeed;

impl Listing for ActivityFeed {
    type Item = Activity;
    const TITLE: &'static str = "Activity";
    const SECTION: Section = Section::Activity;
    const EMPTY: &'static str = "Nothing has happened yet.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("when", Constraint::Length(16)),
        ("who", Constraint::Length(8)),
        ("what", Constraint::Length(14)),
        ("", Constraint::Fill(1)),
    ];
    const FILTERS: &'static [FilterDef] = &[FilterDef {
        key: "m",
        label: "who",
        options: &["mine"],
    }];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Activity>> {
        let rows = ctx.crm.activity(
            ctx.actor,
            &ActivityQuery {
                user: mine(ctx, q.filter::<Self>(0)),
                limit: PAGE,
                before: after,
                ..ActivityQuery::default()
            },
        )?;
        let next_after = (rows.len() == PAGE as usize)
            .then(|| rows.last().map(|a| a.id))
            .flatten();
        let needle = q.search().map(|s| s.to_lowercase());
        let items = rows
            .into_iter()
            .filter(|a| {
                needle
                    .as_ref()
                    .is_none_or(|n| a.summary.to_lowercase().contains(n))
            })
            .collect();
        Ok(Page { items, next_after })
    }

    fn cells(a: &Activity, theme: Theme) -> Vec<Span<'static>> {
        vec![
            Span::styled(a.at.format("%Y-%m-%d %H:%M").to_string(), theme.dim()),
            Span::from(safe(Some(a.actor.as_deref().unwrap_or("system")))),
            Span::from(format!("{} {}", a.verb, a.entity)),
            Span::from(safe(Some(&a.summary))),
        ]
    }

    fn id(a: &Activity) -> i64 {
        a.id
    }

    fn record(a: &Activity) -> Option<RecordRef> {
        crate::screen::detail::opens(a.entity).then(|| RecordRef::new(a.entity, a.entity_id))
    }
}
