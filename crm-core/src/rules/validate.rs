//! Validation of what users type. Each check names the field it refused and why, and returns the
//! value in its stored form (trimmed, empty optional fields as None).

use crate::{Error, Result};

/// Longest single-line text field we accept, in characters.
pub(crate) const MAX_LINE: usize = 200;
/// Passwords shorter than this are refused.
pub(crate) const MIN_PASSWORD: usize = 8;
/// Passwords are never truncated; this only bounds the work of hashing.
pub(crate) const MAX_PASSWORD: usize = 1024;

/// A required single-line text: trimmed, not empty, no control characters.
/// Rows one list page may ask for.
pub(crate) fn page_limit(limit: u32) -> Result<u32> {
    if (1..=1000).contains(&limit) {
        Ok(limit)
    } else {
        Err(Error::invalid(
            "limit",
            format!("{limit} is outside 1..=1000"),
        ))
    }
}

pub(crate) fn required(field: &str, value: &str) -> Result<String> {
    match optional(field, Some(value))? {
        Some(v) => Ok(v),
        None => Err(Error::invalid(field, "is required")),
    }
}

/// A person's first name, which may be left out (stored empty): other tools export people with
/// only a last name, only an email (an audience list) or only a phone. [`identified`] checks
/// that the person is still someone.
pub(crate) fn first_name(value: &str) -> Result<String> {
    Ok(optional("first name", Some(value))?.unwrap_or_default())
}

/// A contact or lead needs a name, an email or a phone: something to find and greet them by.
/// Named as the first name's problem, the field a form asks first.
pub(crate) fn identified(
    first_name: &str,
    last_name: Option<&str>,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<()> {
    if first_name.is_empty() && last_name.is_none() && email.is_none() && phone.is_none() {
        return Err(Error::invalid(
            "first name",
            "is required without a last name, email or phone",
        ));
    }
    Ok(())
}

/// An optional single-line text: empty after trimming means absent.
pub(crate) fn optional(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            "must not contain control characters or line breaks",
        ));
    }
    let len = v.chars().count();
    if len > MAX_LINE {
        return Err(Error::invalid(
            field,
            format!("is {len} characters long (at most {MAX_LINE})"),
        ));
    }
    Ok(Some(v.to_string()))
}

/// Free text that may span lines (notes, descriptions, resolutions): trimmed, at most 10,000
/// characters, no control characters but line breaks and tabs; empty means absent. Windows line
/// breaks (CRLF, as spreadsheets write them inside cells) are stored as plain `\n`.
pub(crate) fn multiline(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let unix;
    let v = if v.contains("\r\n") {
        unix = v.replace("\r\n", "\n");
        unix.as_str()
    } else {
        v
    };
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    if v.chars().count() > 10_000 {
        return Err(Error::invalid(field, "is longer than 10000 characters"));
    }
    Ok(Some(v.to_string()))
}

/// An optional text field under a patch: None keeps `current`, `Some("")` clears it, anything
/// else is checked as [`optional`] text.
pub(crate) fn patched(
    field: &str,
    current: Option<String>,
    patch: Option<&String>,
) -> Result<Option<String>> {
    patched_with(field, current, patch, optional)
}

/// As [`patched`], with another check (e.g. [`email`], [`phone`]).
pub(crate) fn patched_with(
    field: &str,
    current: Option<String>,
    patch: Option<&String>,
    check: fn(&str, Option<&str>) -> Result<Option<String>>,
) -> Result<Option<String>> {
    match patch {
        None => Ok(current),
        Some(value) => check(field, Some(value)),
    }
}

/// An optional email address: one `@` with a non-empty local part and a dotted domain.
pub(crate) fn email(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = optional(field, value)? else {
        return Ok(None);
    };
    let bad = |why: &str| Err(Error::invalid(field, format!("'{v}' {why}")));
    let Some((local, domain)) = v.split_once('@') else {
        return bad("has no @");
    };
    if local.is_empty() {
        return bad("has nothing before the @");
    }
    if domain.contains('@') {
        return bad("has more than one @");
    }
    if v.chars().any(char::is_whitespace) {
        return bad("contains spaces");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return bad("has no valid domain after the @");
    }
    if v.len() > 254 {
        return bad("is longer than 254 characters");
    }
    Ok(Some(v))
}

