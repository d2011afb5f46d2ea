//! What a handler takes from a request: the acting user from the bearer token, a JSON body, a
//! query string and path ids, each refused with the one error shape when it is not right.

use std::str::FromStr;
use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use crm_core::Actor;
use crm_core::text::one_line;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::log::LogUser;
use crate::pool::Pool;

/// The user a request acts for, from `Authorization: Bearer <session token or API key>`.
pub(crate) struct Authed {
    pub(crate) actor: Actor,
    /// The token as sent, to end its session on logout.
    pub(crate) bearer: String,
}

impl FromRequestParts<Arc<Pool>> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, pool: &Arc<Pool>) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "no Authorization header; send `Authorization: Bearer <token>` from POST /api/v1/sessions or an API key",
                )
            })?;
        let bearer = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header is not `Bearer <token>`")
            })?
            .to_string();
        let token = bearer.clone();
        let actor = pool
            .run(move |crm| crm.authenticate_bearer(&token))
            .await??;
        if let Some(slot) = parts.extensions.get::<LogUser>() {
            slot.set(actor.username());
        }
        Ok(Authed { actor, bearer })
    }
}

/// A JSON body: 415 when it is not `application/json`, 400 when it is not JSON, 422 naming the
/// field that is unknown or of the wrong type, 413 over the size limit.
pub(crate) struct Body<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match <axum::Json<T> as FromRequest<S>>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(body_error(&rejection)),
        }
    }
}

/// A body that may be left out: none when the request has no `Content-Type`.
impl<S: Send + Sync, T: DeserializeOwned> OptionalFromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, ApiError> {
        if req.headers().contains_key(axum::http::header::CONTENT_TYPE) {
            <Body<T> as FromRequest<S>>::from_request(req, state)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    }
}

fn body_error(rejection: &JsonRejection) -> ApiError {
    let status = rejection.status();
    let code = match status {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        _ => "bad_request",
    };
    let text = one_line(&rejection.body_text());
    if let JsonRejection::JsonDataError(_) = rejection
        && let Some(field) = field_named(&text)
    {
        return ApiError::field(status, field, text);
    }
    ApiError::new(status, code, text)
}

/// The field serde names in "unknown field `x`" or "missing field `x`", or a path before ": ".
fn field_named(text: &str) -> Option<String> {
    let start = text.find('`')? + 1;
    let end = start + text[start..].find('`')?;
    Some(text[start..end].to_string())
}

/// A query string; unknown parameters and bad values are refused with 400, naming them.
pub(crate) struct Query<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(query_error(&rejection)),
        }
    }
}

fn query_error(rejection: &QueryRejection) -> ApiError {
    let text = one_line(&rejection.body_text());
    match field_named(&text) {
        Some(field) => ApiError::field(StatusCode::BAD_REQUEST, field, text),
        None => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", text),
    }
}

/// A record id from the path, as the core's id type reads it: 400 when it is not one.
pub(crate) struct Id<T>(pub(crate) T);

impl<S: Send + Sync, T: FromStr<Err = crm_core::Error>> FromRequestParts<S> for Id<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(text) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|r| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", r.body_text()))?;
        text.parse().map(Id).map_err(|err| match err {
            crm_core::Error::Invalid { field, reason } => {
                ApiError::field(StatusCode::BAD_REQUEST, field, reason)
            }
            other => ApiError::from(other),
        })
    }
}
