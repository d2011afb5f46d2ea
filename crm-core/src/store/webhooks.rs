//! The `webhooks` and `webhook_deliveries` tables: who listens for what, and each event's
//! delivery with its attempts (the delivery log).

use super::sql::{OptionalExtension, Row, params};

use super::{Tx, enum_at, opt_time_at, time_at};
use crate::{
    Delivery, DeliveryId, DeliveryStatus, Result, UserId, Webhook, WebhookEvent, WebhookId,
};

const SELECT: &str = "SELECT w.id, w.url, w.events, u.username, w.created_at, w.disabled_at
    FROM webhooks w JOIN users u ON u.id = w.created_by";

const DELIVERIES: &str = "SELECT d.id, d.webhook_id, w.url, d.event, d.status, d.attempts,
        d.response_status, d.last_error, d.next_attempt_at, d.delivered_at, d.created_at
    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id";

fn events(text: &str) -> Vec<WebhookEvent> {
    // Written by `insert_webhook` from parsed events; a name this build does not know (a newer
    // one's) is skipped rather than failing every list.
    text.lines().filter_map(|l| l.parse().ok()).collect()
}

fn webhook_from_row(row: &Row<'_>) -> super::sql::SqlResult<Webhook> {
    let text: String = row.get(2)?;
    Ok(Webhook {
        id: WebhookId(row.get(0)?),
        url: row.get(1)?,
        events: events(&text),
        created_by: row.get(3)?,
        created_at: time_at(row, 4)?,
        disabled_at: opt_time_at(row, 5)?,
    })
}

fn delivery_from_row(row: &Row<'_>) -> super::sql::SqlResult<Delivery> {
    let status: DeliveryStatus = enum_at(row, 4)?;
    Ok(Delivery {
        id: DeliveryId(row.get(0)?),
        webhook_id: WebhookId(row.get(1)?),
        url: row.get(2)?,
        event: enum_at(row, 3)?,
        status,
        attempts: row.get(5)?,
        response_status: row.get(6)?,
        last_error: row.get(7)?,
        next_attempt_at: if status == DeliveryStatus::Pending {
            opt_time_at(row, 8)?
        } else {
            None
        },
        delivered_at: opt_time_at(row, 9)?,
        created_at: time_at(row, 10)?,
    })
}

/// An active webhook and the events it listens for.
#[derive(Debug, Clone)]
pub(crate) struct Subscriber {
    pub(crate) id: WebhookId,
    pub(crate) events: Vec<WebhookEvent>,
}

/// A delivery its sender holds: what to send where, signed with what.
pub(crate) struct Claimed {
    pub(crate) url: String,
    pub(crate) secret: String,
    pub(crate) event: WebhookEvent,
    pub(crate) payload: String,
    pub(crate) attempts: u32,
}

