//! Tasks: follow-up work assigned to a user, optionally about one record.

use chrono::{Duration, NaiveTime};

use super::{BulkCount, Crm, distinct};
use crate::clock::to_text;
use crate::rules::validate;
use crate::store::{TaskFilter, TaskRow, Tx};
use crate::{
    Actor, EntityKind, Error, LeadId, NewTask, Page, Result, Role, Task, TaskId, TaskKind,
    TaskPatch, TaskQuery, TaskStatus, UserId, Version,
};

/// An active user to give a task to.
fn assignee(tx: &Tx<'_>, name: &str) -> Result<UserId> {
    let stored = tx
        .user_by_username(&name.trim().to_lowercase())?
        .ok_or_else(|| Error::invalid("assignee", format!("no user named '{}'", name.trim())))?;
    if !stored.user.active {
        return Err(Error::invalid(
            "assignee",
            format!("'{}' is disabled", stored.user.username),
        ));
    }
    Ok(stored.user.id)
}

/// Everyone works on tasks assigned to them or that they created; managers and admins on all.
fn workable(tx: &Tx<'_>, actor: &Actor, id: TaskId, verb: &str) -> Result<Task> {
    let task = tx.task(id)?.ok_or_else(|| Error::not_found("task", id))?;
    let mine = task.assignee_id == Some(actor.id)
        || task.created_by.as_deref() == Some(actor.username.as_str());
    if mine || matches!(actor.role, Role::Admin | Role::Manager) {
        Ok(task)
    } else {
        // Everyone has tasks: one that is not theirs is not said to exist.
        Err(Error::OutOfScope(format!(
            "{} '{}' may not {verb} task {id} (needs to be its assignee or creator, or role admin or manager)",
            actor.role, actor.username
        )))
    }
}

fn log(tx: &Tx<'_>, actor: &Actor, verb: &str, id: TaskId, summary: &str, now: &str) -> Result<()> {
    tx.insert_activity(Some(actor.id), verb, EntityKind::Task, id.0, summary, now)
}

impl Crm {
    /// Adds a task for a user (yourself by default), optionally about a record you may read.
    pub fn add_task(&self, actor: &Actor, new: &NewTask) -> Result<Task> {
        let title = validate::required("title", &new.title)?;
        let now = self.now_text();
        self.store.write(|tx| {
            if let Some(link) = new.link {
                Crm::require_readable(tx, actor, link)?;
            }
            let to = match &new.assignee {
                Some(name) => assignee(tx, name)?,
                None => actor.id,
            };
            let row = TaskRow {
                title: title.clone(),
                kind: new.kind.unwrap_or(TaskKind::Todo),
                due_at: new.due_at,
                assignee: Some(to),
                link: new.link,
            };
            let id = tx.insert_task(&row, actor.id, &now)?;
            let task = tx.task(id)?.ok_or_else(|| Error::not_found("task", id))?;
            let about = new.link.map(|l| format!(" about {l}")).unwrap_or_default();
            log(
                tx,
                actor,
                "created",
                id,
                &format!(
                    "{} gave {} the task '{title}'{about}",
                    actor.display_name,
                    task.assignee.clone().unwrap_or_default()
                ),
                &now,
            )?;
            Ok(task)
        })
    }

    /// One task.
    pub fn task(&self, actor: &Actor, id: TaskId) -> Result<Task> {
        self.store.read(|tx| workable(tx, actor, id, "read"))
    }

    /// Tasks soonest due first: a user's own (assigned or created), or all for managers.
    pub fn list_tasks(&self, actor: &Actor, query: &TaskQuery) -> Result<Page<Task>> {
        let limit = if query.limit == 0 { 50 } else { query.limit };
        validate::page_limit(limit)?;
        let search = validate::optional("search", query.search.as_deref())?;
        let now = self.now();
        let today = now.date_naive().and_time(NaiveTime::MIN).and_utc();
        self.store.read(|tx| {
            if let Some(link) = query.link {
                Crm::require_readable(tx, actor, link)?;
            }
            let assignee = if query.mine {
                Some(actor.id)
            } else {
                query
                    .assignee
                    .as_deref()
                    .map(|a| assignee(tx, a))
                    .transpose()?
            };
            let everyone =
                matches!(actor.role, Role::Admin | Role::Manager) || query.link.is_some();
            tx.list_tasks(&TaskFilter {
                visible_to: (!everyone).then_some(actor.id),
                assignee,
                status: query.status,
                due_before: query.overdue.then(|| to_text(now)),
                due_between: query
                    .due_today
                    .then(|| (to_text(today), to_text(today + Duration::days(1)))),
                link: query.link,
                search: search.clone(),
                limit,
                after: query.after,
            })
        })
    }

