//! A one-line text input: typing, a cursor, and an optional mask for passwords.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The longest text one input takes; a field is one line, and this keeps a pasted novel out.
const MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Input {
    value: String,
    /// Cursor position in characters.
    cursor: usize,
    masked: bool,
}

impl Input {
    pub(crate) fn new(value: &str) -> Input {
        Input {
            value: value.to_string(),
            cursor: value.chars().count(),
            masked: false,
        }
    }

    pub(crate) fn masked() -> Input {
        Input {
            masked: true,
            ..Input::default()
        }
    }

    pub(crate) fn value(&self) -> &str {
        &self.value
    }

    pub(crate) fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Applies an editing key; returns false for keys an input does not use (Enter, Tab, Esc...),
    /// so the owner can act on them.
    pub(crate) fn handle(&mut self, key: KeyEvent) -> bool {
        let len = self.value.chars().count();
        match key.code {
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => self.clear(),
            KeyCode::Char(_) if key.modifiers.contains(KeyModifiers::CONTROL) => return false,
            // Control characters never enter a field: the services refuse them anyway.
            KeyCode::Char(c) if !c.is_control() && len < MAX_CHARS => {
                let at = self.byte_at(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// The text to draw in `width` cells and where the cursor falls in it. Long values scroll so
    /// the cursor stays visible.
    pub(crate) fn view(&self, width: usize) -> (String, usize) {
        let shown: String = if self.masked {
            "•".repeat(self.value.chars().count())
        } else {
            crm_core::text::terminal_safe(&self.value).into_owned()
        };
        let width = width.max(1);
        let skip = (self.cursor + 1).saturating_sub(width);
        let visible: String = shown.chars().skip(skip).take(width).collect();
        (visible, self.cursor - skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(text: &str) -> Input {
        let mut input = Input::default();
        for c in text.chars() {
            input.handle(key(KeyCode::Char(c)));
        }
        input
    }

    #[test]
    fn edits_at_the_cursor_in_characters_not_bytes() {
        let mut input = typed("Prïya");
        input.handle(key(KeyCode::Left));
        input.handle(key(KeyCode::Left));
        input.handle(key(KeyCode::Backspace));
        assert_eq!(input.value(), "Prya");
        input.handle(key(KeyCode::Home));
        input.handle(key(KeyCode::Delete));
        assert_eq!(input.value(), "rya");
        assert!(!input.handle(key(KeyCode::Enter)), "Enter is for the owner");
    }

    #[test]
    fn a_masked_input_never_shows_the_text_and_long_text_scrolls() {
        let mut input = Input::masked();
        for c in "hunter2".chars() {
            input.handle(key(KeyCode::Char(c)));
        }
        assert_eq!(input.view(20), ("•••••••".to_string(), 7));
        let long = typed("abcdefghij");
        assert_eq!(long.view(5), ("ghij".to_string(), 4));
    }
}
