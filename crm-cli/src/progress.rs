//! Progress shown on standard error while the user waits, and only when it is a terminal, so
//! scripts reading the output never see it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A spinner with a message and the time elapsed.
pub(crate) fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// A spinner that turns by itself while the caller blocks (a migration, an index build), hidden
/// when standard error is not a terminal.
pub(crate) fn spinner(message: String) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    spin(&bar, message);
    bar
}

/// Turns `bar` into a spinner saying `message`, moving by itself while the caller blocks.
pub(crate) fn spin(bar: &ProgressBar, message: impl Into<std::borrow::Cow<'static, str>>) {
    bar.set_style(spinner_style());
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
}

/// A bar counting rows of a known total, its message the work in hand; hidden when standard
/// error is not a terminal.
pub(crate) fn counter() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>16} {wide_bar} {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
