//! The dashboard: key figures at a glance, deals per stage, top campaigns, recent activity.
//! Tiles the user's role does not cover are left out rather than shown as zero.

use crm_core::{Dashboard, MyWork};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::{Body, Ctx, Section};
use crate::action::Action;
use crate::theme::Theme;
use crate::widget::{compact_money, fit, panel};

pub(crate) const KEYS: &[(&str, &str)] = &[
    ("r", "refresh"),
    ("p", "pipeline"),
    ("l", "leads"),
    ("a", "activity"),
];

/// Totals are shown in the demo's currency; deals in other currencies are summed as they are.
const CURRENCY: &str = "INR";

#[derive(Debug, Default)]
pub(crate) struct DashboardScreen {
    data: Option<Dashboard>,
    error: Option<String>,
}

impl DashboardScreen {
    pub(crate) fn reload(&mut self, ctx: &Ctx<'_>) {
        match ctx.crm.dashboard(ctx.actor) {
            Ok(d) => {
                self.data = Some(d);
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub(crate) fn handle_key(key: KeyEvent) -> Option<Action> {
        match key.code {
            KeyCode::Char('r') => Some(Action::Go(Section::Dashboard)),
            KeyCode::Char('p') => Some(Action::Go(Section::Pipeline)),
            KeyCode::Char('l') => Some(Action::Go(Section::Leads)),
            KeyCode::Char('a') => Some(Action::Go(Section::Activity)),
            _ => None,
        }
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let Some(d) = &self.data else {
            let text = self.error.as_deref().unwrap_or("Loading…");
            Paragraph::new(fit(text, usize::from(area.width)))
                .style(theme.bad())
                .render(area, buf);
            return;
        };
        let [tiles, middle, recent] = Layout::vertical([
            Constraint::Length(4),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ])
        .areas(area);
        draw_tiles(d, tiles, buf, theme);
        let [chart, campaigns] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(middle);
        draw_stages(d, chart, buf, theme);
        match &d.my_work {
            Some(work) if d.top_campaigns.is_none() => draw_my_work(work, campaigns, buf, theme),
            _ => draw_campaigns(d, campaigns, buf, theme),
        }
        draw_recent(d, recent, buf, theme);
    }
}

fn tiles_of(d: &Dashboard) -> Vec<(&'static str, String, Option<String>)> {
    let mut tiles = Vec::new();
    if let Some(p) = &d.pipeline {
        tiles.push((
            "Pipeline",
            compact_money(p.open_value, CURRENCY),
            Some(format!("{} open", p.open_deals)),
        ));
        tiles.push((
            "Won in month",
            compact_money(p.won_this_month_value, CURRENCY),
            Some(format!("{} deals", p.won_this_month)),
        ));
    }
    if let Some(l) = &d.leads {
        tiles.push(("Leads", l.total.to_string(), Some(format!("{} hot", l.hot))));
        tiles.push((
            "Converted",
            format!("{:.1}%", l.conversion_rate),
            Some(format!("{} leads", l.converted)),
        ));
    }
    if let Some(t) = d.open_tickets {
        tiles.push(("Tickets", t.to_string(), Some("open".to_string())));
    }
    tiles.push((
        "Overdue",
        d.overdue_tasks.to_string(),
        Some("my tasks".to_string()),
    ));
    tiles
}

fn draw_tiles(d: &Dashboard, area: Rect, buf: &mut Buffer, theme: Theme) {
    let tiles = tiles_of(d);
    let areas = Layout::horizontal(vec![Constraint::Fill(1); tiles.len()]).split(area);
    for ((label, value, detail), rect) in tiles.iter().zip(areas.iter()) {
        let width = usize::from(rect.width.saturating_sub(2));
        let value_style = if *label == "Overdue" && value != "0" {
            theme.bad()
        } else {
            theme.title()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Span::styled(fit(label, width), theme.dim()));
        let mut lines = vec![Line::from(Span::styled(fit(value, width), value_style))];
        if let Some(detail) = detail {
            lines.push(Line::from(Span::styled(fit(detail, width), theme.dim())));
        }
        Paragraph::new(lines).block(block).render(*rect, buf);
    }
}

fn draw_stages(d: &Dashboard, area: Rect, buf: &mut Buffer, theme: Theme) {
    let block = panel(" Deals per stage ", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(p) = &d.pipeline else {
        Paragraph::new("For sales roles.")
            .style(theme.dim())
            .render(inner, buf);
        return;
    };
    let max = p.by_stage.iter().map(|s| s.count).max().unwrap_or(0).max(1);
    let name_width = 12;
    let value_width = 12;
    let bar_room = usize::from(inner.width).saturating_sub(name_width + value_width + 6);
    let lines: Vec<Line<'_>> = p
        .by_stage
        .iter()
        .map(|s| {
            let room = i64::try_from(bar_room).unwrap_or(0);
            let bar = usize::try_from(s.count * room / max).unwrap_or(0);
            let style = if s.is_won {
                theme.good()
            } else if s.is_lost {
                theme.bad()
            } else {
                theme.bar()
            };
            Line::from(vec![
                Span::raw(format!("{:<name_width$}", fit(&s.stage, name_width))),
                Span::styled("█".repeat(bar), style),
                Span::raw(format!(" {:>3} ", s.count)),
                Span::styled(compact_money(s.value, CURRENCY), theme.dim()),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

fn draw_campaigns(d: &Dashboard, area: Rect, buf: &mut Buffer, theme: Theme) {
    let block = panel(" Top campaigns by leads ", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(campaigns) = &d.top_campaigns else {
        Paragraph::new("For marketing and management roles.")
            .style(theme.dim())
            .render(inner, buf);
        return;
    };
    // A number is never cut ("108…" read as 108 %): the ROI column is as wide as its widest
    // figure, and the name gives way.
    let rois: Vec<String> = campaigns
        .iter()
        .map(|c| {
            c.roi_percent
                .map_or_else(|| "—".to_string(), |r| format!("{r:.0}%"))
        })
        .collect();
    let roi_width = rois
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let name_width = usize::from(inner.width).saturating_sub(12 + roi_width);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<name_width$} {:>5} {:>4} {:>roi_width$}",
            "campaign", "leads", "hot", "ROI"
        ),
        theme.heading(),
    ))];
    lines.extend(campaigns.iter().zip(&rois).map(|(c, roi)| {
        Line::from(format!(
            "{:<name_width$} {:>5} {:>4} {roi:>roi_width$}",
            fit(&c.name, name_width),
            c.leads,
            c.hot_leads,
        ))
    }));
    Paragraph::new(lines).render(inner, buf);
}

/// A rep's or agent's own next steps where management sees the top campaigns.
fn draw_my_work(work: &MyWork, area: Rect, buf: &mut Buffer, theme: Theme) {
    let [leads_area, tasks_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(area);
    let block = panel(" My hot leads ", theme);
    let inner = block.inner(leads_area);
    block.render(leads_area, buf);
    if work.hot_leads.is_empty() {
        Paragraph::new("No hot lead of yours yet: score a lead with # on the Leads screen.")
            .style(theme.dim())
            .render(inner, buf);
    } else {
        // The score and the follow-up date are never cut; the name gives way.
        let name_width = usize::from(inner.width).saturating_sub(4 + 13);
        let lines: Vec<Line<'_>> = work
            .hot_leads
            .iter()
            .map(|l| {
                let next = l
                    .next_action_at
                    .map_or_else(String::new, |t| t.format("%m-%d %H:%M").to_string());
                Line::from(vec![
                    Span::raw(format!("{:<name_width$}", fit(&l.full_name(), name_width))),
                    Span::styled(format!("{:>3} ", l.score), theme.good()),
                    Span::styled(format!("{next:>12} "), theme.dim()),
                ])
            })
            .collect();
        Paragraph::new(lines).render(inner, buf);
    }
    let block = panel(" My next actions ", theme);
    let inner = block.inner(tasks_area);
    block.render(tasks_area, buf);
    if work.next_actions.is_empty() {
        Paragraph::new("No open task of yours.")
            .style(theme.dim())
            .render(inner, buf);
        return;
    }
    let title_width = usize::from(inner.width).saturating_sub(13);
    let lines: Vec<Line<'_>> = work
        .next_actions
        .iter()
        .map(|t| {
            let due = t.due_at.map_or_else(
                || "no date".to_string(),
                |d| d.format("%m-%d %H:%M").to_string(),
            );
            Line::from(vec![
                Span::styled(format!("{due:<12} "), theme.dim()),
                Span::raw(fit(&t.title, title_width)),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

fn draw_recent(d: &Dashboard, area: Rect, buf: &mut Buffer, theme: Theme) {
    let block = panel(" Recent activity ", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let width = usize::from(inner.width).saturating_sub(20);
    let lines: Vec<Line<'_>> = d
        .recent
        .iter()
        .map(|a| {
            Line::from(vec![
                Span::styled(format!("{} ", a.at.format("%m-%d %H:%M")), theme.dim()),
                Span::styled(
                    format!("{:<8}", fit(a.actor.as_deref().unwrap_or("system"), 8)),
                    theme.accent(),
                ),
                Span::raw(fit(&a.summary, width)),
            ])
        })
        .collect();
    if lines.is_empty() {
        Paragraph::new("Nothing yet.")
            .style(theme.dim())
            .render(inner, buf);
    } else {
        Paragraph::new(lines).render(inner, buf);
    }
}

impl Body for DashboardScreen {
    fn section(&self) -> Option<Section> {
        Some(Section::Dashboard)
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        DashboardScreen::reload(self, ctx);
    }

    fn handle_key(&mut self, key: KeyEvent, _ctx: &Ctx<'_>) -> Option<Action> {
        DashboardScreen::handle_key(key)
    }

    fn keys(&self) -> Vec<(&'static str, &'static str)> {
        KEYS.to_vec()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        DashboardScreen::draw(self, area, buf, theme);
    }
}
