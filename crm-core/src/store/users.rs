//! The `users` table.

use super::sql::{OptionalExtension, Row, params};

use super::{Tx, enum_at, opt_time_at, time_at};
use crate::{Result, Role, User, UserId};

/// A user with the secrets that only the auth service may look at.
pub(crate) struct StoredUser {
    pub(crate) user: User,
    pub(crate) password_hash: String,
    pub(crate) onboarded: bool,
}

/// Validated values of a user row.
pub(crate) struct UserRow<'a> {
    pub(crate) username: &'a str,
    pub(crate) display_name: &'a str,
    pub(crate) email: Option<&'a str>,
    pub(crate) role: Role,
    pub(crate) active: bool,
}

const COLUMNS: &str = "id, username, display_name, email, role, active, failed_logins, \
                       locked_until, created_at, updated_at, password_hash, onboarded, version";

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<StoredUser> {
    Ok(StoredUser {
        user: User {
            id: UserId(row.get("id")?),
            version: crate::Version(row.get("version")?),
            username: row.get("username")?,
            display_name: row.get("display_name")?,
            email: row.get("email")?,
            role: enum_at(row, "role")?,
            active: row.get("active")?,
            failed_logins: row.get("failed_logins")?,
            locked_until: opt_time_at(row, "locked_until")?,
            created_at: time_at(row, "created_at")?,
            updated_at: time_at(row, "updated_at")?,
        },
        password_hash: row.get("password_hash")?,
        onboarded: row.get("onboarded")?,
    })
}

impl Tx<'_> {
    pub(crate) fn insert_user(
        &self,
        row: &UserRow<'_>,
        password_hash: &str,
        now: &str,
    ) -> Result<UserId> {
        let new_id = self.insert(
            "INSERT INTO users (username, display_name, email, role, active, password_hash,
                                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                row.username,
                row.display_name,
                row.email,
                row.role.as_str(),
                row.active,
                password_hash,
                now
            ],
        )?;
        Ok(UserId(new_id))
    }

    pub(crate) fn update_user(&self, id: UserId, row: &UserRow<'_>, now: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET display_name = ?2, email = ?3, role = ?4, active = ?5, updated_at = ?6
             WHERE id = ?1",
            params![id.0, row.display_name, row.email, row.role.as_str(), row.active, now],
        )?;
        Ok(())
    }

    pub(crate) fn user_by_username(&self, username: &str) -> Result<Option<StoredUser>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE username = ?1");
        Ok(self.query_row(&sql, [username], from_row).optional()?)
    }

    pub(crate) fn user_by_id(&self, id: UserId) -> Result<Option<StoredUser>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = ?1");
        Ok(self.query_row(&sql, [id.0], from_row).optional()?)
    }

    /// Resolves a username to an id (any case).
    /// Just the username, for activity summaries.
    pub(crate) fn username(&self, id: UserId) -> Result<String> {
        Ok(self
            .prepare_cached("SELECT username FROM users WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))?)
    }

    /// The username of the one user whose display name is `name` in any case; None when no
    /// user or several have it.
    pub(crate) fn username_of_display_name(&self, name: &str) -> Result<Option<String>> {
        let mut stmt = self
            .prepare("SELECT username FROM users WHERE display_name = ?1 COLLATE NOCASE LIMIT 2")?;
        let found = stmt
            .query_map([name.trim()], |r| r.get::<_, String>(0))?
            .collect::<super::sql::SqlResult<Vec<_>>>()?;
        Ok(match found.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        })
    }

    pub(crate) fn user_id(&self, username: &str) -> Result<Option<UserId>> {
        Ok(self
            .query_row(
                "SELECT id FROM users WHERE username = ?1",
                [username],
                |r| r.get(0),
            )
            .optional()?
            .map(UserId))
    }

    pub(crate) fn list_users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users ORDER BY username");
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows
            .map(|r| r.map(|s| s.user))
            .collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn count_users(&self) -> Result<i64> {
        Ok(self.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
    }

    pub(crate) fn count_active_admins(&self) -> Result<i64> {
        Ok(self.query_row(
            "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1",
            [],
            |r| r.get(0),
        )?)
    }

    pub(crate) fn set_password_hash(&self, id: UserId, hash: &str, now: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = NULL,
                              updated_at = ?3 WHERE id = ?1",
            params![id.0, hash, now],
        )?;
        Ok(())
    }

    /// Counts one failed login; returns the new count.
    pub(crate) fn add_failed_login(&self, id: UserId, now: &str) -> Result<u32> {
        Ok(self.query_row(
            "UPDATE users SET failed_logins = failed_logins + 1, updated_at = ?2 WHERE id = ?1
             RETURNING failed_logins",
            params![id.0, now],
            |r| r.get(0),
        )?)
    }

    /// Counts a refused login of a username nobody has.
    pub(crate) fn add_unknown_login(&self, now: &str) -> Result<()> {
        self.execute(
            "UPDATE login_failures SET unknown_users = unknown_users + 1, last_at = ?1 WHERE id = 1",
            [now],
        )?;
        Ok(())
    }

    pub(crate) fn lock_user(&self, id: UserId, until: &str, now: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET locked_until = ?2, failed_logins = 0, updated_at = ?3 WHERE id = ?1",
            params![id.0, until, now],
        )?;
        Ok(())
    }

    pub(crate) fn clear_failed_logins(&self, id: UserId) -> Result<()> {
        self.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL
             WHERE id = ?1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
            [id.0],
        )?;
        Ok(())
    }

    pub(crate) fn set_onboarded(&self, id: UserId, now: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET onboarded = 1, updated_at = ?2 WHERE id = ?1",
            params![id.0, now],
        )?;
        Ok(())
    }
}
