//! crm-tui: the terminal UI of the CRM, opened by `crm tui`.
//!
//! State, events and drawing are kept apart: screens turn keys and clicks into
//! [`action::Action`]s, [`App`] applies them in one `update` by calling crm-core services, and
//! drawing is `impl Widget for &App`, a pure function of the state that renders the same on a
//! real terminal and on ratatui's `TestBackend`.
#![deny(unreachable_pub)]

mod action;
mod app;
mod chrome;
mod command;
mod ctx;
mod keymap;
mod popup;
mod screen;
mod search_worker;
mod theme;
mod widget;

pub use app::{App, Start};
pub use theme::Theme;

use crm_core::Crm;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

/// Runs the TUI until the user quits. The terminal is restored on return, on error and on panic.
pub fn run(crm: &Crm, start: Start) -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    // ratatui's hook restores the screen on panic; mouse capture must be released too.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        hook(info);
    }));
    let mut app = App::new(crm, start, Theme::from_env());
    let result = (|| {
        execute!(std::io::stdout(), EnableMouseCapture)?;
        let size = terminal.size()?;
        app.resize(size.width, size.height);
        let mut redraw = true;
        while !app.should_quit() {
            if redraw {
                terminal.draw(|frame| frame.render_widget(&app, frame.area()))?;
            }
            // Search results arrive from their own thread while no key is pressed.
            redraw = if event::poll(std::time::Duration::from_millis(30))? {
                app.handle_event(&event::read()?);
                true
            } else {
                app.tick()
            };
        }
        Ok(())
    })();
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    app.finish();
    result
}
