//! A request's body is read whole, within a size and a time limit, before any handler runs: a
//! handler never waits on the network while it holds a database, and a client that sends
//! slowly is cut off instead of holding a task.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The largest body taken (an import's file streams past this to a spool file).
pub(crate) const BODY_LIMIT: usize = 1 << 20;
/// How long a client may take to send a body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("the body is over {} KiB", BODY_LIMIT / 1024),
    )
}

pub(crate) async fn read_body_in_time(req: Request, next: Next) -> Response {
    // An import streams its file to a spool under its own limits (`routes::imports`).
    if req.uri().path().starts_with("/api/v1/imports/") {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT) {
        return too_large().into_response();
    }
    let (parts, body) = req.into_parts();
    let bytes =
        match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, BODY_LIMIT)).await {
            Err(_) => {
                return ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "timeout",
                    "the body took longer than 30 s to arrive",
                )
                .into_response();
            }
            // Over the limit without a Content-Length (chunked), or the client went away.
            Ok(Err(_)) => return too_large().into_response(),
            Ok(Ok(bytes)) => bytes,
        };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
