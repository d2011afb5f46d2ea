//! `/companies`: the accounts, and a company's page.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use crm_core::{Company, CompanyId, CompanyPage, CompanyQuery, NewCompany};
use serde::Deserialize;

use super::{DEFAULT_LIMIT, Listed, listed};
use crate::error::ApiError;
use crate::extract::{Authed, Body, Id, Query};
use crate::pool::Pool;
use crate::version::Tagged;

/// The filters of `crm companies list`, as query parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Conditions on custom fields, separated by `;`: `property_type=Villa;budget>=50L`.
    #[serde(rename = "where")]
    conditions: Option<String>,
    search: Option<String>,
    industry: Option<String>,
    owner: Option<String>,
    /// One of the kind's own orders or a custom field's key.
    sort: Option<String>,
    desc: Option<bool>,
    limit: Option<u32>,
    after: Option<i64>,
}

/// `GET /companies`.
pub(crate) async fn list(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    uri: Uri,
    Query(p): Query<ListParams>,
) -> Result<Json<Listed<Company>>, ApiError> {
    let defaults = CompanyQuery::default();
    let (sort, sort_field) = super::sort(p.sort.as_deref(), defaults.sort)?;
    let query = CompanyQuery {
        wheres: super::conditions(p.conditions.as_deref())?,
        search: p.search,
        industry: p.industry,
        owner: p.owner,
        sort,
        sort_field,
        descending: p.desc.unwrap_or(defaults.descending),
        limit: p.limit.unwrap_or(DEFAULT_LIMIT),
        after: p.after.map(CompanyId),
    };
    let page = pool
        .run(move |crm| crm.list_companies(&authed.actor, &query))
        .await??;
    Ok(listed(&uri, page))
}

/// `GET /companies/{id}`: the company's page, with what the reader may see of its contacts,
/// open leads, open deals, won revenue and tickets.
pub(crate) async fn page(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<CompanyId>,
) -> Result<Tagged<CompanyPage>, ApiError> {
    Ok(Tagged(
        pool.run(move |crm| crm.company_page(&authed.actor, id))
            .await??,
    ))
}

/// `POST /companies`: 201 with the company; 409 naming one with the same name or domain.
pub(crate) async fn add(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(new): Body<NewCompany>,
) -> Result<(StatusCode, Tagged<Company>), ApiError> {
    let company = pool
        .run(move |crm| crm.add_company(&authed.actor, &new))
        .await??;
    Ok((StatusCode::CREATED, Tagged(company)))
}
