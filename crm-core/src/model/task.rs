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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TaskSummary {
    pub id: TaskId,
    pub kind: TaskKind,
    pub title: String,
    pub due_at: Option<DateTime<Utc>>,
    pub assignee: Option<String>,
}

/// A task with its link and people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub kind: TaskKind,
    pub due_at: Option<DateTime<Utc>>,
    pub status: TaskStatus,
    pub assignee_id: Option<super::UserId>,
    pub assignee: Option<String>,
    pub created_by: Option<String>,
    /// The lead, contact, deal or ticket the task is about.
    pub link: Option<super::RecordRef>,
    pub drip_step: Option<u32>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows by one with every change; `If-Match` and the edit forms compare it.
    pub version: crate::Version,
}

/// Input for a new task.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    pub title: String,
    pub kind: Option<TaskKind>,
    pub due_at: Option<DateTime<Utc>>,
    /// Username; the acting user when absent.
    pub assignee: Option<String>,
    pub link: Option<super::RecordRef>,
}

/// Changes to a task.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TaskPatch {
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub title: Option<String>,
    pub kind: Option<TaskKind>,
    #[serde(default, deserialize_with = "super::patch::nullable")]
    pub due_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "super::patch::clearable")]
    pub assignee: Option<String>,
    /// The version the change was made against (`If-Match`, an edit form's record): a record
    /// saved since is refused with [`crate::Error::Stale`]. `None` writes over any version.
    #[serde(skip)]
    pub if_version: Option<crate::Version>,
}

/// Filters of a task listing.
#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    /// Only tasks assigned to the acting user.
    pub mine: bool,
    pub assignee: Option<String>,
    /// Open tasks whose due time has passed.
    pub overdue: bool,
    /// Open tasks due today (UTC).
    pub due_today: bool,
    pub status: Option<TaskStatus>,
    pub link: Option<super::RecordRef>,
    /// Title contains this text, any case.
    pub search: Option<String>,
    pub limit: u32,
    pub after: Option<TaskId>,
}

/// A note or comment on a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Note {
    pub id: super::NoteId,
    pub body: String,
    pub author: Option<String>,
    /// The note this one answers (a comment).
    pub parent_id: Option<super::NoteId>,
    pub record: super::RecordRef,
    pub created_at: DateTime<Utc>,
}

/// What adding a note did: the note, and the tasks its @mentions created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NoteAdded {
    pub note: Note,
    pub mention_tasks: Vec<(String, TaskId)>,
    /// Mentions that gave no task, each with why (no such user, disabled, yourself): a
    /// mention that reaches no one is said, not dropped.
    pub unmatched_mentions: Vec<(String, String)>,
}
