//! A record's page: every field, the records linked to it, its notes and comments (with an
//! input to add one), and its activity.

use crm_core::{
    Activity, ActivityQuery, Campaign, Company, Contact, Deal, EntityKind, Lead, Note, NoteId,
    RecordRef, Task, TaskStatus, Ticket, TicketStatus,
};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::listings::{lead_action, ticket_action};
use super::{Body, Ctx, Section};
use crate::action::{Action, Command};
use crate::popup::form::Form;
use crate::popup::{Popup, Prompt};
use crate::theme::Theme;
use crate::widget::fit;
use crate::widget::input::Input;

mod campaign;
mod company;
mod contact;
mod deal;
mod lead;
mod task;
mod ticket;

/// Kinds that have a page.
pub(crate) fn opens(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Contact
            | EntityKind::Lead
            | EntityKind::Deal
            | EntityKind::Ticket
            | EntityKind::Task
            | EntityKind::Campaign
            | EntityKind::Company
    )
}

/// Kinds that take notes.
fn takes_notes(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Contact | EntityKind::Lead | EntityKind::Deal | EntityKind::Ticket
    )
}

/// The record itself, kept for the actions its keys start.
#[derive(Debug, Clone)]
enum Loaded {
    Contact(Contact),
    Lead(Lead),
    Deal(Deal),
    Ticket(Ticket),
    Task(Task),
    Campaign(Campaign),
    Company(Company),
}

/// A line of the linked-records panel; Enter opens it when it names a record.
#[derive(Debug, Clone)]
struct Link {
    text: String,
    record: Option<RecordRef>,
}

