//! The `merges` and `merged_records` tables, and moving the links of a merged record.

use super::sql::{OptionalExtension, params};

use super::{Tx, time_at};
use crate::{EntityKind, MergeId, Result, UserId};

/// A row of `merges` as stored.
#[derive(Debug, Clone)]
pub(crate) struct MergeRow {
    pub(crate) id: MergeId,
    pub(crate) entity: EntityKind,
    pub(crate) keep_id: i64,
    pub(crate) merged_ids: Vec<i64>,
    pub(crate) snapshot: Option<String>,
    pub(crate) merged_by: Option<UserId>,
    pub(crate) merged_by_name: Option<String>,
    pub(crate) merged_at: chrono::DateTime<chrono::Utc>,
    /// As stored, to compare with other stored times.
    pub(crate) merged_at_text: String,
    pub(crate) undone_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A kind of record that points at a contact, which a merge moves to the kept one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContactLink {
    Deal,
    Ticket,
    Task,
    Note,
    /// A lead converted into the contact.
    ConvertedLead,
}

impl ContactLink {
    pub(crate) const ALL: [ContactLink; 5] = [
        ContactLink::Deal,
        ContactLink::Ticket,
        ContactLink::Task,
        ContactLink::Note,
        ContactLink::ConvertedLead,
    ];

    /// Its table and column: what a saved merge names it by.
    pub(crate) fn stored_names(self) -> (&'static str, &'static str) {
        match self {
            ContactLink::Deal => ("deals", "contact_id"),
            ContactLink::Ticket => ("tickets", "contact_id"),
            ContactLink::Task => ("tasks", "contact_id"),
            ContactLink::Note => ("notes", "contact_id"),
            ContactLink::ConvertedLead => ("leads", "converted_contact_id"),
        }
    }

    /// The link a saved merge names, if it is one.
    pub(crate) fn from_stored(table: &str, column: &str) -> Option<ContactLink> {
        Self::ALL
            .into_iter()
            .find(|link| link.stored_names() == (table, column))
    }
}

impl Tx<'_> {
    /// The ids of the records of this `link` kind that point at `contact`.
    pub(crate) fn rows_linked_to(&self, link: ContactLink, contact: i64) -> Result<Vec<i64>> {
        let (table, column) = link.stored_names();
        let mut stmt = self.prepare(&format!(
            "SELECT id FROM {table} WHERE {column} = ?1 ORDER BY id"
        ))?;
        let ids = stmt.query_map([contact], |r| r.get(0))?;
        Ok(ids.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Points every record of this `link` kind that points at `from` at `to` instead.
    pub(crate) fn relink_contact(&self, link: ContactLink, from: i64, to: i64) -> Result<usize> {
        let (table, column) = link.stored_names();
        Ok(self.execute(
            &format!("UPDATE {table} SET {column} = ?2 WHERE {column} = ?1"),
            [from, to],
        )?)
    }

    /// Points one record back at `to`, only while it still points at `from` (a later edit wins
    /// over an undo).
    pub(crate) fn relink_one(&self, link: ContactLink, row: i64, from: i64, to: i64) -> Result<()> {
        let (table, column) = link.stored_names();
        self.execute(
            &format!("UPDATE {table} SET {column} = ?3 WHERE id = ?1 AND {column} = ?2"),
            [row, from, to],
        )?;
        Ok(())
    }

    pub(crate) fn insert_merge(
        &self,
        entity: EntityKind,
        keep_id: i64,
        merged_ids: &[i64],
        snapshot: &str,
        by: UserId,
        now: &str,
    ) -> Result<MergeId> {
        let new_id = self.insert(
            "INSERT INTO merges (entity_type, keep_id, merged_ids, snapshot, merged_by, merged_at,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6)",
            params![
                entity.as_str(),
                keep_id,
                serde_json::to_string(merged_ids).unwrap_or_default(),
                snapshot,
                by.0,
                now
            ],
        )?;
        let id = MergeId(new_id);
        let mut stmt = self.prepare_cached(
            "INSERT INTO merged_records (entity_type, old_id, keep_id, merge_id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for old in merged_ids {
            stmt.execute(params![entity.as_str(), old, keep_id, id.0])?;
        }
        // Records merged earlier into one that is merged now follow it to the new keeper.
        for old in merged_ids {
            self.execute(
                "UPDATE merged_records SET keep_id = ?2 WHERE entity_type = ?1 AND keep_id = ?3",
                params![entity.as_str(), keep_id, old],
            )?;
        }
        Ok(id)
    }

    pub(crate) fn merge(&self, id: MergeId) -> Result<Option<MergeRow>> {
        Ok(self
            .query_row(
                &format!("{MERGE_SELECT} WHERE m.id = ?1"),
                [id.0],
                merge_from_row,
            )
            .optional()?)
    }

    /// Newest first.
    pub(crate) fn merges(&self, limit: u32) -> Result<Vec<MergeRow>> {
        let mut stmt = self.prepare(&format!("{MERGE_SELECT} ORDER BY m.id DESC LIMIT ?1"))?;
        let rows = stmt.query_map([limit], merge_from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn mark_merge_undone(&self, id: MergeId, by: UserId, now: &str) -> Result<()> {
        self.execute(
            "UPDATE merges SET undone_by = ?2, undone_at = ?3, updated_at = ?3 WHERE id = ?1",
            params![id.0, by.0, now],
        )?;
        self.execute("DELETE FROM merged_records WHERE merge_id = ?1", [id.0])?;
        Ok(())
    }
}

const MERGE_SELECT: &str = "SELECT m.id, m.entity_type, m.keep_id, m.merged_ids, m.snapshot,
        m.merged_by, u.username, m.merged_at, m.undone_at
    FROM merges m LEFT JOIN users u ON u.id = m.merged_by";

fn merge_from_row(r: &super::sql::Row<'_>) -> super::sql::SqlResult<MergeRow> {
    let ids: String = r.get(3)?;
    Ok(MergeRow {
        id: MergeId(r.get(0)?),
        entity: super::enum_at(r, "entity_type")?,
        keep_id: r.get(2)?,
        merged_ids: serde_json::from_str(&ids).unwrap_or_default(),
        snapshot: r.get(4)?,
        merged_by: r.get::<_, Option<i64>>(5)?.map(UserId),
        merged_by_name: r.get(6)?,
        merged_at: time_at(r, "merged_at")?,
        merged_at_text: r.get("merged_at")?,
        undone_at: super::opt_time_at(r, "undone_at")?,
    })
}
