//! The routes: `/healthz`, `/readyz` and the JSON API under `/api/v1`. Each handler makes one
//! service call; what it answers is the service's value as JSON.

mod campaigns;
mod contacts;
mod deals;
mod health;
mod leads;
mod reports;
mod sessions;

use std::sync::Arc;

use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use crm_core::Page;
use serde::Serialize;

use crate::error::ApiError;
use crate::limits::read_body_in_time;
use crate::log::log_requests;
use crate::pool::Pool;

/// Rows per page when a list does not say.
const DEFAULT_LIMIT: u32 = 50;

pub(crate) fn router(pool: Arc<Pool>) -> Router {
    let api = Router::new()
        .route("/sessions", post(sessions::login).delete(sessions::logout))
        .route("/me", get(sessions::me))
        .route("/campaigns", get(campaigns::list).post(campaigns::add))
        .route("/campaigns/{reference}", get(campaigns::one))
        .route("/contacts", get(contacts::list).post(contacts::add))
        .route("/contacts/{id}", get(contacts::one))
        .route("/leads", get(leads::list).post(leads::add))
        .route("/leads/{id}", get(leads::one))
        .route("/leads/{id}/convert", post(leads::convert))
        .route("/deals", get(deals::list))
        .route("/deals/{id}", get(deals::one))
        .route("/deals/{id}/won", post(deals::won))
        .route("/deals/{id}/lost", post(deals::lost))
        .route("/reports/marketing", get(reports::marketing))
        .route("/reports/sales", get(reports::sales))
        .route("/reports/tickets", get(reports::tickets))
        .fallback(no_route);
    Router::new()
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .nest("/api/v1", api)
        .fallback(no_route)
        .layer(middleware::from_fn(read_body_in_time))
        .layer(middleware::from_fn(log_requests))
        .with_state(pool)
}

async fn no_route(uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route {}", uri.path()))
}

/// A page of a list: its rows, and the link to the next page (the same query, continued after
/// the last row) or null on the last page.
#[derive(Serialize)]
struct Listed<T> {
    items: Vec<T>,
    next: Option<String>,
}

fn listed<T: Serialize>(uri: &Uri, page: Page<T>) -> Json<Listed<T>> {
    let next = page.next_after.map(|after| {
        let kept: Vec<&str> = uri
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("after="))
            .collect();
        let mut query = kept.join("&");
        if !query.is_empty() {
            query.push('&');
        }
        format!("/api/v1{}?{query}after={after}", uri.path())
    });
    Json(Listed {
        items: page.items,
        next,
    })
}
