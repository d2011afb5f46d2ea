//! `/leads`: capture, list and convert leads.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use crm_core::{
    Conversion, Lead, LeadId, LeadQuery, LeadSource, LeadStage, NewLead, NurtureReport, Temperature,
};
use serde::Deserialize;

use super::{DEFAULT_LIMIT, Listed, listed};
use crate::error::ApiError;
use crate::extract::{Authed, Body, Id, Query};
use crate::pool::Pool;
use crate::version::Tagged;

/// The filters of `crm leads list`, as query parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Conditions on custom fields, separated by `;`: `property_type=Villa;budget>=50L`.
    #[serde(rename = "where")]
    conditions: Option<String>,
    stage: Option<LeadStage>,
    temperature: Option<Temperature>,
    campaign: Option<String>,
    owner: Option<String>,
    source: Option<LeadSource>,
    min_score: Option<i64>,
    max_score: Option<i64>,
    search: Option<String>,
    include_converted: Option<bool>,
    /// One of the kind's own orders or a custom field's key.
    sort: Option<String>,
    desc: Option<bool>,
    limit: Option<u32>,
    after: Option<i64>,
}

/// `GET /leads`: the leads the user may read, newest first unless sorted otherwise.
pub(crate) async fn list(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    uri: Uri,
    Query(p): Query<ListParams>,
) -> Result<Json<Listed<Lead>>, ApiError> {
    let defaults = LeadQuery::default();
    let (sort, sort_field) = super::sort(p.sort.as_deref(), defaults.sort)?;
    let query = LeadQuery {
        wheres: super::conditions(p.conditions.as_deref())?,
        stage: p.stage,
        temperature: p.temperature,
        campaign: p.campaign,
        owner: p.owner,
        source: p.source,
        min_score: p.min_score,
        max_score: p.max_score,
        search: p.search,
        include_converted: p.include_converted.unwrap_or(false),
        sort,
        sort_field,
        descending: p.desc.unwrap_or(defaults.descending),
        limit: p.limit.unwrap_or(DEFAULT_LIMIT),
        after: p.after.map(LeadId),
    };
    let page = pool
        .run(move |crm| crm.list_leads(&authed.actor, &query))
        .await??;
    Ok(listed(&uri, page))
}

/// `GET /leads/{id}`.
pub(crate) async fn one(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<LeadId>,
) -> Result<Tagged<Lead>, ApiError> {
    let lead = pool.run(move |crm| crm.lead(&authed.actor, id)).await??;
    Ok(Tagged(lead))
}

/// `POST /leads`: 201 with the lead, scored and assigned as the CLI's `leads add` does.
pub(crate) async fn add(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(new): Body<NewLead>,
) -> Result<(StatusCode, Tagged<Lead>), ApiError> {
    let lead = pool
        .run(move |crm| crm.add_lead(&authed.actor, &new))
        .await??;
    Ok((StatusCode::CREATED, Tagged(lead)))
}

/// What a conversion may say about the deal it makes.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(rename = "LeadConversion")]
pub(crate) struct ConvertBody {
    deal_title: Option<String>,
    /// In major units, as typed ("150000" or "1,50,000.50").
    amount: Option<String>,
    /// Convert a Lost lead all the same.
    force: bool,
}

/// `POST /leads/{id}/convert`: a contact (or the matching one) and a deal, in one step.
pub(crate) async fn convert(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<LeadId>,
    body: Option<Body<ConvertBody>>,
) -> Result<(StatusCode, Json<Conversion>), ApiError> {
    let body = body.map(|Body(b)| b).unwrap_or_default();
    let conversion = pool
        .run(move |crm| {
            crm.convert_lead(
                &authed.actor,
                id,
                body.deal_title.as_deref(),
                body.amount.as_deref(),
                body.force,
            )
        })
        .await??;
    Ok((StatusCode::CREATED, Json(conversion)))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LeadScore")]
pub(crate) struct ScoreBody {
    /// 0 to 100; leave it out to score by the rules (`crm leads score --auto`).
    score: Option<i64>,
}

/// `POST /leads/{id}/score`: a score by hand, or by the rules.
pub(crate) async fn score(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<LeadId>,
    Body(body): Body<ScoreBody>,
) -> Result<Tagged<Lead>, ApiError> {
    let lead = pool
        .run(move |crm| match body.score {
            Some(value) => crm.set_lead_score(&authed.actor, id, value),
            None => crm.auto_score_lead(&authed.actor, id),
        })
        .await??;
    Ok(Tagged(lead))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LeadAssignment")]
pub(crate) struct AssignBody {
    to: String,
}

/// `POST /leads/{id}/assign` to a sales rep.
pub(crate) async fn assign(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<LeadId>,
    Body(body): Body<AssignBody>,
) -> Result<Tagged<Lead>, ApiError> {
    let lead = pool
        .run(move |crm| crm.assign_lead(&authed.actor, id, &body.to))
        .await??;
    Ok(Tagged(lead))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Nurture")]
pub(crate) struct NurtureBody {
    ids: Vec<i64>,
    /// Steps as `crm leads nurture --drip` takes them: `call:0,email:2,call:5`.
    drip: Option<String>,
}

/// `POST /leads/nurture`: a drip of follow-up tasks for each lead, in one transaction.
pub(crate) async fn nurture(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(body): Body<NurtureBody>,
) -> Result<(StatusCode, Json<NurtureReport>), ApiError> {
    let ids: Vec<LeadId> = body.ids.into_iter().map(LeadId).collect();
    let report = pool
        .run(move |crm| crm.nurture_leads(&authed.actor, &ids, body.drip.as_deref()))
        .await??;
    Ok((StatusCode::CREATED, Json(report)))
}
