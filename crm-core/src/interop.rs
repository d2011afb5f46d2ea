//! Other programs' formats: CSV rows of every exported record; vCard 4.0 (RFC 6350) for
//! contacts, iCalendar (RFC 5545) for tasks and follow-ups. The last two are lines of
//! `NAME;PARAM=V:value` with the same escaping and folding rules, which live here once.

pub mod authorized_keys;
mod csv_rows;
pub mod ical;
pub mod vcard;

pub use csv_rows::{CsvRow, roi};

/// Escapes a text value: backslash, comma, semicolon and line breaks (RFC 6350 3.4, RFC 5545
/// 3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Undoes `escape` (and accepts `\N` for a line break, as some writers send).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (never inside a character), ended by CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The content lines of `text`, unfolded, without blank ones: the reference the fold is tested
/// against (the vCard reader unfolds as it streams).
#[cfg(test)]
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ if raw.trim().is_empty() => {}
            _ => lines.push(raw.to_string()),
        }
    }
    lines
}

/// A content line split into its upper-cased name (without a group prefix such as `item1.`),
/// its parameters as written, and its raw value.
fn split_line(line: &str) -> Option<(String, Vec<String>, &str)> {
    // The value starts at the first colon outside a quoted parameter value.
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(i),
        _ => None,
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.rsplit('.').next()?.to_ascii_uppercase();
    Some((name, parts.map(str::to_string).collect(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_folding_round_trip() {
        let text = "Line one; with, commas\\ and\nline two";
        assert_eq!(unescape(&escape(text)), text);
        let mut out = String::new();
        let long = format!("NOTE:{}", "é".repeat(60));
        push_line(&mut out, &long);
        assert!(out.split("\r\n").all(|l| l.len() <= 75), "{out:?}");
        assert_eq!(unfold(&out), vec![long]);
    }

    #[test]
    fn lines_split_at_the_first_unquoted_colon() {
        let (name, params, value) =
            split_line("item1.TEL;TYPE=\"work,voice\";VALUE=uri:tel:+91-98765").unwrap();
        assert_eq!(name, "TEL");
        assert_eq!(params, vec!["TYPE=\"work,voice\"", "VALUE=uri"]);
        assert_eq!(value, "tel:+91-98765");
    }
}
