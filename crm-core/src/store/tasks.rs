//! The `tasks` table (the parts leads need so far: drips and their stop rule).

use super::sql::Value;
use super::sql::params;
use super::sql::{OptionalExtension, Row};

use super::filter::{Filter, Keyset, contains_pattern};
use super::{Tx, enum_at, opt_time_at, time_at};
use crate::clock::to_text;
use crate::{
    EntityKind, LeadId, Page, RecordRef, Result, Task, TaskId, TaskKind, TaskStatus, TaskSummary,
    UserId,
};

/// A new task linked to a lead.
pub(crate) struct LeadTask<'a> {
    pub(crate) title: &'a str,
    pub(crate) kind: TaskKind,
    pub(crate) due_at: &'a str,
    pub(crate) assignee: Option<UserId>,
    pub(crate) lead: LeadId,
    pub(crate) drip_step: Option<u32>,
}

impl Tx<'_> {
    pub(crate) fn insert_lead_task(
        &self,
        task: &LeadTask<'_>,
        created_by: UserId,
        now: &str,
    ) -> Result<TaskId> {
        let new_id = self.insert(
            "INSERT INTO tasks (title, kind, due_at, status, assignee_id, created_by, lead_id, drip_step,
                                created_at, updated_at)
             VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                task.title, task.kind.as_str(), task.due_at, task.assignee.map(|a| a.0), created_by.0,
                task.lead.0, task.drip_step, now
            ],
        )?;
        Ok(TaskId(new_id))
    }

    /// The stop rule: cancels a lead's open drip tasks; returns how many.
    pub(crate) fn cancel_open_drip_tasks(&self, lead: LeadId, now: &str) -> Result<i64> {
        let n = self.execute(
            "UPDATE tasks SET status = 'cancelled', updated_at = ?2
             WHERE lead_id = ?1 AND drip_step IS NOT NULL AND status = 'open'",
            params![lead.0, now],
        )?;
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// Open tasks of a lead, soonest first.
    pub(crate) fn open_lead_tasks(&self, lead: LeadId) -> Result<Vec<TaskSummary>> {
        let mut stmt = self.prepare(
            "SELECT t.id, t.kind, t.title, t.due_at, u.username FROM tasks t
             LEFT JOIN users u ON u.id = t.assignee_id
             WHERE t.lead_id = ?1 AND t.status = 'open' ORDER BY t.due_at, t.id",
        )?;
        let rows = stmt.query_map([lead.0], |r| {
            Ok(TaskSummary {
                id: TaskId(r.get(0)?),
                kind: enum_at(r, "kind")?,
                title: r.get(2)?,
                due_at: opt_time_at(r, "due_at")?,
                assignee: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }
}

/// Filters of a task listing with names resolved.
pub(crate) struct TaskFilter {
    /// Only tasks assigned to or created by this user (None: all).
    pub(crate) visible_to: Option<UserId>,
    pub(crate) assignee: Option<UserId>,
    pub(crate) status: Option<TaskStatus>,
    /// Open and due before this instant.
    pub(crate) due_before: Option<String>,
    /// Open and due within [from, to).
    pub(crate) due_between: Option<(String, String)>,
    pub(crate) link: Option<RecordRef>,
    pub(crate) search: Option<String>,
    pub(crate) limit: u32,
    pub(crate) after: Option<TaskId>,
}

/// Validated values of a task row.
pub(crate) struct TaskRow {
    pub(crate) title: String,
    pub(crate) kind: TaskKind,
    pub(crate) due_at: Option<chrono::DateTime<chrono::Utc>>,
    pub(crate) assignee: Option<UserId>,
    pub(crate) link: Option<RecordRef>,
}

const SELECT: &str = "SELECT t.*, a.username AS assignee_name, c.username AS creator_name
    FROM tasks t LEFT JOIN users a ON a.id = t.assignee_id LEFT JOIN users c ON c.id = t.created_by";

fn link_column(kind: EntityKind) -> Option<&'static str> {
    match kind {
        EntityKind::Lead => Some("lead_id"),
        EntityKind::Contact => Some("contact_id"),
        EntityKind::Deal => Some("deal_id"),
        EntityKind::Ticket => Some("ticket_id"),
        _ => None,
    }
}

/// The one link column set on a task or note row, as a reference.
pub(super) fn link_at(row: &Row<'_>) -> super::sql::SqlResult<Option<RecordRef>> {
    for (column, kind) in [
        ("lead_id", EntityKind::Lead),
        ("contact_id", EntityKind::Contact),
        ("deal_id", EntityKind::Deal),
        ("ticket_id", EntityKind::Ticket),
    ] {
        if let Some(id) = row.get::<_, Option<i64>>(column)? {
            return Ok(Some(RecordRef::new(kind, id)));
        }
    }
    Ok(None)
}

/// The four link columns' values for a reference (at most one set).
pub(super) fn link_values(link: Option<RecordRef>) -> [Option<i64>; 4] {
    let mut values = [None; 4];
    if let Some(r) = link {
        let slot = match r.kind {
            EntityKind::Lead => 0,
            EntityKind::Contact => 1,
            EntityKind::Deal => 2,
            _ => 3,
        };
        values[slot] = Some(r.id);
    }
    values
}

fn task_from_row(row: &Row<'_>) -> super::sql::SqlResult<Task> {
    Ok(Task {
        id: TaskId(row.get("id")?),
        version: crate::Version(row.get("version")?),
        title: row.get("title")?,
        kind: enum_at(row, "kind")?,
        due_at: opt_time_at(row, "due_at")?,
        status: enum_at(row, "status")?,
        assignee_id: row.get::<_, Option<i64>>("assignee_id")?.map(UserId),
        assignee: row.get("assignee_name")?,
        created_by: row.get("creator_name")?,
        link: link_at(row)?,
        drip_step: row.get("drip_step")?,
        completed_at: opt_time_at(row, "completed_at")?,
        created_at: time_at(row, "created_at")?,
        updated_at: time_at(row, "updated_at")?,
    })
}

impl Tx<'_> {
    pub(crate) fn insert_task(
        &self,
        row: &TaskRow,
        created_by: UserId,
        now: &str,
    ) -> Result<TaskId> {
        let [lead, contact, deal, ticket] = link_values(row.link);
        let new_id = self.insert(
            "INSERT INTO tasks (title, kind, due_at, status, assignee_id, created_by, lead_id, contact_id, deal_id,
                                ticket_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![row.title, row.kind.as_str(), row.due_at.map(to_text), row.assignee.map(|a| a.0), created_by.0, lead, contact, deal, ticket, now],
        )?;
        Ok(TaskId(new_id))
    }

    pub(crate) fn update_task(&self, id: TaskId, row: &TaskRow, now: &str) -> Result<()> {
        self.execute(
            "UPDATE tasks SET title = ?2, kind = ?3, due_at = ?4, assignee_id = ?5, updated_at = ?6 WHERE id = ?1",
            params![id.0, row.title, row.kind.as_str(), row.due_at.map(to_text), row.assignee.map(|a| a.0), now],
        )?;
        Ok(())
    }

    pub(crate) fn set_task_status(&self, id: TaskId, status: TaskStatus, now: &str) -> Result<()> {
        let done = (status == TaskStatus::Done).then_some(now);
        self.execute(
            "UPDATE tasks SET status = ?2, completed_at = ?3, updated_at = ?4 WHERE id = ?1",
            params![id.0, status.as_str(), done, now],
        )?;
        Ok(())
    }

    pub(crate) fn delete_task(&self, id: TaskId) -> Result<()> {
        self.execute("DELETE FROM tasks WHERE id = ?1", [id.0])?;
        Ok(())
    }

    pub(crate) fn task(&self, id: TaskId) -> Result<Option<Task>> {
        let sql = format!("{SELECT} WHERE t.id = ?1");
        Ok(self.query_row(&sql, [id.0], task_from_row).optional()?)
    }

    pub(crate) fn list_tasks(&self, f: &TaskFilter) -> Result<Page<Task>> {
        let mut filter = Filter::default();
        if let Some(user) = f.visible_to {
            filter.and(
                "(t.assignee_id = ? OR t.created_by = ?)",
                [Value::Integer(user.0), Value::Integer(user.0)],
            );
        }
        if let Some(a) = f.assignee {
            filter.and("t.assignee_id = ?", [Value::Integer(a.0)]);
        }
        if let Some(s) = f.status {
            filter.and("t.status = ?", [Value::Text(s.as_str().into())]);
        }
        if let Some(before) = &f.due_before {
            filter.and(
                "t.status = 'open' AND t.due_at < ?",
                [Value::Text(before.clone())],
            );
        }
        if let Some((from, to)) = &f.due_between {
            filter.and(
                "t.status = 'open' AND t.due_at >= ? AND t.due_at < ?",
                [Value::Text(from.clone()), Value::Text(to.clone())],
            );
        }
        if let Some(link) = f.link
            && let Some(column) = link_column(link.kind)
        {
            filter.and(&format!("t.{column} = ?"), [Value::Integer(link.id)]);
        }
        if let Some(search) = &f.search {
            filter.and(
                "lower(t.title) LIKE ? ESCAPE '\\'",
                [contains_pattern(search)],
            );
        }
        // Soonest due first; tasks without a due time last.
        let keyset = Keyset::new(
            "tasks",
            "t",
            &["ifnull({t}.due_at, '9999')"],
            false,
            f.after.map(|a| a.0),
        );
        self.page_of(SELECT, &filter, &keyset, f.limit, task_from_row, |t| t.id.0)
    }
}
