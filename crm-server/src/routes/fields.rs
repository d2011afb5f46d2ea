//! `/fields`: the custom fields of each kind of record, so an integration knows which keys its
//! `fields` objects and `where` conditions may name.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use crm_core::CustomField;
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::Authed;
use crate::pool::Pool;

#[derive(Deserialize)]
pub(crate) struct FieldParams {
    /// Only the fields of contacts, companies, leads, deals or tickets.
    of: Option<crm_core::FieldsOf>,
    /// Retired fields too.
    retired: Option<bool>,
}

/// `GET /fields`.
pub(crate) async fn list(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Query(p): Query<FieldParams>,
) -> Result<Json<Vec<CustomField>>, ApiError> {
    let retired = p.retired.unwrap_or(false);
    Ok(Json(
        pool.run(move |crm| crm.fields(&authed.actor, p.of, retired))
            .await??,
    ))
}
