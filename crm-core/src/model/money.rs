//! Money: an integer amount in minor units and an ISO 4217 currency code.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A three-letter ISO 4217 code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    /// The demo's and the default currency.
    pub const INR: Currency = Currency(*b"INR");

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::INR
    }
}

impl FromStr for Currency {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim().to_ascii_uppercase();
        match code.as_bytes() {
            [a, b, c] if code.bytes().all(|b| b.is_ascii_uppercase()) => Ok(Currency([*a, *b, *c])),
            _ => Err(Error::invalid(
                "currency",
                format!("'{s}' is not a three-letter code such as INR or USD"),
            )),
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = Error;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.as_str().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money. Minor units are hundredths for every currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// The amount alone as files and scripts want it: `110000` or `85000.50`, no grouping and
    /// no currency (that has its own column). [`parse_amount`] reads it back.
    pub fn plain(&self) -> String {
        let (whole, cents) = (self.minor / 100, self.minor % 100);
        if cents == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{cents:02}")
        }
    }
}

/// Writes an amount in minor units as JSON's one money format: a decimal string in major units
/// with two places (`"150000.00"`), beside its currency. Every JSON the CRM writes (the CLI's
/// `--output json`, exports, the server) uses it; [`parse_amount`] reads it back.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's serialize_with passes a reference
pub(crate) fn decimal<S: serde::Serializer>(minor: &i64, s: S) -> Result<S::Ok, S::Error> {
    let sign = if *minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    s.serialize_str(&format!("{sign}{}.{:02}", abs / 100, abs % 100))
}

/// Parses an amount as people write it: `85000`, `85,000`, `1,10,000`, `85000.50`. Negative
/// amounts are refused (money in the CRM is never below zero).
pub fn parse_amount(field: &str, text: &str) -> crate::Result<i64> {
    let bad = || {
        Error::invalid(
            field,
            format!("'{text}' is not an amount such as 85000 or 85,000.50"),
        )
    };
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    if cleaned.starts_with('-') {
        return Err(Error::invalid(field, format!("'{text}' is negative")));
    }
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(bad)
}

impl fmt::Display for Money {
    /// `INR 1,10,000` (Indian grouping for rupees), `USD 85,000.50` elsewhere; paise/cents only
    /// when there are some.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = (self.minor / 100).to_string();
        let cents = self.minor % 100;
        let grouped = if self.currency == Currency::INR {
            group_indian(&whole)
        } else {
            group_thousands(&whole)
        };
        if cents == 0 {
            write!(f, "{} {grouped}", self.currency)
        } else {
            write!(f, "{} {grouped}.{cents:02}", self.currency)
        }
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 1,10,000: the last three digits, then groups of two.
fn group_indian(digits: &str) -> String {
    if digits.len() <= 3 {
        return digits.to_string();
    }
    let (head, tail) = digits.split_at(digits.len() - 3);
    format!("{},{tail}", group_thousands_by(head, 2))
}

fn group_thousands_by(digits: &str, size: usize) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(size) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JSON's money is "150000.00", and what it writes reads back as the same minor units.
    #[test]
    fn json_money_is_a_decimal_string_that_reads_back() {
        #[derive(Serialize, schemars::JsonSchema)]
        struct Priced {
            #[serde(serialize_with = "decimal")]
            amount: i64,
        }
        let written =
            |minor| serde_json::to_value(Priced { amount: minor }).unwrap()["amount"].clone();
        assert_eq!(written(15_000_000), "150000.00");
        assert_eq!(written(5), "0.05");
        for minor in [0, 5, 99, 100, 8_500_050, 15_000_000] {
            let text = written(minor);
            assert_eq!(
                parse_amount("amount", text.as_str().unwrap()).unwrap(),
                minor
            );
        }
    }

    #[test]
    fn amounts_parse_as_people_write_them() {
        assert_eq!(parse_amount("budget", "85000").unwrap(), 8_500_000);
        assert_eq!(parse_amount("budget", "1,10,000").unwrap(), 11_000_000);
        assert_eq!(parse_amount("budget", "85,000.5").unwrap(), 8_500_050);
        assert_eq!(parse_amount("budget", "0.07").unwrap(), 7);
        assert_eq!(
            parse_amount("budget", "-5").unwrap_err().to_string(),
            "invalid budget: '-5' is negative"
        );
        for bad in ["", "abc", "1.234", "1e5", "."] {
            assert!(parse_amount("budget", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_displays_with_local_grouping() {
        assert_eq!(
            Money::new(11_000_000, Currency::INR).to_string(),
            "INR 1,10,000"
        );
        assert_eq!(
            Money::new(8_500_050, "usd".parse().unwrap()).to_string(),
            "USD 85,000.50"
        );
        assert_eq!(Money::new(0, Currency::INR).to_string(), "INR 0");
        assert!("rupees".parse::<Currency>().is_err());
    }
}
