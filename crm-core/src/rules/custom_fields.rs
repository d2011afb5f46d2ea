//! The rules of custom fields: keys, choices, and each type's check of a value, which turns
//! what a person typed into the stored form (the same checks as the built-in field of its kind).

use chrono::{Datelike, NaiveDate};

use super::validate;
use crate::model::fixed_set::loosely_equal;
use crate::{Error, FieldKind, Result};

/// Longest key and label, in characters.
const MAX_NAME: usize = 60;
/// Most choices one field may have.
const MAX_CHOICES: usize = 200;

/// One stored value: the text shown and, for numbers, money and dates, what ranges compare.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stored {
    pub(crate) text: String,
    pub(crate) number: Option<f64>,
}

/// What a check needs to know of a field.
pub(crate) struct Shape<'a> {
    pub(crate) key: &'a str,
    pub(crate) kind: FieldKind,
    pub(crate) choices: &'a [String],
}

/// A key made from a label: `Property type` → `property_type`.
pub(crate) fn key_from_label(label: &str) -> String {
    let mut key = String::new();
    for c in label.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

/// A key as typed after `--field` and in CSV headers: lower-case letters, digits and `_`,
/// starting with a letter.
pub(crate) fn key(text: &str) -> Result<String> {
    let key = text.trim();
    let ok = (1..=MAX_NAME).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(key.to_string())
    } else {
        Err(Error::invalid(
            "key",
            format!(
                "'{key}' is not a field key; use 1 to {MAX_NAME} lower-case letters, digits \
                 and _, starting with a letter (property_type)"
            ),
        ))
    }
}

/// A label: one line, at most 60 characters.
pub(crate) fn label(text: &str) -> Result<String> {
    let label = validate::required("label", text)?;
    if label.chars().count() > MAX_NAME {
        return Err(Error::invalid(
            "label",
            format!("is longer than {MAX_NAME} characters"),
        ));
    }
    Ok(label)
}

/// The choices of a choice field: each one line, none twice (in any case), at least one.
pub(crate) fn choices(kind: FieldKind, given: &[String]) -> Result<Vec<String>> {
    let given: Vec<String> = given
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if !kind.has_choices() {
        return if given.is_empty() {
            Ok(Vec::new())
        } else {
            Err(Error::invalid(
                "choices",
                format!("a {kind} field has no choices; only choice and multi_choice fields do"),
            ))
        };
    }
    if given.is_empty() {
        return Err(Error::invalid(
            "choices",
            format!("a {kind} field needs at least one choice (--choices 'Villa,Flat,Plot')"),
        ));
    }
    if given.len() > MAX_CHOICES {
        return Err(Error::invalid(
            "choices",
            format!("{} choices is more than {MAX_CHOICES}", given.len()),
        ));
    }
    let mut kept: Vec<String> = Vec::with_capacity(given.len());
    for choice in given {
        let choice = validate::required("choices", &choice)?;
        if choice.contains(',') || choice.contains(';') {
            return Err(Error::invalid(
                "choices",
                format!("'{choice}' holds a comma or semicolon, which separate choices"),
            ));
        }
        if kept.iter().any(|k| k.eq_ignore_ascii_case(&choice)) {
            return Err(Error::invalid(
                "choices",
                format!("'{choice}' is given twice"),
            ));
        }
        kept.push(choice);
    }
    Ok(kept)
}

/// The values `text` stores in a field of `shape`; an empty text stores none. A user field's
/// username is checked against the users by the caller.
pub(crate) fn values(shape: &Shape<'_>, text: &str) -> Result<Vec<Stored>> {
    let field = shape.key;
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let plain = |t: String| Stored {
        text: t,
        number: None,
    };
    let one = match shape.kind {
        FieldKind::Text => plain(validate::required(field, text)?),
        FieldKind::LongText => plain(validate::multiline(field, Some(text))?.unwrap_or_default()),
        FieldKind::Number => {
            let n = number(field, text)?;
            Stored {
                text: number_text(n),
                number: Some(n),
            }
        }
        FieldKind::Money => {
            let minor = crate::parse_amount(field, &expand_shorthand(text))?;
            #[allow(clippy::cast_precision_loss)]
            let major = minor as f64 / 100.0;
            Stored {
                text: format!("{}.{:02}", minor / 100, minor % 100),
                number: Some(major),
            }
        }
        FieldKind::Date => {
            let day = date(field, text)?;
            Stored {
                text: day.format("%Y-%m-%d").to_string(),
                number: Some(f64::from(day.num_days_from_ce())),
            }
        }
        FieldKind::YesNo => plain(yes_no(field, text)?.to_string()),
        FieldKind::Choice => plain(choice(shape, text)?),
        FieldKind::MultiChoice => {
            let mut chosen: Vec<String> = Vec::new();
            for part in text
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let c = choice(shape, part)?;
                if !chosen.contains(&c) {
                    chosen.push(c);
                }
            }
            return Ok(chosen.into_iter().map(plain).collect());
        }
        FieldKind::User => plain(
            validate::username(text)
                .map_err(|_| Error::invalid(field, format!("'{text}' is not a username")))?,
        ),
        FieldKind::Url => plain(url(field, text)?),
        FieldKind::Email => plain(validate::email(field, Some(text))?.unwrap_or_default()),
        FieldKind::Phone => plain(validate::phone(field, Some(text))?.unwrap_or_default()),
    };
    Ok(vec![one])
}

