//! One line per request through `tracing`: method, path, status, time, request id and user.
//! Never a header's value, a query string or a body: they carry passwords, tokens and
//! customers' data.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// Where the authentication step leaves the username for the log line.
#[derive(Clone, Default)]
pub(crate) struct LogUser(Arc<OnceLock<String>>);

impl LogUser {
    pub(crate) fn set(&self, username: &str) {
        let _ = self.0.set(username.to_string());
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Logs the request once it is answered and names it in an `x-request-id` header, so a user's
/// report can be found in the log.
pub(crate) async fn log_requests(mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let user = LogUser::default();
    req.extensions_mut().insert(user.clone());
    let method = req.method().clone();
    // The path only: a query string can hold a search for a person's name.
    let path = req.uri().path().to_string();
    let mut response = next.run(req).await;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let user = user.0.get().map_or("-", String::as_str);
    tracing::info!(
        request = id,
        %method,
        path,
        status = response.status().as_u16(),
        ms = format!("{millis:.1}"),
        user,
        "request"
    );
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
