//! Reports with charts: marketing (leads by stage and source, campaigns and ROI), sales
//! (pipeline by stage, won revenue by month, win rate) and support. Only the reports the user's
//! role may see are offered.

use crm_core::{MarketingReport, SalesReport, TicketReport};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Widget};

use super::{Body, Ctx, Section};
use crate::action::Action;
use crate::theme::Theme;
use crate::widget::figures::figure_lines;
use crate::widget::{compact_money, fit, panel};

pub(crate) const KEYS: &[(&str, &str)] = &[("← →", "next report"), ("r", "refresh")];

#[derive(Debug, Default)]
pub(crate) struct ReportsScreen {
    marketing: Option<MarketingReport>,
    sales: Option<SalesReport>,
    support: Option<TicketReport>,
    tab: usize,
}

impl ReportsScreen {
    pub(crate) fn reload(&mut self, ctx: &Ctx<'_>) {
        // A refused report is simply not offered.
        self.marketing = ctx.crm.marketing_report(ctx.actor).ok();
        self.sales = ctx.crm.sales_report(ctx.actor).ok();
        self.support = ctx.crm.ticket_report(ctx.actor).ok();
        self.tab = self.tab.min(self.tabs().len().saturating_sub(1));
    }

    fn tabs(&self) -> Vec<&'static str> {
        let mut tabs = Vec::new();
        if self.sales.is_some() {
            tabs.push("Sales");
        }
        if self.marketing.is_some() {
            tabs.push("Marketing");
        }
        if self.support.is_some() {
            tabs.push("Support");
        }
        tabs
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Action> {
        let n = self.tabs().len().max(1);
        match key.code {
            KeyCode::Right | KeyCode::Char('l') => self.tab = (self.tab + 1) % n,
            KeyCode::Left | KeyCode::Char('h') => self.tab = (self.tab + n - 1) % n,
            KeyCode::Char('r') => return Some(Action::Go(super::Section::Reports)),
            _ => {}
        }
        None
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let tabs = self.tabs();
        let [bar, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let mut spans = vec![Span::raw(" ")];
        for (i, name) in tabs.iter().enumerate() {
            let style = if i == self.tab {
                theme.selected()
            } else {
                theme.dim()
            };
            spans.push(Span::styled(format!(" {name} "), style));
            spans.push(Span::raw(" "));
        }
        if tabs.is_empty() {
            spans.push(Span::styled("No reports for your role.", theme.dim()));
        }
        Line::from(spans).render(bar, buf);
        match tabs.get(self.tab) {
            Some(&"Sales") => self.draw_sales(body, buf, theme),
            Some(&"Marketing") => self.draw_marketing(body, buf, theme),
            Some(&"Support") => self.draw_support(body, buf, theme),
            _ => {}
        }
    }

    fn draw_sales(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let Some(r) = &self.sales else { return };
        let [figures, charts] =
            Layout::vertical([Constraint::Length(4), Constraint::Min(5)]).areas(area);
        let win_rate = r.win_rate.map_or("—".into(), |w| format!("{w:.1}%"));
        let days = r
            .avg_days_to_close
            .map_or("—".into(), |d| format!("{d:.0} days"));
        let lines = vec![
            Line::from(format!(
                " Open pipeline {}   Weighted forecast {}   Won revenue {}",
                compact_money(r.open_pipeline_value, "INR"),
                compact_money(r.weighted_forecast, "INR"),
                compact_money(r.won_revenue, "INR")
            )),
            Line::from(format!(
                " Won {}   Lost {}   Win rate {win_rate}   Average time to close {days}",
                r.won_deals, r.lost_deals
            )),
        ];
        Paragraph::new(lines)
            .block(panel(" Sales ", theme))
            .render(figures, buf);
        let [stages, months] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(charts);
        let by_stage = r.by_stage.iter().map(|s| (s.stage.as_str(), s.count));
        chart(
            " Deals per stage ",
            &counted(by_stage, 8),
            stages,
            buf,
            theme,
        );
        let bars: Vec<Bar<'_>> = r
            .won_by_month
            .iter()
            .rev()
            .take(12)
            .rev()
            .map(|m| {
                Bar::default()
                    .label(Line::from(m.month.get(2..).unwrap_or(&m.month).to_string()))
                    .value(u64::try_from(m.revenue / 100).unwrap_or(0))
                    .text_value(compact_money(m.revenue, "").trim().to_string())
            })
            .collect();
        chart(" Won revenue by month ", &bars, months, buf, theme);
    }

    fn draw_marketing(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let Some(r) = &self.marketing else { return };
        let [figures, charts, table] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        Paragraph::new(Line::from(format!(
            " Leads {}   Hot {}   Converted {}   Conversion rate {:.1}%",
            r.total_leads, r.hot_leads, r.converted_leads, r.conversion_rate
        )))
        .block(panel(" Marketing ", theme))
        .render(figures, buf);
        let [stages, sources] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(charts);
        let by_stage = r.by_stage.iter().map(|(s, n)| (s.as_str(), *n));
        chart(
            " Leads by stage ",
            &counted(by_stage, 9),
            stages,
            buf,
            theme,
        );
        let by_source = r.by_source.iter().map(|(s, n)| (s.as_str(), *n));
        chart(
            " Leads by source ",
            &counted(by_source, 9),
            sources,
            buf,
            theme,
        );
        let rows: Vec<Vec<String>> = r
            .campaigns
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.leads.to_string(),
                    c.hot_leads.to_string(),
                    c.converted_leads.to_string(),
                    compact_money(c.spend, &c.currency),
                    c.roi_percent.map_or("—".into(), |r| format!("{r:.0}%")),
                ]
            })
            .collect();
        let inner = usize::from(table.width.saturating_sub(2));
        // Too narrow for every figure: hot leads go first, then conversions.
        let mut lines = figure_lines(
            &["campaign", "leads", "hot", "conv", "spend", "ROI"],
            &rows,
            inner,
            &[2, 3],
        )
        .into_iter()
        .map(Line::from)
        .collect::<Vec<_>>();
        lines[0] = lines[0].clone().style(theme.heading());
        Paragraph::new(lines)
            .block(panel(" Campaigns ", theme))
            .render(table, buf);
    }

    fn draw_support(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let Some(r) = &self.support else { return };
        let [figures, charts] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(5)]).areas(area);
        let hours = r
            .avg_hours_to_resolve
            .map_or("—".into(), |h| format!("{h:.1} h"));
        Paragraph::new(Line::from(format!(
            " Resolved {}   Average time to resolve {hours}",
            r.resolved
        )))
        .block(panel(" Support ", theme))
        .render(figures, buf);
        let [status, priority, assignee] = Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ])
        .areas(charts);
        for (title, counts, rect) in [
            (" Open by status ", &r.open_by_status, status),
            (" Open by priority ", &r.open_by_priority, priority),
            (" Open by assignee ", &r.open_by_assignee, assignee),
        ] {
            let bars = counted(counts.iter().map(|(k, n)| (k.as_str(), *n)), 8);
            chart(title, &bars, rect, buf, theme);
        }
    }
}

