//! The Kanban board as text: one column per stage, banded to fit the terminal's width.

use crm_core::text::terminal_safe;
use crm_core::{BoardColumn, Money};

/// Narrowest a column may get before the board wraps into another band.
const MIN_COLUMN: usize = 18;
const SEPARATOR: &str = " │ ";

/// Cuts `text` to `width` characters, marking the cut with an ellipsis.
fn fit(text: &str, width: usize) -> String {
    let safe = terminal_safe(text);
    if safe.chars().count() <= width {
        format!("{safe:<width$}")
    } else {
        let cut: String = safe.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The board as lines no wider than `width`.
pub(crate) fn render(columns: &[BoardColumn], width: usize) -> Vec<String> {
    let width = width.max(MIN_COLUMN);
    let per_band =
        ((width + SEPARATOR.len()) / (MIN_COLUMN + SEPARATOR.len())).clamp(1, columns.len().max(1));
    let mut lines = Vec::new();
    for band in columns.chunks(per_band) {
        let gaps = SEPARATOR.chars().count() * (band.len() - 1);
        let col = (width - gaps) / band.len();
        let cells: Vec<Vec<String>> = band.iter().map(|c| column_lines(c, col)).collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0);
        if !lines.is_empty() {
            lines.push(String::new());
        }
        for row in 0..height {
            let line: Vec<String> = cells
                .iter()
                .map(|c| c.get(row).cloned().unwrap_or_else(|| " ".repeat(col)))
                .collect();
            lines.push(line.join(SEPARATOR).trim_end().to_string());
        }
    }
    lines
}

fn column_lines(c: &BoardColumn, col: usize) -> Vec<String> {
    let currency = c.deals.first().map(|d| d.currency).unwrap_or_default();
    let mut out = vec![
        fit(&c.stage.name.to_uppercase(), col),
        fit(
            &format!("{} · {}", c.count, Money::new(c.total, currency)),
            col,
        ),
        "─".repeat(col),
    ];
    for d in &c.deals {
        out.push(fit(&format!("#{} {}", d.id, d.title), col));
        let owner = d.owner.as_deref().unwrap_or("-");
        out.push(fit(&format!("  {} · {owner}", d.value()), col));
    }
    let hidden = c.count - i64::try_from(c.deals.len()).unwrap_or(0);
    if hidden > 0 {
        out.push(fit(&format!("  +{hidden} more"), col));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fitting_pads_or_cuts_with_an_ellipsis() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdefgh", 5), "abcd…");
        assert_eq!(fit("a\u{1b}[31mb", 3), "ab ");
    }
}
