//! A demo database with a fixed clock, and a frame as text.

use std::path::PathBuf;

use crm_core::{Clock, Crm, DEMO_PASSWORD};
use crm_tui::{App, Start, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

pub(crate) struct Demo {
    _dir: tempfile::TempDir,
    pub(crate) path: PathBuf,
    pub(crate) crm: Crm,
}

/// The demo data (seed campaigns, leads, contacts, tickets and their generated history), with
/// the clock fixed so frames do not change from day to day.
pub(crate) fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let at = "2026-03-01T09:00:00Z".parse().unwrap();
    let crm = Crm::open_with_clock(&path, Clock::Fixed(at)).unwrap();
    crm.load_demo(true).unwrap();
    Demo {
        _dir: dir,
        path,
        crm,
    }
}

impl Demo {
    /// The TUI on its login screen.
    pub(crate) fn app(&self) -> App<'_> {
        App::new(
            &self.crm,
            Start::Login {
                username: None,
                notice: None,
            },
            Theme::plain(),
        )
    }

    /// The TUI logged in through its login screen as `username`, walkthrough skipped.
    pub(crate) fn logged_in(&self, username: &str, width: u16, height: u16) -> App<'_> {
        let mut app = self.app();
        app.resize(width, height);
        app.type_text(username);
        app.press(KeyCode::Tab);
        app.type_text(DEMO_PASSWORD);
        app.press(KeyCode::Enter);
        assert_eq!(app.actor().unwrap().username(), username);
        if app.has_popup() {
            app.press(KeyCode::Esc);
        }
        app
    }

    pub(crate) fn count(&self, sql: &str) -> i64 {
        crm_core::testing::count(&self.path, sql)
    }
}

/// The frame the app draws at `width` x `height`, one line per row, trailing spaces cut.
pub(crate) fn frame(app: &App<'_>, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
