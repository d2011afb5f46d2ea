//! The keys that work on every screen; `popup::help::GLOBAL` lists them for the help overlay.
//! Each screen lists its own keys beside its handling (`Body::keys`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;
use crate::chrome::Section;
use crate::popup::Popup;
use crate::popup::search::SearchPopup;

/// The action of a key that means the same everywhere, if `key` is one. `typing` says a field
/// has the keyboard, so only keys that cannot be text count.
pub(crate) fn global(key: KeyEvent, typing: bool, current: Option<Section>) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => return Some(Action::Quit),
        KeyCode::Char('k') if ctrl => {
            return Some(Action::Show(Popup::Search(SearchPopup::default())));
        }
        _ if typing || ctrl => return None,
        _ => {}
    }
    let step = |forward: bool| {
        let at = current
            .and_then(|c| Section::ALL.iter().position(|s| *s == c))
            .unwrap_or(0);
        let n = Section::ALL.len();
        let next = if forward { at + 1 } else { at + n - 1 } % n;
        Action::Go(Section::ALL[next])
    };
    match key.code {
        KeyCode::Char('q') => Some(Action::Quit),
        KeyCode::Char('?') => Some(Action::Show(Popup::Help)),
        KeyCode::Char('W') => Some(Action::Show(Popup::Walkthrough(0))),
        KeyCode::Tab => Some(step(true)),
        KeyCode::BackTab => Some(step(false)),
        KeyCode::Char(c) if c.is_ascii_digit() => Section::from_key(c).map(Action::Go),
        _ => None,
    }
}