/// The number and the extension of a phone as other tools write it: `416-810-9897x752`,
/// `1-888-752-5141 Ext 43023`, `tel:+1-201-555-0123;ext=102`, `020 555 0100 #12`. The
/// extension is 1 to 8 digits after `x`, `ext`, `ext.`, `extension`, `;ext=` or `#` at the end.
pub(crate) fn phone_extension(text: &str) -> (&str, Option<&str>) {
    let text = text.trim();
    let text = match text.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("tel:") => &text[4..],
        _ => text,
    };
    let lower = text.to_ascii_lowercase();
    // Where the trailing digits start: after the last other character, whatever its width.
    let digits_from = lower
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let ext = &text[digits_from..];
    if ext.is_empty() || ext.len() > 8 || digits_from == 0 {
        return (text, None);
    }
    let before = lower[..digits_from].trim_end_matches([' ', '.', ':', '=']);
    for marker in [";ext", "extension", "ext", "x", "#"] {
        if let Some(number) = before.strip_suffix(marker) {
            let number = number.trim_end_matches([' ', ',', ';']);
            if number.ends_with(|c: char| c.is_ascii_digit() || c == ')') {
                return (text[..number.len()].trim_end(), Some(ext));
            }
        }
    }
    (text, None)
}

/// An optional phone number as written by people: digits with optional leading `+`, spaces,
/// dashes, dots and brackets; 5 to 15 digits (E.164 allows at most 15). An extension is kept,
/// written `NUMBER ext. DIGITS` ([`phone_extension`] reads the other tools' ways).
pub(crate) fn phone(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = optional(field, value)? else {
        return Ok(None);
    };
    let (number, extension) = phone_extension(&v);
    let v = number.to_string();
    if let Some(c) = v
        .chars()
        .enumerate()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || matches!(c, ' ' | '-' | '.' | '(' | ')')
                || (c == '+' && i == 0))
        })
        .map(|(_, c)| c)
    {
        return Err(Error::invalid(
            field,
            format!("'{v}' contains '{c}'; use digits, spaces, - ( ) and a leading +"),
        ));
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if !(5..=15).contains(&digits) {
        return Err(Error::invalid(
            field,
            format!("'{v}' has {digits} digits (expected 5 to 15)"),
        ));
    }
    Ok(Some(match extension {
        Some(ext) => format!("{v} ext. {ext}"),
        None => v,
    }))
}

/// A username: 1 to 64 of a-z, 0-9, `.`, `_`, `-`, starting with a letter or digit; stored lower case.
pub(crate) fn username(value: &str) -> Result<String> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return Err(Error::invalid("username", "is required"));
    }
    if v.len() > 64 {
        return Err(Error::invalid("username", "is longer than 64 characters"));
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        || !v.starts_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err(Error::invalid(
            "username",
            format!(
                "'{}' may only hold a-z, 0-9, '.', '_' and '-', starting with a letter or digit",
                value.trim()
            ),
        ));
    }
    Ok(v)
}

/// A password: long enough, and short enough to hash; otherwise taken exactly as typed.
pub(crate) fn password(value: &str) -> Result<()> {
    let len = value.chars().count();
    if len < MIN_PASSWORD {
        return Err(Error::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD} characters"),
        ));
    }
    if len > MAX_PASSWORD {
        return Err(Error::invalid(
            "password",
            format!("must be at most {MAX_PASSWORD} characters"),
        ));
    }
    Ok(())
}

