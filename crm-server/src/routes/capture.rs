//! `/capture/{key}`: a website's form posts a lead here, without a login. The form's key names
//! it; its origins, limits and redirect decide what the answer looks like. Whatever became of
//! the post (a new lead, a known address, an erased one, a bot), the poster hears the same.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use crm_core::CaptureForm;

use crate::capture_queue::CaptureQueue;
use crate::error::ApiError;
use crate::pool::Pool;
use crate::rate::RateLimiter;

/// The form with this key, or 404.
async fn form(pool: &Arc<Pool>, key: &str) -> Result<CaptureForm, ApiError> {
    let key = key.to_string();
    Ok(pool.run(move |crm| crm.capture_form_by_key(&key)).await??)
}

/// The `Origin` of a browser's request, if it sent one: Err when the form does not allow it.
fn allowed_origin(
    form: &CaptureForm,
    headers: &HeaderMap,
) -> Result<Option<HeaderValue>, ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(None);
    };
    let text = origin.to_str().unwrap_or_default().to_lowercase();
    if form.allowed_origins.contains(&text) {
        Ok(Some(origin.clone()))
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "this form does not take posts from that site",
        ))
    }
}

fn with_cors(mut response: Response, origin: Option<HeaderValue>) -> Response {
    if let Some(origin) = origin {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

/// `OPTIONS /capture/{key}`: the browser's preflight before a JSON post from another site.
pub(crate) async fn preflight(
    State(pool): State<Arc<Pool>>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let form = form(&pool, &key).await?;
    let origin = allowed_origin(&form, &headers)?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    Ok(with_cors(response, origin))
}

/// How the post came: an HTML form (answered with a page or a redirect) or JSON.
#[derive(PartialEq, Eq)]
enum Posted {
    Form,
    Json,
}

/// The post's names and values, and how it came.
fn fields(headers: &HeaderMap, body: &[u8]) -> Result<(Posted, Vec<(String, String)>), ApiError> {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if kind.starts_with("application/x-www-form-urlencoded") {
        let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.to_string()))?;
        return Ok((Posted::Form, pairs));
    }
    if kind.starts_with("application/json") {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.to_string()))?;
        let mut pairs = Vec::with_capacity(map.len());
        for (name, value) in map {
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                serde_json::Value::Bool(_) | serde_json::Value::Number(_) => value.to_string(),
                _ => {
                    return Err(ApiError::field(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        name,
                        "is a list or an object; send text",
                    ));
                }
            };
            pairs.push((name, text));
        }
        return Ok((Posted::Json, pairs));
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "post the form as application/x-www-form-urlencoded or application/json",
    ))
}

/// What the capture route keeps beside the pool: the per-minute limits, the writer posts
/// queue for (group commit), and where visitors' addresses come from.
pub(crate) struct Desk {
    pub(crate) limits: RateLimiter,
    pub(crate) queue: CaptureQueue,
    pub(crate) visitors: Visitors,
}

/// Where visitors' addresses come from.
#[derive(Clone, Copy)]
pub(crate) struct Visitors {
    pub(crate) behind_proxy: bool,
}

impl Visitors {
    /// The visitor's address: the connection's, or behind a proxy the last address of
    /// `X-Forwarded-For`, the one the proxy appended (those before it are the client's word).
    fn address(self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        if !self.behind_proxy {
            return peer.ip();
        }
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(|a| a.trim().parse().ok())
            .unwrap_or_else(|| peer.ip())
    }
}

/// `POST /capture/{key}`.
pub(crate) async fn post(
    State(pool): State<Arc<Pool>>,
    Extension(desk): Extension<Arc<Desk>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(key): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = form(&pool, &key).await?;
    let origin = allowed_origin(&form, &headers)?;
    for (bucket, per_minute) in [
        (
            format!("{key}|{}", desk.visitors.address(peer, &headers)),
            form.per_ip_per_minute,
        ),
        (key.clone(), form.per_form_per_minute),
    ] {
        if let Err(wait) = desk.limits.take(bucket, per_minute) {
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many posts; try again in {wait} s"),
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
            return Ok(with_cors(response, origin));
        }
    }
    let (posted, mut fields) = fields(&headers, &body)?;
    // A link's UTM tags reach the form's address as its query string.
    if let Some(query) = uri.query() {
        let tags = serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default();
        for (name, value) in tags {
            if name.starts_with("utm_") && !fields.iter().any(|(n, _)| *n == name) {
                fields.push((name, value));
            }
        }
    }
    let captured = desk.queue.capture(key, fields).await?;
    tracing::debug!(?captured, "captured");
    let response = match (posted, &form.redirect) {
        (Posted::Form, Some(to)) => match HeaderValue::from_str(to) {
            Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
            Err(_) => thanks(),
        },
        (Posted::Form, None) => thanks(),
        (Posted::Json, _) => (
            StatusCode::ACCEPTED,
            axum::Json(serde_json::json!({ "status": "received" })),
        )
            .into_response(),
    };
    Ok(with_cors(response, origin))
}

fn thanks() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><title>Thank you</title><p>Thank you. We will be in touch.</p>\n",
    )
        .into_response()
}
