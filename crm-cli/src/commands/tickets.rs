//! `crm tickets ...`: the support queue.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{
    ContactId, NewTicket, Ticket, TicketId, TicketPatch, TicketPriority, TicketQuery, TicketStatus,
};

use crm_core::interop::CsvRow;

use crate::context::Context;
use crate::output::{Record, hint, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Open a ticket for a customer (a contact)
    #[command(
        after_help = "Example:\n  crm tickets add 'Missing package' --contact 10 --priority High --description 'Order #4411 never arrived'"
    )]
    Add {
        /// What the ticket is about
        subject: String,
        /// Contact id of the customer
        #[arg(long)]
        contact: ContactId,
        /// What the customer reported
        #[arg(long)]
        description: Option<String>,
        /// Low, Medium, High or Urgent
        #[arg(long)]
        priority: Option<TicketPriority>,
        /// Username of a support agent (or admin/manager)
        #[arg(long)]
        assign: Option<String>,
        #[command(flatten)]
        custom: crate::flags::FieldArgs,
    },
    /// The queue: open tickets, most urgent first
    #[command(
        after_help = "Examples:\n  crm tickets list\n  crm tickets list --assignee john\n  crm tickets list --all --output csv"
    )]
    List {
        #[command(flatten)]
        filters: Filters,
        #[command(flatten)]
        columns: crate::flags::ColumnsArgs,
        /// Rows per page (1-1000)
        #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
        limit: u32,
        /// Start after this ticket id (printed at the end of the previous page)
        #[arg(long)]
        after: Option<TicketId>,
    },
    /// Show every field of a ticket
    #[command(after_help = "Example:\n  crm tickets show 12")]
    Show {
        /// The ticket id
        id: TicketId,
    },
    /// Give a ticket to a support agent
    #[command(after_help = "Example:\n  crm tickets assign 12 --to john")]
    Assign {
        /// The ticket id
        id: TicketId,
        /// Username of the agent to assign it to
        #[arg(long)]
        to: String,
    },
    /// Start work on a ticket (In Progress)
    #[command(after_help = "Example:\n  crm tickets start 12")]
    Start {
        /// The ticket id
        id: TicketId,
    },
    /// Resolve a ticket; the customer's email is queued in the outbox
    #[command(
        after_help = "Example:\n  crm tickets resolve 12 --resolution 'Found at the depot; redelivered today.'\n  crm outbox send"
    )]
    Resolve {
        /// The ticket id
        id: TicketId,
        /// What was done to resolve it (sent to the customer)
        #[arg(long)]
        resolution: String,
    },
    /// Reopen a resolved ticket
    #[command(after_help = "Example:\n  crm tickets reopen 12")]
    Reopen {
        /// The ticket id
        id: TicketId,
    },
    /// Change a ticket's subject, description or priority
    #[command(
        after_help = "Example:\n  crm tickets edit 12 --priority Urgent --subject 'Portal login fails for everyone'"
    )]
    Edit {
        /// The ticket id
        id: TicketId,
        /// Subject
        #[arg(long)]
        subject: Option<String>,
        /// An empty value clears it
        #[arg(long)]
        description: Option<String>,
        /// Low, Medium, High or Urgent
        #[arg(long)]
        priority: Option<TicketPriority>,
        /// Refuse the change when the ticket is no longer at this version (as `show` printed it):
        /// a script never writes over a change someone made since it read the record
        #[arg(long, value_name = "N")]
        if_version: Option<crm_core::Version>,
        #[command(flatten)]
        custom: crate::flags::FieldArgs,
    },
}

/// What `list` and `export` select.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Filters {
    /// Open, In Progress or Resolved
    #[arg(long)]
    status: Option<TicketStatus>,
    /// Low, Medium, High or Urgent
    #[arg(long)]
    priority: Option<TicketPriority>,
    /// Only tickets assigned to this username
    #[arg(long)]
    assignee: Option<String>,
    /// Only tickets of this contact id
    #[arg(long)]
    contact: Option<ContactId>,
    /// Subject or customer name contains this text (any case)
    #[arg(long)]
    search: Option<String>,
    /// Include resolved tickets
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    pub(crate) custom_where: crate::flags::WhereArgs,
}

