//! Delivering the outbox over SMTP (lettre). A message is claimed before the server is asked to
//! take it and marked sent only after the server accepted it: a failure keeps it queued with the
//! error, so no mail is lost, and no two senders deliver the same message.

use std::time::Duration;

use chrono::Duration as Span;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::Serialize;

use crate::clock::to_text;
use crate::model::fixed_set::fixed_set;
use crate::service::Crm;
use crate::text::{one_line, terminal_safe};
use crate::{Actor, Error, OutboxId, OutboxMessage, OutboxStatus, Result};

/// A message whose delivery failed this many times is set aside as failed.
pub(crate) const MAX_ATTEMPTS: u32 = 5;
/// How long a sender's claim on a message lasts (longer than any SMTP exchange takes).
const CLAIM: Span = Span::minutes(5);

fixed_set! {
    /// How the connection to the SMTP server is protected.
    TlsMode, "TLS mode" {
        /// Plain text (a local relay, or tests).
        None => "none",
        /// Upgrade with STARTTLS (port 587).
        StartTls => "starttls",
        /// TLS from the first byte (port 465).
        Tls => "tls",
    }
}

/// Where and how to send mail.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The From address of outgoing mail.
    pub from: String,
    pub timeout: Duration,
}

/// What one `send` run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SendReport {
    pub sent: Vec<OutboxId>,
    /// Messages that failed this time, with the server's or the network's error.
    pub failed: Vec<(OutboxId, String)>,
}

