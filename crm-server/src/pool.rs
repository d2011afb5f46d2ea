//! A few open databases shared by the requests, one per request at a time.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use crm_core::{Clock, Crm};
use tokio::sync::Semaphore;

use crate::ServerConfig;
use crate::error::{ApiError, ServeError};

pub(crate) struct Pool {
    idle: Mutex<Vec<Crm>>,
    /// As many permits as databases: a request waits here, not for a thread.
    permits: Semaphore,
    path: PathBuf,
    clock: Clock,
}

impl Pool {
    /// Opens `config.connections` databases (at least one); the first open migrates the file.
    pub(crate) fn open(config: &ServerConfig) -> Result<Pool, ServeError> {
        let n = config.connections.max(1);
        let idle = (0..n)
            .map(|_| Crm::open_with_clock(&config.db, config.clock))
            .collect::<Result<Vec<_>, _>>()
            .map_err(ServeError::Open)?;
        Ok(Pool {
            idle: Mutex::new(idle),
            permits: Semaphore::new(n),
            path: config.db.clone(),
            clock: config.clock,
        })
    }

    /// Runs `work` on a blocking thread with a database of the pool, once one is free.
    pub(crate) async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Crm) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::unavailable("the server is stopping"))?;
        let crm = self.take()?;
        let outcome = tokio::task::spawn_blocking(move || {
            let value = work(&crm);
            (crm, value)
        })
        .await;
        if let Ok((crm, value)) = outcome {
            self.give_back(crm);
            return Ok(value);
        }
        // The work panicked and took its database with it: open another in its place, so the
        // pool keeps its size.
        if let Ok(crm) = Crm::open_with_clock(&self.path, self.clock) {
            self.give_back(crm);
        }
        Err(ApiError::internal("the request failed inside the server"))
    }

    fn take(&self) -> Result<Crm, ApiError> {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .ok_or_else(|| ApiError::unavailable("no database connection is free"))
    }

    fn give_back(&self, crm: Crm) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(crm);
    }
}
