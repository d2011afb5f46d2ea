//! The `sessions` table: hashed tokens with an expiry.

use super::sql::{OptionalExtension, params};

use super::Tx;
use crate::{Result, UserId};

impl Tx<'_> {
    pub(crate) fn insert_session(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at: &str,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO sessions (user_id, token_hash, expires_at, last_used_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?4)",
            params![user.0, token_hash, expires_at, now],
        )?;
        Ok(())
    }

    /// The user of a session that has not expired.
    pub(crate) fn session_user(&self, token_hash: &str, now: &str) -> Result<Option<UserId>> {
        Ok(self
            .query_row(
                "SELECT user_id FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
                params![token_hash, now],
                |r| r.get(0),
            )
            .optional()?
            .map(UserId))
    }

    pub(crate) fn delete_session(&self, token_hash: &str) -> Result<bool> {
        Ok(self.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])? > 0)
    }

    /// Ends every session of a user (password or role change, deactivation).
    pub(crate) fn delete_sessions_of(&self, user: UserId) -> Result<usize> {
        Ok(self.execute("DELETE FROM sessions WHERE user_id = ?1", [user.0])?)
    }

    /// Ends every session of everyone (a restore brings back the sessions of the backup's time,
    /// including ones that were logged out since).
    pub(crate) fn delete_all_sessions(&self) -> Result<usize> {
        Ok(self.execute("DELETE FROM sessions", [])?)
    }

    /// Drops sessions that expired, so the table does not grow without bound.
    pub(crate) fn delete_expired_sessions(&self, now: &str) -> Result<usize> {
        Ok(self.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?)
    }
}
