//! Dialogs over the screen. Only one is open at a time: a modal state is one enum.

pub(crate) mod form;
pub(crate) mod help;
pub(crate) mod search;
pub(crate) mod walkthrough;

use crm_core::{ConversionPlan, DealId, LeadId, LeadStage, RecordRef, TicketId};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::chrome::Section;
use crate::command::Command;
use crate::ctx::Ctx;
use crate::theme::Theme;
use crate::widget::centered;
use crate::widget::input::Input;
use crate::widget::{fit, wrap};

/// What a key in a dialog asks of the app; it becomes an [`crate::action::Action`].
#[derive(Debug, Clone)]
pub(crate) enum Reply {
    Close,
    Do(Command),
    /// Save a form through its service; errors go back beside the fields.
    Submit(form::Form),
    /// Open the form again on the record as saved now (a save was refused as stale).
    Reload(form::Form),
    /// Run the global search for this text.
    Search(String),
    Open(RecordRef),
    /// The walkthrough was finished or skipped.
    Onboarded,
    Go(Section),
}

#[derive(Debug, Clone)]
pub(crate) enum Popup {
    Help,
    Search(search::SearchPopup),
    /// The first-run walkthrough at this step.
    Walkthrough(usize),
    Confirm(Confirm),
    Prompt(Prompt),
    Choice(Choice),
    Form(form::Form),
}

/// A yes/no question before a change that is hard to take back.
#[derive(Debug, Clone)]
pub(crate) struct Confirm {
    title: String,
    lines: Vec<String>,
    command: Command,
}

/// One line of text for a command (a score, a reason, a resolution, a username).
#[derive(Debug, Clone)]
pub(crate) struct Prompt {
    title: String,
    label: String,
    input: Input,
    purpose: PromptFor,
    error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PromptFor {
    Score(LeadId),
    LoseDeal(DealId),
    Resolve(TicketId),
}

/// A pick from a short list.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    title: String,
    options: Vec<String>,
    selected: usize,
    purpose: ChoiceFor,
    /// The option to select once options load (the current assignee).
    wanted: String,
    error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChoiceFor {
    LeadStage(LeadId),
    /// Options are "username  Display Name (role)", loaded by [`Choice::prepare`].
    TicketAssignee(TicketId),
}

impl Popup {
    /// The dialog that shows what a conversion creates.
    pub(crate) fn convert(plan: &ConversionPlan) -> Popup {
        let lead = &plan.lead;
        let mut lines = vec![
            format!("Convert lead {} ({})?", lead.id, plan.contact_name),
            String::new(),
        ];
        match &plan.existing_contact {
            Some(c) => lines.push(format!(
                "Contact: reuses {} (contact {}), filling its empty fields",
                c.full_name(),
                c.id
            )),
            None => lines.push(format!(
                "Contact: new, {}{}{}",
                plan.contact_name,
                lead.email
                    .as_deref()
                    .map(|e| format!(" <{e}>"))
                    .unwrap_or_default(),
                lead.company
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default(),
            )),
        }
        lines.push(format!(
            "Deal:    '{}' in stage {}",
            plan.deal_title, plan.stage
        ));
        lines.push(format!("         attributed to campaign {}", plan.campaign));
        lines.push(String::new());
        if lead.stage == LeadStage::Lost {
            lines.push("This lead is Lost; converting it anyway.".into());
        }
        lines.push("The lead becomes Converted and leaves the active list.".into());
        Popup::Confirm(Confirm {
            title: "Convert lead".into(),
            lines,
            command: Command::Convert(lead.id),
        })
    }

    pub(crate) fn confirm_nurture(ids: Vec<LeadId>) -> Popup {
        let n = ids.len();
        Popup::Confirm(Confirm {
            title: "Nurture".into(),
            lines: vec![
                format!(
                    "Start a nurture drip for {n} lead{}?",
                    if n == 1 { "" } else { "s" }
                ),
                String::new(),
                "Each gets the follow-up tasks of the drip (3 steps over a few days),".into(),
                "assigned to the lead's owner.".into(),
            ],
            command: Command::Nurture(ids),
        })
    }

    pub(crate) fn confirm_win(id: DealId, title: &str) -> Popup {
        Popup::Confirm(Confirm {
            title: "Won".into(),
            lines: vec![format!("Mark deal '{title}' as won?")],
            command: Command::WinDeal(id),
        })
    }

