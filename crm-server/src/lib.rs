//! `crm serve`: the CRM on the network. This crate only translates: a request becomes one
//! call of a crm-core service with the actor its bearer token names, and the service's answer
//! or error becomes JSON with the right status. No rule of the CRM lives here.
//!
//! The core is synchronous and SQLite-backed, so handlers run it in `spawn_blocking` over a
//! small pool of open databases; a semaphore the size of the pool makes a burst queue instead
//! of starting a thread or a connection per request.

mod capture_queue;
mod error;
mod extract;
mod limits;
mod listen;
mod log;
mod openapi;
mod pool;
mod rate;
mod routes;
mod version;
mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crm_core::Clock;

pub use error::ServeError;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on; port 0 takes a free one (reported to `ready`).
    pub listen: SocketAddr,
    /// The database file.
    pub db: PathBuf,
    /// Open databases, and so requests served at once.
    pub connections: usize,
    pub clock: Clock,
    /// A PEM certificate chain and its PEM private key: serve HTTPS instead of HTTP.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Behind a reverse proxy, every connection comes from the proxy: a visitor's address is
    /// the last one in `X-Forwarded-For` (the one the proxy added). Off, that header is not
    /// believed: anyone can send it.
    pub behind_proxy: bool,
}

/// Serves until SIGTERM or Ctrl-C, then lets the requests in flight finish and returns.
/// `ready` is told the address once the socket listens (before any request is taken).
pub fn serve(config: &ServerConfig, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("crm-serve")
        .build()
        .map_err(ServeError::Runtime)?;
    let tls = config
        .tls
        .as_ref()
        .map(|(cert, key)| listen::tls_config(cert, key))
        .transpose()?;
    // The databases are opened before the runtime runs: PostgreSQL's synchronous client drives
    // its own small runtime, which cannot start inside another one's task.
    let pool = Arc::new(pool::Pool::open(config)?);
    let sender = webhooks::WebhookSender::start(config)?;
    let served = runtime.block_on(async {
        let bound = tokio::net::TcpListener::bind(config.listen)
            .await
            .and_then(|listener| Ok((listener.local_addr()?, listener)));
        let (address, listener) = match bound {
            Ok(bound) => bound,
            Err(e) => {
                tokio::task::spawn_blocking(move || sender.stop()).await.ok();
                return Err(ServeError::Bind(config.listen, e));
            }
        };
        ready(address);
        tracing::info!(%address, connections = config.connections, tls = tls.is_some(), "listening");
        listen::serve(listener, routes::router(Arc::clone(&pool), config.behind_proxy), tls, shutdown_signal()).await;
        // After the requests: what they queued in their last moments is still sent by the next
        // server, or by `crm webhooks send`.
        tokio::task::spawn_blocking(move || sender.stop())
            .await
            .map_err(|e| ServeError::Runtime(std::io::Error::other(e)))?;
        tracing::info!("stopped");
        Ok(())
    });
    // The last of the databases closes here, outside the runtime (see above), after every
    // task that held one has ended with it.
    drop(runtime);
    drop(pool);
    served
}

/// Resolves at the first SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        // Without a handler there is nothing to wait for; SIGTERM still stops the server.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: finishing the requests in flight"),
        () = terminate => tracing::info!("SIGTERM: finishing the requests in flight"),
    }
}
