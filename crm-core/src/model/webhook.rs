//! Webhooks: other tools hear about changes in the CRM, signed, retried, logged.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fixed_set::fixed_set;
use super::{DeliveryId, WebhookId};

fixed_set! {
    /// What a webhook can be told about.
    WebhookEvent, "event" {
        LeadCreated => "lead.created",
        LeadConverted => "lead.converted",
        DealWon => "deal.won",
        DealLost => "deal.lost",
        TicketResolved => "ticket.resolved",
    }
}

fixed_set! {
    /// Where a delivery stands.
    DeliveryStatus, "delivery status" {
        /// Not sent yet, or to be tried again at `next_attempt_at`.
        Pending => "pending",
        /// The receiver answered 2xx.
        Delivered => "delivered",
        /// Every attempt failed, or the webhook was disabled before it went.
        Failed => "failed",
    }
}

/// A webhook as lists show it. Its secret is shown once, when it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Webhook {
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// What makes a webhook.
#[derive(Debug, Clone, Default)]
pub struct NewWebhook {
    /// `https://` (or `http://`, for a receiver on the same network).
    pub url: String,
    pub events: Vec<WebhookEvent>,
    /// The signing secret; a random one when absent.
    pub secret: Option<String>,
}

/// A new webhook with its signing secret, which is not shown again.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct WebhookMade {
    pub webhook: Webhook,
    pub secret: String,
}

/// One event for one webhook, and how sending it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Delivery {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub url: String,
    pub event: WebhookEvent,
    pub status: DeliveryStatus,
    pub attempts: u32,
    /// The receiver's last HTTP status, if it answered.
    pub response_status: Option<u16>,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// What one round of sending did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DeliveryReport {
    pub delivered: Vec<DeliveryId>,
    /// Failed this time, with why; tried again later unless out of attempts.
    pub failed: Vec<(DeliveryId, String)>,
}
