//! The `import_batches` and `import_changes` tables: what each import did, for its undo.

use super::sql::Value;
use super::sql::{OptionalExtension, params};

use super::filter::Filter;
use super::tables::import_table;
use super::{Tx, opt_time_at, time_at};
use crate::auth::Scope;
use crate::import::{ImportBatch, ImportKind, ImportReport};
use crate::{BatchId, Result, UserId};

/// A batch as stored, with what its undo needs beyond what `history` shows.
pub(crate) struct BatchRow {
    pub(crate) batch: ImportBatch,
    pub(crate) imported_by: Option<UserId>,
}

const SELECT: &str = "SELECT b.*, u.username AS by_name, x.username AS undone_name
    FROM import_batches b
    LEFT JOIN users u ON u.id = b.imported_by
    LEFT JOIN users x ON x.id = b.undone_by";

fn count(row: &super::sql::Row<'_>, column: &str) -> super::sql::SqlResult<u64> {
    Ok(u64::try_from(row.get::<_, i64>(column)?).unwrap_or_default())
}

fn from_row(row: &super::sql::Row<'_>) -> super::sql::SqlResult<BatchRow> {
    Ok(BatchRow {
        batch: ImportBatch {
            id: BatchId(row.get("id")?),
            kind: super::enum_at::<ImportKind>(row, "kind")?,
            file_name: row.get("file_name")?,
            imported_by: row.get("by_name")?,
            imported_at: time_at(row, "imported_at")?,
            rows: count(row, "rows_read")?,
            inserted: count(row, "inserted")?,
            updated: count(row, "updated")?,
            skipped: count(row, "skipped")?,
            invalid: count(row, "invalid")?,
            undone_by: row.get("undone_name")?,
            undone_at: opt_time_at(row, "undone_at")?,
        },
        imported_by: row.get::<_, Option<i64>>("imported_by")?.map(UserId),
    })
}

