//! The `?` overlay: every key of the current screen, then the keys that work everywhere.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::dialog;
use crate::theme::Theme;

/// The keys that work on every screen, as `keymap::global` reads them.
pub(crate) const GLOBAL: &[(&str, &str)] = &[
    ("1-9", "go to a screen (or click the sidebar)"),
    ("Tab / Shift-Tab", "next / previous screen"),
    ("Ctrl-K or /", "search everything (/ filters a list)"),
    ("?", "this help"),
    ("W", "replay the walkthrough"),
    ("Esc", "back, close a dialog"),
    ("q or Ctrl-C", "quit"),
];

pub(crate) fn draw(screen_keys: &[(&str, &str)], area: Rect, buf: &mut Buffer, theme: Theme) {
    let rows = screen_keys.len() + GLOBAL.len() + 4;
    let height = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2);
    let inner = dialog(area, 58, height, "Keys", buf, theme);
    let line = |(key, what): &(&str, &str)| {
        Line::from(vec![
            Span::styled(format!(" {key:<18}"), theme.accent()),
            Span::raw((*what).to_string()),
        ])
    };
    let mut lines = vec![Line::from(Span::styled("On this screen", theme.heading()))];
    lines.extend(screen_keys.iter().map(line));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Everywhere", theme.heading())));
    lines.extend(GLOBAL.iter().map(line));
    lines.push(Line::from(Span::styled(
        "Esc closes this help",
        theme.dim(),
    )));
    Paragraph::new(lines).render(inner, buf);
}
