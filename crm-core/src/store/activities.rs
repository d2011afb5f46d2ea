//! The `activities` table: the feed and audit trail. Rows are only ever inserted.

use super::sql::Value;
use super::sql::{params, params_from_iter};

use super::filter::Filter;
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
        // Only the conditions that apply, so SQLite can pick the index that answers them
        // (`(?1 IS NULL OR a.actor_id = ?1)` hid the actor index: a user with no rows of their
        // own made it read the whole feed).
        let mut filter = Filter::default();
        if let Some(user) = actor {
            filter.and("a.actor_id = ?", [Value::Integer(user.0)]);
        }
        if let Some(r) = record {
            // With the feed of every record merged into this one, while the merge stands.
            filter.and(
                "a.entity_type = ? AND a.entity_id IN (SELECT ? UNION ALL \
                 SELECT old_id FROM merged_records WHERE entity_type = ? AND keep_id = ?)",
                [
                    Value::Text(r.kind.as_str().into()),
                    Value::Integer(r.id),
                    Value::Text(r.kind.as_str().into()),
                    Value::Integer(r.id),
                ],
            );
        }
        if let Some(since) = since {
            filter.and("a.at >= ?", [Value::Text(since.into())]);
        }
        if let Some(before) = before {
            filter.and(
                "(a.at, a.id) < (SELECT at, id FROM activities WHERE id = ?)",
                [Value::Integer(before)],
            );
        }
        let mut args = filter.args.clone();
        args.push(Value::Integer(limit.into()));
        let mut stmt = self.prepare(&format!(
            "SELECT a.id, u.username, a.verb, a.entity_type, a.entity_id, a.summary, a.at
             FROM activities a LEFT JOIN users u ON u.id = a.actor_id {}
             ORDER BY a.at DESC, a.id DESC LIMIT ?",
            filter.where_sql()
        ))?;
        let args = params_from_iter(&args);
        let rows = stmt.query_map(args, activity_from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }
}

/// One feed row, selected with the actor's username as `username`.
pub(super) fn activity_from_row(row: &super::sql::Row<'_>) -> super::sql::SqlResult<Activity> {
    Ok(Activity {
        id: row.get("id")?,
        actor: row.get("username")?,
        verb: row.get("verb")?,
        entity: enum_at(row, "entity_type")?,
        entity_id: row.get("entity_id")?,
        summary: row.get("summary")?,
        at: time_at(row, "at")?,
    })
}
