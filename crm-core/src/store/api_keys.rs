//! The `api_keys` table: hashed keys, whom they act as, and when they were last used.

use super::sql::{OptionalExtension, Row, params};

use super::{Tx, opt_time_at, time_at};
use crate::{ApiKey, ApiKeyId, Result, UserId};

const SELECT: &str = "SELECT k.id, k.name, u.username, k.hint, k.created_at, k.expires_at,
        k.last_used_at, k.revoked_at
    FROM api_keys k JOIN users u ON u.id = k.user_id";

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<ApiKey> {
    Ok(ApiKey {
        id: ApiKeyId(row.get(0)?),
        name: row.get(1)?,
        user: row.get(2)?,
        hint: row.get(3)?,
        created_at: time_at(row, 4)?,
        expires_at: opt_time_at(row, 5)?,
        last_used_at: opt_time_at(row, 6)?,
        revoked_at: opt_time_at(row, 7)?,
    })
}

/// A key's row as `authenticate` needs it.
pub(crate) struct KeyUse {
    pub(crate) id: ApiKeyId,
    pub(crate) user: UserId,
    pub(crate) last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Tx<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn insert_api_key(
        &self,
        user: UserId,
        name: &str,
        key_hash: &str,
        hint: &str,
        expires_at: Option<&str>,
        by: UserId,
        now: &str,
    ) -> Result<ApiKeyId> {
        Ok(self.query_row(
            "INSERT INTO api_keys (user_id, name, key_hash, hint, expires_at, created_by,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
            params![user.0, name, key_hash, hint, expires_at, by.0, now],
            |r| r.get(0).map(ApiKeyId),
        )?)
    }

    pub(crate) fn api_key(&self, id: ApiKeyId) -> Result<Option<ApiKey>> {
        Ok(self
            .query_row(&format!("{SELECT} WHERE k.id = ?1"), [id.0], from_row)
            .optional()?)
    }

    /// Every key, newest first.
    pub(crate) fn api_keys(&self) -> Result<Vec<ApiKey>> {
        let mut stmt = self.prepare(&format!("{SELECT} ORDER BY k.id DESC"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// The live key with this hash: not revoked, not expired.
    pub(crate) fn live_api_key(&self, key_hash: &str, now: &str) -> Result<Option<KeyUse>> {
        Ok(self
            .prepare_cached(
                "SELECT id, user_id, last_used_at FROM api_keys
                 WHERE key_hash = ?1 AND revoked_at IS NULL
                   AND (expires_at IS NULL OR expires_at > ?2)",
            )?
            .query_row(params![key_hash, now], |r| {
                Ok(KeyUse {
                    id: ApiKeyId(r.get(0)?),
                    user: UserId(r.get(1)?),
                    last_used_at: opt_time_at(r, 2)?,
                })
            })
            .optional()?)
    }

    pub(crate) fn touch_api_key(&self, id: ApiKeyId, now: &str) -> Result<()> {
        self.prepare_cached("UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1")?
            .execute(params![id.0, now])?;
        Ok(())
    }

    pub(crate) fn revoke_api_key(&self, id: ApiKeyId, now: &str) -> Result<bool> {
        Ok(self.execute(
            "UPDATE api_keys SET revoked_at = ?2, updated_at = ?2
             WHERE id = ?1 AND revoked_at IS NULL",
            params![id.0, now],
        )? > 0)
    }
}
