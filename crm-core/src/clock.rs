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

/// The stored text form of an instant: RFC 3339, UTC, whole seconds, so text order is time order.
pub(crate) fn to_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
