//! `/campaigns`: marketing campaigns with their computed metrics.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use crm_core::{Campaign, CampaignSort, NewCampaign};
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::{Authed, Body, Query};
use crate::pool::Pool;
use crate::version::Tagged;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    sort: Option<CampaignSort>,
    desc: Option<bool>,
}

/// `GET /campaigns`: every campaign with its metrics (a short list: not paged).
pub(crate) async fn list(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Query(p): Query<ListParams>,
) -> Result<Json<Vec<Campaign>>, ApiError> {
    let sort = p.sort.unwrap_or(CampaignSort::Name);
    let desc = p.desc.unwrap_or(false);
    let campaigns = pool
        .run(move |crm| crm.list_campaigns(&authed.actor, sort, desc))
        .await??;
    Ok(Json(campaigns))
}

/// `GET /campaigns/{code, name or id}`.
pub(crate) async fn one(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Path(reference): Path<String>,
) -> Result<Tagged<Campaign>, ApiError> {
    let campaign = pool
        .run(move |crm| crm.campaign(&authed.actor, &reference))
        .await??;
    Ok(Tagged(campaign))
}

/// `POST /campaigns`: 201 with the campaign (marketers, managers and admins).
pub(crate) async fn add(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(new): Body<NewCampaign>,
) -> Result<(StatusCode, Tagged<Campaign>), ApiError> {
    let campaign = pool
        .run(move |crm| crm.add_campaign(&authed.actor, &new))
        .await??;
    Ok((StatusCode::CREATED, Tagged(campaign)))
}