impl Filters {
    pub(crate) fn query(self, limit: u32, after: Option<TicketId>) -> TicketQuery {
        TicketQuery {
            wheres: self.custom_where.conditions,
            status: self.status,
            priority: self.priority,
            assignee: self.assignee,
            contact: self.contact,
            search: self.search,
            include_resolved: self.all,
            limit,
            after,
        }
    }
}

impl Record for Ticket {
    const COLUMNS: &'static [&'static str] = &[
        "id", "subject", "customer", "priority", "status", "assignee", "opened",
    ];
    const FIELDS: &'static [&'static str] = <Self as CsvRow>::FIELDS;

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.subject.clone(),
            self.contact.clone(),
            self.priority.to_string(),
            self.status.to_string(),
            opt(self.assignee.as_deref()),
            time(self.created_at),
        ]
    }

    fn custom(&self) -> Option<&crm_core::FieldValues> {
        Some(&self.fields)
    }

    fn fields(&self) -> Vec<String> {
        CsvRow::fields(self)
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add {
            subject,
            contact,
            description,
            priority,
            assign,
            custom,
        } => {
            let new = NewTicket {
                fields: custom.input()?,
                subject,
                description,
                contact,
                priority,
                assignee: assign,
            };
            ctx.out.show(&ctx.crm.add_ticket(&actor, &new)?)
        }
        Command::List {
            filters,
            columns,
            limit,
            after,
        } => {
            let columns = columns.keys(&ctx.crm, &actor, crm_core::FieldsOf::Tickets)?;
            let query = filters.query(limit, after);
            let page = ctx.crm.list_tickets(&actor, &query)?;
            ctx.out.list_with(&page.items, &columns)?;
            if let Some(next) = page.next_after {
                hint(&format!(
                    "more tickets: add --after {next} for the next page"
                ));
            }
            Ok(())
        }
        Command::Show { id } => ctx.out.show(&ctx.crm.ticket(&actor, id)?),
        Command::Assign { id, to } => {
            let t = ctx.crm.assign_ticket(&actor, id, &to)?;
            ctx.out.done(
                &t,
                &format!(
                    "Ticket #{id} '{}' assigned to {}",
                    t.subject,
                    opt(t.assignee.as_deref())
                ),
            )
        }
        Command::Start { id } => {
            let t = ctx.crm.start_ticket(&actor, id)?;
            ctx.out.done(
                &t,
                &format!(
                    "Ticket #{id} '{}' is In Progress ({})",
                    t.subject,
                    opt(t.assignee.as_deref())
                ),
            )
        }
        Command::Resolve { id, resolution } => {
            let r = ctx.crm.resolve_ticket(&actor, id, &resolution)?;
            let mail = match r.email {
                Some(m) => format!(
                    "the customer's email is queued as outbox message {m}; deliver it with `crm outbox send`"
                ),
                None => "the customer has no email address, so no email was queued".to_string(),
            };
            ctx.out.done(
                &r,
                &format!("Resolved ticket #{id} '{}'; {mail}", r.ticket.subject),
            )
        }
        Command::Reopen { id } => {
            let t = ctx.crm.reopen_ticket(&actor, id)?;
            ctx.out
                .done(&t, &format!("Reopened ticket #{id} '{}'", t.subject))
        }
        Command::Edit {
            id,
            subject,
            description,
            priority,
            if_version,
            custom,
        } => {
            let patch = TicketPatch {
                fields: custom.input()?,
                subject,
                description,
                priority,
                if_version,
            };
            let t = ctx.crm.edit_ticket(&actor, id, &patch)?;
            ctx.out
                .done(&t, &format!("Updated ticket #{id} '{}'", t.subject))
        }
    }
}
