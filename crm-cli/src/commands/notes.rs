//! `crm notes ...`: notes and comments on records; `@username` gives that user a task.

use anyhow::{Result, bail};
use clap::Subcommand;
use crm_core::{ContactId, DealId, EntityKind, LeadId, Note, NoteId, RecordRef, TicketId};

use crate::context::Context;
use crate::output::{Record, time};

/// Which record a note is about: exactly one of these.
#[derive(Debug, clap::Args)]
pub(crate) struct On {
    /// Attach it to this lead
    #[arg(long, group = "record")]
    lead: Option<LeadId>,
    /// Attach it to this contact
    #[arg(long, group = "record")]
    contact: Option<ContactId>,
    /// Attach it to this deal
    #[arg(long, group = "record")]
    deal: Option<DealId>,
    /// Attach it to this ticket
    #[arg(long, group = "record")]
    ticket: Option<TicketId>,
}

impl On {
    fn record(&self) -> Option<RecordRef> {
        self.lead
            .map(|i| RecordRef::new(EntityKind::Lead, i.0))
            .or(self
                .contact
                .map(|i| RecordRef::new(EntityKind::Contact, i.0)))
            .or(self.deal.map(|i| RecordRef::new(EntityKind::Deal, i.0)))
            .or(self.ticket.map(|i| RecordRef::new(EntityKind::Ticket, i.0)))
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add a note to a record, or a comment under a note with --reply-to
    #[command(
        after_help = "Examples:\n  crm notes add --deal 5 'Client approved the ad campaign; start Friday. @designer'\n  \
                            crm notes add --reply-to 12 'Creatives are ready.'"
    )]
    Add {
        #[command(flatten)]
        on: On,
        /// Answer this note (a comment in its thread)
        #[arg(long)]
        reply_to: Option<NoteId>,
        /// The text; `@username` gives that user a task about the same record
        text: String,
    },
    /// List a record's notes, each followed by its comments
    #[command(after_help = "Example:\n  crm notes list --deal 5")]
    List {
        #[command(flatten)]
        on: On,
    },
}

impl Record for Note {
    const COLUMNS: &'static [&'static str] = &["id", "when", "author", "note"];
    const FIELDS: &'static [&'static str] =
        &["id", "record", "parent_id", "author", "body", "created_at"];

    fn cells(&self) -> Vec<String> {
        let indent = if self.parent_id.is_some() {
            "  ↳ "
        } else {
            ""
        };
        vec![
            self.id.to_string(),
            time(self.created_at),
            self.author.clone().unwrap_or_default(),
            format!("{indent}{}", self.body),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.record.to_string(),
            self.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            self.author.clone().unwrap_or_default(),
            self.body.clone(),
            time(self.created_at),
        ]
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add { on, reply_to, text } => {
            let added = ctx.crm.add_note(&actor, on.record(), reply_to, &text)?;
            let mut lines = vec![format!(
                "Added note {} on {}",
                added.note.id, added.note.record
            )];
            lines.extend(
                added
                    .mention_tasks
                    .iter()
                    .map(|(user, task)| format!("{user} got task {task}")),
            );
            lines.extend(
                added
                    .unmatched_mentions
                    .iter()
                    .map(|(name, why)| format!("@{name} made no task: {why}")),
            );
            ctx.out.done(&added, &lines.join("\n"))
        }
        Command::List { on } => {
            let Some(record) = on.record() else {
                bail!("name the record: --lead, --contact, --deal or --ticket")
            };
            ctx.out.list(&ctx.crm.notes(&actor, record)?)
        }
    }
}