    /// Changes a task's title, kind, due time or assignee.
    pub fn edit_task(&self, actor: &Actor, id: TaskId, patch: &TaskPatch) -> Result<Task> {
        let now = self.now_text();
        self.store.write(|tx| {
            let task = workable(tx, actor, id, "edit")?;
            super::records::require_version(tx, id.into(), task.version, patch.if_version)?;
            let row = TaskRow {
                title: match &patch.title {
                    Some(t) => validate::required("title", t)?,
                    None => task.title.clone(),
                },
                kind: patch.kind.unwrap_or(task.kind),
                due_at: patch.due_at.unwrap_or(task.due_at),
                assignee: match &patch.assignee {
                    Some(name) => Some(assignee(tx, name)?),
                    None => task.assignee_id,
                },
                link: task.link,
            };
            tx.update_task(id, &row, &now)?;
            log(
                tx,
                actor,
                "updated",
                id,
                &format!("{} updated task '{}'", actor.display_name, task.title),
                &now,
            )?;
            tx.task(id)?.ok_or_else(|| Error::not_found("task", id))
        })
    }

    /// Marks a task done, or open again.
    pub fn set_task_done(&self, actor: &Actor, id: TaskId, done: bool) -> Result<Task> {
        let now = self.now_text();
        self.store.write(|tx| {
            if !set_status(tx, actor, id, done, &now)? {
                let status = if done {
                    TaskStatus::Done
                } else {
                    TaskStatus::Open
                };
                return Err(Error::Conflict(format!("task {id} is already {status}")));
            }
            tx.task(id)?.ok_or_else(|| Error::not_found("task", id))
        })
    }

    /// Marks many tasks done (or open again) in one transaction: one task the actor may not
    /// work on and none change; the error names it. A task already in that state is left as
    /// it is and counted apart. A repeated id counts once.
    pub fn set_tasks_done(&self, actor: &Actor, ids: &[TaskId], done: bool) -> Result<BulkCount> {
        let ids = distinct(ids);
        let now = self.now_text();
        self.store.write(|tx| {
            let mut count = BulkCount::default();
            for &id in &ids {
                if set_status(tx, actor, id, done, &now)? {
                    count.changed += 1;
                } else {
                    count.unchanged += 1;
                }
            }
            Ok(count)
        })
    }

    /// Deletes a task.
    pub fn delete_task(
        &self,
        actor: &Actor,
        id: TaskId,
        if_version: Option<Version>,
    ) -> Result<Task> {
        let now = self.now_text();
        self.store.write(|tx| {
            let task = workable(tx, actor, id, "delete")?;
            super::records::require_version(tx, id.into(), task.version, if_version)?;
            tx.delete_task(id)?;
            log(
                tx,
                actor,
                "deleted",
                id,
                &format!("{} deleted task '{}'", actor.display_name, task.title),
                &now,
            )?;
            Ok(task)
        })
    }
}

/// Sets a task's status inside the caller's transaction, with its activity row. False when it
/// already had that status (nothing written).
fn set_status(tx: &Tx<'_>, actor: &Actor, id: TaskId, done: bool, now: &str) -> Result<bool> {
    let (status, verb) = if done {
        (TaskStatus::Done, "completed")
    } else {
        (TaskStatus::Open, "reopened")
    };
    let task = workable(tx, actor, id, "complete")?;
    if task.status == status {
        return Ok(false);
    }
    tx.set_task_status(id, status, now)?;
    log(
        tx,
        actor,
        verb,
        id,
        &format!("{} {verb} task '{}'", actor.display_name, task.title),
        now,
    )?;
    if let Some(link) = task.link.filter(|l| l.kind == EntityKind::Lead) {
        let reached = done
            && matches!(
                task.kind,
                TaskKind::Call | TaskKind::Email | TaskKind::Meeting
            );
        follow_ups(tx, LeadId(link.id), reached, now)?;
    }
    Ok(true)
}

/// A lead's follow-up dates follow its tasks: a call, email or meeting done is a contact made
/// (`last_contacted_at`), and the next action is the soonest open task's due time (none left,
/// none due).
fn follow_ups(tx: &Tx<'_>, lead: LeadId, reached: bool, now: &str) -> Result<()> {
    let Some(current) = tx.lead(lead)? else {
        return Ok(());
    };
    let mut row = crate::store::LeadRow::from(&current);
    if reached {
        // `now` is the service clock's own RFC 3339 text.
        row.last_contacted_at = chrono::DateTime::parse_from_rfc3339(now)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
            .or(row.last_contacted_at);
    }
    row.next_action_at = tx
        .open_lead_tasks(lead)?
        .iter()
        .filter_map(|t| t.due_at)
        .min();
    if row.last_contacted_at != current.last_contacted_at
        || row.next_action_at != current.next_action_at
    {
        tx.update_lead(lead, &row, now)?;
    }
    Ok(())
}