impl Tx<'_> {
    /// Opens a batch before the rows are read, so updates can be recorded against it, and
    /// makes this transaction stamp every record it inserts from now on with it; the counts
    /// follow in `finish_batch`.
    pub(crate) fn start_batch(
        &self,
        kind: ImportKind,
        file_name: &str,
        by: UserId,
        now: &str,
    ) -> Result<BatchId> {
        let id = self.query_row(
            "INSERT INTO import_batches (kind, file_name, imported_by, imported_at, created_at,
                updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?4) RETURNING id",
            params![kind.as_str(), file_name, by.0, now],
            |r| r.get(0).map(BatchId),
        )?;
        self.batch.set(Some(id));
        Ok(id)
    }

    pub(crate) fn finish_batch(&self, id: BatchId, report: &ImportReport) -> Result<()> {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.execute(
            "UPDATE import_batches SET rows_read = ?2, inserted = ?3, updated = ?4, skipped = ?5,
                invalid = ?6
             WHERE id = ?1",
            params![
                id.0,
                n(report.rows),
                n(report.inserted),
                n(report.updated),
                n(report.skipped),
                n(report.invalid)
            ],
        )?;
        Ok(())
    }

    pub(crate) fn insert_import_change(
        &self,
        batch: BatchId,
        entity_id: i64,
        changes: &str,
    ) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO import_changes (batch_id, entity_id, changes) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![batch.0, entity_id, changes])?;
        Ok(())
    }

    pub(crate) fn import_changes(&self, batch: BatchId) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.prepare(
            "SELECT entity_id, changes FROM import_changes WHERE batch_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([batch.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// One kept change: its batch, record and `{column: [before, after]}` text.
    pub(crate) fn import_change(&self, id: i64) -> Result<Option<(BatchId, i64, String)>> {
        Ok(self
            .query_row(
                "SELECT batch_id, entity_id, changes FROM import_changes WHERE id = ?1",
                [id],
                |r| Ok((BatchId(r.get(0)?), r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    pub(crate) fn batch(&self, id: BatchId) -> Result<Option<BatchRow>> {
        Ok(self
            .query_row(&format!("{SELECT} WHERE b.id = ?1"), [id.0], from_row)
            .optional()?)
    }

    /// Newest first; only `by`'s when given.
    pub(crate) fn batches(&self, by: Option<UserId>, limit: u32) -> Result<Vec<BatchRow>> {
        let mut stmt = self.prepare(&format!(
            "{SELECT} WHERE CAST(?1 AS BIGINT) IS NULL OR b.imported_by = ?1 ORDER BY b.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![by.map(|u| u.0), limit], from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Up to `limit` reasons why records the batch created cannot be removed: they have since
    /// been converted, or gained records of their own.
    pub(crate) fn batch_blockers(&self, b: &BatchRow, limit: u32) -> Result<Vec<String>> {
        let (what, test) = match b.batch.kind {
            ImportKind::Leads => (
                "lead",
                "CASE WHEN x.stage = 'Converted' THEN 'has since been converted'
                      WHEN EXISTS (SELECT 1 FROM deals WHERE lead_id = x.id) THEN 'has a deal'
                      WHEN EXISTS (SELECT 1 FROM notes WHERE lead_id = x.id) THEN 'has notes'
                      WHEN EXISTS (SELECT 1 FROM tasks WHERE lead_id = x.id) THEN 'has tasks' END",
            ),
            ImportKind::Contacts => (
                "contact",
                "CASE WHEN EXISTS (SELECT 1 FROM deals WHERE contact_id = x.id) THEN 'has a deal'
                      WHEN EXISTS (SELECT 1 FROM tickets WHERE contact_id = x.id) THEN 'has tickets'
                      WHEN EXISTS (SELECT 1 FROM notes WHERE contact_id = x.id) THEN 'has notes'
                      WHEN EXISTS (SELECT 1 FROM tasks WHERE contact_id = x.id) THEN 'has tasks'
                      WHEN EXISTS (SELECT 1 FROM leads WHERE converted_contact_id = x.id)
                          THEN 'is a converted lead''s contact'
                      WHEN EXISTS (SELECT 1 FROM merges WHERE entity_type = 'contact'
                                   AND keep_id = x.id AND undone_at IS NULL)
                          THEN 'has taken in a merge' END",
            ),
            ImportKind::Deals => (
                "deal",
                "CASE WHEN EXISTS (SELECT 1 FROM notes WHERE deal_id = x.id) THEN 'has notes'
                      WHEN EXISTS (SELECT 1 FROM tasks WHERE deal_id = x.id) THEN 'has tasks' END",
            ),
            ImportKind::Campaigns => (
                "campaign",
                "CASE WHEN EXISTS (SELECT 1 FROM leads WHERE campaign_id = x.id) THEN 'has leads'
                      WHEN EXISTS (SELECT 1 FROM deals WHERE campaign_id = x.id) THEN 'has deals'
                      WHEN EXISTS (SELECT 1 FROM campaign_spend WHERE campaign_id = x.id)
                          THEN 'has spend entries' END",
            ),
        };
        let sql = format!(
            "SELECT id, why FROM (SELECT x.id, {test} AS why FROM {table} x
                                  WHERE x.import_batch = ?1) AS found
             WHERE why IS NOT NULL ORDER BY id LIMIT ?2",
            table = import_table(b.batch.kind)
        );
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map(params![b.batch.id.0, limit], |r| {
            Ok(format!(
                "{what} {} {}",
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?
            ))
        })?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Up to `limit` ids of records the batch created or updated that are outside `scope` now
    /// (moved to another owner since).
    pub(crate) fn batch_records_outside(
        &self,
        b: &BatchRow,
        scope: Scope,
        limit: u32,
    ) -> Result<Vec<i64>> {
        let mut inside = Filter::default();
        inside.scope(scope, "y", "owner_id");
        let sql = format!(
            "SELECT x.id FROM {table} x
             WHERE (x.import_batch = ?
                    OR x.id IN (SELECT entity_id FROM import_changes WHERE batch_id = ?))
               AND NOT EXISTS (SELECT 1 FROM {table} y WHERE y.id = x.id AND {test})
             ORDER BY x.id LIMIT ?",
            table = import_table(b.batch.kind),
            test = inside.conditions()
        );
        let mut args = vec![Value::Integer(b.batch.id.0), Value::Integer(b.batch.id.0)];
        args.extend(inside.args.iter().cloned());
        args.push(Value::Integer(i64::from(limit)));
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map(super::sql::params_from_iter(&args), |r| r.get(0))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Removes what the batch created and still exists; returns how many.
    pub(crate) fn delete_batch_records(&self, b: &BatchRow) -> Result<usize> {
        // The search index's secure-delete rewrites index pages on every delete (so an erased
        // person's words leave the file) and costs ~0.7 ms a row: 14 s for a 20k-row batch.
        // Records an undo removes were imported by mistake, not erased on request; their index
        // entries go as ordinary deletes, in the same transaction, and the option comes back.
        let fts = !self.conn().is_postgres();
        if fts {
            for index in ["search_index", "search_titles"] {
                self.execute(
                    &format!("INSERT INTO {index} ({index}, rank) VALUES ('secure-delete', 0)"),
                    [],
                )?;
            }
        }
        let removed = self.execute(
            &format!(
                "DELETE FROM {} WHERE import_batch = ?1",
                import_table(b.batch.kind)
            ),
            [b.batch.id.0],
        )?;
        if b.batch.kind == ImportKind::Leads {
            // The tallies' triggers count down to zero and leave the row; a whole batch gone
            // can leave many, which every dashboard read would skip over.
            self.execute("DELETE FROM lead_tallies WHERE n = 0", [])?;
        }
        if b.batch.kind == ImportKind::Deals {
            self.execute("DELETE FROM deal_tallies WHERE n = 0", [])?;
        }
        if fts {
            for index in ["search_index", "search_titles"] {
                self.execute(
                    &format!("INSERT INTO {index} ({index}, rank) VALUES ('secure-delete', 1)"),
                    [],
                )?;
            }
        }
        Ok(removed)
    }

    pub(crate) fn mark_batch_undone(&self, id: BatchId, by: UserId, now: &str) -> Result<()> {
        self.execute(
            "UPDATE import_batches SET undone_by = ?2, undone_at = ?3, updated_at = ?3 WHERE id = ?1",
            params![id.0, by.0, now],
        )?;
        Ok(())
    }
}