/// The value a list condition compares with, in stored form: a choice as the field spells
/// it, a number, money or date as a number.
pub(crate) fn compared(shape: &Shape<'_>, text: &str) -> Result<Stored> {
    if shape.kind == FieldKind::MultiChoice {
        return Ok(Stored {
            text: choice(shape, text)?,
            number: None,
        });
    }
    values(shape, text)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::invalid(shape.key, "has no value to compare with"))
}

/// A number as people write it: `1,200`, `12.5`, and the shorthands `10k`, `50L` (lakh),
/// `2Cr` (crore), `3M`.
pub(crate) fn number(field: &str, text: &str) -> Result<f64> {
    let expanded = expand_shorthand(text);
    let cleaned: String = expanded
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && n.abs() < 1e15)
        .ok_or_else(|| {
            Error::invalid(
                field,
                format!("'{text}' is not a number such as 1200, 12.5, 10k or 50L"),
            )
        })
}

/// `50L` → `5000000`: the shorthands of Indian and English business writing, spelled out.
fn expand_shorthand(text: &str) -> String {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let scales: [(&str, u32); 8] = [
        ("crore", 7),
        ("cr", 7),
        ("lakh", 5),
        ("lac", 5),
        ("l", 5),
        ("mn", 6),
        ("m", 6),
        ("k", 3),
    ];
    for (suffix, zeros) in scales {
        if let Some(head) = lower.strip_suffix(suffix) {
            let head = head.trim().replace(',', "");
            if let Ok(n) = head.parse::<f64>() {
                let n = n * 10f64.powi(i32::try_from(zeros).unwrap_or(0));
                return number_text(n);
            }
        }
    }
    t.to_string()
}

/// A number as stored: no trailing `.0`.
fn number_text(n: f64) -> String {
    let rounded = (n * 1e6).round() / 1e6;
    format!("{rounded}")
}

fn date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            field,
            format!("'{text}' is not a date written YYYY-MM-DD (2026-12-31)"),
        )
    })
}

fn yes_no(field: &str, text: &str) -> Result<&'static str> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "on" => Ok("yes"),
        "no" | "n" | "false" | "0" | "off" => Ok("no"),
        _ => Err(Error::invalid(field, format!("'{text}' is not yes or no"))),
    }
}

fn choice(shape: &Shape<'_>, text: &str) -> Result<String> {
    shape
        .choices
        .iter()
        .find(|c| loosely_equal(c, text))
        .cloned()
        .ok_or_else(|| {
            Error::invalid(
                shape.key,
                format!(
                    "'{text}' is not one of its choices ({})",
                    shape.choices.join(", ")
                ),
            )
        })
}

