//! `crm webhooks ...`: other tools hear when leads arrive or convert, deals are won or lost and
//! tickets are resolved (admins).

use anyhow::Result;
use clap::Subcommand;
use crm_core::{
    Delivery, DeliveryId, DeliveryStatus, NewWebhook, Webhook, WebhookEvent, WebhookId,
};

use crate::context::Context;
use crate::output::{Record, hint, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Send these events to a URL, each signed with the webhook's secret
    #[command(after_help = "Examples:\n  \
        crm webhooks add https://hooks.example.com/crm --events deal.won,deal.lost\n  \
        crm webhooks add https://example.com/in --events lead.created,lead.converted,ticket.resolved\n\n\
        Events: lead.created, lead.converted, deal.won, deal.lost, ticket.resolved.\n\
        Each delivery is a POST of JSON {\"event\", \"occurred_at\", \"data\"} with the headers\n\
        X-CRM-Event, X-CRM-Delivery (the same on every retry), X-CRM-Timestamp and\n\
        X-CRM-Signature: sha256=HMAC-SHA256(secret, \"<timestamp>.<body>\") in hex.\n\
        A receiver checks the signature and refuses timestamps more than 5 minutes old.\n\
        `crm serve` sends them within a second or so; without a server, `crm webhooks send`.")]
    Add {
        /// Where to POST (https://, or http:// on a network you trust)
        url: String,
        /// Events to send, comma-separated
        #[arg(long, value_delimiter = ',', required = true)]
        events: Vec<WebhookEvent>,
        /// Read the signing secret from standard input instead of making a random one
        #[arg(long)]
        secret_stdin: bool,
    },
    /// List the webhooks
    #[command(after_help = "Examples:\n  crm webhooks list\n  crm webhooks list --output json")]
    List,
    /// Stop a webhook; what it had not sent yet is marked failed, its log stays
    #[command(after_help = "Example:\n  crm webhooks disable 2")]
    Disable {
        /// The webhook's id, from `crm webhooks list`
        id: WebhookId,
    },
    /// The delivery log, newest first
    #[command(after_help = "Examples:\n  crm webhooks deliveries\n  \
        crm webhooks deliveries --status failed\n  crm webhooks deliveries --webhook 2 --limit 200")]
    Deliveries {
        /// Only this webhook's
        #[arg(long, value_name = "ID")]
        webhook: Option<WebhookId>,
        /// Only pending, delivered or failed ones
        #[arg(long)]
        status: Option<DeliveryStatus>,
        /// How many (1 to 1000)
        #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
        limit: u32,
    },
    /// Print the exact JSON body a delivery sends
    #[command(after_help = "Example:\n  crm webhooks payload 17 | jq .data")]
    Payload {
        /// The delivery's id, from `crm webhooks deliveries`
        id: DeliveryId,
    },
    /// Send a failed delivery again, with a fresh round of attempts
    #[command(after_help = "Example:\n  crm webhooks retry 17")]
    Retry {
        /// The delivery's id, from `crm webhooks deliveries`
        id: DeliveryId,
    },
    /// Send what is due now (`crm serve` does this by itself)
    #[command(after_help = "Example:\n  crm webhooks send")]
    Send,
}

impl Record for Webhook {
    const COLUMNS: &'static [&'static str] = &["id", "url", "events", "by", "created", "disabled"];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "url",
        "events",
        "created_by",
        "created_at",
        "disabled_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.url.clone(),
            event_names(&self.events),
            self.created_by.clone(),
            time(self.created_at),
            self.disabled_at.map(time).unwrap_or_default(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        self.cells()
    }
}

fn event_names(all: &[WebhookEvent]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl Record for Delivery {
    const COLUMNS: &'static [&'static str] = &[
        "id", "webhook", "event", "status", "tries", "answer", "error", "next try", "at",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "webhook_id",
        "url",
        "event",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.webhook_id.to_string(),
            self.event.to_string(),
            self.status.to_string(),
            self.attempts.to_string(),
            self.response_status
                .map(|s| s.to_string())
                .unwrap_or_default(),
            opt(self.last_error.as_deref()),
            self.next_attempt_at.map(time).unwrap_or_default(),
            time(self.delivered_at.unwrap_or(self.created_at)),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.webhook_id.to_string(),
            self.url.clone(),
            self.event.to_string(),
            self.status.to_string(),
            self.attempts.to_string(),
            self.response_status
                .map(|s| s.to_string())
                .unwrap_or_default(),
            opt(self.last_error.as_deref()),
            self.next_attempt_at.map(time).unwrap_or_default(),
            self.delivered_at.map(time).unwrap_or_default(),
            time(self.created_at),
        ]
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add {
            url,
            events,
            secret_stdin,
        } => {
            let secret = secret_stdin
                .then(|| crate::secret::PasswordSource::new(true).read("secret", false))
                .transpose()?;
            let made = ctx.crm.add_webhook(
                &actor,
                &NewWebhook {
                    url,
                    events,
                    secret,
                },
            )?;
            if !secret_stdin {
                hint("the signing secret is shown this once; give it to the receiver now");
            }
            ctx.out.done(
                &made,
                &format!(
                    "Webhook {} sends {} to {}\nsecret: {}",
                    made.webhook.id,
                    event_names(&made.webhook.events),
                    made.webhook.url,
                    made.secret
                ),
            )
        }
        Command::List => ctx.out.list(&ctx.crm.webhooks(&actor)?),
        Command::Disable { id } => {
            let webhook = ctx.crm.disable_webhook(&actor, id)?;
            ctx.out.done(
                &webhook,
                &format!("Webhook {id} to {} disabled", webhook.url),
            )
        }
        Command::Deliveries {
            webhook,
            status,
            limit,
        } => ctx
            .out
            .list(&ctx.crm.webhook_deliveries(&actor, webhook, status, limit)?),
        Command::Payload { id } => ctx.out.text(&ctx.crm.delivery_payload(&actor, id)?),
        Command::Retry { id } => {
            let delivery = ctx.crm.retry_delivery(&actor, id)?;
            ctx.out.done(
                &delivery,
                &format!("Delivery {id} is due again; `crm serve` or `crm webhooks send` sends it"),
            )
        }
        Command::Send => {
            let report = ctx.crm.send_webhooks(&actor)?;
            for (id, why) in &report.failed {
                hint(&format!("delivery {id} failed: {why}"));
            }
            ctx.out.done(
                &report,
                &format!(
                    "{} delivered, {} failed (failed ones are tried again later; `crm webhooks deliveries` shows them)",
                    report.delivered.len(),
                    report.failed.len()
                ),
            )
        }
    }
}
