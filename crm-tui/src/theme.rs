//! The palette. One place decides colours, so `NO_COLOR` turns all of them off at once and the
//! screens only ask for a role ("accent", "hot"), never a colour.

use ratatui::style::{Color, Modifier, Style};

/// Styles by role. Without colour, emphasis falls back to bold, reverse and dim, which every
/// terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

// Every role is a method, even those that look the same with and without colour, so screens
// never name a colour or a modifier themselves.
#[allow(clippy::unused_self)]
impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (<https://no-color.org>).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub fn colored() -> Theme {
        Theme { color: true }
    }

    pub fn plain() -> Theme {
        Theme { color: false }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub(crate) fn text(self) -> Style {
        Style::new()
    }

    pub(crate) fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub(crate) fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn accent(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub(crate) fn heading(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The row or item under the cursor.
    pub(crate) fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// Rows marked for a bulk action.
    pub(crate) fn marked(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn good(self) -> Style {
        self.fg(Color::Green)
    }

    pub(crate) fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub(crate) fn bad(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn border(self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub(crate) fn focus_border(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn bar(self) -> Style {
        self.fg(Color::Cyan)
    }

    /// A lead's temperature: hot stands out, cold recedes.
    pub(crate) fn temperature(self, t: crm_core::Temperature) -> Style {
        match t {
            crm_core::Temperature::Hot => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            crm_core::Temperature::Warm => self.fg(Color::Yellow),
            crm_core::Temperature::Cold => self.fg(Color::Blue),
        }
    }
}
