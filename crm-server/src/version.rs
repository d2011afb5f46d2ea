//! No lost updates over HTTP: a read answers the record's version as an `ETag`; a write names the
//! version it was made against in `If-Match` (428 without one, 412 when the record moved on).
//! The comparison itself is crm-core's, inside the write's transaction.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use crm_core::{Campaign, Company, CompanyPage, Contact, Deal, Lead, Task, Ticket, User, Version};
use serde::Serialize;

use crate::error::ApiError;

/// A record that carries a version.
pub(crate) trait Versioned {
    fn version(&self) -> Version;
}

macro_rules! versioned {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn version(&self) -> Version {
                self.version
            }
        }
    )*};
}

versioned!(Contact, Company, Campaign, Lead, Deal, Ticket, Task, User);

impl Versioned for CompanyPage {
    fn version(&self) -> Version {
        self.company.version
    }
}

/// A record as JSON with its version as the `ETag`.
pub(crate) struct Tagged<T>(pub(crate) T);

impl<T: Serialize + Versioned> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        let version = self.0.version();
        let mut response = Json(self.0).into_response();
        tag(&mut response, version);
        response
    }
}

/// Sets `ETag: "<version>"`.
pub(crate) fn tag(response: &mut Response, version: Version) {
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
}

/// The version a write is made against, from `If-Match`; `*` (any version) is `None`.
pub(crate) struct IfMatch(pub(crate) Option<Version>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Err(ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "this write needs If-Match: the ETag a GET of the record gave (or * to write over any version)",
            ));
        };
        let text = value.to_str().unwrap_or_default().trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        // One tag: a list would ask "any of these", which no editor means.
        text.parse::<Version>()
            .map(|v| IfMatch(Some(v)))
            .map_err(|_| {
                ApiError::field(
                    StatusCode::BAD_REQUEST,
                    "If-Match",
                    "is not one ETag of this API (a quoted version like \"3\", or *)",
                )
            })
    }
}
