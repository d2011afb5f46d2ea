//! `crm export KIND`: every record a `list` would show, streamed page by page as CSV, JSON or
//! JSON lines, so memory stays flat however many rows there are.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::{Subcommand, ValueEnum};
use crm_core::text::formula_safe;
use crm_core::{ContactId, DealId, FieldsOf, LeadId, TaskId, TicketId};

use super::{activity, contacts, deals, leads, tasks, tickets};
use crate::context::Context;
use crate::output::Record;

/// Rows fetched per query: large enough to amortise the query, small enough to keep memory flat.
const PAGE: u32 = 1_000;

const AFTER_HELP: &str = "\
CSV cells that begin with =, +, -, @, tab or carriage return get a leading apostrophe so a
spreadsheet shows them as text instead of running them as formulas (OWASP CSV injection
guidance); `crm import` removes it again. --raw writes cells exactly as stored.";

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Contacts, with the filters of `crm contacts list`
    #[command(after_help = format!("{AFTER_HELP}\n\nExamples:\n  crm export contacts -o contacts.csv\n  crm export contacts --tag vip --format jsonl\n  crm export contacts --format vcard -o contacts.vcf   (for phones and mail clients)"))]
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
    #[command(after_help = format!("{AFTER_HELP}\n\nExamples:\n  crm export tasks --mine --status open\n  crm export tasks --format ics --mine -o my-work.ics   (to-dos and lead follow-ups for a calendar)"))]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Csv,
    Json,
    Jsonl,
    /// vCard 4.0, for phones and mail clients (contacts only)
    Vcard,
    /// iCalendar: tasks as to-dos, lead follow-ups as events (tasks only)
    Ics,
}

/// Where and how rows are written.
#[derive(Debug, clap::Args)]
pub(crate) struct Target {
    /// Write to this file (created private to you) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
    /// csv, json or jsonl; vcard for contacts, ics for tasks
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// CSV cells exactly as stored, without the formula-injection guard
    #[arg(long)]
    raw: bool,
}

/// An open output with the header (or opening bracket) written on the first row.
struct Sink {
    format: Format,
    /// Keys of the custom fields written as columns after the record's own (CSV).
    custom: Vec<String>,
    raw: bool,
    out: Out,
    rows: u64,
}

/// CSV goes through one csv writer for the whole export (its quoting, its buffer); the other
/// formats write text to a buffer.
enum Out {
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Text(BufWriter<Box<dyn Write>>),
}

impl Sink {
    fn open(target: &Target, custom: Vec<String>) -> Result<Sink> {
        let writer: Box<dyn Write> = match &target.out {
            // Exports hold personal data: private to the user, like the database.
            Some(path) => Box::new(
                crate::private_file::create(path)
                    .with_context(|| format!("cannot write {}", path.display()))?,
            ),
            None => Box::new(std::io::stdout().lock()),
        };
        Ok(Sink {
            format: target.format,
            custom,
            raw: target.raw,
            out: match target.format {
                Format::Csv => Out::Csv(Box::new(
                    csv::WriterBuilder::new()
                        .buffer_capacity(1 << 16)
                        .from_writer(writer),
                )),
                _ => Out::Text(BufWriter::with_capacity(1 << 16, writer)),
            },
            rows: 0,
        })
    }

    fn start<T: Record>(&mut self) -> Result<()> {
        match self.format {
            Format::Csv => {
                let custom = self.custom.clone();
                self.csv_line(T::FIELDS.iter().map(|f| (*f).to_string()).chain(custom))
            }
            Format::Json => Ok(self.text().write_all(b"[")?),
            Format::Jsonl | Format::Vcard | Format::Ics => Ok(()),
        }
    }

    /// Text written as it is (a vCard, a calendar).
    fn write_text(&mut self, text: &str) -> Result<()> {
        self.text().write_all(text.as_bytes())?;
        self.rows += 1;
        Ok(())
    }

