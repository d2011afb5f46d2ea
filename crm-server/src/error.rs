//! Errors: what stops the server from starting, and the one JSON shape every refused request
//! gets, `{"error": {"code", "message", "fields"}}`, with the status that says why.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Why `serve` could not start or run. The cause is in the message, not a `source`: the CLI
/// prints a chain, which would say it twice.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot open the database: {0}")]
    Open(crm_core::Error),
    #[error("the server's runtime failed: {0}")]
    Runtime(std::io::Error),
    #[error("TLS: {0}")]
    Tls(String),
}

/// A refused request. The message is one line a user can act on; `fields` names each bad
/// field with its problem.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

#[derive(Debug, Serialize)]
struct ErrorBody {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fields: BTreeMap<String, String>,
    /// The record a duplicate matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    existing: Option<Existing>,
    /// A stale write: the version the record is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i64>,
}

#[derive(Debug, Serialize)]
struct Existing {
    kind: &'static str,
    id: i64,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code,
                message: message.into(),
                fields: BTreeMap::new(),
                existing: None,
                current_version: None,
            },
        }
    }

    /// A bad value of one field.
    pub(crate) fn field(
        status: StatusCode,
        field: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        let (field, problem) = (field.into(), problem.into());
        let mut error = ApiError::new(status, "invalid", format!("invalid {field}: {problem}"));
        error.body.fields.insert(field, problem);
        error
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub(crate) fn unavailable(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<crm_core::Error> for ApiError {
    fn from(err: crm_core::Error) -> Self {
        use crm_core::Error as E;
        let message = err.to_string();
        let busy = err.is_busy();
        match err {
            E::Invalid { field, reason } => {
                ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, field, reason)
            }
            E::NotFound { .. } => ApiError::not_found(message),
            E::Conflict(_) => ApiError::new(StatusCode::CONFLICT, "conflict", message),
            E::Duplicate { entity, id, .. } => {
                let mut error = ApiError::new(StatusCode::CONFLICT, "duplicate", message);
                error.body.existing = Some(Existing { kind: entity, id });
                error
            }
            E::Stale { current, .. } => {
                let mut error = ApiError::new(StatusCode::PRECONDITION_FAILED, "stale", message);
                error.body.current_version = Some(current.0);
                error
            }
            E::Forbidden(_) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", message),
            // Saying "forbidden" would tell the caller the record exists.
            E::OutOfScope(_) => ApiError::not_found("no such record among those you may see"),
            E::BadCredentials | E::Disabled(_) | E::NotLoggedIn => ApiError::unauthorized(message),
            E::Database(_) if busy => ApiError::unavailable("the database is busy; try again"),
            _ => {
                tracing::error!(error = %message, "request failed");
                ApiError::internal(message)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            axum::Json(serde_json::json!({ "error": self.body })),
        )
            .into_response();
        if let Some(version) = self.body.current_version {
            crate::version::tag(&mut response, crm_core::Version(version));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
