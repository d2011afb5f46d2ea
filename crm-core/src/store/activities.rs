//! The `activities` table: the feed and audit trail. Rows are only ever inserted.

use rusqlite::params;

use super::{Tx, enum_at, time_at};
use crate::{Activity, EntityKind, RecordRef, Result, UserId};

impl Tx<'_> {
    pub(crate) fn insert_activity(
        &self,
        actor: Option<UserId>,
        verb: &str,
        entity: EntityKind,
        entity_id: i64,
        summary: &str,
        now: &str,
    ) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO activities (actor_id, verb, entity_type, entity_id, summary, at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6)",
        )?
        .execute(params![actor.map(|a| a.0), verb, entity.as_str(), entity_id, summary, now])?;
        Ok(())
    }

    /// Newest first, filtered by actor, record and time.
    pub(crate) fn activities(
        &self,
        actor: Option<UserId>,
        record: Option<RecordRef>,
        since: Option<&str>,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Activity>> {
        let mut stmt = self.prepare(
            "SELECT a.id, u.username, a.verb, a.entity_type, a.entity_id, a.summary, a.at
             FROM activities a LEFT JOIN users u ON u.id = a.actor_id
             WHERE (?1 IS NULL OR a.actor_id = ?1)
               AND (?2 IS NULL OR (a.entity_type = ?2 AND a.entity_id = ?3))
               AND (?4 IS NULL OR a.at >= ?4)
               AND (?6 IS NULL OR (a.at, a.id) < (SELECT at, id FROM activities WHERE id = ?6))
             ORDER BY a.at DESC, a.id DESC LIMIT ?5",
        )?;
        let args = params![
            actor.map(|a| a.0),
            record.map(|r| r.kind.as_str()),
            record.map(|r| r.id),
            since,
            limit,
            before
        ];
        let rows = stmt.query_map(args, |row| {
            Ok(Activity {
                id: row.get("id")?,
                actor: row.get("username")?,
                verb: row.get("verb")?,
                entity: enum_at(row, "entity_type")?,
                entity_id: row.get("entity_id")?,
                summary: row.get("summary")?,
                at: time_at(row, "at")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
