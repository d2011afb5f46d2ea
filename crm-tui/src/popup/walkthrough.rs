//! The first-run walkthrough: a few boxes pointing at the parts of the window. Skippable with
//! Esc, replayed with W; finishing or skipping it is remembered for the user.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::Reply;
use crate::chrome::{Chrome, Section};
use crate::theme::Theme;

pub(crate) const KEYS: &[(&str, &str)] = &[("Enter/→", "next"), ("←", "back"), ("Esc", "skip")];

/// Where a step's box sits.
#[derive(Clone, Copy)]
enum Anchor {
    Navigation,
    Body,
    Footer,
}

const STEPS: &[(&str, &str, Anchor)] = &[
    (
        "Welcome",
        "This short tour shows where things are. Enter goes on, Esc skips it; W replays it later.",
        Anchor::Body,
    ),
    (
        "Screens",
        "The screens are listed here. Press 1-9 or click one; Tab moves to the next.",
        Anchor::Navigation,
    ),
    (
        "Dashboard",
        "Your day at a glance: open pipeline, deals won this month, hot leads, open tickets and your overdue tasks.",
        Anchor::Body,
    ),
    (
        "Pipeline",
        "Press 5 for the Kanban board. ← → pick a column, < > move the deal, w marks it won, x lost.",
        Anchor::Body,
    ),
    (
        "Search",
        "Ctrl-K searches contacts, leads, deals and tickets from anywhere. In a list, / filters it as you type.",
        Anchor::Body,
    ),
    (
        "Help",
        "The footer shows the keys of each screen; ? lists them all. That is all. Enter to start.",
        Anchor::Footer,
    ),
];

pub(crate) fn handle_key(step: &mut usize, key: KeyEvent) -> Option<Reply> {
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => Some(Reply::Onboarded),
        KeyCode::Enter | KeyCode::Right | KeyCode::Char(' ' | 'l') => {
            if *step + 1 >= STEPS.len() {
                Some(Reply::Onboarded)
            } else {
                *step += 1;
                // The pipeline step shows the pipeline behind it.
                (STEPS[*step].0 == "Pipeline").then_some(Reply::Go(Section::Pipeline))
            }
        }
        KeyCode::Left | KeyCode::Char('h') => {
            *step = step.saturating_sub(1);
            None
        }
        _ => None,
    }
}

pub(crate) fn draw(step: usize, area: Rect, buf: &mut Buffer, theme: Theme) {
    let Some((title, text, anchor)) = STEPS.get(step) else {
        return;
    };
    let chrome = Chrome::of(area, true);
    let width = 46.min(area.width);
    let height = 7.min(area.height);
    let rect = match anchor {
        Anchor::Navigation => match (chrome.sidebar, chrome.tabs) {
            (Some(side), _) => Rect::new(side.right(), side.y + 1, width, height),
            (None, Some(tabs)) => Rect::new(tabs.x + 2, tabs.bottom(), width, height),
            (None, None) => chrome.body,
        },
        Anchor::Body => Rect::new(
            chrome.body.x + chrome.body.width.saturating_sub(width) / 2,
            chrome.body.y + chrome.body.height.saturating_sub(height) / 2,
            width,
            height,
        ),
        Anchor::Footer => Rect::new(
            chrome.footer.x + 1,
            chrome.footer.y.saturating_sub(height),
            width,
            height,
        ),
    }
    .intersection(area);
    Clear.render(rect, buf);
    let pointer = match anchor {
        Anchor::Navigation => "◀ ",
        Anchor::Footer => "▼ ",
        Anchor::Body => "",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border())
        .title(Span::styled(format!(" {pointer}{title} "), theme.title()))
        .title_bottom(Span::styled(
            format!(" {}/{} · Enter next · Esc skip ", step + 1, STEPS.len()),
            theme.dim(),
        ));
    Paragraph::new(Line::from(*text))
        .wrap(Wrap { trim: true })
        .block(block)
        .render(rect, buf);
}
