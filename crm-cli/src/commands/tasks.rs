//! `crm tasks ...`: follow-up work assigned to people.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{
    Actor, EntityKind, NewTask, RecordRef, Task, TaskId, TaskKind, TaskPatch, TaskQuery,
    TaskStatus, When,
};

use crm_core::interop::CsvRow;

use crate::context::Context;
use crate::ids::read_ids;
use crate::output::{Record, confirm, hint, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add a task for yourself or someone else, optionally about a record
    #[command(
        after_help = "Examples:\n  crm tasks add 'Site visit for the 3BHK flat' --kind meeting --due 2025-05-02T11:00:00Z --about lead:3\n  \
                            crm tasks add 'Send the brochure' --to ravi --due tomorrow"
    )]
    Add {
        /// The deal's title
        title: String,
        /// call, email, meeting or todo
        #[arg(long)]
        kind: Option<TaskKind>,
        /// A time, a date (09:00 UTC), 'now', 'today' or 'tomorrow'
        #[arg(long)]
        due: Option<When>,
        /// Username to assign it to (default: you)
        #[arg(long)]
        to: Option<String>,
        /// The record it is about: lead:ID, contact:ID, deal:ID or ticket:ID
        #[arg(long)]
        about: Option<RecordRef>,
    },
    /// List tasks, soonest due first
    #[command(
        after_help = "Examples:\n  crm tasks list --mine --overdue\n  crm tasks list --mine --due-today\n  crm tasks list --about deal:5"
    )]
    List {
        #[command(flatten)]
        filters: Filters,
        /// Rows per page (1-1000)
        #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
        limit: u32,
        /// Start after this task id (printed at the end of the previous page)
        #[arg(long)]
        after: Option<TaskId>,
    },
    /// Show a task
    #[command(after_help = "Example:\n  crm tasks show 4")]
    Show {
        /// The task id
        id: TaskId,
    },
    /// Change a task's title, kind, due time or assignee
    #[command(after_help = "Example:\n  crm tasks edit 4 --due 2025-05-03 --to asha")]
    Edit {
        /// The task id
        id: TaskId,
        /// Title
        #[arg(long)]
        title: Option<String>,
        /// call, email, meeting or todo
        #[arg(long)]
        kind: Option<TaskKind>,
        /// A time, a date (09:00 UTC), 'now', 'today' or 'tomorrow'
        #[arg(long)]
        due: Option<When>,
        /// Username to assign it to
        #[arg(long)]
        to: Option<String>,
        /// Refuse the change when the task is no longer at this version (as `show` printed it):
        /// a script never writes over a change someone made since it read the record
        #[arg(long, value_name = "N")]
        if_version: Option<crm_core::Version>,
    },
    /// Mark a task done, or many with --ids
    #[command(
        after_help = "Examples:\n  crm tasks done 4\n  crm tasks list --mine --overdue --output ids | crm tasks done --ids -\n\nWith --ids, every task changes in one transaction: one task you may not close and none do."
    )]
    Done(StatusArgs),
    /// Open a done task again, or many with --ids
    #[command(
        after_help = "Examples:\n  crm tasks reopen 4\n  crm tasks reopen --ids done-by-mistake.txt"
    )]
    Reopen(StatusArgs),
    /// Delete a task
    #[command(after_help = "Example:\n  crm tasks delete 4 --yes")]
    Delete {
        /// The task id
        id: TaskId,
        /// Delete without asking for confirmation
        #[arg(long, short)]
        yes: bool,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct StatusArgs {
    /// The task id (or use --ids)
    #[arg(required_unless_present = "ids")]
    id: Option<TaskId>,
    /// Every task whose id is in this file, one per line (- reads standard input, as
    /// `crm tasks list --output ids` writes it)
    #[arg(long, value_name = "FILE", conflicts_with = "id")]
    ids: Option<String>,
}

/// What `list` and `export` select.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Filters {
    /// Only tasks assigned to you
    #[arg(long)]
    mine: bool,
    /// Only tasks assigned to this user
    #[arg(long, conflicts_with = "mine")]
    assignee: Option<String>,
    /// Open tasks whose due time has passed
    #[arg(long)]
    overdue: bool,
    /// Open tasks due today
    #[arg(long)]
    due_today: bool,
    /// open, done or cancelled
    #[arg(long)]
    status: Option<TaskStatus>,
    /// Tasks about one record, e.g. deal:5
    #[arg(long)]
    about: Option<RecordRef>,
    /// Title contains this text (any case)
    #[arg(long)]
    search: Option<String>,
}