/// A web address: `http://` or `https://`, a host, no spaces.
fn url(field: &str, text: &str) -> Result<String> {
    let text = validate::required(field, text)?;
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(h) if h.contains('.') || h.starts_with("localhost") => {
            if text.chars().any(char::is_whitespace) {
                Err(Error::invalid(field, format!("'{text}' contains spaces")))
            } else {
                Ok(text)
            }
        }
        _ => Err(Error::invalid(
            field,
            format!("'{text}' is not a web address starting http:// or https://"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(kind: FieldKind, choices: &[String]) -> Shape<'_> {
        Shape {
            key: "f",
            kind,
            choices,
        }
    }

    fn stored(kind: FieldKind, text: &str) -> Result<Vec<String>> {
        let choices = ["Villa".to_string(), "Flat".into(), "Plot".into()];
        values(&shape(kind, &choices), text).map(|v| v.into_iter().map(|s| s.text).collect())
    }

    #[test]
    fn keys_come_from_labels() {
        assert_eq!(key_from_label("Property type"), "property_type");
        assert_eq!(key_from_label("  Budget (₹ band) "), "budget_band");
        assert!(key("property_type").is_ok());
        assert!(key("Property").is_err());
        assert!(key("1st").is_err());
    }

    #[test]
    fn every_type_takes_its_values_and_refuses_others_by_field() {
        let ok: &[(FieldKind, &str, &[&str])] = &[
            (FieldKind::Text, "  Sea view ", &["Sea view"]),
            (FieldKind::LongText, "two\r\nlines", &["two\nlines"]),
            (FieldKind::Number, "1,200", &["1200"]),
            (FieldKind::Number, "12.5", &["12.5"]),
            (FieldKind::Number, "50L", &["5000000"]),
            (FieldKind::Money, "85,000.5", &["85000.50"]),
            (FieldKind::Money, "2Cr", &["20000000.00"]),
            (FieldKind::Date, "2026-12-31", &["2026-12-31"]),
            (FieldKind::YesNo, "Y", &["yes"]),
            (FieldKind::YesNo, "false", &["no"]),
            (FieldKind::Choice, "villa", &["Villa"]),
            (
                FieldKind::MultiChoice,
                "plot; villa, Plot",
                &["Plot", "Villa"],
            ),
            (FieldKind::User, "Asha", &["asha"]),
            (
                FieldKind::Url,
                "https://example.in/x",
                &["https://example.in/x"],
            ),
            (FieldKind::Email, "a@b.in", &["a@b.in"]),
            (FieldKind::Phone, "+91 98765 43210", &["+91 98765 43210"]),
            (FieldKind::Text, "   ", &[]),
        ];
        for (kind, text, want) in ok {
            assert_eq!(stored(*kind, text).unwrap(), *want, "{kind} {text:?}");
        }
        let bad: &[(FieldKind, &str, &str)] = &[
            (FieldKind::Text, "a\u{1b}b", "control"),
            (FieldKind::Number, "twelve", "not a number"),
            (FieldKind::Money, "-5", "negative"),
            (FieldKind::Date, "31/12/2026", "YYYY-MM-DD"),
            (FieldKind::Date, "2026-02-30", "YYYY-MM-DD"),
            (FieldKind::YesNo, "maybe", "yes or no"),
            (
                FieldKind::Choice,
                "Castle",
                "not one of its choices (Villa, Flat, Plot)",
            ),
            (FieldKind::MultiChoice, "Villa, Castle", "'Castle'"),
            (FieldKind::User, "no body", "username"),
            (FieldKind::Url, "example.in", "http"),
            (FieldKind::Email, "a.b.in", "@"),
            (FieldKind::Phone, "12", "digits"),
        ];
        for (kind, text, why) in bad {
            let err = stored(*kind, text).unwrap_err().to_string();
            assert!(err.starts_with("invalid f:"), "{kind} {text}: {err}");
            assert!(err.contains(why), "{kind} {text}: {err}");
        }
    }

    #[test]
    fn ranged_types_store_a_number_that_orders_them() {
        let day = |t| values(&shape(FieldKind::Date, &[]), t).unwrap()[0].number;
        assert!(day("2026-01-31") < day("2026-02-01"));
        let money = values(&shape(FieldKind::Money, &[]), "50L").unwrap();
        assert_eq!(money[0].number, Some(5_000_000.0));
    }

    #[test]
    fn choices_are_checked() {
        let list = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        assert_eq!(
            choices(FieldKind::Choice, &list(&[" Villa", "Flat ", ""])).unwrap(),
            list(&["Villa", "Flat"])
        );
        assert!(choices(FieldKind::Choice, &[]).is_err());
        assert!(choices(FieldKind::Choice, &list(&["A", "a"])).is_err());
        assert!(choices(FieldKind::Text, &list(&["A"])).is_err());
    }

    #[test]
    fn conditions_parse_every_comparison() {
        use crate::{Comparison, FieldCondition};
        let c: FieldCondition = "budget>=50L".parse().unwrap();
        assert_eq!(
            (c.key.as_str(), c.comparison, c.value.as_str()),
            ("budget", Comparison::GreaterOrEqual, "50L")
        );
        let c: FieldCondition = "type != Villa".parse().unwrap();
        assert_eq!(c.comparison, Comparison::NotEqual);
        assert_eq!(c.value, "Villa");
        assert!("budget".parse::<FieldCondition>().is_err());
        assert!("=x".parse::<FieldCondition>().is_err());
    }
}