#[derive(Debug)]
pub(crate) struct DetailScreen {
    record: RecordRef,
    loaded: Option<Loaded>,
    title: String,
    fields: Vec<(&'static str, String)>,
    /// The record's custom fields (label, value), drawn in a section under its own.
    custom: Vec<(String, String)>,
    links: Vec<(String, Vec<Link>)>,
    notes: Vec<Note>,
    activity: Vec<Activity>,
    /// Cursor over the links, then the notes.
    cursor: usize,
    /// `Some` while a note is being written; it answers `reply_to` when set.
    note: Option<Input>,
    reply_to: Option<NoteId>,
    error: Option<String>,
}

/// A loaded record's custom field values, as label and text.
fn custom_values(loaded: &Loaded) -> Vec<(String, String)> {
    let values = match loaded {
        Loaded::Contact(c) => &c.fields,
        Loaded::Lead(l) => &l.fields,
        Loaded::Deal(d) => &d.fields,
        Loaded::Ticket(t) => &t.fields,
        Loaded::Company(c) => &c.fields,
        Loaded::Task(_) | Loaded::Campaign(_) => return Vec::new(),
    };
    values
        .0
        .iter()
        .map(|v| (v.label.clone(), v.text()))
        .collect()
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or("—").to_string()
}

fn time(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or_else(
        || "—".to_string(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn yes(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

impl DetailScreen {
    pub(crate) fn open(record: RecordRef, ctx: &Ctx<'_>) -> DetailScreen {
        let mut screen = DetailScreen {
            record,
            loaded: None,
            title: format!("{} {}", record.kind, record.id),
            fields: Vec::new(),
            custom: Vec::new(),
            links: Vec::new(),
            notes: Vec::new(),
            activity: Vec::new(),
            cursor: 0,
            note: None,
            reply_to: None,
            error: None,
        };
        screen.reload(ctx);
        screen
    }

    pub(crate) fn record(&self) -> RecordRef {
        self.record
    }

    pub(crate) fn section(&self) -> Option<Section> {
        Some(match self.record.kind {
            EntityKind::Contact | EntityKind::Company => Section::Contacts,
            EntityKind::Lead => Section::Leads,
            EntityKind::Deal => Section::Pipeline,
            EntityKind::Ticket => Section::Tickets,
            EntityKind::Task => Section::Tasks,
            EntityKind::Campaign => Section::Campaigns,
            _ => return None,
        })
    }

    pub(crate) fn reload(&mut self, ctx: &Ctx<'_>) {
        self.links.clear();
        match self.load(ctx) {
            Ok(()) => self.error = None,
            Err(e) => {
                self.loaded = None;
                self.fields.clear();
                self.error = Some(e.to_string());
            }
        }
        self.cursor = self.cursor.min(self.items().saturating_sub(1));
    }

    fn load(&mut self, ctx: &Ctx<'_>) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let id = self.record.id;
        match self.record.kind {
            EntityKind::Contact => self.load_contact(ctx, id)?,
            EntityKind::Lead => self.load_lead(ctx, id)?,
            EntityKind::Deal => self.load_deal(ctx, id)?,
            EntityKind::Ticket => self.load_ticket(ctx, id)?,
            EntityKind::Task => self.load_task(ctx, id)?,
            EntityKind::Campaign => self.load_campaign(ctx, id)?,
            EntityKind::Company => self.load_company(ctx, id)?,
            other => {
                return Err(crm_core::Error::NotFound {
                    entity: "page for",
                    key: other.to_string(),
                });
            }
        }
        self.custom = self.loaded.as_ref().map(custom_values).unwrap_or_default();
        self.notes = if takes_notes(self.record.kind) {
            crm.notes(actor, self.record)?
        } else {
            Vec::new()
        };
        self.activity = crm
            .activity(
                actor,
                &ActivityQuery {
                    record: Some(self.record),
                    limit: 20,
                    ..ActivityQuery::default()
                },
            )
            .unwrap_or_default();
        Ok(())
    }

    /// Selectable lines: every link, then every note.
    fn items(&self) -> usize {
        self.links.iter().map(|(_, l)| l.len()).sum::<usize>() + self.notes.len()
    }

    fn link_at(&self, index: usize) -> Option<&Link> {
        self.links.iter().flat_map(|(_, l)| l.iter()).nth(index)
    }

    fn note_at(&self, index: usize) -> Option<&Note> {
        let links = self.links.iter().map(|(_, l)| l.len()).sum::<usize>();
        self.notes.get(index.checked_sub(links)?)
    }

    pub(crate) fn typing(&self) -> bool {
        self.note.is_some()
    }

    /// Starts writing a note (or a comment on the selected note).
    pub(crate) fn start_note(&mut self) {
        if takes_notes(self.record.kind) {
            self.reply_to = self.note_at(self.cursor).map(|n| n.id);
            self.note = Some(Input::default());
        }
    }

    pub(crate) fn note_saved(&mut self) {
        self.note = None;
        self.reply_to = None;
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Action> {
        if let Some(input) = &mut self.note {
            match key.code {
                KeyCode::Esc => self.note_saved(),
                KeyCode::Enter => {
                    let body = input.value().to_string();
                    return Some(Action::Do(Command::AddNote(
                        self.record,
                        self.reply_to,
                        body,
                    )));
                }
                _ => {
                    input.handle(key);
                }
            }
            return None;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Backspace => return Some(Action::Back),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(self.items().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Enter => {
                return self
                    .link_at(self.cursor)
                    .and_then(|l| l.record)
                    .map(Action::Open);
            }
            KeyCode::Char('i') => self.start_note(),
            _ => return self.record_action(key),
        }
        None
    }

    fn record_action(&self, key: KeyEvent) -> Option<Action> {
        match self.loaded.as_ref()? {
            Loaded::Lead(l) => lead_action(key, l, &[]),
            Loaded::Ticket(t) => {
                if key.code == KeyCode::Char('w') && t.status != TicketStatus::Open {
                    return None;
                }
                ticket_action(key, t)
            }
            Loaded::Deal(d) => match key.code {
                KeyCode::Char('w') if d.closed_at.is_none() => {
                    Some(Action::Show(Popup::confirm_win(d.id, &d.title)))
                }
                KeyCode::Char('e') => Some(Action::Show(Popup::Form(Form::edit_deal(d)))),
                KeyCode::Char('x') if d.closed_at.is_none() => {
                    Some(Action::Show(Popup::Prompt(Prompt::lose(d.id))))
                }
                _ => None,
            },
            Loaded::Contact(c) => match key.code {
                KeyCode::Char('e') => Some(Action::Show(Popup::Form(Form::edit_contact(c)))),
                KeyCode::Char('d') => Some(Action::Show(Popup::Form(Form::new_deal(Some(c.id))))),
                KeyCode::Char('T') => Some(Action::Show(Popup::Form(Form::new_ticket(Some(c.id))))),
                _ => None,
            },
            Loaded::Task(t) => match key.code {
                KeyCode::Char('d') if t.status == TaskStatus::Open => {
                    Some(Action::Do(Command::CompleteTask(t.id)))
                }
                KeyCode::Char('e') => Some(Action::Show(Popup::Form(Form::edit_task(t)))),
                _ => None,
            },
            Loaded::Campaign(c) => (key.code == KeyCode::Char('e') && !c.is_system)
                .then(|| Action::Show(Popup::Form(Form::edit_campaign(c)))),
            Loaded::Company(c) => (key.code == KeyCode::Char('e'))
                .then(|| Action::Show(Popup::Form(Form::edit_company(c)))),
        }
    }

    pub(crate) fn keys(&self) -> Vec<(&'static str, &'static str)> {
        if self.note.is_some() {
            return vec![
                ("type", "write the note"),
                ("Enter", "save"),
                ("Esc", "cancel"),
            ];
        }
        let mut keys = vec![("↑↓", "move"), ("Enter", "open linked"), ("Esc", "back")];
        if takes_notes(self.record.kind) {
            keys.push(("i", "add note / reply"));
        }
        keys.extend_from_slice(match self.loaded {
            Some(Loaded::Lead(_)) => &[
                ("e", "edit"),
                ("#", "score"),
                ("t", "stage"),
                ("n", "nurture"),
                ("c", "convert"),
            ],
            Some(Loaded::Ticket(_)) => &[
                ("e", "edit"),
                ("o", "assign"),
                ("w", "start work"),
                ("v", "resolve"),
            ],
            Some(Loaded::Deal(_)) => &[("e", "edit"), ("w", "won"), ("x", "lost")],
            Some(Loaded::Contact(_)) => &[("e", "edit"), ("d", "new deal"), ("T", "new ticket")],
            Some(Loaded::Task(_)) => &[("e", "edit"), ("d", "done")],
            Some(Loaded::Campaign(_) | Loaded::Company(_)) => &[("e", "edit")],
            None => &[],
        });
        keys
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Span::styled(
                format!(
                    " {} ",
                    fit(&self.title, usize::from(area.width.saturating_sub(4)))
                ),
                theme.title(),
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if let Some(error) = &self.error {
            Paragraph::new(crm_core::text::terminal_safe(error).into_owned())
                .style(theme.bad())
                .wrap(Wrap { trim: true })
                .render(inner, buf);
            return;
        }
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(inner);
        self.draw_fields(left, buf, theme);
        self.draw_side(right, buf, theme);
    }

    fn draw_fields(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let label = 15;
        let width = usize::from(area.width).saturating_sub(label + 1);
        let row = |name: &str, value: &str| {
            Line::from(vec![
                Span::styled(format!("{:<label$}", fit(name, label - 1)), theme.dim()),
                Span::raw(fit(value, width)),
            ])
        };
        let mut lines: Vec<Line<'_>> = self
            .fields
            .iter()
            .map(|(name, value)| row(name, value))
            .collect();
        if !self.custom.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled("Custom fields", theme.heading()));
            lines.extend(self.custom.iter().map(|(name, value)| row(name, value)));
        }
        Paragraph::new(lines).render(area, buf);
    }

    fn draw_side(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let width = usize::from(area.width).saturating_sub(3);
        let mut lines = Vec::new();
        let mut index = 0;
        let mut cursor_line = 0;
        let style = |i: usize| {
            if i == self.cursor && self.note.is_none() {
                theme.selected()
            } else {
                theme.text()
            }
        };
        for (title, links) in &self.links {
            lines.push(Line::from(Span::styled(
                format!("{title} ({})", links.len()),
                theme.heading(),
            )));
            for link in links {
                if index == self.cursor {
                    cursor_line = lines.len();
                }
                lines.push(Line::from(Span::styled(
                    format!("  {}", fit(&link.text, width)),
                    style(index),
                )));
                index += 1;
            }
        }
        if takes_notes(self.record.kind) {
            lines.push(Line::from(Span::styled(
                format!("Notes ({})", self.notes.len()),
                theme.heading(),
            )));
            for note in &self.notes {
                let indent = if note.parent_id.is_some() {
                    "    ↳ "
                } else {
                    "  "
                };
                let who = note.author.as_deref().unwrap_or("system");
                let text = format!(
                    "{indent}{} {who}: {}",
                    note.created_at.format("%m-%d"),
                    note.body
                );
                if index == self.cursor {
                    cursor_line = lines.len();
                }
                lines.push(Line::from(Span::styled(
                    fit(&text, width + 2),
                    style(index),
                )));
                index += 1;
            }
            match &self.note {
                Some(input) => {
                    let (text, _) = input.view(width.saturating_sub(10));
                    let prompt = if self.reply_to.is_some() {
                        "  reply> "
                    } else {
                        "  note> "
                    };
                    lines.push(Line::from(vec![
                        Span::styled(prompt, theme.accent()),
                        Span::raw(text),
                        Span::styled("▏", theme.accent()),
                    ]));
                }
                None => lines.push(Line::from(Span::styled("  i to add a note", theme.dim()))),
            }
        }
        lines.push(Line::from(Span::styled("Activity", theme.heading())));
        for a in &self.activity {
            let text = format!("  {} {}", a.at.format("%m-%d %H:%M"), a.summary);
            lines.push(Line::from(Span::styled(fit(&text, width + 2), theme.dim())));
        }
        // Keep the cursor's line in view.
        let skip = (cursor_line + 3).saturating_sub(usize::from(area.height));
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).render(area, buf);
    }
}

impl Body for Box<DetailScreen> {
    fn section(&self) -> Option<Section> {
        DetailScreen::section(self)
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        DetailScreen::reload(self, ctx);
    }

    fn typing(&self) -> bool {
        DetailScreen::typing(self)
    }

    fn handle_key(&mut self, key: KeyEvent, _ctx: &Ctx<'_>) -> Option<Action> {
        DetailScreen::handle_key(self, key)
    }

    fn keys(&self) -> Vec<(&'static str, &'static str)> {
        DetailScreen::keys(self)
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        DetailScreen::draw(self, area, buf, theme);
    }

    fn focus(&self) -> Option<RecordRef> {
        Some(self.record())
    }
}
