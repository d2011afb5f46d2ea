//! The task's page: what it loads to show.

use crm_core::TaskId;

use super::{DetailScreen, Link, Loaded, opens, text, time};
use crate::screen::Ctx;

impl DetailScreen {
    pub(super) fn load_task(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let t = crm.task(actor, TaskId(id))?;
        self.title = format!("Task {} · {}", t.id, t.title);
        self.fields = vec![
            ("Title", t.title.clone()),
            ("Kind", t.kind.to_string()),
            ("Due", time(t.due_at)),
            ("Status", t.status.to_string()),
            ("Assignee", text(t.assignee.as_deref())),
            ("Created by", text(t.created_by.as_deref())),
            ("Completed", time(t.completed_at)),
        ];
        if let Some(link) = t.link {
            self.links.push((
                "About".into(),
                vec![Link {
                    text: format!("{} {}", link.kind, link.id),
                    record: opens(link.kind).then_some(link),
                }],
            ));
        }
        self.loaded = Some(Loaded::Task(t));
        Ok(())
    }
}
