//! `crm export KIND`: every record a `list` would show, streamed page by page as CSV, JSON or
//! JSON lines, so memory stays flat however many rows there are.

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::{Subcommand, ValueEnum};
use crm_core::text::formula_safe;
use crm_core::{ContactId, DealId, LeadId, TaskId, TicketId};

use super::{activity, contacts, deals, leads, tasks, tickets};
use crate::context::Context;
use crate::output::Record;

/// Rows fetched per query: large enough to amortise the query, small enough to keep memory flat.
const PAGE: u32 = 500;

const AFTER_HELP: &str = "\
CSV cells that begin with =, +, -, @, tab or carriage return get a leading apostrophe so a
spreadsheet shows them as text instead of running them as formulas (OWASP CSV injection
guidance); `crm import` removes it again. --raw writes cells exactly as stored.";

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Contacts, with the filters of `crm contacts list`
    #[command(after_help = format!("{AFTER_HELP}\n\nExamples:\n  crm export contacts -o contacts.csv\n  crm export contacts --tag vip --format jsonl"))]
    Contacts {
        #[command(flatten)]
        filters: contacts::Filters,
        #[command(flatten)]
        target: Target,
    },
    /// Leads, with the filters of `crm leads list` (--all includes converted ones)
    #[command(after_help = format!("{AFTER_HELP}\n\nExamples:\n  crm export leads --hot -o hot-leads.csv\n  crm export leads --all --format json\n  crm export leads | crm --db other.db import leads - --on-duplicate skip"))]
    Leads {
        #[command(flatten)]
        filters: leads::Filters,
        #[command(flatten)]
        target: Target,
    },
    /// Deals, with the filters of `crm deals list`
    #[command(after_help = format!("{AFTER_HELP}\n\nExamples:\n  crm export deals --open -o pipeline.csv\n  crm export deals --owner asha --format jsonl"))]
    Deals {
        #[command(flatten)]
        filters: deals::Filters,
        #[command(flatten)]
        target: Target,
    },
    /// Campaigns with their metrics
    #[command(after_help = format!("{AFTER_HELP}\n\nExample:\n  crm export campaigns -o campaigns.csv"))]
    Campaigns {
        #[command(flatten)]
        target: Target,
    },
    /// Tickets, with the filters of `crm tickets list` (--all includes resolved ones)
    #[command(after_help = format!("{AFTER_HELP}\n\nExample:\n  crm export tickets --all -o tickets.csv"))]
    Tickets {
        #[command(flatten)]
        filters: tickets::Filters,
        #[command(flatten)]
        target: Target,
    },
    /// Tasks, with the filters of `crm tasks list`
    #[command(after_help = format!("{AFTER_HELP}\n\nExample:\n  crm export tasks --mine --status open"))]
    Tasks {
        #[command(flatten)]
        filters: tasks::Filters,
        #[command(flatten)]
        target: Target,
    },
    /// The activity feed, newest first, with the filters of `crm activity`
    #[command(after_help = format!("{AFTER_HELP}\n\nExample:\n  crm export activity --since 2025-04-01 --format jsonl"))]
    Activity {
        #[command(flatten)]
        filters: activity::Filters,
        #[command(flatten)]
        target: Target,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
    Jsonl,
}

/// Where and how rows are written.
#[derive(Debug, clap::Args)]
pub(crate) struct Target {
    /// Write to this file (created private to you) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// CSV cells exactly as stored, without the formula-injection guard
    #[arg(long)]
    raw: bool,
}

/// An open output with the header (or opening bracket) written on the first row.
struct Sink {
    format: Format,
    raw: bool,
    writer: BufWriter<Box<dyn Write>>,
    rows: u64,
}

impl Sink {
    fn open(target: &Target) -> Result<Sink> {
        let writer: Box<dyn Write> = match &target.out {
            Some(path) => {
                let mut options = OpenOptions::new();
                options.write(true).create(true).truncate(true);
                // Exports hold personal data: private to the user, like the database.
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                Box::new(
                    options
                        .open(path)
                        .with_context(|| format!("cannot write {}", path.display()))?,
                )
            }
            None => Box::new(std::io::stdout().lock()),
        };
        Ok(Sink {
            format: target.format,
            raw: target.raw,
            writer: BufWriter::with_capacity(1 << 16, writer),
            rows: 0,
        })
    }

