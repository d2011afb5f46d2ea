//! A table of figures drawn as text lines: a name column that gives way, and number columns
//! that are never cut (a cut "1086%" reads as "108…", a different number).

use std::fmt::Write;

/// The narrowest a name column gets before whole number columns are dropped instead.
const MIN_NAME: usize = 8;

/// Lines of a figure table `width` characters wide: the header, then one line per row. Each
/// number column is as wide as its widest cell; when they do not all fit beside a name of
/// `MIN_NAME` characters, the columns in `drop_first` are left out in that order.
pub(crate) fn figure_lines(
    headers: &[&str],
    rows: &[Vec<String>],
    width: usize,
    drop_first: &[usize],
) -> Vec<String> {
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .chain(std::iter::once(&headers[c].to_string()))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut shown: Vec<usize> = (1..headers.len()).collect();
    let figures = |shown: &[usize]| shown.iter().map(|&c| widths[c] + 1).sum::<usize>();
    for &drop in drop_first {
        if width.saturating_sub(figures(&shown) + 1) >= MIN_NAME {
            break;
        }
        shown.retain(|&c| c != drop);
    }
    let name_width = width.saturating_sub(figures(&shown) + 1).max(1);
    let line = |cells: &[&str]| {
        let mut out = format!(" {:<name_width$}", super::fit(cells[0], name_width));
        for &c in &shown {
            let w = widths[c];
            let _ = write!(out, " {:>w$}", cells.get(c).copied().unwrap_or(""));
        }
        out
    };
    let mut lines = vec![line(headers)];
    lines.extend(rows.iter().map(|r| {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        line(&cells)
    }));
    lines
}

#[cfg(test)]
mod tests {
    use super::figure_lines;

    fn rows() -> Vec<Vec<String>> {
        vec![
            [
                "Festive Cashback Promo",
                "420",
                "113",
                "INR 1,04,000",
                "1086%",
            ],
            ["Launch", "62", "17", "INR 62,000", "-52%"],
        ]
        .into_iter()
        .map(|r| r.map(String::from).to_vec())
        .collect()
    }

    #[test]
    fn figures_are_whole_and_the_name_gives_way() {
        let lines = figure_lines(
            &["campaign", "leads", "hot", "spend", "ROI"],
            &rows(),
            40,
            &[2],
        );
        assert_eq!(lines[1], " Festive C…   420 113 INR 1,04,000 1086%");
        assert!(lines.iter().all(|l| l.chars().count() == 40), "{lines:#?}");
    }

    #[test]
    fn columns_go_before_a_figure_is_cut() {
        let lines = figure_lines(
            &["campaign", "leads", "hot", "spend", "ROI"],
            &rows(),
            30,
            &[2, 1],
        );
        assert_eq!(lines[0], " campaign          spend   ROI");
        assert_eq!(lines[1], " Festive C… INR 1,04,000 1086%");
    }
}
