//! The task form: its fields, and saving it through one service call.

use crm_core::{EntityKind, NewTask, RecordRef, Task, TaskId, TaskKind, TaskPatch};

use super::{Field, Form, FormKind, due, names, opt};
use crate::ctx::Ctx;

impl Form {
    pub(crate) fn edit_task(t: &Task) -> Form {
        Form::new(
            FormKind::EditTask(t.id),
            &format!("Edit task {}", t.id),
            vec![
                Field::text("title", "Title", &t.title).required(),
                Field::choice("kind", "Kind", names(TaskKind::ALL), t.kind.as_str()),
                Field::text(
                    "due",
                    "Due (YYYY-MM-DD [HH:MM])",
                    &t.due_at
                        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default(),
                ),
                Field::text(
                    "assignee",
                    "Assignee (username)",
                    opt(t.assignee.as_deref()),
                ),
            ],
        )
        .at_version(t.version)
    }

    pub(crate) fn new_task(about: Option<RecordRef>) -> Form {
        let about = about
            .map(|r| format!("{}:{}", r.kind, r.id))
            .unwrap_or_default();
        Form::new(
            FormKind::NewTask,
            "New task",
            vec![
                Field::text("title", "Title", "").required(),
                Field::choice("kind", "Kind", names(TaskKind::ALL), "todo"),
                Field::text("due", "Due (YYYY-MM-DD [HH:MM])", ""),
                Field::text("assignee", "Assignee (username)", ""),
                Field::text("about", "About (e.g. lead:3)", &about),
            ],
        )
    }

    pub(super) fn save_edit_task(
        &self,
        ctx: &Ctx<'_>,
        id: TaskId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let t = ctx.crm.edit_task(
            ctx.actor,
            id,
            &TaskPatch {
                title: self.changed("title"),
                kind: self.changed("kind").and_then(|s| s.parse().ok()),
                due_at: self.changed("due").map(|s| due(&s, ctx)),
                assignee: self.changed("assignee"),
                if_version: self.version,
            },
        )?;
        Ok((
            format!("Task {} saved", t.id),
            RecordRef::new(EntityKind::Task, t.id.0),
        ))
    }

    pub(super) fn save_new_task(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let t = crm.add_task(
            actor,
            &NewTask {
                title: self.get("title").unwrap_or_default(),
                kind: self.get("kind").and_then(|s| s.parse().ok()),
                due_at: self.get("due").and_then(|s| due(&s, ctx)),
                assignee: self.get("assignee"),
                link: self.get("about").and_then(|s| s.parse().ok()),
            },
        )?;
        Ok((
            format!("Task {} added", t.id),
            RecordRef::new(EntityKind::Task, t.id.0),
        ))
    }
}
