//! The global search popup: results as you type, grouped by type; Enter opens the record.

use crm_core::{EntityKind, SearchHit};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Reply, dialog};
use crate::theme::Theme;
use crate::widget::fit;
use crate::widget::input::Input;

pub(crate) const KEYS: &[(&str, &str)] = &[
    ("type", "search"),
    ("↑↓", "choose"),
    ("Enter", "open"),
    ("Esc", "close"),
];

/// The order groups are shown in.
const GROUPS: [(EntityKind, &str); 4] = [
    (EntityKind::Contact, "Contacts"),
    (EntityKind::Lead, "Leads"),
    (EntityKind::Deal, "Deals"),
    (EntityKind::Ticket, "Tickets"),
];

/// True when the search is one or two letters or digits: its results are the newest matches
/// only, and the popup says so.
fn short_query(text: &str) -> bool {
    let n = text.chars().filter(|c| c.is_alphanumeric()).count();
    (1..=2).contains(&n)
}

#[derive(Debug, Clone, Default)]
pub(crate) struct SearchPopup {
    input: Input,
    /// Hits in display order (grouped).
    hits: Vec<SearchHit>,
    selected: usize,
    error: Option<String>,
    searched: bool,
    /// A search for the text as it is now has been asked for and not answered yet.
    pending: bool,
}

impl SearchPopup {
    /// New results for the current text, put in group order (rank order within a group).
    pub(crate) fn set_results(&mut self, result: crm_core::Result<Vec<SearchHit>>) {
        self.selected = 0;
        self.searched = true;
        self.pending = false;
        match result {
            Ok(hits) => {
                self.error = None;
                self.hits = GROUPS
                    .iter()
                    .flat_map(|(kind, _)| hits.iter().filter(move |h| h.record.kind == *kind))
                    .cloned()
                    .collect();
            }
            Err(err) => {
                self.hits.clear();
                self.error = Some(err.to_string());
            }
        }
    }

    /// A search for the current text has been asked for; the results shown are older.
    pub(crate) fn searching(&mut self) {
        self.pending = true;
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Reply> {
        match key.code {
            KeyCode::Esc => Some(Reply::Close),
            KeyCode::Enter => self.hits.get(self.selected).map(|h| Reply::Open(h.record)),
            KeyCode::Down => {
                self.selected = (self.selected + 1).min(self.hits.len().saturating_sub(1));
                None
            }
            KeyCode::Up => {
                self.selected = self.selected.saturating_sub(1);
                None
            }
            _ => {
                let before = self.input.value().to_string();
                self.input.handle(key);
                (self.input.value() != before)
                    .then(|| Reply::Search(self.input.value().to_string()))
            }
        }
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let width = area.width.saturating_sub(8).clamp(40, 90);
        let height = area.height.saturating_sub(4).clamp(8, 26);
        let inner = dialog(area, width, height, "Search everything", buf, theme);
        let text_width = usize::from(inner.width.saturating_sub(4));
        let (text, _) = self.input.view(text_width);
        let mut lines = vec![
            Line::from(vec![
                Span::styled("> ", theme.accent()),
                Span::raw(text),
                Span::styled("▏", theme.accent()),
            ]),
            Line::from(""),
        ];
        if let Some(error) = &self.error {
            lines.push(Line::from(Span::styled(
                fit(error, text_width),
                theme.bad(),
            )));
        } else if self.hits.is_empty() {
            let typed = !self.input.value().trim().is_empty();
            let hint = if self.pending && typed {
                "Searching…"
            } else if self.searched && typed {
                "No matches."
            } else {
                "Names, emails, companies, phones, deal titles, ticket subjects."
            };
            lines.push(Line::from(Span::styled(hint, theme.dim())));
        } else if short_query(self.input.value()) {
            // One or two letters start too many words to show them all: the newest are shown.
            lines.push(Line::from(Span::styled(
                "Newest matches of a short search — type more to narrow.",
                theme.dim(),
            )));
        }
        let mut index = 0;
        for (kind, title) in GROUPS {
            let group: Vec<&SearchHit> =
                self.hits.iter().filter(|h| h.record.kind == kind).collect();
            if group.is_empty() {
                continue;
            }
            lines.push(Line::from(Span::styled(
                format!("{title} ({})", group.len()),
                theme.heading(),
            )));
            for hit in group {
                let style = if index == self.selected {
                    theme.selected()
                } else {
                    theme.text()
                };
                let title_width = text_width / 2;
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {:<title_width$}", fit(&hit.title, title_width)),
                        style,
                    ),
                    Span::styled(
                        format!(" {}", fit(&hit.detail, text_width - title_width)),
                        theme.dim(),
                    ),
                ]));
                index += 1;
            }
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