/// One bar per (label, count), labels cut to `width`.
fn counted<'a>(counts: impl Iterator<Item = (&'a str, i64)>, width: usize) -> Vec<Bar<'static>> {
    counts
        .map(|(label, n)| {
            Bar::default()
                .label(Line::from(fit(label, width)))
                .value(u64::try_from(n).unwrap_or(0))
        })
        .collect()
}

fn chart(title: &str, bars: &[Bar<'_>], area: Rect, buf: &mut Buffer, theme: Theme) {
    let count = u16::try_from(bars.len()).unwrap_or(1).max(1);
    let width = (area.width.saturating_sub(2) / count)
        .saturating_sub(1)
        .clamp(3, 10);
    BarChart::default()
        .block(panel(title, theme))
        .data(BarGroup::default().bars(bars))
        .bar_width(width)
        .bar_gap(1)
        .bar_style(theme.bar())
        .value_style(theme.selected())
        .render(area, buf);
}

impl Body for ReportsScreen {
    fn section(&self) -> Option<Section> {
        Some(Section::Reports)
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        ReportsScreen::reload(self, ctx);
    }

    fn handle_key(&mut self, key: KeyEvent, _ctx: &Ctx<'_>) -> Option<Action> {
        ReportsScreen::handle_key(self, key)
    }

    fn keys(&self) -> Vec<(&'static str, &'static str)> {
        KEYS.to_vec()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        ReportsScreen::draw(self, area, buf, theme);
    }
}
