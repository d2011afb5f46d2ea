//! The `notes` table: notes and comments on one record each.

use super::sql::{OptionalExtension, Row, params};

use super::tasks::{link_at, link_values};
use super::{Tx, time_at};
use crate::{EntityKind, Note, NoteId, RecordRef, Result, UserId};

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<Note> {
    Ok(Note {
        id: NoteId(row.get("id")?),
        body: row.get("body")?,
        author: row.get("author_name")?,
        parent_id: row.get::<_, Option<i64>>("parent_id")?.map(NoteId),
        record: link_at(row)?.unwrap_or(RecordRef::new(EntityKind::Note, 0)),
        created_at: time_at(row, "created_at")?,
    })
}

const SELECT: &str =
    "SELECT n.*, u.username AS author_name FROM notes n LEFT JOIN users u ON u.id = n.author_id";

impl Tx<'_> {
    pub(crate) fn insert_note(
        &self,
        body: &str,
        author: UserId,
        parent: Option<NoteId>,
        record: RecordRef,
        now: &str,
    ) -> Result<NoteId> {
        let [lead, contact, deal, ticket] = link_values(Some(record));
        let new_id = self.insert(
            "INSERT INTO notes (body, author_id, parent_id, lead_id, contact_id, deal_id, ticket_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![body, author.0, parent.map(|p| p.0), lead, contact, deal, ticket, now],
        )?;
        Ok(NoteId(new_id))
    }

    pub(crate) fn note(&self, id: NoteId) -> Result<Option<Note>> {
        let sql = format!("{SELECT} WHERE n.id = ?1");
        Ok(self.query_row(&sql, [id.0], from_row).optional()?)
    }

    /// The notes of a record in thread order: each note, then its comments.
    pub(crate) fn notes_of(&self, record: RecordRef) -> Result<Vec<Note>> {
        let column = match record.kind {
            EntityKind::Lead => "lead_id",
            EntityKind::Contact => "contact_id",
            EntityKind::Deal => "deal_id",
            _ => "ticket_id",
        };
        let sql = format!(
            "{SELECT} WHERE n.{column} = ?1 ORDER BY ifnull(n.parent_id, n.id), n.parent_id IS NOT NULL, n.id"
        );
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map([record.id], from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// True when the record exists.
    pub(crate) fn record_exists(&self, record: RecordRef) -> Result<bool> {
        // Notes are kept on these kinds only.
        if !matches!(
            record.kind,
            EntityKind::Lead | EntityKind::Contact | EntityKind::Deal | EntityKind::Ticket
        ) {
            return Ok(false);
        }
        let table = super::tables::table_of(record.kind);
        Ok(self.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
            [record.id],
            |r| r.get(0),
        )?)
    }
}
