//! The server's webhook sender: a thread with its own database connection that sends due
//! deliveries (crm-core claims each first, so two servers on one database never send one
//! twice). It runs beside the requests, never inside one: a slow receiver holds up nothing.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use crm_core::Crm;

use crate::ServerConfig;
use crate::error::ServeError;

/// How long an idle sender waits before looking for due deliveries again.
const IDLE: Duration = Duration::from_secs(1);
/// How long one receiver gets to answer.
const RECEIVER_TIMEOUT: Duration = Duration::from_secs(10);

/// The running sender; `stop` lets the delivery in hand finish.
pub(crate) struct WebhookSender {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl WebhookSender {
    pub(crate) fn start(config: &ServerConfig) -> Result<WebhookSender, ServeError> {
        let crm = Crm::open_with_clock(&config.db, config.clock).map_err(ServeError::Open)?;
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("crm-webhooks".into())
            .spawn(move || {
                loop {
                    let busy = match crm.deliver_due_webhooks(RECEIVER_TIMEOUT) {
                        Ok(report) => {
                            for id in &report.delivered {
                                tracing::info!(delivery = id.0, "webhook delivered");
                            }
                            for (id, why) in &report.failed {
                                tracing::warn!(delivery = id.0, error = %why, "webhook delivery failed");
                            }
                            !report.delivered.is_empty() || !report.failed.is_empty()
                        }
                        Err(err) => {
                            tracing::warn!(error = %err, "webhook sender");
                            false
                        }
                    };
                    let wait = if busy { Duration::ZERO } else { IDLE };
                    match stopped.recv_timeout(wait) {
                        Err(RecvTimeoutError::Timeout) => {}
                        Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            })
            .map_err(ServeError::Runtime)?;
        Ok(WebhookSender { stop, thread })
    }

    pub(crate) fn stop(self) {
        let _ = self.stop.send(());
        if self.thread.join().is_err() {
            tracing::error!("the webhook sender panicked");
        }
    }
}
