//! A few open databases shared by the requests, one per request at a time.

use std::sync::{Arc, Mutex, PoisonError};

use crm_core::Crm;
use tokio::sync::Semaphore;

use crate::ServerConfig;
use crate::error::{ApiError, ServeError};

pub(crate) struct Pool {
    idle: Mutex<Vec<Crm>>,
    /// As many permits as databases: a request waits here, not for a thread.
    permits: Arc<Semaphore>,
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
            permits: Arc::new(Semaphore::new(n)),
        })
    }

    /// Runs `work` on a blocking thread with a database of the pool, once one is free.
    ///
    /// The database and the permit go back when the work ends, whatever becomes of the
    /// request: a client that hangs up drops this future while the work still runs, and the
    /// work's end (not the future's) returns them. Held by a [`Lease`], so a panicking work
    /// returns them too.
    pub(crate) async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Crm) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::unavailable("the server is stopping"))?;
        let lease = Lease {
            crm: Some(self.take()?),
            pool: Arc::clone(self),
            _permit: permit,
        };
        tokio::task::spawn_blocking(move || {
            let value = lease.crm.as_ref().map(work);
            drop(lease);
            value
        })
        .await
        .ok()
        .flatten()
        .ok_or_else(|| ApiError::internal("the request failed inside the server"))
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

/// A database and its permit, out of the pool while one request's work runs.
struct Lease {
    crm: Option<Crm>,
    pool: Arc<Pool>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Drop for Lease {
    fn drop(&mut self) {
        // After a panic the transaction was rolled back as it unwound: the database is fine.
        if let Some(crm) = self.crm.take() {
            self.pool.give_back(crm);
        }
    }
}
