//! Where "now" comes from: the system clock, or a fixed instant for reproducible tests.

use chrono::{DateTime, SecondsFormat, Utc};

/// The source of the current time for every service call.
#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    /// The machine's clock.
    #[default]
    System,
    /// Always the same instant (tests, snapshots).
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current instant, truncated to whole seconds as stored.
    pub fn now(&self) -> DateTime<Utc> {
        let now = match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => *at,
        };
        // Stored times have second precision; truncating here keeps in-memory and stored equal.
        DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
    }
}

/// The variable a test build reads to pin the clock (RFC 3339).
pub const CLOCK_VARIABLE: &str = "CRM_NOW";

impl Clock {
    /// The clock of a process. Only a test build (crm-core's `testing` feature, which only the
    /// workspace's test targets enable) reads [`CLOCK_VARIABLE`]: a clock anyone could set would
    /// date an audit row in 2019 or outwait a lock-out. A release ignores it; the caller may
    /// say so with [`Clock::ignored_variable`].
    pub fn from_env() -> std::result::Result<Clock, String> {
        #[cfg(feature = "testing")]
        if let Ok(text) = std::env::var(CLOCK_VARIABLE) {
            return text
                .parse()
                .map(Clock::Fixed)
                .map_err(|_| format!("{CLOCK_VARIABLE} '{text}' is not an RFC 3339 time"));
        }
        Ok(Clock::System)
    }

    /// True in a release build where [`CLOCK_VARIABLE`] is set: it has no effect there.
    pub fn ignored_variable() -> bool {
        !cfg!(feature = "testing") && std::env::var_os(CLOCK_VARIABLE).is_some()
    }
}

/// The stored text form of an instant: RFC 3339, UTC, whole seconds, so text order is time order.
pub(crate) fn to_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
