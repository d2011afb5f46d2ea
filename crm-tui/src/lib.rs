//! crm-tui: the terminal UI of the CRM, opened by `crm tui`.
//!
//! State, events and drawing are kept apart: [`App`] holds the state and applies key events by
//! calling crm-core services; drawing is `impl Widget for &App`, so it cannot change state and
//! renders the same way on a real terminal and on ratatui's `TestBackend`.
//!
//! This is the first screen only: the contacts the user may see. The dashboard, pipeline and
//! the other screens arrive with the TUI issue.
#![deny(unreachable_pub)]

mod app;

pub use app::App;

use crm_core::{Actor, Crm};
use ratatui::crossterm::event::{self, Event, KeyEventKind};

/// Runs the TUI until the user quits. The terminal is restored on return, on error and on panic
/// (ratatui's init installs a panic hook that restores it).
pub fn run(crm: &Crm, actor: &Actor) -> std::io::Result<()> {
    let mut app = App::new(crm, actor.clone());
    let mut terminal = ratatui::init();
    let result = (|| {
        while !app.should_quit() {
            terminal.draw(|frame| frame.render_widget(&app, frame.area()))?;
            if let Event::Key(key) = event::read()?
                && key.kind == KeyEventKind::Press
            {
                app.handle_key(key.code);
            }
        }
        Ok(())
    })();
    ratatui::restore();
    result
}
