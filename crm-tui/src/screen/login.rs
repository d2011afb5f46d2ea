//! The login screen: username, masked password, and the service's own message on failure
//! (the same for an unknown user and a wrong password; the lock-out names its end).

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Body, Ctx, Section};
use crate::action::Action;
use crate::popup::dialog;
use crate::theme::Theme;
use crate::widget::input::Input;

pub(crate) const KEYS: &[(&str, &str)] =
    &[("Tab", "next field"), ("Enter", "log in"), ("Esc", "quit")];

#[derive(Debug, Clone, Default)]
pub(crate) struct LoginScreen {
    username: Input,
    password: Input,
    on_password: bool,
    error: Option<String>,
    /// Shown under the form, e.g. the demo users and their password.
    notice: Option<String>,
}

impl LoginScreen {
    pub(crate) fn new(username: Option<&str>, notice: Option<String>) -> LoginScreen {
        LoginScreen {
            username: Input::new(username.unwrap_or("")),
            password: Input::masked(),
            on_password: username.is_some(),
            error: None,
            notice,
        }
    }

    pub(crate) fn failed(&mut self, error: &crm_core::Error) {
        self.error = Some(error.to_string());
        self.password.clear();
        self.on_password = true;
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Action> {
        match key.code {
            KeyCode::Esc => return Some(Action::Quit),
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                self.on_password = !self.on_password;
            }
            KeyCode::Enter if !self.on_password => self.on_password = true,
            KeyCode::Enter => {
                return Some(Action::Login {
                    username: self.username.value().to_string(),
                    password: self.password.value().to_string(),
                });
            }
            _ => {
                let field = if self.on_password {
                    &mut self.password
                } else {
                    &mut self.username
                };
                field.handle(key);
            }
        }
        None
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let inner = dialog(area, 56, 13, "Log in", buf, theme);
        let width = usize::from(inner.width.saturating_sub(14));
        let field = |label: &str, input: &Input, focused: bool| {
            let (text, _) = input.view(width);
            let style = if focused {
                theme.selected()
            } else {
                theme.dim()
            };
            Line::from(vec![
                Span::styled(
                    format!("{label:>10}  "),
                    if focused {
                        theme.accent()
                    } else {
                        theme.text()
                    },
                ),
                Span::styled(format!("{text:<width$}"), style),
            ])
        };
        let mut lines = vec![
            Line::from(Span::styled("Welcome to the CRM", theme.heading())),
            Line::from(""),
            field("Username", &self.username, !self.on_password),
            Line::from(""),
            field("Password", &self.password, self.on_password),
            Line::from(""),
        ];
        match &self.error {
            Some(error) => lines.push(Line::from(Span::styled(
                crm_core::text::terminal_safe(error).into_owned(),
                theme.bad(),
            ))),
            None => lines.push(Line::from(Span::styled(
                "Tab switches fields · Enter logs in · Esc quits",
                theme.dim(),
            ))),
        }
        if let Some(notice) = &self.notice {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(notice.clone(), theme.dim())));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

impl Body for LoginScreen {
    fn section(&self) -> Option<Section> {
        None
    }

    fn typing(&self) -> bool {
        true
    }

    fn handle_key(&mut self, key: KeyEvent, _ctx: &Ctx<'_>) -> Option<Action> {
        LoginScreen::handle_key(self, key)
    }

    fn keys(&self) -> Vec<(&'static str, &'static str)> {
        KEYS.to_vec()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        LoginScreen::draw(self, area, buf, theme);
    }
}
