//! Keys that let an integration call the server as one user.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ApiKeyId;

/// An API key as a list shows it: never the key itself, which is shown once when made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    /// The user the key acts as.
    pub user: String,
    /// The key's first characters, to tell keys apart.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What makes a key.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// The user it acts as (username).
    pub user: String,
    /// What it is for ("website", "billing sync").
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A key just made: the secret, shown once, and the key as lists show it.
#[derive(Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ApiKeyMade {
    pub key: ApiKey,
    pub secret: String,
}

impl std::fmt::Debug for ApiKeyMade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret, even in a debug log.
        f.debug_struct("ApiKeyMade")
            .field("key", &self.key)
            .field("secret", &"***")
            .finish()
    }
}
