//! Users of the CRM and the inputs that create or change them.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Role, UserId};

/// A user as shown to admins. The password hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub active: bool,
    pub failed_logins: u32,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows with each change an admin makes (not with failed logins).
    pub version: crate::Version,
}

/// Input for a new user; the password is passed separately so it is never stored in a struct
/// that might be logged or serialised.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
}

/// Changes to a user; `None` leaves a field as it is, `Some("")` clears an optional text field.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    #[serde(deserialize_with = "super::patch::clearable")]
    pub email: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// The version the change was made against; see [`crate::Error::Stale`].
    #[serde(skip)]
    pub if_version: Option<crate::Version>,
}

/// The secret a front end keeps after login. Only its hash is stored in the database.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(pub String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret, even in a debug log.
        f.write_str("SessionToken(***)")
    }
}
