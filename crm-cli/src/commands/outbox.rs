//! `crm outbox ...`: outgoing mail, delivered over SMTP.

use anyhow::{Result, bail};
use clap::Subcommand;
use crm_core::{OutboxId, OutboxMessage, OutboxStatus};

use crate::config;
use crate::context::Context;
use crate::output::{Record, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List outgoing messages, newest first
    #[command(after_help = "Examples:\n  crm outbox list\n  crm outbox list --status queued")]
    List {
        /// queued, sent or failed
        #[arg(long)]
        status: Option<OutboxStatus>,
        /// How many queued messages to send at most
        #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
        limit: u32,
    },
    /// Show one message with its body
    #[command(after_help = "Example:\n  crm outbox show 3")]
    Show {
        /// The message id
        id: OutboxId,
    },
    /// Deliver every queued message through the SMTP server
    #[command(
        after_help = "Examples:\n  CRM_SMTP_HOST=smtp.example.com CRM_SMTP_USER=crm CRM_SMTP_PASSWORD=... \\\n      \
                            CRM_SMTP_FROM=support@example.com crm outbox send\n\n\
                            Settings come from CRM_SMTP_HOST, _PORT, _TLS (none|starttls|tls), _USER, _PASSWORD, _FROM,\n\
                            or the [smtp] table of ~/.config/crm/config.toml. A failed message stays queued with its error."
    )]
    Send,
    /// Queue a failed message again
    #[command(after_help = "Example:\n  crm outbox retry 3 && crm outbox send")]
    Retry {
        /// The message id
        id: OutboxId,
    },
}

impl Record for OutboxMessage {
    const COLUMNS: &'static [&'static str] =
        &["id", "to", "subject", "status", "attempts", "last error"];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "to",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "ticket_id",
        "sent_at",
        "created_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.to.clone(),
            self.subject.clone(),
            self.status.to_string(),
            self.attempts.to_string(),
            opt(self.last_error.as_deref()),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.to.clone(),
            self.subject.clone(),
            self.body.clone(),
            self.status.to_string(),
            self.attempts.to_string(),
            opt(self.last_error.as_deref()),
            self.ticket_id.map(|t| t.to_string()).unwrap_or_default(),
            self.sent_at.map(time).unwrap_or_default(),
            time(self.created_at),
        ]
    }
}

pub(crate) fn run(ctx: &Context, command: &Command) -> Result<()> {
    let actor = ctx.actor()?;
    match *command {
        Command::List { status, limit } => {
            ctx.out.list(&ctx.crm.list_outbox(&actor, status, limit)?)
        }
        Command::Show { id } => {
            let message = ctx.crm.outbox_message(&actor, id)?;
            ctx.out.show(&message)
        }
        Command::Send => {
            let report = ctx.crm.send_outbox(&actor, &config::smtp()?)?;
            let mut lines = vec![format!("Sent {} message(s)", report.sent.len())];
            lines.extend(
                report
                    .failed
                    .iter()
                    .map(|(id, error)| format!("message {id} stays queued: {error}")),
            );
            let text = lines.join("\n");
            ctx.out.done(&report, &text)?;
            if !report.failed.is_empty() {
                bail!(
                    "{} message(s) could not be delivered; they stay queued",
                    report.failed.len()
                );
            }
            Ok(())
        }
        Command::Retry { id } => {
            let m = ctx.crm.retry_outbox(&actor, id)?;
            ctx.out
                .done(&m, &format!("Message {id} to {} is queued again", m.to))
        }
    }
}
