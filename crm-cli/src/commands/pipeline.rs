//! `crm pipeline`: the Kanban board, and `crm pipeline stages ...` to shape it.

use std::io::IsTerminal;

use anyhow::Result;
use clap::Subcommand;
use crm_core::Stage;

use crate::board;
use crate::context::Context;
use crate::flags::OutputFormat;
use crate::output::Record;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm pipeline                 the board, as wide as the terminal\n  \
                        crm pipeline --width 80 --per-column 3\n  crm pipeline --output json\n  crm pipeline stages list"
)]
pub(crate) struct Args {
    #[command(subcommand)]
    stages: Option<StagesCommand>,
    /// Deals shown per column (the most valuable first)
    #[arg(long, default_value_t = 5)]
    per_column: u32,
    /// Board width in characters (default: the terminal's, else 80)
    #[arg(long)]
    width: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum StagesCommand {
    /// Manage the pipeline's stages (admins)
    #[command(subcommand)]
    Stages(Stages),
}

#[derive(Debug, Subcommand)]
pub(crate) enum Stages {
    /// List the stages in order, with their deal counts
    #[command(
        after_help = "Examples:\n  crm pipeline stages list\n  crm pipeline stages list --all   (retired ones too)"
    )]
    List {
        /// Retired stages too
        #[arg(long)]
        all: bool,
    },
    /// Add a stage
    #[command(
        after_help = "Example:\n  crm pipeline stages add 'Site Visit' --probability 35 --position 3"
    )]
    Add {
        /// The stage's name
        name: String,
        /// Default win probability, 0 to 100
        #[arg(long, default_value_t = 0)]
        probability: i64,
        /// 1-based place in the pipeline (default: last)
        #[arg(long)]
        position: Option<i64>,
    },
    /// Rename, re-weight, reorder, retire or restore a stage; its deals stay
    #[command(
        after_help = "Examples:\n  crm pipeline stages edit Qualified --rename 'Qualified Lead'\n  \
                            crm pipeline stages edit Proposal --position 2 --probability 40\n  crm pipeline stages edit 'Site Visit' --retire"
    )]
    Edit {
        /// The stage (its name)
        stage: String,
        /// A new name for the stage
        #[arg(long)]
        rename: Option<String>,
        /// Win probability in percent (0-100)
        #[arg(long)]
        probability: Option<i64>,
        /// Place in the pipeline (1 is first)
        #[arg(long)]
        position: Option<i64>,
        /// Take no new deals into this stage
        #[arg(long, conflicts_with = "restore")]
        retire: bool,
        /// Undo --retire
        #[arg(long)]
        restore: bool,
    },
}

impl Record for Stage {
    const COLUMNS: &'static [&'static str] = &[
        "position",
        "stage",
        "probability",
        "kind",
        "deals",
        "active",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "position",
        "name",
        "probability",
        "is_won",
        "is_lost",
        "active",
        "deals",
    ];

    fn cells(&self) -> Vec<String> {
        let kind = if self.is_won {
            "won"
        } else if self.is_lost {
            "lost"
        } else {
            "open"
        };
        vec![
            self.position.to_string(),
            self.name.clone(),
            format!("{}%", self.probability),
            kind.to_string(),
            self.deals.to_string(),
            if self.active { "yes" } else { "retired" }.to_string(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.position.to_string(),
            self.name.clone(),
            self.probability.to_string(),
            self.is_won.to_string(),
            self.is_lost.to_string(),
            self.active.to_string(),
            self.deals.to_string(),
        ]
    }
}

fn terminal_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((w, _)) = crossterm::terminal::size()
    {
        return usize::from(w);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80)
}

pub(crate) fn run(ctx: &Context, args: Args) -> Result<()> {
    let actor = ctx.actor()?;
    match args.stages {
        None => {
            let columns = ctx.crm.board(&actor, args.per_column)?;
            if ctx.out.format() == OutputFormat::Table {
                let width = args.width.unwrap_or_else(terminal_width);
                ctx.out.text(&board::render(&columns, width).join("\n"))
            } else {
                let deals: Vec<_> = columns
                    .iter()
                    .flat_map(|c| c.deals.iter().cloned())
                    .collect();
                if ctx.out.format() == OutputFormat::Json {
                    ctx.out.json(&columns)
                } else {
                    ctx.out.list(&deals)
                }
            }
        }
        Some(StagesCommand::Stages(Stages::List { all })) => ctx.out.list(&ctx.crm.stages(all)?),
        Some(StagesCommand::Stages(Stages::Add {
            name,
            probability,
            position,
        })) => ctx
            .out
            .show(&ctx.crm.add_stage(&actor, &name, probability, position)?),
        Some(StagesCommand::Stages(Stages::Edit {
            stage,
            rename,
            probability,
            position,
            retire,
            restore,
        })) => {
            let active = if retire {
                Some(false)
            } else if restore {
                Some(true)
            } else {
                None
            };
            ctx.out.show(&ctx.crm.edit_stage(
                &actor,
                &stage,
                rename.as_deref(),
                probability,
                position,
                active,
            )?)
        }
    }
}