impl Tx<'_> {
    pub(crate) fn insert_webhook(
        &self,
        url: &str,
        events: &[WebhookEvent],
        secret: &str,
        by: UserId,
        now: &str,
    ) -> Result<WebhookId> {
        let names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
        Ok(self.query_row(
            "INSERT INTO webhooks (url, events, secret, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
            params![url, names.join("\n"), secret, by.0, now],
            |r| r.get(0).map(WebhookId),
        )?)
    }

    pub(crate) fn webhook(&self, id: WebhookId) -> Result<Option<Webhook>> {
        Ok(self
            .query_row(
                &format!("{SELECT} WHERE w.id = ?1"),
                [id.0],
                webhook_from_row,
            )
            .optional()?)
    }

    /// Every webhook, newest first.
    pub(crate) fn webhooks(&self) -> Result<Vec<Webhook>> {
        let mut stmt = self.prepare(&format!("{SELECT} ORDER BY w.id DESC"))?;
        let rows = stmt.query_map([], webhook_from_row)?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Stops a webhook; what it had not sent yet fails with the reason.
    pub(crate) fn disable_webhook(&self, id: WebhookId, now: &str) -> Result<bool> {
        let changed = self.execute(
            "UPDATE webhooks SET disabled_at = ?2, updated_at = ?2
             WHERE id = ?1 AND disabled_at IS NULL",
            params![id.0, now],
        )? > 0;
        self.execute(
            "UPDATE webhook_deliveries SET status = 'failed', claimed_until = NULL,
                last_error = 'the webhook was disabled before it was sent', updated_at = ?2
             WHERE webhook_id = ?1 AND status = 'pending'",
            params![id.0, now],
        )?;
        Ok(changed)
    }

    /// The active webhooks, once per transaction.
    pub(crate) fn subscribers(&self) -> Result<&[Subscriber]> {
        if let Some(hooks) = self.hooks.get() {
            return Ok(hooks);
        }
        let mut stmt = self.prepare_cached(
            "SELECT id, events FROM webhooks WHERE disabled_at IS NULL ORDER BY id",
        )?;
        let hooks = stmt
            .query_map([], |r| {
                let text: String = r.get(1)?;
                Ok(Subscriber {
                    id: WebhookId(r.get(0)?),
                    events: events(&text),
                })
            })?
            .collect::<super::sql::SqlResult<Vec<_>>>()?;
        Ok(self.hooks.get_or_init(|| hooks))
    }

    pub(crate) fn insert_delivery(
        &self,
        webhook: WebhookId,
        event: WebhookEvent,
        payload: &str,
        now: &str,
    ) -> Result<DeliveryId> {
        Ok(self
            .prepare_cached(
                "INSERT INTO webhook_deliveries (webhook_id, event, payload, next_attempt_at,
                    created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?4) RETURNING id",
            )?
            .query_row(params![webhook.0, event.as_str(), payload, now], |r| {
                r.get(0).map(DeliveryId)
            })?)
    }

    /// Deliveries due by `now` that no sender holds, oldest first.
    pub(crate) fn due_deliveries(&self, now: &str, limit: u32) -> Result<Vec<DeliveryId>> {
        let mut stmt = self.prepare_cached(
            "SELECT id FROM webhook_deliveries
             WHERE status = 'pending' AND next_attempt_at <= ?1
               AND (claimed_until IS NULL OR claimed_until < ?1)
             ORDER BY next_attempt_at, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![now, limit], |r| r.get(0).map(DeliveryId))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Takes a due delivery for this sender until `until`; none when another sender holds it
    /// or it is no longer due.
    pub(crate) fn claim_delivery(
        &self,
        id: DeliveryId,
        until: &str,
        now: &str,
    ) -> Result<Option<Claimed>> {
        let claimed = self.execute(
            "UPDATE webhook_deliveries SET claimed_until = ?2, updated_at = ?3
             WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?3
               AND (claimed_until IS NULL OR claimed_until < ?3)",
            params![id.0, until, now],
        )? > 0;
        if !claimed {
            return Ok(None);
        }
        Ok(self
            .query_row(
                "SELECT w.url, w.secret, d.event, d.payload, d.attempts
                 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                 WHERE d.id = ?1",
                [id.0],
                |r| {
                    Ok(Claimed {
                        url: r.get(0)?,
                        secret: r.get(1)?,
                        event: enum_at(r, 2)?,
                        payload: r.get(3)?,
                        attempts: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    pub(crate) fn mark_delivered(&self, id: DeliveryId, status: u16, now: &str) -> Result<()> {
        self.execute(
            "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1,
                response_status = ?2, last_error = NULL, claimed_until = NULL,
                delivered_at = ?3, updated_at = ?3
             WHERE id = ?1",
            params![id.0, status, now],
        )?;
        Ok(())
    }

    /// One more failed attempt: tried again at `retry_at`, or failed for good without one.
    pub(crate) fn mark_attempt_failed(
        &self,
        id: DeliveryId,
        status: Option<u16>,
        error: &str,
        retry_at: Option<&str>,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, response_status = ?2,
                last_error = ?3, claimed_until = NULL,
                status = CASE WHEN CAST(?4 AS TEXT) IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = ifnull(?4, next_attempt_at), updated_at = ?5
             WHERE id = ?1",
            params![id.0, status, error, retry_at, now],
        )?;
        Ok(())
    }

    /// The log, newest first.
    pub(crate) fn deliveries(
        &self,
        webhook: Option<WebhookId>,
        status: Option<DeliveryStatus>,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        let mut stmt = self.prepare(&format!(
            "{DELIVERIES} WHERE (CAST(?1 AS BIGINT) IS NULL OR d.webhook_id = ?1)
               AND (CAST(?2 AS TEXT) IS NULL OR d.status = ?2)
             ORDER BY d.id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(
            params![
                webhook.map(|w| w.0),
                status.map(DeliveryStatus::as_str),
                limit
            ],
            delivery_from_row,
        )?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn delivery(&self, id: DeliveryId) -> Result<Option<Delivery>> {
        Ok(self
            .query_row(
                &format!("{DELIVERIES} WHERE d.id = ?1"),
                [id.0],
                delivery_from_row,
            )
            .optional()?)
    }

    /// The JSON body a delivery sends.
    pub(crate) fn delivery_payload(&self, id: DeliveryId) -> Result<Option<String>> {
        Ok(self
            .query_row(
                "SELECT payload FROM webhook_deliveries WHERE id = ?1",
                [id.0],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A failed delivery due again now, with a fresh round of attempts.
    pub(crate) fn requeue_delivery(&self, id: DeliveryId, now: &str) -> Result<()> {
        self.execute(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, claimed_until = NULL,
                next_attempt_at = ?2, updated_at = ?2
             WHERE id = ?1",
            params![id.0, now],
        )?;
        Ok(())
    }
}
