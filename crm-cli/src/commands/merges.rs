//! `crm merges ...`: the merges of duplicate contacts, and their undo.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{Merge, MergeId};

use crate::context::Context;
use crate::output::{Record, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The latest merges, newest first (yours; admins and managers see all)
    #[command(
        after_help = "Examples:\n  crm merges list\n  crm merges list --limit 5 --output json"
    )]
    List {
        /// How many (1-1000)
        #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
        limit: u32,
    },
    /// Show one merge: what was kept, removed, filled and moved
    #[command(after_help = "Example:\n  crm merges show 3")]
    Show {
        /// The merge id
        id: MergeId,
    },
    /// Put back the contacts a merge removed, with their deals, tickets, tasks, notes and
    /// leads; fields the merge filled are emptied again unless changed since
    #[command(
        after_help = "Example:\n  crm merges undo 3\n\nOnly the user who merged, or an admin or manager, may undo a merge."
    )]
    Undo {
        /// The merge id
        id: MergeId,
    },
}

impl Record for Merge {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "kept",
        "merged",
        "filled",
        "links moved",
        "by",
        "at",
        "undone",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "kind",
        "keep_id",
        "merged_ids",
        "filled",
        "moved_links",
        "merged_by",
        "merged_at",
        "undone_at",
        "undoable",
    ];

    /// Every field but `undoable` (an undone date says it already was).
    fn cells(&self) -> Vec<String> {
        let mut cells = self.fields();
        cells.truncate(9);
        cells
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.kind.to_string(),
            self.keep_id.to_string(),
            ids(&self.merged_ids),
            self.filled.join(", "),
            self.moved_links.to_string(),
            opt(self.merged_by.as_deref()),
            time(self.merged_at),
            self.undone_at.map(time).unwrap_or_default(),
            self.undoable.to_string(),
        ]
    }
}

fn ids(ids: &[i64]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn run(ctx: &Context, command: &Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::List { limit } => ctx.out.list(&ctx.crm.merges(&actor, *limit)?),
        Command::Show { id } => ctx.out.show(&ctx.crm.merge(&actor, *id)?),
        Command::Undo { id } => {
            let merge = ctx.crm.undo_merge(&actor, *id)?;
            ctx.out.done(
                &merge,
                &format!(
                    "Undid merge {id}: contact {} back beside contact {}",
                    ids(&merge.merged_ids),
                    merge.keep_id
                ),
            )
        }
    }
}

/// The sentence after `crm contacts merge`.
pub(crate) fn merged_sentence(merge: &Merge) -> String {
    let filled = if merge.filled.is_empty() {
        String::new()
    } else {
        format!("; filled {}", merge.filled.join(", "))
    };
    format!(
        "Merged contact {} into contact {} ({} link(s) moved{filled}); undo with: crm merges undo {}",
        ids(&merge.merged_ids),
        merge.keep_id,
        merge.moved_links,
        merge.id
    )
}