    fn write<T: Record>(&mut self, item: &T) -> Result<()> {
        match self.format {
            Format::Vcard | Format::Ics => {
                unreachable!("vCard and iCalendar are written with write_text")
            }
            Format::Csv => {
                let custom = item.custom_cells(&self.custom);
                self.csv_line(item.fields().into_iter().chain(custom))?;
            }
            Format::Json => {
                let first = self.rows == 0;
                let out = self.text();
                out.write_all(if first { b"\n  " } else { b",\n  " })?;
                serde_json::to_writer(out, item)?;
            }
            Format::Jsonl => {
                let out = self.text();
                serde_json::to_writer(&mut *out, item)?;
                out.write_all(b"\n")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn csv_line(&mut self, cells: impl Iterator<Item = String>) -> Result<()> {
        let Out::Csv(csv) = &mut self.out else {
            unreachable!("CSV lines are written to CSV exports only")
        };
        for cell in cells {
            if self.raw {
                csv.write_field(&cell)?;
            } else {
                csv.write_field(formula_safe(&cell).as_ref())?;
            }
        }
        csv.write_record(std::iter::empty::<&[u8]>())?;
        Ok(())
    }

    fn text(&mut self) -> &mut BufWriter<Box<dyn Write>> {
        match &mut self.out {
            Out::Text(out) => out,
            Out::Csv(_) => unreachable!("CSV exports are written as CSV lines"),
        }
    }

    fn finish(mut self) -> Result<u64> {
        if let Format::Json = self.format {
            let empty = self.rows == 0;
            self.text()
                .write_all(if empty { b"]\n" } else { b"\n]\n" })?;
        }
        match &mut self.out {
            Out::Csv(csv) => csv.flush()?,
            Out::Text(out) => out.flush()?,
        }
        Ok(self.rows)
    }
}

/// Writes every page `next` returns until it says there is no more.
fn stream<T: Record>(
    target: &Target,
    custom: Vec<String>,
    mut next: impl FnMut(Option<i64>) -> Result<(Vec<T>, Option<i64>)>,
) -> Result<u64> {
    let mut sink = Sink::open(target, custom)?;
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

/// `--format vcard` and `--format ics` belong to one kind of record each.
fn check_format(command: &Command) -> Result<()> {
    let (target, kind) = match command {
        Command::Contacts { target, .. } => (target, "contacts"),
        Command::Leads { target, .. } => (target, "leads"),
        Command::Deals { target, .. } => (target, "deals"),
        Command::Campaigns { target } => (target, "campaigns"),
        Command::Tickets { target, .. } => (target, "tickets"),
        Command::Tasks { target, .. } => (target, "tasks"),
        Command::Activity { target, .. } => (target, "activity"),
    };
    match (target.format, kind) {
        (Format::Vcard, k) if k != "contacts" => {
            anyhow::bail!("invalid format: vcard is for contacts; use csv, json or jsonl for {k}")
        }
        (Format::Ics, k) if k != "tasks" => {
            anyhow::bail!("invalid format: ics is for tasks; use csv, json or jsonl for {k}")
        }
        _ => Ok(()),
    }
}

/// Contacts as vCards, page by page.
fn vcards(
    ctx: &Context,
    actor: &crm_core::Actor,
    filters: &contacts::Filters,
    target: &Target,
) -> Result<u64> {
    let mut sink = Sink::open(target, Vec::new())?;
    let mut after = None;
    loop {
        let page = ctx
            .crm
            .list_contacts(actor, &filters.clone().query(PAGE, after.map(ContactId)))?;
        for contact in &page.items {
            sink.write_text(&crm_core::interop::vcard::card(contact))?;
        }
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    sink.finish()
}

/// The tasks the filters pick as to-dos and the leads' next follow-ups as events
/// (`Crm::calendar`), written to the target.
fn calendar(
    ctx: &Context,
    actor: &crm_core::Actor,
    filters: &tasks::Filters,
    target: &Target,
) -> Result<u64> {
    let calendar = ctx
        .crm
        .calendar(actor, &filters.clone().query(PAGE, None))?;
    let mut sink = Sink::open(target, Vec::new())?;
    sink.write_text(&calendar.text)?;
    sink.finish()?;
    Ok(calendar.items as u64)
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    check_format(&command)?;
    let actor = ctx.actor()?;
    let crm = &ctx.crm;
    // The custom fields of a kind of record are columns of its CSV, by key.
    let custom = |of: FieldsOf| -> Result<Vec<String>> {
        Ok(crm
            .fields(&actor, Some(of), false)?
            .into_iter()
            .map(|f| f.key)
            .collect())
    };
    let (rows, target) = match command {
        Command::Contacts { filters, target } if target.format == Format::Vcard => {
            (vcards(ctx, &actor, &filters, &target)?, target)
        }
        Command::Tasks { filters, target } if target.format == Format::Ics => {
            (calendar(ctx, &actor, &filters, &target)?, target)
        }
        Command::Contacts { filters, target } => {
            let rows = stream(&target, custom(FieldsOf::Contacts)?, |after| {
                let query = filters.clone().query(PAGE, after.map(ContactId));
                let page = crm.list_contacts(&actor, &query)?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Leads { filters, target } => {
            let rows = stream(&target, custom(FieldsOf::Leads)?, |after| {
                let page =
                    crm.list_leads(&actor, &filters.clone().query(PAGE, after.map(LeadId)))?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Deals { filters, target } => {
            let rows = stream(&target, custom(FieldsOf::Deals)?, |after| {
                let page =
                    crm.list_deals(&actor, &filters.clone().query(PAGE, after.map(DealId)))?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Campaigns { target } => {
            let rows = stream(&target, Vec::new(), |_| {
                let all = crm.list_campaigns(&actor, crm_core::CampaignSort::Name, false)?;
                Ok((all, None))
            })?;
            (rows, target)
        }
        Command::Tickets { filters, target } => {
            let rows = stream(&target, custom(FieldsOf::Tickets)?, |after| {
                let query = filters.clone().query(PAGE, after.map(TicketId));
                let page = crm.list_tickets(&actor, &query)?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Tasks { filters, target } => {
            let rows = stream(&target, Vec::new(), |after| {
                let page =
                    crm.list_tasks(&actor, &filters.clone().query(PAGE, after.map(TaskId)))?;
                Ok((page.items, page.next_after))
            })?;
            (rows, target)
        }
        Command::Activity { filters, target } => {
            let rows = stream(&target, Vec::new(), |before| {
                let items =
                    crm.activity(&actor, &filters.clone().query(PAGE, before, crm.now()))?;
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
