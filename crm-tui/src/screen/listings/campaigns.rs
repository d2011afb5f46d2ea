//! The campaigns list: its columns, filters, sorts, keys, and the service call.

use std::collections::BTreeSet;

use crm_core::{Campaign, CampaignSort, CampaignStatus, EntityKind, Page, RecordRef};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Constraint;
use ratatui::text::Span;

use super::parsed;
use crate::action::Action;
use crate::popup::Popup;
use crate::popup::form::Form;
use crate::screen::Ctx;
use crate::screen::Section;
use crate::screen::list::{FilterDef, ListQuery, Listing};
use crate::theme::Theme;
use crate::widget::{compact_money, safe};

pub(crate) struct Campaigns;

impl Listing for Campaigns {
    type Item = Campaign;
    const TITLE: &'static str = "Campaigns";
    const SECTION: Section = Section::Campaigns;
    const EMPTY: &'static str = "No campaigns yet. Press a to add one.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("code", Constraint::Fill(2)),
        ("name", Constraint::Fill(3)),
        ("channel", Constraint::Length(9)),
        ("status", Constraint::Length(9)),
        ("leads", Constraint::Length(6)),
        ("hot", Constraint::Length(4)),
        ("spend", Constraint::Length(11)),
        ("ROI", Constraint::Length(7)),
    ];
    const SORTS: &'static [&'static str] = &[
        "leads", "name", "start", "budget", "spend", "revenue", "roi",
    ];
    const FILTERS: &'static [FilterDef] = &[FilterDef {
        key: "f",
        label: "status",
        options: crm_core::CampaignStatus::NAMES,
    }];
    const KEYS: &'static [(&'static str, &'static str)] = &[("a", "add"), ("e", "edit")];

    /// Campaigns are few (tens, not millions), so the service returns them all and the search
    /// and status filter apply here.
    fn fetch(
        ctx: &Ctx<'_>,
        q: &ListQuery,
        _after: Option<i64>,
    ) -> crm_core::Result<Page<Campaign>> {
        let sort = parsed(q.sort::<Self>()).unwrap_or(CampaignSort::Leads);
        let natural_descending = !matches!(sort, CampaignSort::Name | CampaignSort::Start);
        let status: Option<CampaignStatus> = parsed(q.filter::<Self>(0));
        let needle = q.search().map(|s| s.to_lowercase());
        let items = ctx
            .crm
            .list_campaigns(ctx.actor, sort, natural_descending != q.descending)?
            .into_iter()
            .filter(|c| status.is_none_or(|s| c.status == s))
            .filter(|c| {
                needle.as_ref().is_none_or(|n| {
                    c.name.to_lowercase().contains(n) || c.code.to_lowercase().contains(n)
                })
            })
            .collect();
        Ok(Page {
            items,
            next_after: None,
        })
    }

    fn cells(c: &Campaign, _theme: Theme) -> Vec<Span<'static>> {
        let currency = c.currency.to_string();
        vec![
            Span::from(safe(Some(&c.code))),
            Span::from(safe(Some(&c.name))),
            Span::from(c.channel.to_string()),
            Span::from(c.status.to_string()),
            Span::from(c.metrics.generated_leads.to_string()),
            Span::from(c.metrics.hot_leads.to_string()),
            Span::from(compact_money(c.metrics.actual_spend, &currency)),
            Span::from(
                c.metrics
                    .roi_percent
                    .map_or_else(|| "—".to_string(), |r| format!("{r:.0}%")),
            ),
        ]
    }

    fn id(c: &Campaign) -> i64 {
        c.id.0
    }

    fn record(c: &Campaign) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Campaign, c.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Campaign>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('a') => Some(Action::Show(Popup::Form(Form::new_campaign()))),
            KeyCode::Char('e') => item
                .filter(|c| !c.is_system)
                .map(|c| Action::Show(Popup::Form(Form::edit_campaign(c)))),
            _ => None,
        }
    }
}
