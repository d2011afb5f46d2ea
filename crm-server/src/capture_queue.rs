//! Group commit for web-to-lead posts. Each post is a write, and a write commits with an fsync;
//! under a burst, one post at a time queued dozens behind the lock (p99 half a second). Posts
//! wait here instead, and one writer takes every post that is waiting (up to `BATCH`) into one
//! transaction: at a trickle that is one post and no delay, in a burst one commit for many.

use std::sync::Arc;

use crm_core::Captured;
use tokio::sync::{mpsc, oneshot};

use crate::error::ApiError;
use crate::pool::Pool;

/// Posts written in one transaction at most.
const BATCH: usize = 256;

type Answer = oneshot::Sender<Result<Captured, ApiError>>;

struct Post {
    key: String,
    fields: Vec<(String, String)>,
    answer: Answer,
}

/// Where the capture route hands its posts.
#[derive(Clone)]
pub(crate) struct CaptureQueue(mpsc::Sender<Post>);

impl CaptureQueue {
    /// Starts the writer; it stops when the last handle is dropped.
    pub(crate) fn start(pool: Arc<Pool>) -> CaptureQueue {
        let (sender, receiver) = mpsc::channel(4 * BATCH);
        tokio::spawn(write_posts(pool, receiver));
        CaptureQueue(sender)
    }

    /// Captures one post: answered once its transaction has committed (or refused it).
    pub(crate) async fn capture(
        &self,
        key: String,
        fields: Vec<(String, String)>,
    ) -> Result<Captured, ApiError> {
        let (answer, answered) = oneshot::channel();
        self.0
            .send(Post {
                key,
                fields,
                answer,
            })
            .await
            .map_err(|_| ApiError::unavailable("the server is stopping"))?;
        answered
            .await
            .map_err(|_| ApiError::unavailable("the server is stopping"))?
    }
}

async fn write_posts(pool: Arc<Pool>, mut receiver: mpsc::Receiver<Post>) {
    let mut batch = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut batch, BATCH).await > 0 {
        let (work, answers): (Vec<_>, Vec<_>) = batch
            .drain(..)
            .map(|p| ((p.key, p.fields), p.answer))
            .unzip();
        let outcome = pool
            .run(move |crm| match crm.capture_leads(&work) {
                Ok(answers) => answers,
                // Something other than a post's own fault stopped the whole transaction:
                // each post on its own, so one cannot fail the others.
                Err(_) => work
                    .iter()
                    .map(|(key, fields)| crm.capture_lead(key, fields))
                    .collect(),
            })
            .await;
        match outcome {
            Ok(results) => {
                for (answer, result) in answers.into_iter().zip(results) {
                    let _ = answer.send(result.map_err(ApiError::from));
                }
            }
            Err(_) => {
                for answer in answers {
                    let _ = answer.send(Err(ApiError::unavailable("the server is stopping")));
                }
            }
        }
    }
}
