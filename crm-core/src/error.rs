//! The one error type of crm-core. Every message is a single line a user can act on.

use std::fmt;

/// Result alias used throughout crm-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a service call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input field failed validation; nothing was written.
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
    /// A record looked up by id or name does not exist.
    #[error("{entity} {key} not found")]
    NotFound { entity: &'static str, key: String },
    /// The change would break a uniqueness or integrity rule.
    #[error("{0}")]
    Conflict(String),
    /// A new record has the email or phone of one already in the CRM; nothing was written.
    #[error("{field} '{value}' matches {entity} {id} '{name}' already in the CRM")]
    Duplicate {
        entity: &'static str,
        id: i64,
        name: String,
        field: &'static str,
        value: String,
    },
    /// The writer read an older version of the record than the one stored: someone saved in
    /// between. Nothing was written; the caller reloads and makes the change again.
    #[error(
        "{entity} {id} was changed by {by} at {at} since you opened it (it is at version {current} now); reload it and make your change again"
    )]
    Stale {
        entity: &'static str,
        id: i64,
        current: crate::Version,
        by: String,
        at: String,
    },
    /// The acting user lacks the right; the message names it.
    #[error("permission denied: {0}")]
    Forbidden(String),
    /// The record is outside what the acting user may see (another rep's lead, say). The CLI
    /// says so in the same words as [`Error::Forbidden`]; a front end that must not tell which
    /// records exist (the server) answers it as not found.
    #[error("permission denied: {0}")]
    OutOfScope(String),
    /// Unknown user, wrong password or locked account: deliberately the same message for all
    /// three, so a login attempt tells nobody which usernames exist or are locked.
    #[error(
        "invalid username or password (5 failed logins in a row lock an account for 15 minutes)"
    )]
    BadCredentials,
    /// The account exists but has been disabled by an admin.
    #[error("account '{0}' is disabled")]
    Disabled(String),
    /// No session, or one that expired or was revoked.
    #[error("not logged in (no session, or it expired or was revoked)")]
    NotLoggedIn,
    /// The database file or schema is not usable.
    // Not a `#[source]`: the message is in the text already, and a printed chain repeated it.
    #[error("database error: {0}")]
    Database(DbError),
    /// Filesystem trouble around the database file.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Error {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn not_found(entity: &'static str, key: impl fmt::Display) -> Self {
        Error::NotFound {
            entity,
            key: key.to_string(),
        }
    }

    /// True when another writer held the database: the same call may work a moment later.
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Database(db) if db.is_busy())
    }
}

/// An opaque storage error: the SQLite details stay inside crm-core so that another backend can
/// replace it without changing the public API.
#[derive(Debug)]
pub struct DbError(Box<dyn std::error::Error + Send + Sync>, bool);

impl DbError {
    pub(crate) fn new(err: impl std::error::Error + Send + Sync + 'static, busy: bool) -> Self {
        DbError(Box::new(err), busy)
    }

    fn is_busy(&self) -> bool {
        self.1
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SQLite messages can span lines (e.g. migration SQL); keep ours to one.
        f.write_str(&crate::text::one_line(&self.0.to_string()))
    }
}

/// No `source`: the message above already is SQLite's, and a chain printed it three times
/// ("disk I/O error: disk I/O error: Error code 4874: disk I/O error").
impl std::error::Error for DbError {}
