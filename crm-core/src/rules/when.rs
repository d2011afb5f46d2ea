//! What a person means by a time they type, one rule for the CLI and the TUI: an exact time,
//! a date (09:00 UTC, the start of a working day), `now`, `today` or `tomorrow`. Parsing needs no
//! clock; [`When::at`] takes "now" from the service's clock, so a pinned test clock and the real
//! one agree everywhere.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// A date alone means this time of its day, in UTC: when follow-ups fall due.
pub(crate) const START_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// 09:00 UTC on `date`.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(START_OF_DAY).and_utc()
}

/// A time as typed, before "now" is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    At(DateTime<Utc>),
    /// A date: [`START_OF_DAY`] of it.
    Day(NaiveDate),
    Now,
    /// `today` (0) or `tomorrow` (1): [`START_OF_DAY`] of the day that many days from now.
    DaysFromToday(i64),
}

impl When {
    /// The instant meant, with `now` from the service's clock (`Crm::now`).
    pub fn at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            When::At(at) => at,
            When::Day(date) => start_of_day(date),
            When::Now => now,
            When::DaysFromToday(days) => start_of_day(now.date_naive() + Duration::days(days)),
        }
    }
}

/// Why a text is not a time, with the forms it may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotATime(String);

impl fmt::Display for NotATime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a time like 2026-04-30T10:00:00Z, 2026-04-30 14:30, a date like \
             2026-04-30 (09:00 UTC), today, tomorrow or now",
            self.0
        )
    }
}

impl std::error::Error for NotATime {}

impl FromStr for When {
    type Err = NotATime;

    fn from_str(text: &str) -> Result<When, NotATime> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "now" => return Ok(When::Now),
            "today" => return Ok(When::DaysFromToday(0)),
            "tomorrow" => return Ok(When::DaysFromToday(1)),
            _ => {}
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(t) {
            return Ok(When::At(at.with_timezone(&Utc)));
        }
        if let Ok(at) = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M") {
            return Ok(When::At(at.and_utc()));
        }
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(When::Day)
            .map_err(|_| NotATime(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_means_one_instant_with_now_from_the_clock() {
        let now: DateTime<Utc> = "2026-03-01T15:30:00Z".parse().unwrap();
        let at = |text: &str| text.parse::<When>().unwrap().at(now).to_rfc3339();
        assert_eq!(at("2026-04-30T10:00:00Z"), "2026-04-30T10:00:00+00:00");
        assert_eq!(at("2026-04-30T12:00:00+02:00"), "2026-04-30T10:00:00+00:00");
        assert_eq!(at("2026-04-30 14:30"), "2026-04-30T14:30:00+00:00");
        assert_eq!(at(" 2026-04-30 "), "2026-04-30T09:00:00+00:00");
        assert_eq!(at("now"), "2026-03-01T15:30:00+00:00");
        assert_eq!(at("Today"), "2026-03-01T09:00:00+00:00");
        assert_eq!(at("tomorrow"), "2026-03-02T09:00:00+00:00");
    }

    #[test]
    fn anything_else_is_refused_with_the_forms_it_may_take() {
        for text in [
            "",
            "yesterday",
            "2026-13-01",
            "30/04/2026",
            "2026-04-30 25:00",
        ] {
            let err = text.parse::<When>().unwrap_err().to_string();
            assert!(err.contains("is not a time like"), "{err}");
        }
    }
}
