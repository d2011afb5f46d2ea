//! The state of the TUI and the one place where events change it.

use crm_core::text::terminal_safe;
use crm_core::{Actor, Contact, ContactQuery, Crm};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

/// Everything the screen shows, loaded through crm-core services.
pub struct App {
    actor: Actor,
    contacts: Vec<Contact>,
    more: bool,
    selected: usize,
    message: Option<String>,
    quit: bool,
}

impl App {
    /// Loads the first page of the actor's contacts. A failure is shown on screen, not raised.
    pub fn new(crm: &Crm, actor: Actor) -> App {
        let (contacts, more, message) = match crm.list_contacts(&actor, &ContactQuery::default()) {
            Ok(page) => (page.items, page.next_after.is_some(), None),
            Err(err) => (Vec::new(), false, Some(err.to_string())),
        };
        App {
            actor,
            contacts,
            more,
            selected: 0,
            message,
            quit: false,
        }
    }

    /// True once the user asked to leave.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Applies one key press.
    pub fn handle_key(&mut self, key: KeyCode) {
        let last = self.contacts.len().saturating_sub(1);
        match key {
            KeyCode::Char('q') | KeyCode::Esc => self.quit = true,
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            _ => {}
        }
    }

    /// The contact under the cursor.
    pub fn selected(&self) -> Option<&Contact> {
        self.contacts.get(self.selected)
    }
}

fn safe(text: Option<&str>) -> String {
    terminal_safe(text.unwrap_or("")).into_owned()
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let [header, body, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);

        Line::from(vec![
            " CRM ".bold().reversed(),
            format!(
                "  {} ({}) · Contacts",
                terminal_safe(&self.actor.display_name),
                self.actor.role
            )
            .into(),
        ])
        .render(header, buf);

        let count = if self.more {
            format!(" Contacts: first {} ", self.contacts.len())
        } else {
            format!(" Contacts: {} ", self.contacts.len())
        };
        let block = Block::default().borders(Borders::ALL).title(count);
        if let Some(message) = &self.message {
            Paragraph::new(terminal_safe(message).into_owned())
                .block(block)
                .render(body, buf);
        } else if self.contacts.is_empty() {
            Paragraph::new("No contacts yet. Add one with `crm contacts add`.")
                .block(block)
                .render(body, buf);
        } else {
            let rows = self.contacts.iter().map(|c| {
                Row::new(vec![
                    c.id.to_string(),
                    terminal_safe(&c.full_name()).into_owned(),
                    safe(c.company.as_deref()),
                    safe(c.email.as_deref()),
                    safe(c.owner.as_deref()),
                ])
            });
            let widths = [
                Constraint::Length(5),
                Constraint::Percentage(28),
                Constraint::Percentage(24),
                Constraint::Percentage(34),
                Constraint::Min(6),
            ];
            let table = Table::new(rows, widths)
                .header(
                    Row::new(["id", "name", "company", "email", "owner"])
                        .style(Style::new().bold()),
                )
                .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
                .block(block);
            let mut state = TableState::default().with_selected(Some(self.selected));
            StatefulWidget::render(table, body, buf, &mut state);
        }

        Line::from(" ↑/↓ move · g/G first/last · q quit ".dim()).render(footer, buf);
    }
}
