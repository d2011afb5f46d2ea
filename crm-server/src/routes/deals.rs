//! `/deals`: the pipeline's deals, and winning or losing one.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use crm_core::{ContactId, Deal, DealId, DealMove, DealQuery, NewDeal};
use serde::Deserialize;

use super::{DEFAULT_LIMIT, Listed, listed};
use crate::error::ApiError;
use crate::extract::{Authed, Body, Id, Query};
use crate::pool::Pool;
use crate::version::Tagged;

/// The filters of `crm deals list`, as query parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Conditions on custom fields, separated by `;`: `property_type=Villa;budget>=50L`.
    #[serde(rename = "where")]
    conditions: Option<String>,
    stage: Option<String>,
    owner: Option<String>,
    contact: Option<i64>,
    campaign: Option<String>,
    open: Option<bool>,
    search: Option<String>,
    /// One of the kind's own orders or a custom field's key.
    sort: Option<String>,
    desc: Option<bool>,
    limit: Option<u32>,
    after: Option<i64>,
}

/// `GET /deals`.
pub(crate) async fn list(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    uri: Uri,
    Query(p): Query<ListParams>,
) -> Result<Json<Listed<Deal>>, ApiError> {
    let defaults = DealQuery::default();
    let (sort, sort_field) = super::sort(p.sort.as_deref(), defaults.sort)?;
    let query = DealQuery {
        wheres: super::conditions(p.conditions.as_deref())?,
        stage: p.stage,
        owner: p.owner,
        contact: p.contact.map(ContactId),
        campaign: p.campaign,
        open_only: p.open.unwrap_or(false),
        search: p.search,
        sort,
        sort_field,
        descending: p.desc.unwrap_or(defaults.descending),
        limit: p.limit.unwrap_or(DEFAULT_LIMIT),
        after: p.after.map(DealId),
    };
    let page = pool
        .run(move |crm| crm.list_deals(&authed.actor, &query))
        .await??;
    Ok(listed(&uri, page))
}

/// `GET /deals/{id}`.
pub(crate) async fn one(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<DealId>,
) -> Result<Tagged<Deal>, ApiError> {
    let deal = pool.run(move |crm| crm.deal(&authed.actor, id)).await??;
    Ok(Tagged(deal))
}

/// `POST /deals`: 201 with the deal, in the first open stage unless it names one.
pub(crate) async fn add(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(new): Body<NewDeal>,
) -> Result<(StatusCode, Tagged<Deal>), ApiError> {
    let deal = pool
        .run(move |crm| crm.add_deal(&authed.actor, &new))
        .await??;
    Ok((StatusCode::CREATED, Tagged(deal)))
}

/// `POST /deals/{id}/won`: to the Won stage.
pub(crate) async fn won(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<DealId>,
) -> Result<Json<DealMove>, ApiError> {
    let moved = pool
        .run(move |crm| crm.win_deal(&authed.actor, id))
        .await??;
    Ok(Json(moved))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DealLoss")]
pub(crate) struct LostBody {
    reason: String,
}

/// `POST /deals/{id}/lost` with the reason.
pub(crate) async fn lost(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<DealId>,
    Body(body): Body<LostBody>,
) -> Result<Json<DealMove>, ApiError> {
    let moved = pool
        .run(move |crm| crm.lose_deal(&authed.actor, id, &body.reason))
        .await??;
    Ok(Json(moved))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DealStageMove")]
pub(crate) struct MoveBody {
    /// The stage's name.
    to: String,
}

/// `POST /deals/{id}/move` to any stage (back to an open one reopens a closed deal).
pub(crate) async fn move_to(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<DealId>,
    Body(body): Body<MoveBody>,
) -> Result<Json<DealMove>, ApiError> {
    let moved = pool
        .run(move |crm| crm.move_deal(&authed.actor, id, &body.to))
        .await??;
    Ok(Json(moved))
}
