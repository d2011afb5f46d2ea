//! Searches as the user types, on a thread and a connection of their own, so a keystroke never
//! waits for a search: each key sends the text; a search the user has typed past is dropped
//! before it starts, or interrupted when it is running, and only the newest text's results
//! are shown.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread;
use std::time::Duration;

use crm_core::{Actor, Crm, SearchHit, SearchInterrupt};

/// Results a search asks for (the popup shows the best of them).
pub(crate) const SEARCH_LIMIT: u32 = 20;

struct Request {
    generation: u64,
    actor: Actor,
    text: String,
}

/// The results of one request.
pub(crate) struct Answer {
    pub(crate) generation: u64,
    pub(crate) result: crm_core::Result<Vec<SearchHit>>,
}

/// The thread that searches, and the way to reach it.
pub(crate) struct SearchWorker {
    requests: Sender<Request>,
    answers: Receiver<Answer>,
    interrupt: SearchInterrupt,
    /// The newest request's number: the worker skips or drops anything older.
    latest: Arc<AtomicU64>,
}

impl SearchWorker {
    /// A worker with its own connection to the CRM's database, or None when it cannot open
    /// one (the popup then searches in line).
    pub(crate) fn start(crm: &Crm) -> Option<SearchWorker> {
        let reopen = crm.reopen();
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, answers) = mpsc::channel();
        let (opened, ready) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = Arc::clone(&latest);
        thread::Builder::new()
            .name("crm-search".into())
            .spawn(move || {
                let Ok(crm) = reopen.open() else {
                    let _ = opened.send(None);
                    return;
                };
                if opened.send(Some(crm.search_interrupt())).is_err() {
                    return;
                }
                serve(&crm, &inbox, &outbox, &newest);
            })
            .ok()?;
        let interrupt = ready.recv().ok().flatten()?;
        Some(SearchWorker {
            requests,
            answers,
            interrupt,
            latest,
        })
    }

    /// Asks for the results of `text`, dropping any search still running for older text.
    pub(crate) fn search(&self, generation: u64, actor: Actor, text: String) {
        self.latest.store(generation, Ordering::SeqCst);
        self.interrupt.interrupt();
        let _ = self.requests.send(Request {
            generation,
            actor,
            text,
        });
    }

    /// The answers that have arrived, oldest first, without waiting.
    pub(crate) fn arrived(&self) -> Vec<Answer> {
        let mut answers = Vec::new();
        loop {
            match self.answers.try_recv() {
                Ok(answer) => answers.push(answer),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return answers,
            }
        }
    }

    /// Waits up to `timeout` for the answer to request `generation` (tests and benchmarks,
    /// which look at the results of what they typed).
    pub(crate) fn wait_for(&self, generation: u64, timeout: Duration) -> Option<Answer> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let answer = self.answers.recv_timeout(left).ok()?;
            if answer.generation == generation {
                return Some(answer);
            }
        }
    }
}

/// The worker's loop: the newest request waiting, searched; answers to requests overtaken
/// while they ran are not sent.
fn serve(crm: &Crm, inbox: &Receiver<Request>, outbox: &Sender<Answer>, latest: &AtomicU64) {
    while let Ok(mut request) = inbox.recv() {
        while let Ok(newer) = inbox.try_recv() {
            request = newer;
        }
        let current = || latest.load(Ordering::SeqCst) == request.generation;
        let mut result = crm.search(&request.actor, &request.text, &[], SEARCH_LIMIT);
        // An interrupt meant for the search before may land on this one as it starts.
        if result.is_err() && current() {
            result = crm.search(&request.actor, &request.text, &[], SEARCH_LIMIT);
        }
        if !current() {
            continue;
        }
        let answer = Answer {
            generation: request.generation,
            result,
        };
        if outbox.send(answer).is_err() {
            return;
        }
    }
}