fn transport(config: &SmtpConfig) -> Result<SmtpTransport> {
    let smtp = |e: lettre::transport::smtp::Error| Error::invalid("smtp host", e.to_string());
    let builder = match config.tls {
        TlsMode::None => SmtpTransport::builder_dangerous(&config.host),
        TlsMode::StartTls => SmtpTransport::starttls_relay(&config.host).map_err(smtp)?,
        TlsMode::Tls => SmtpTransport::relay(&config.host).map_err(smtp)?,
    };
    let mut builder = builder.port(config.port).timeout(Some(config.timeout));
    if let (Some(user), Some(password)) = (&config.username, &config.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

fn build(
    config: &SmtpConfig,
    message: &OutboxMessage,
    message_id: &str,
) -> std::result::Result<Message, String> {
    Message::builder()
        .from(
            config
                .from
                .parse()
                .map_err(|e| format!("from address '{}': {e}", config.from))?,
        )
        .to(message
            .to
            .parse()
            .map_err(|e| format!("to address '{}': {e}", message.to))?)
        .subject(header_text(&message.subject))
        .message_id(Some(message_id.to_string()))
        .header(ContentType::TEXT_PLAIN)
        .body(message.body.clone())
        .map_err(|e| e.to_string())
}

/// A header value as one line of text a mail client draws as it is. Subjects were made
/// single-line when queued, but a planted or restored row could still carry line breaks (which
/// would add headers), escape sequences or other controls (which lettre passes through
/// unencoded, being ASCII) or bidi overrides (which disguise the subject).
fn header_text(text: &str) -> String {
    one_line(&terminal_safe(text))
}

impl Crm {
    /// The newest outgoing messages, optionally of one status.
    pub fn list_outbox(
        &self,
        actor: &Actor,
        status: Option<OutboxStatus>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>> {
        actor.require_outbox("read the outbox")?;
        self.store
            .read(|tx| tx.list_outbox(status.map(OutboxStatus::as_str), limit.clamp(1, 1000)))
    }

    /// One outgoing message.
    pub fn outbox_message(&self, actor: &Actor, id: OutboxId) -> Result<OutboxMessage> {
        actor.require_outbox("read the outbox")?;
        self.store.read(|tx| {
            tx.outbox_message(id)?
                .ok_or_else(|| Error::not_found("outbox message", id))
        })
    }

    /// Queues a failed (or stuck) message again; sent messages stay sent.
    pub fn retry_outbox(&self, actor: &Actor, id: OutboxId) -> Result<OutboxMessage> {
        actor.require_outbox("retry mail")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let message = tx
                .outbox_message(id)?
                .ok_or_else(|| Error::not_found("outbox message", id))?;
            if message.status == OutboxStatus::Sent {
                return Err(Error::Conflict(format!(
                    "message {id} was already sent; it is not sent twice"
                )));
            }
            tx.requeue_outbox(id, &now)?;
            tx.outbox_message(id)?
                .ok_or_else(|| Error::not_found("outbox message", id))
        })
    }

    /// Delivers every queued message through the SMTP server, one at a time.
    pub fn send_outbox(&self, actor: &Actor, config: &SmtpConfig) -> Result<SendReport> {
        actor.require_outbox("send mail")?;
        let transport = transport(config)?;
        let mut report = SendReport::default();
        let ids = self.store.read(|tx| tx.sendable_outbox(&self.now_text()))?;
        for id in ids {
            let now = self.now();
            let mut token = [0u8; 12];
            getrandom::fill(&mut token)
                .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
            let fresh_id = format!(
                "<outbox-{id}-{}@crm.local>",
                crate::auth::token::hex(&token)
            );
            let claimed = self.store.write(|tx| {
                let Some(message_id) =
                    tx.claim_outbox(id, &to_text(now + CLAIM), &fresh_id, &to_text(now))?
                else {
                    return Ok(None);
                };
                Ok(tx.outbox_message(id)?.map(|m| (m, message_id)))
            })?;
            // Another sender took it between our list and our claim.
            let Some((message, message_id)) = claimed else {
                continue;
            };
            let outcome = build(config, &message, &message_id).and_then(|email| {
                transport
                    .send(&email)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
            let done = self.now_text();
            match outcome {
                Ok(()) => {
                    self.store.write(|tx| tx.mark_outbox_sent(id, &done))?;
                    report.sent.push(id);
                }
                Err(error) => {
                    let error = one_line(&error);
                    self.store
                        .write(|tx| tx.mark_outbox_failed(id, &error, MAX_ATTEMPTS, &done))?;
                    report.failed.push((id, error));
                }
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OutboxStatus;

    fn config() -> SmtpConfig {
        SmtpConfig {
            host: "localhost".into(),
            port: 25,
            tls: TlsMode::None,
            username: None,
            password: None,
            from: "support@example.com".into(),
            timeout: Duration::from_secs(1),
        }
    }

    /// The header block of the message as it goes on the wire, one unfolded header per entry.
    fn headers(subject: &str) -> Vec<String> {
        let message = OutboxMessage {
            id: OutboxId(1),
            to: "customer@example.com".into(),
            subject: subject.into(),
            body: "Hello".into(),
            status: OutboxStatus::Queued,
            attempts: 0,
            last_error: None,
            ticket_id: None,
            sent_at: None,
            created_at: chrono::Utc::now(),
        };
        let wire = build(&config(), &message, "<1@crm>").unwrap().formatted();
        let end = wire.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let block = std::str::from_utf8(&wire[..end]).expect("headers are ASCII");
        let mut unfolded: Vec<String> = Vec::new();
        for line in block.split("\r\n") {
            assert!(
                !line.contains(['\r', '\n']),
                "a bare line break in the headers: {line:?}"
            );
            if line.starts_with([' ', '\t']) {
                unfolded.last_mut().unwrap().push_str(line);
            } else {
                unfolded.push(line.to_string());
            }
        }
        unfolded
    }

    fn names(headers: &[String]) -> Vec<String> {
        let mut names: Vec<String> = headers
            .iter()
            .map(|h| h.split_once(':').expect("Name: value").0.to_string())
            .collect();
        names.sort();
        names
    }

    /// Subject injection: whatever a subject holds, the message keeps exactly the headers of a
    /// plain one, each on its own line, with no control byte in any of them. Stored subjects are
    /// single-line already; these go in raw, as a planted row would.
    #[test]
    fn no_hostile_subject_adds_or_breaks_a_header() {
        let expected = names(&headers("Plain subject"));
        let corpus = crate::testing::hostile_strings(10_000, 8);
        let mut with_breaks = 0;
        for subject in &corpus {
            with_breaks += usize::from(subject.contains(['\r', '\n']));
            let composed = crate::rules::resolution_mail::compose(7, subject, subject, subject).0;
            for subject in [subject.as_str(), composed.as_str()] {
                let headers = headers(subject);
                assert_eq!(names(&headers), expected, "{subject:?}");
                for header in &headers {
                    assert!(
                        !header.bytes().any(|b| b.is_ascii_control()),
                        "{header:?} from {subject:?}"
                    );
                }
            }
        }
        println!(
            "mail headers: {} hostile subjects ({with_breaks} with CR/LF), raw and composed: \
             0 added headers, 0 control bytes",
            corpus.len()
        );
        assert!(with_breaks > 1_000, "the corpus exercises line breaks");
    }
}