    fn start<T: Record>(&mut self) -> Result<()> {
        match self.format {
            Format::Csv => self.csv_line(T::FIELDS.iter().map(|f| (*f).to_string())),
            Format::Json => Ok(self.writer.write_all(b"[")?),
            Format::Jsonl => Ok(()),
        }
    }

    fn write<T: Record>(&mut self, item: &T) -> Result<()> {
        match self.format {
            Format::Csv => self.csv_line(item.fields().into_iter())?,
            Format::Json => {
                self.writer
                    .write_all(if self.rows == 0 { b"\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut self.writer, item)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.writer, item)?;
                self.writer.write_all(b"\n")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn csv_line(&mut self, cells: impl Iterator<Item = String>) -> Result<()> {
        // One small writer per line keeps quoting in the csv crate without holding rows back.
        let mut line = csv::WriterBuilder::new().from_writer(Vec::with_capacity(256));
        if self.raw {
            line.write_record(cells)?;
        } else {
            line.write_record(cells.map(|c| formula_safe(&c).into_owned()))?;
        }
        self.writer
            .write_all(&line.into_inner().map_err(|e| e.into_error())?)?;
        Ok(())
    }

    fn finish(mut self) -> Result<u64> {
        if let Format::Json = self.format {
            self.writer
                .write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        self.writer.flush()?;
        Ok(self.rows)
    }
}

/// Writes every page `next` returns until it says there is no more.
fn stream<T: Record>(
    target: &Target,
    mut next: impl FnMut(Option<i64>) -> Result<(Vec<T>, Option<i64>)>,
) -> Result<u64> {
    let mut sink = Sink::open(target)?;
    sink.start::<T>()?;
    let mut cursor = None;
    loop {
        let (items, after) = next(cursor)?;
        for item in &items {
            sink.write(item)?;
        }
        match after {
            Some(after) => cursor = Some(after),
            None => break,
        }
    }
    sink.finish()
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    let crm = &ctx.crm;
    let (rows, target) = match command {
        Command::Contacts { filters, target } => {
            let rows = stream(&target, |after| {
                let query = filters.clone().query(PAGE, after.map(ContactId));
                let page = crm.list_contacts(&actor, &query)?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Leads { filters, target } => {
            let rows = stream(&target, |after| {
                let page =
                    crm.list_leads(&actor, &filters.clone().query(PAGE, after.map(LeadId)))?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Deals { filters, target } => {
            let rows = stream(&target, |after| {
                let page =
                    crm.list_deals(&actor, &filters.clone().query(PAGE, after.map(DealId)))?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Campaigns { target } => {
            let rows = stream(&target, |_| {
                let all = crm.list_campaigns(&actor, crm_core::CampaignSort::Name, false)?;
                Ok((all, None))
            })?;
            (rows, target)
        }
        Command::Tickets { filters, target } => {
            let rows = stream(&target, |after| {
                let query = filters.clone().query(PAGE, after.map(TicketId));
                let page = crm.list_tickets(&actor, &query)?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Tasks { filters, target } => {
            let rows = stream(&target, |after| {
                let page =
                    crm.list_tasks(&actor, &filters.clone().query(PAGE, after.map(TaskId)))?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Activity { filters, target } => {
            let rows = stream(&target, |before| {
                let items = crm.activity(&actor, &filters.clone().query(PAGE, before))?;
                let next = (items.len() == PAGE as usize)
                    .then(|| items.last().map(|a| a.id))
                    .flatten();
                Ok((items, next))
            })?;
            (rows, target)
        }
    };
    if let Some(path) = &target.out {
        crate::output::hint(&format!("wrote {rows} rows to {}", path.display()));
    }
    Ok(())
}
