//! Tasks: follow-up work assigned to a user, linked to one record.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::TaskId;
use super::fixed_set::fixed_set;

fixed_set! {
    /// What kind of follow-up a task is.
    TaskKind, "task kind" {
        Call => "call",
        Email => "email",
        Meeting => "meeting",
        Todo => "todo",
    }
}

fixed_set! {
    /// Whether a task still needs doing.
    TaskStatus, "task status" {
        Open => "open",
        Done => "done",
        /// Withdrawn, e.g. the rest of a drip once its lead converted or was lost.
        Cancelled => "cancelled",
    }
}

/// A task in a list: what, when, and for whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskSummary {
    pub id: TaskId,
    pub kind: TaskKind,
    pub title: String,
    pub due_at: Option<DateTime<Utc>>,
    pub assignee: Option<String>,
}