    /// Whether keys are text for an input rather than commands.
    pub(crate) fn typing(&self) -> bool {
        matches!(self, Popup::Search(_) | Popup::Prompt(_) | Popup::Form(_))
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Reply> {
        match self {
            Popup::Help => matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter
            )
            .then_some(Reply::Close),
            Popup::Walkthrough(step) => walkthrough::handle_key(step, key),
            Popup::Search(s) => s.handle_key(key),
            Popup::Confirm(c) => match key.code {
                KeyCode::Enter | KeyCode::Char('y') => Some(Reply::Do(c.command.clone())),
                KeyCode::Esc | KeyCode::Char('n' | 'q') => Some(Reply::Close),
                _ => None,
            },
            Popup::Prompt(p) => p.handle_key(key),
            Popup::Choice(c) => c.handle_key(key),
            Popup::Form(f) => f.handle_key(key),
        }
    }

    /// Shows an error from the service inside the dialog that caused it.
    pub(crate) fn show_error(&mut self, error: &crm_core::Error) -> bool {
        match self {
            Popup::Prompt(p) => {
                p.error = Some(error.to_string());
                true
            }
            Popup::Form(f) => {
                f.show_error(error);
                true
            }
            _ => false,
        }
    }

    pub(crate) fn keys(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Popup::Help => vec![("Esc", "close")],
            Popup::Walkthrough(_) => walkthrough::KEYS.to_vec(),
            Popup::Search(_) => search::KEYS.to_vec(),
            Popup::Confirm(_) => vec![("Enter/y", "confirm"), ("Esc/n", "cancel")],
            Popup::Prompt(_) => vec![("Enter", "save"), ("Esc", "cancel")],
            Popup::Choice(_) => vec![("↑↓", "choose"), ("Enter", "save"), ("Esc", "cancel")],
            Popup::Form(_) => form::KEYS.to_vec(),
        }
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme, help: &[(&str, &str)]) {
        match self {
            Popup::Help => help::draw(help, area, buf, theme),
            Popup::Walkthrough(step) => walkthrough::draw(*step, area, buf, theme),
            Popup::Search(s) => s.draw(area, buf, theme),
            Popup::Confirm(c) => c.draw(area, buf, theme),
            Popup::Prompt(p) => p.draw(area, buf, theme),
            Popup::Choice(c) => c.draw(area, buf, theme),
            Popup::Form(f) => f.draw(area, buf, theme),
        }
    }
}

/// A bordered, cleared dialog box in the middle of `area`; returns its inner area.
pub(crate) fn dialog(
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    buf: &mut Buffer,
    theme: Theme,
) -> Rect {
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

impl Confirm {
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let longest = self
            .lines
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(20);
        let width = u16::try_from(longest).unwrap_or(u16::MAX).saturating_add(4);
        let height = u16::try_from(self.lines.len()).unwrap_or(10) + 4;
        let inner = dialog(area, width.max(40), height, &self.title, buf, theme);
        let mut lines: Vec<Line<'_>> = self
            .lines
            .iter()
            .map(|l| Line::from(crm_core::text::terminal_safe(l).into_owned()))
            .collect();
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled(" Enter ", theme.selected()),
            Span::raw(" confirm   "),
            Span::styled(" Esc ", theme.heading()),
            Span::raw(" cancel"),
        ]));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

impl Prompt {
    fn new(title: &str, label: &str, value: &str, purpose: PromptFor) -> Prompt {
        Prompt {
            title: title.into(),
            label: label.into(),
            input: Input::new(value),
            purpose,
            error: None,
        }
    }

    pub(crate) fn score(id: LeadId, current: u8) -> Prompt {
        Prompt::new(
            "Set score",
            "Score (0-100)",
            &current.to_string(),
            PromptFor::Score(id),
        )
    }

    pub(crate) fn lose(id: DealId) -> Prompt {
        Prompt::new(
            "Lost",
            "Why was the deal lost?",
            "",
            PromptFor::LoseDeal(id),
        )
    }

    pub(crate) fn resolve(id: TicketId) -> Prompt {
        Prompt::new(
            "Resolve ticket",
            "Resolution (emailed to the customer)",
            "",
            PromptFor::Resolve(id),
        )
    }

