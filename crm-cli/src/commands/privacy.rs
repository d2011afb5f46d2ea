//! `crm privacy ...`: a person's copy of their data, and erasure on request.

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::output::confirm;

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print everything held about a person as one JSON document (admins)
    #[command(
        after_help = "Examples:\n  crm privacy export --email aarav@techverse.in > aarav.json\n\n\
                      The document holds the person's leads and contacts, the deals and tickets of\n\
                      those, tasks and notes on any of them, mail to the address, and the activity\n\
                      rows about all of it."
    )]
    Export {
        /// The person's email address (any case)
        #[arg(long)]
        email: String,
    },
    /// Erase a person everywhere, in one transaction (admins)
    #[command(
        after_help = "Examples:\n  crm privacy erase --email aarav@techverse.in --yes\n\n\
                      Deletes the person's leads, contacts, tickets, tasks, notes and mail; keeps\n\
                      their deals for the revenue figures without any link or text naming them;\n\
                      keeps the activity rows (the audit trail) with their summaries replaced.\n\
                      Deleted bytes are overwritten in the file, and the address goes on a\n\
                      suppression list (stored hashed) so no import or new record brings it back."
    )]
    Erase {
        /// The person's email address (any case)
        #[arg(long)]
        email: String,
        /// Do not ask first
        #[arg(long)]
        yes: bool,
    },
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Export { email } => {
            let data = ctx.crm.privacy_export(&actor, &email)?;
            // A document for the person: always JSON, whatever --output says.
            ctx.out.json(&data)
        }
        Command::Erase { email, yes } => {
            if !yes {
                confirm(
                    &format!("Erase every record of {email}? This cannot be undone."),
                    "erase",
                )?;
            }
            let erased = ctx.crm.privacy_erase(&actor, &email)?;
            let mut sentence = format!(
                "Erased {email}: {} leads, {} contacts, {} tickets, {} tasks, {} notes, {} mails \
                 deleted; {} deals and {} activity rows anonymised; the address is suppressed",
                erased.leads,
                erased.contacts,
                erased.tickets,
                erased.tasks,
                erased.notes,
                erased.outbox,
                erased.deals_anonymised,
                erased.activities_anonymised
            );
            if !erased.wal_cleared {
                sentence.push_str(
                    ". Another program had the database open, so old copies of the erased pages \
                     stay in the -wal file until it closes",
                );
            }
            ctx.out.done(&erased, &sentence)
        }
    }
}