/// A tag: trimmed, lower case, 1 to 40 characters, no commas or control characters.
pub(crate) fn tag(value: &str) -> Result<String> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return Err(Error::invalid("tag", "must not be empty"));
    }
    if v.chars().any(|c| c.is_control() || c == ',') {
        return Err(Error::invalid(
            "tag",
            format!("'{v}' must not contain commas or control characters"),
        ));
    }
    if v.chars().count() > 40 {
        return Err(Error::invalid(
            "tag",
            format!("'{v}' is longer than 40 characters"),
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reason(r: Result<impl std::fmt::Debug>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn required_fields_are_trimmed_and_must_be_present() {
        assert_eq!(required("first name", "  Aarav ").unwrap(), "Aarav");
        assert_eq!(
            reason(required("first name", "   ")),
            "invalid first name: is required"
        );
        assert_eq!(
            reason(required("first name", "a\nb")),
            "invalid first name: must not contain control characters or line breaks"
        );
        assert!(required("first name", &"x".repeat(201)).is_err());
    }

    #[test]
    fn emails_need_an_at_and_a_domain() {
        assert_eq!(
            email("email", Some(" aarav@techverse.in "))
                .unwrap()
                .as_deref(),
            Some("aarav@techverse.in")
        );
        assert_eq!(email("email", Some("")).unwrap(), None);
        assert_eq!(
            reason(email("email", Some("aarav.techverse.in"))),
            "invalid email: 'aarav.techverse.in' has no @"
        );
        assert!(email("email", Some("@techverse.in")).is_err());
        assert!(email("email", Some("a@b@c.in")).is_err());
        assert!(email("email", Some("a@localhost")).is_err());
        assert!(email("email", Some("a b@c.in")).is_err());
    }

    #[test]
    fn phones_allow_common_formatting() {
        for ok in [
            "+91 98765 43120",
            "(020) 555-0100",
            "+919876543120",
            "98.76.54",
        ] {
            assert!(phone("phone", Some(ok)).is_ok(), "{ok}");
        }
        assert_eq!(
            reason(phone("phone", Some("+91 98x"))),
            "invalid phone: '+91 98x' contains 'x'; use digits, spaces, - ( ) and a leading +"
        );
        assert!(phone("phone", Some("12")).is_err());
        assert!(phone("phone", Some("9+1")).is_err());
    }

    #[test]
    fn phones_keep_their_extension_however_a_tool_wrote_it() {
        for (typed, stored) in [
            ("416-810-9897x752", "416-810-9897 ext. 752"),
            ("1-888-752-5141 Ext 43023", "1-888-752-5141 ext. 43023"),
            ("tel:+1-201-555-0123;ext=102", "+1-201-555-0123 ext. 102"),
            ("+91 20 2567 8800 extension 12", "+91 20 2567 8800 ext. 12"),
            ("(020) 555-0100 #7", "(020) 555-0100 ext. 7"),
            ("020 555 0100 ext. 7", "020 555 0100 ext. 7"),
            ("+91 98765 43120", "+91 98765 43120"),
            ("tel:+919876543120", "+919876543120"),
        ] {
            assert_eq!(
                phone("phone", Some(typed)).unwrap().as_deref(),
                Some(stored),
                "{typed}"
            );
            // What is stored reads back the same.
            assert_eq!(
                phone("phone", Some(stored)).unwrap().as_deref(),
                Some(stored),
                "{stored}"
            );
        }
        // Not an extension: letters inside the number, or too many digits after the mark.
        assert!(phone("phone", Some("98x76543210")).is_err());
        assert!(phone("phone", Some("020 555 0100 x123456789")).is_err());
        assert!(phone("phone", Some("x752")).is_err());
        // Any text at all is read without a panic: wide characters before or among digits.
        for hostile in [
            "+\u{2069}",
            "98765 43210 é12",
            "ext\u{202e}12",
            "📞 020 555 0100 x7",
        ] {
            let _ = phone("phone", Some(hostile));
            let _ = phone_extension(hostile);
        }
    }

    #[test]
    fn usernames_are_lower_cased_and_restricted() {
        assert_eq!(username(" Asha ").unwrap(), "asha");
        assert!(username("a b").is_err());
        assert!(username("-x").is_err());
        assert!(username("").is_err());
    }

    #[test]
    fn passwords_have_bounds_but_no_truncation() {
        assert!(password("short").is_err());
        assert!(password(&"p".repeat(128)).is_ok());
        assert!(password(&"p".repeat(1025)).is_err());
    }

    proptest! {
        /// Any text reads as a phone or is refused, never a panic; a phone that is kept
        /// reads back as itself.
        #[test]
        fn any_text_is_a_phone_or_refused(s in any::<String>()) {
            if let Ok(Some(stored)) = phone("phone", Some(&s)) {
                prop_assert_eq!(phone("phone", Some(&stored)).unwrap(), Some(stored.clone()));
            }
        }

        /// Phones as tools write them, with and without an extension: a kept one reads back
        /// as itself, with the extension it was given.
        #[test]
        fn a_kept_phone_reads_back_with_its_extension(
            s in "[+]?[0-9][0-9 ()-]{4,18}[0-9]( ?(x|ext|Ext\\.|extension|#) ?[0-9]{1,8})?"
        ) {
            if let Ok(Some(stored)) = phone("phone", Some(&s)) {
                prop_assert_eq!(phone("phone", Some(&stored)).unwrap(), Some(stored.clone()));
                prop_assert_eq!(phone_extension(&stored).1, phone_extension(&s).1);
            }
        }

        #[test]
        fn accepted_optional_text_is_trimmed_and_clean(s in any::<String>()) {
            if let Ok(Some(v)) = optional("f", Some(&s)) {
                prop_assert_eq!(v.trim(), v.as_str());
                prop_assert!(!v.is_empty());
                prop_assert!(!v.chars().any(char::is_control));
            }
        }
    }
}
