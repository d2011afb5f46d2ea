//! Webhooks: admins point other tools at the CRM's events. An event is queued as one delivery
//! per listening webhook in the same transaction as the change that caused it, so a change and
//! its deliveries are written together or not at all; sending happens later, outside any
//! request (the server's sender, or `crm webhooks send`), and never holds up the change.

use std::time::Duration;

use serde::Serialize;

use super::Crm;
use crate::auth::token;
use crate::clock::to_text;
use crate::rules::webhook::{backoff, signature};
use crate::store::{Claimed, Tx};
use crate::text::one_line;
use crate::{
    Actor, Delivery, DeliveryId, DeliveryReport, DeliveryStatus, Error, NewWebhook, Result,
    Webhook, WebhookEvent, WebhookId, WebhookMade,
};

/// How long a sender holds a delivery: longer than one attempt can take.
const CLAIM: chrono::Duration = chrono::Duration::seconds(60);
/// Deliveries a round takes at most, so a backlog is worked through in bounded steps.
const ROUND: u32 = 100;

fn url(text: &str) -> Result<String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or_default();
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || text.contains(char::is_whitespace) || host.contains('@') {
        return Err(Error::invalid(
            "url",
            format!("'{text}' is not an http(s) address like https://example.com/hooks/crm"),
        ));
    }
    if text.len() > 2000 {
        return Err(Error::invalid("url", "longer than 2000 characters"));
    }
    Ok(text.to_string())
}

fn secret(given: Option<&str>) -> Result<String> {
    match given.map(str::trim) {
        None => token::generate_with("whsec_"),
        Some(s) if s.chars().count() >= 16 && !s.contains(char::is_whitespace) => Ok(s.to_string()),
        Some(_) => Err(Error::invalid(
            "secret",
            "needs at least 16 characters and no spaces (leave it out for a random one)",
        )),
    }
}

/// The body every delivery of `event` sends.
#[derive(Serialize)]
struct Payload<'a, T: Serialize> {
    event: WebhookEvent,
    occurred_at: &'a str,
    data: T,
}

/// Queues `event` for every webhook that listens for it. `data` (the record as the API shows
/// it) is built only when one does: most changes have no listener.
pub(crate) fn queue<T: Serialize>(
    tx: &Tx<'_>,
    event: WebhookEvent,
    now: &str,
    data: impl FnOnce() -> Result<T>,
) -> Result<()> {
    let listeners: Vec<WebhookId> = tx
        .subscribers()?
        .iter()
        .filter(|s| s.events.contains(&event))
        .map(|s| s.id)
        .collect();
    if listeners.is_empty() {
        return Ok(());
    }
    let payload = serde_json::to_string(&Payload {
        event,
        occurred_at: now,
        data: data()?,
    })
    .map_err(|e| Error::Io(std::io::Error::other(e)))?;
    for webhook in listeners {
        tx.insert_delivery(webhook, event, &payload, now)?;
    }
    Ok(())
}