    fn handle_key(&mut self, key: KeyEvent) -> Option<Reply> {
        match key.code {
            KeyCode::Esc => Some(Reply::Close),
            KeyCode::Enter => {
                let text = self.input.value().to_string();
                Some(Reply::Do(match self.purpose {
                    PromptFor::Score(id) => Command::SetScore(id, text),
                    PromptFor::LoseDeal(id) => Command::LoseDeal(id, text),
                    PromptFor::Resolve(id) => Command::ResolveTicket(id, text),
                }))
            }
            _ => {
                self.input.handle(key);
                None
            }
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let inner = dialog(area, 60, 7, &self.title, buf, theme);
        let (text, _) = self.input.view(usize::from(inner.width.saturating_sub(2)));
        let mut lines = vec![
            Line::from(Span::styled(self.label.clone(), theme.heading())),
            Line::from(vec![
                Span::styled("> ", theme.accent()),
                Span::raw(text),
                Span::styled("▏", theme.accent()),
            ]),
        ];
        if let Some(error) = &self.error {
            lines.push(Line::from(Span::styled(
                crm_core::text::terminal_safe(error).into_owned(),
                theme.bad(),
            )));
        } else {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(Span::styled(
            "Enter save · Esc cancel",
            theme.dim(),
        )));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

impl Choice {
    pub(crate) fn lead_stage(id: LeadId, current: LeadStage) -> Choice {
        // Converted is reached only by converting, never picked.
        let options: Vec<String> = LeadStage::ALL
            .iter()
            .filter(|s| **s != LeadStage::Converted)
            .map(ToString::to_string)
            .collect();
        let selected = options
            .iter()
            .position(|o| *o == current.to_string())
            .unwrap_or(0);
        Choice {
            title: "Mark stage".into(),
            options,
            selected,
            purpose: ChoiceFor::LeadStage(id),
            wanted: String::new(),
            error: None,
        }
    }

    /// The people a ticket may go to, the current assignee chosen: a list, not a blank to
    /// type a username into. The list is loaded by [`Choice::prepare`].
    pub(crate) fn assign_ticket(id: TicketId, current: Option<&str>) -> Choice {
        Choice {
            title: "Assign ticket to".into(),
            options: Vec::new(),
            selected: 0,
            purpose: ChoiceFor::TicketAssignee(id),
            wanted: current.unwrap_or_default().to_string(),
            error: None,
        }
    }

    /// Loads options that come from the database; a refusal (no right to assign tickets) is
    /// shown in place of the list.
    pub(crate) fn prepare(&mut self, ctx: &Ctx<'_>) {
        if !matches!(self.purpose, ChoiceFor::TicketAssignee(_)) || !self.options.is_empty() {
            return;
        }
        match ctx.crm.ticket_assignees(ctx.actor) {
            Ok(users) => {
                self.selected = users
                    .iter()
                    .position(|u| u.username == self.wanted)
                    .unwrap_or(0);
                self.options = users
                    .iter()
                    .map(|u| format!("{:<10} {} ({})", u.username, u.display_name, u.role))
                    .collect();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn handle_key(&mut self, key: KeyEvent) -> Option<Reply> {
        match key.code {
            KeyCode::Esc => return Some(Reply::Close),
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(self.options.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Enter => {
                let value = self.options.get(self.selected)?;
                return Some(Reply::Do(match self.purpose {
                    ChoiceFor::LeadStage(id) => Command::SetStage(id, value.parse().ok()?),
                    ChoiceFor::TicketAssignee(id) => {
                        Command::AssignTicket(id, value.split_whitespace().next()?.to_string())
                    }
                }));
            }
            _ => {}
        }
        None
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        if let Some(error) = &self.error {
            let lines = wrap(error, 46);
            let height = u16::try_from(lines.len()).unwrap_or(4) + 2;
            let inner = dialog(area, 50, height, &self.title, buf, theme);
            Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>())
                .style(theme.bad())
                .render(inner, buf);
            return;
        }
        let width = self
            .options
            .iter()
            .map(|o| o.chars().count() + 4)
            .max()
            .unwrap_or(0)
            .clamp(30, 60);
        let height = u16::try_from(self.options.len()).unwrap_or(8) + 2;
        let inner = dialog(
            area,
            u16::try_from(width).unwrap_or(30),
            height,
            &self.title,
            buf,
            theme,
        );
        let row = width - 4;
        let lines: Vec<Line<'_>> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let style = if i == self.selected {
                    theme.selected()
                } else {
                    theme.text()
                };
                Line::from(Span::styled(format!(" {:<row$}", fit(o, row)), style))
            })
            .collect();
        Paragraph::new(lines).render(inner, buf);
    }
}
