//! OpenSSH keys of a team server: whose key opens `crm` as whom.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::SshKeyId;

/// A key as `crm keys list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SshKey {
    pub id: SshKeyId,
    /// The user the key logs in as.
    pub user: String,
    /// Whether that user may log in now; a disabled user's keys are left out of
    /// `authorized_keys`.
    pub active: bool,
    pub algorithm: String,
    /// `SHA256:...`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// What followed the key on its line (usually `user@host`).
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

/// One line of the service account's `authorized_keys`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizedKey {
    pub user: String,
    pub algorithm: String,
    pub key_data: String,
    pub fingerprint: String,
    pub comment: String,
}
