//! The `ssh_keys` table: OpenSSH public keys and the users they log in as.

use super::sql::{OptionalExtension, Row, params};

use super::{Tx, time_at};
use crate::{AuthorizedKey, Result, SshKey, SshKeyId, UserId};

const SELECT: &str = "SELECT k.id, u.username, u.active, k.algorithm, k.fingerprint, k.comment,
        k.created_at
    FROM ssh_keys k JOIN users u ON u.id = k.user_id";

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<SshKey> {
    Ok(SshKey {
        id: SshKeyId(row.get(0)?),
        user: row.get(1)?,
        active: row.get(2)?,
        algorithm: row.get(3)?,
        fingerprint: row.get(4)?,
        comment: row.get(5)?,
        created_at: time_at(row, 6)?,
    })
}

/// A new key's checked values.
pub(crate) struct KeyRow<'a> {
    pub(crate) user: UserId,
    pub(crate) algorithm: &'a str,
    pub(crate) key_data: &'a str,
    pub(crate) comment: &'a str,
    pub(crate) fingerprint: &'a str,
    pub(crate) by: UserId,
}

impl Tx<'_> {
    pub(crate) fn insert_ssh_key(&self, row: &KeyRow<'_>, now: &str) -> Result<SshKeyId> {
        Ok(self.query_row(
            "INSERT INTO ssh_keys (user_id, algorithm, key_data, comment, fingerprint, created_by,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
            params![
                row.user.0,
                row.algorithm,
                row.key_data,
                row.comment,
                row.fingerprint,
                row.by.0,
                now
            ],
            |r| r.get(0).map(SshKeyId),
        )?)
    }

    pub(crate) fn ssh_key(&self, fingerprint: &str) -> Result<Option<SshKey>> {
        Ok(self
            .query_row(
                &format!("{SELECT} WHERE k.fingerprint = ?1"),
                [fingerprint],
                from_row,
            )
            .optional()?)
    }

    /// Every key, by user and then age.
    pub(crate) fn ssh_keys(&self) -> Result<Vec<SshKey>> {
        let mut stmt = self.prepare(&format!("{SELECT} ORDER BY u.username, k.id"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn delete_ssh_key(&self, id: SshKeyId) -> Result<()> {
        self.execute("DELETE FROM ssh_keys WHERE id = ?1", [id.0])?;
        Ok(())
    }

    /// The keys of active users: the lines of `authorized_keys`.
    pub(crate) fn authorized_keys(&self) -> Result<Vec<AuthorizedKey>> {
        authorized_keys_in(self.conn())
    }
}

/// The keys of active users, from any connection (`crm doctor` reads without a transaction).
pub(crate) fn authorized_keys_in(conn: super::sql::Db<'_>) -> Result<Vec<AuthorizedKey>> {
    let mut stmt = conn.prepare(
        "SELECT u.username, k.algorithm, k.key_data, k.fingerprint, k.comment
         FROM ssh_keys k JOIN users u ON u.id = k.user_id
         WHERE u.active = 1 ORDER BY u.username, k.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AuthorizedKey {
            user: r.get(0)?,
            algorithm: r.get(1)?,
            key_data: r.get(2)?,
            fingerprint: r.get(3)?,
            comment: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<super::sql::SqlResult<_>>()?)
}
