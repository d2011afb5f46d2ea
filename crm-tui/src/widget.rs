//! Reusable pieces drawn by several screens and popups.

pub(crate) mod figures;
pub(crate) mod input;

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

/// A rectangle of at most `width` x `height` in the middle of `area`, for dialogs.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// A bordered panel with a title, as the dashboard and reports draw them.
pub(crate) fn panel(title: &str, theme: crate::theme::Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(title.to_string(), theme.title()))
}

/// Stored text made safe to draw and cut to `width` characters with an ellipsis.
pub(crate) fn fit(text: &str, width: usize) -> String {
    let safe = crm_core::text::terminal_safe(text);
    if safe.chars().count() <= width {
        safe.into_owned()
    } else {
        let mut cut: String = safe.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Text made safe to draw and broken at spaces into lines of at most `width` characters (a word
/// longer than a line is cut with an ellipsis).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let safe = crm_core::text::terminal_safe(text);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in safe.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

/// Stored optional text made safe to draw; empty when absent.
pub(crate) fn safe(text: Option<&str>) -> String {
    crm_core::text::terminal_safe(text.unwrap_or("")).into_owned()
}

/// Money in a few characters for tiles and columns: `INR 12.4L`-style grouping is hard to read
/// at a glance, so large amounts use K and M.
pub(crate) fn compact_money(minor: i64, currency: &str) -> String {
    let whole = minor / 100;
    #[allow(clippy::cast_precision_loss)] // display only: three significant digits
    let value = whole as f64;
    if whole >= 1_000_000 {
        format!("{currency} {:.1}M", value / 1_000_000.0)
    } else if whole >= 100_000 {
        format!("{currency} {:.0}K", value / 1_000.0)
    } else {
        crm_core::Money::new(minor, currency.parse().unwrap_or_default()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_every_word() {
        let lines = wrap("Changed by meera at 09:00 UTC since you opened it", 20);
        assert_eq!(
            lines,
            ["Changed by meera at", "09:00 UTC since you", "opened it"]
        );
        assert_eq!(wrap("a-very-long-word-indeed", 10), ["a-very-lo…"]);
        assert!(wrap("   ", 10).is_empty());
    }

    #[test]
    fn compact_money_stays_short() {
        assert_eq!(compact_money(8_500_000, "INR"), "INR 85,000");
        assert_eq!(compact_money(45_000_000, "INR"), "INR 450K");
        assert_eq!(compact_money(1_234_000_000, "USD"), "USD 12.3M");
        assert_eq!(compact_money(142_000_000, "INR"), "INR 1.4M");
    }

    #[test]
    fn fit_cuts_with_an_ellipsis_and_strips_escapes() {
        assert_eq!(fit("Priya Menon", 20), "Priya Menon");
        assert_eq!(fit("Priya Menon", 6), "Priya…");
        assert_eq!(fit("a\u{1b}[2Jb", 5), "ab");
    }
}