impl Crm {
    /// Adds a webhook (admins). The secret that signs its deliveries is in the answer, once.
    pub fn add_webhook(&self, actor: &Actor, new: &NewWebhook) -> Result<WebhookMade> {
        actor.require_admin("add webhooks")?;
        let url = url(&new.url)?;
        if new.events.is_empty() {
            return Err(Error::invalid(
                "events",
                format!(
                    "name at least one of: {}",
                    WebhookEvent::ALL
                        .iter()
                        .map(|e| e.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        let mut events = new.events.clone();
        events.sort();
        events.dedup();
        let secret = secret(new.secret.as_deref())?;
        let now = self.now_text();
        self.store.write(|tx| {
            let id = tx.insert_webhook(&url, &events, &secret, actor.id, &now)?;
            let webhook = tx
                .webhook(id)?
                .ok_or_else(|| Error::not_found("webhook", id))?;
            Ok(WebhookMade {
                webhook,
                secret: secret.clone(),
            })
        })
    }

    /// Every webhook, newest first (admins).
    pub fn webhooks(&self, actor: &Actor) -> Result<Vec<Webhook>> {
        actor.require_admin("list webhooks")?;
        self.store.read(|tx| tx.webhooks())
    }

    /// Stops a webhook (admins): nothing more is queued for it, and what it had not sent yet is
    /// marked failed with the reason. Its log stays.
    pub fn disable_webhook(&self, actor: &Actor, id: WebhookId) -> Result<Webhook> {
        actor.require_admin("disable webhooks")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let webhook = tx
                .webhook(id)?
                .ok_or_else(|| Error::not_found("webhook", id))?;
            if webhook.disabled_at.is_some() {
                return Err(Error::Conflict(format!("webhook {id} is disabled already")));
            }
            tx.disable_webhook(id, &now)?;
            tx.webhook(id)?
                .ok_or_else(|| Error::not_found("webhook", id))
        })
    }

    /// The delivery log, newest first (admins).
    pub fn webhook_deliveries(
        &self,
        actor: &Actor,
        webhook: Option<WebhookId>,
        status: Option<DeliveryStatus>,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        actor.require_admin("read webhook deliveries")?;
        self.store
            .read(|tx| tx.deliveries(webhook, status, limit.clamp(1, 1000)))
    }

    /// The exact body a delivery sends (admins): what a receiver's signature check sees.
    pub fn delivery_payload(&self, actor: &Actor, id: DeliveryId) -> Result<String> {
        actor.require_admin("read webhook deliveries")?;
        self.store
            .read(|tx| tx.delivery_payload(id))?
            .ok_or_else(|| Error::not_found("delivery", id))
    }

    /// Sends a failed delivery again, with a fresh round of attempts (admins).
    pub fn retry_delivery(&self, actor: &Actor, id: DeliveryId) -> Result<Delivery> {
        actor.require_admin("retry webhook deliveries")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let delivery = tx
                .delivery(id)?
                .ok_or_else(|| Error::not_found("delivery", id))?;
            if delivery.status == DeliveryStatus::Delivered {
                return Err(Error::Conflict(format!(
                    "delivery {id} was delivered; it is not sent twice"
                )));
            }
            let webhook = tx
                .webhook(delivery.webhook_id)?
                .ok_or_else(|| Error::not_found("webhook", delivery.webhook_id))?;
            if webhook.disabled_at.is_some() {
                return Err(Error::Conflict(format!(
                    "webhook {} is disabled; add it again to send to it",
                    webhook.id
                )));
            }
            tx.requeue_delivery(id, &now)?;
            tx.delivery(id)?
                .ok_or_else(|| Error::not_found("delivery", id))
        })
    }

    /// Sends what is due now (admins; `crm webhooks send`, for a CRM without `crm serve`).
    pub fn send_webhooks(&self, actor: &Actor) -> Result<DeliveryReport> {
        actor.require_admin("send webhooks")?;
        self.deliver_due_webhooks(Duration::from_secs(10))
    }

    /// The server's sender: sends up to a round of due deliveries, each claimed first so that
    /// two senders (two servers on one database) never send one twice, each waiting at most
    /// `timeout` for its receiver. No user acts: this is the system keeping its promise to
    /// deliver what the changes queued.
    pub fn deliver_due_webhooks(&self, timeout: Duration) -> Result<DeliveryReport> {
        let mut report = DeliveryReport::default();
        let due = self
            .store
            .read(|tx| tx.due_deliveries(&self.now_text(), ROUND))?;
        for id in due {
            let now = self.now();
            let claimed = self
                .store
                .write(|tx| tx.claim_delivery(id, &to_text(now + CLAIM), &to_text(now)))?;
            // Another sender took it between the list and the claim.
            let Some(claimed) = claimed else { continue };
            let outcome = post(&claimed, id, now.timestamp(), timeout);
            let done = self.now();
            let done_text = to_text(done);
            match outcome {
                Ok(status) => {
                    self.store
                        .write(|tx| tx.mark_delivered(id, status, &done_text))?;
                    report.delivered.push(id);
                }
                Err((status, error)) => {
                    let retry_at = backoff(claimed.attempts + 1).map(|wait| to_text(done + wait));
                    self.store.write(|tx| {
                        tx.mark_attempt_failed(id, status, &error, retry_at.as_deref(), &done_text)
                    })?;
                    report.failed.push((id, error));
                }
            }
        }
        Ok(report)
    }
}

/// One attempt: the receiver's 2xx status, or its status (if it answered) and why it failed.
fn post(
    claimed: &Claimed,
    id: DeliveryId,
    timestamp: i64,
    timeout: Duration,
) -> std::result::Result<u16, (Option<u16>, String)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        // A receiver that redirects is answered as failing: a signed body is not re-sent to
        // an address nobody configured.
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .user_agent(concat!("crm-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let response = agent
        .post(&claimed.url)
        .header("Content-Type", "application/json")
        .header("X-CRM-Event", claimed.event.as_str())
        .header("X-CRM-Delivery", id.to_string())
        .header("X-CRM-Timestamp", timestamp.to_string())
        .header(
            "X-CRM-Signature",
            signature(&claimed.secret, timestamp, &claimed.payload),
        )
        .send(claimed.payload.as_bytes());
    match response {
        Ok(response) => {
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                Ok(status)
            } else {
                Err((Some(status), format!("the receiver answered HTTP {status}")))
            }
        }
        Err(error) => Err((None, one_line(&error.to_string()))),
    }
}
