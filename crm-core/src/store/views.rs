//! The `saved_views` table.

use super::sql::{OptionalExtension, params};

use super::{Tx, time_at};
use crate::{Result, SavedView, UserId, ViewKind};

fn from_row(r: &super::sql::Row<'_>) -> super::sql::SqlResult<SavedView> {
    let query: String = r.get("query")?;
    Ok(SavedView {
        kind: super::enum_at(r, "kind")?,
        name: r.get("name")?,
        filters: serde_json::from_str(&query).unwrap_or_default(),
        created_at: time_at(r, "created_at")?,
        updated_at: time_at(r, "updated_at")?,
    })
}

impl Tx<'_> {
    /// Saves or replaces the user's view of that kind and name.
    pub(crate) fn put_view(
        &self,
        user: UserId,
        kind: ViewKind,
        name: &str,
        query: &str,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO saved_views (user_id, kind, name, query, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (user_id, kind, name) DO UPDATE SET query = ?4, updated_at = ?5",
            params![user.0, kind.as_str(), name, query, now],
        )?;
        Ok(())
    }

    pub(crate) fn view_query(
        &self,
        user: UserId,
        kind: ViewKind,
        name: &str,
    ) -> Result<Option<String>> {
        Ok(self
            .query_row(
                "SELECT query FROM saved_views WHERE user_id = ?1 AND kind = ?2 AND name = ?3",
                params![user.0, kind.as_str(), name],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub(crate) fn views_of(&self, user: UserId) -> Result<Vec<SavedView>> {
        let mut stmt = self.prepare(
            "SELECT * FROM saved_views WHERE user_id = ?1 ORDER BY kind, name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([user.0], from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn delete_view(&self, user: UserId, kind: ViewKind, name: &str) -> Result<bool> {
        Ok(self.execute(
            "DELETE FROM saved_views WHERE user_id = ?1 AND kind = ?2 AND name = ?3",
            params![user.0, kind.as_str(), name],
        )? > 0)
    }
}