impl Filters {
    pub(crate) fn query(self, limit: u32, after: Option<TaskId>) -> TaskQuery {
        TaskQuery {
            mine: self.mine,
            assignee: self.assignee,
            overdue: self.overdue,
            due_today: self.due_today,
            status: self.status,
            link: self.about,
            search: self.search,
            limit,
            after,
        }
    }
}

impl Record for Task {
    const COLUMNS: &'static [&'static str] =
        &["id", "kind", "title", "due", "assignee", "about", "status"];
    const FIELDS: &'static [&'static str] = <Self as CsvRow>::FIELDS;

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.kind.to_string(),
            self.title.clone(),
            self.due_at.map(time).unwrap_or_default(),
            opt(self.assignee.as_deref()),
            self.link.map(|l| l.to_string()).unwrap_or_default(),
            self.status.to_string(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        CsvRow::fields(self)
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add {
            title,
            kind,
            due,
            to,
            about,
        } => ctx.out.show(&ctx.crm.add_task(
            &actor,
            &NewTask {
                title,
                kind,
                due_at: due.map(|w| w.at(ctx.crm.now())),
                assignee: to,
                link: about,
            },
        )?),
        Command::List {
            filters,
            limit,
            after,
        } => {
            let query = filters.query(limit, after);
            let page = ctx.crm.list_tasks(&actor, &query)?;
            ctx.out.list(&page.items)?;
            if let Some(next) = page.next_after {
                hint(&format!("more tasks: add --after {next} for the next page"));
            }
            Ok(())
        }
        Command::Show { id } => ctx.out.show(&ctx.crm.task(&actor, id)?),
        Command::Edit {
            id,
            title,
            kind,
            due,
            to,
            if_version,
        } => {
            let patch = TaskPatch {
                title,
                kind,
                due_at: due.map(|w| Some(w.at(ctx.crm.now()))),
                assignee: to,
                if_version,
            };
            ctx.out.show(&ctx.crm.edit_task(&actor, id, &patch)?)
        }
        Command::Done(args) => set_done(ctx, &actor, args, true),
        Command::Reopen(args) => set_done(ctx, &actor, args, false),
        Command::Delete { id, yes } => {
            let seen = if yes {
                None
            } else {
                let t = ctx.crm.task(&actor, id)?;
                confirm(&format!("Delete task {id} '{}'?", t.title), "delete")?;
                Some(t.version)
            };
            let t = ctx.crm.delete_task(&actor, id, seen)?;
            ctx.out
                .done(&t, &format!("Deleted task {id} '{}'", t.title))
        }
    }
}

/// One task (shown after), or every task of `--ids` in one transaction (counted after).
fn set_done(ctx: &Context, actor: &Actor, args: StatusArgs, done: bool) -> Result<()> {
    let state = if done { "done" } else { "open again" };
    if let Some(id) = args.id {
        let t = ctx.crm.set_task_done(actor, id, done)?;
        return ctx
            .out
            .done(&t, &format!("Task {id} '{}' is {state}", t.title));
    }
    let source = args.ids.expect("clap requires an id or --ids");
    let ids: Vec<TaskId> = read_ids(&source, EntityKind::Task)?
        .into_iter()
        .map(TaskId)
        .collect();
    let count = ctx.crm.set_tasks_done(actor, &ids, done)?;
    let summary = match count.unchanged {
        0 => format!("{} task(s) {state}", count.changed),
        n => format!("{} task(s) {state}; {n} already were", count.changed),
    };
    ctx.out.done(&count, &summary)
}
