//! Liveness and readiness, for a load balancer or a service manager.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;

use crate::error::ApiError;
use crate::pool::Pool;

/// The process answers.
pub(crate) async fn alive() -> &'static str {
    "ok\n"
}

/// The database answers and has the schema this build writes.
pub(crate) async fn ready(State(pool): State<Arc<Pool>>) -> Result<&'static str, ApiError> {
    pool.run(|crm| crm.ready()).await?.map_err(|err| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            err.to_string(),
        )
    })?;
    Ok("ready\n")
}
