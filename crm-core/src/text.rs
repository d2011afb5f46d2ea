//! Making stored text safe for where it goes: a terminal, or a spreadsheet cell.
//!
//! Both front ends call these rather than each keeping a copy of the rules.

use std::borrow::Cow;

/// Text from the database made safe to draw: escape sequences (CSI, OSC, ...), other control
/// characters and bidi overrides are removed, so stored text cannot repaint or reorder the
/// screen. Newlines and tabs become spaces, since one field is drawn on one line.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_care) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 control-sequence and OSC introducers behave like ESC [ and ESC ].
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                skip_until_terminator(&mut chars);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if needs_care(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_care(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_until_final(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_until_terminator(chars),
        // Two-character escapes (ESC c, ESC 7, ...): the one char is already consumed.
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes up to a final byte in @..~.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS-like strings end at BEL, ST (ESC \) or the C1 ST.
fn skip_until_terminator(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Text as one line: every run of whitespace, line breaks included, becomes one space, and the
/// ends are trimmed. For headers, error messages and titles, where a line break would split or
/// add a line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A CSV cell made safe for spreadsheets (OWASP CSV injection): a cell that begins with `=`, `+`,
/// `-`, `@`, tab or carriage return gets a leading apostrophe so it is read as text, not a formula.
/// A cell that already looks guarded (apostrophes before one of those) gets one more, so
/// [`formula_unguarded`] can always give back exactly what was written.
pub fn formula_safe(cell: &str) -> Cow<'_, str> {
    if looks_like_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`formula_safe`] on import, so an exported file reads back as it was written.
pub fn formula_unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

fn looks_like_formula(cell: &str) -> bool {
    matches!(
        cell.trim_start_matches('\'').chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn import_reads_back_what_export_guarded(cell in ".*") {
            let exported = formula_safe(&cell);
            prop_assert_eq!(formula_unguarded(&exported), cell.as_str());
        }
    }

    #[test]
    fn plain_text_is_untouched() {
        assert!(matches!(terminal_safe("Aarav Sharma"), Cow::Borrowed(_)));
        assert_eq!(terminal_safe("Müller — 東京"), "Müller — 東京");
    }

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(terminal_safe("a\u{1b}[31mred\u{1b}[0m"), "ared");
        assert_eq!(terminal_safe("x\u{1b}]0;pwned\u{7}y"), "xy");
        assert_eq!(
            terminal_safe("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
            "xlink"
        );
        assert_eq!(terminal_safe("a\u{9b}2Jb"), "ab");
        assert_eq!(terminal_safe("line1\r\nline2\0"), "line1  line2");
        assert_eq!(terminal_safe("evil\u{202e}txt"), "eviltxt");
    }

    #[test]
    fn formula_triggers_are_neutralised() {
        for cell in ["=1+1", "+91 98765", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(formula_safe(cell).starts_with('\''), "{cell:?}");
        }
        assert_eq!(formula_safe("Aarav"), "Aarav");
        assert_eq!(formula_safe(""), "");
    }

    proptest! {
        #[test]
        fn no_control_character_survives(s in any::<String>()) {
            let safe = terminal_safe(&s);
            prop_assert!(!safe.chars().any(needs_care), "{:?}", safe);
        }
    }
}
