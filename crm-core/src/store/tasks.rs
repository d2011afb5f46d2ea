//! The `tasks` table (the parts leads need so far: drips and their stop rule).

use rusqlite::params;

use super::{Tx, enum_at, opt_time_at};
use crate::{LeadId, Result, TaskId, TaskKind, TaskSummary, UserId};

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
        self.execute(
            "INSERT INTO tasks (title, kind, due_at, status, assignee_id, created_by, lead_id, drip_step,
                                created_at, updated_at)
             VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                task.title, task.kind.as_str(), task.due_at, task.assignee.map(|a| a.0), created_by.0,
                task.lead.0, task.drip_step, now
            ],
        )?;
        Ok(TaskId(self.last_insert_rowid()))
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
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
