//! `/contacts`: the people the business works with.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use crm_core::{Contact, ContactId, ContactQuery, NewContact};
use serde::Deserialize;

use super::{DEFAULT_LIMIT, Listed, listed};
use crate::error::ApiError;
use crate::extract::{Authed, Body, Id, Query};
use crate::pool::Pool;
use crate::version::Tagged;

/// The filters of `crm contacts list`, as query parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Conditions on custom fields, separated by `;`: `property_type=Villa;budget>=50L`.
    #[serde(rename = "where")]
    conditions: Option<String>,
    owner: Option<String>,
    company: Option<String>,
    tag: Option<String>,
    search: Option<String>,
    /// One of the kind's own orders or a custom field's key.
    sort: Option<String>,
    desc: Option<bool>,
    limit: Option<u32>,
    after: Option<i64>,
}

/// `GET /contacts`: the contacts the user may read, a page at a time.
pub(crate) async fn list(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    uri: Uri,
    Query(p): Query<ListParams>,
) -> Result<Json<Listed<Contact>>, ApiError> {
    let defaults = ContactQuery::default();
    let (sort, sort_field) = super::sort(p.sort.as_deref(), defaults.sort)?;
    let query = ContactQuery {
        wheres: super::conditions(p.conditions.as_deref())?,
        owner: p.owner,
        company: p.company,
        tag: p.tag,
        search: p.search,
        sort,
        sort_field,
        descending: p.desc.unwrap_or(false),
        limit: p.limit.unwrap_or(DEFAULT_LIMIT),
        after: p.after.map(ContactId),
    };
    let page = pool
        .run(move |crm| crm.list_contacts(&authed.actor, &query))
        .await??;
    Ok(listed(&uri, page))
}

/// `GET /contacts/{id}`.
pub(crate) async fn one(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<ContactId>,
) -> Result<Tagged<Contact>, ApiError> {
    let contact = pool
        .run(move |crm| crm.contact(&authed.actor, id))
        .await??;
    Ok(Tagged(contact))
}

/// `POST /contacts`: 201 with the contact; 409 naming the one that has its email or phone.
pub(crate) async fn add(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(new): Body<NewContact>,
) -> Result<(StatusCode, Tagged<Contact>), ApiError> {
    let contact = pool
        .run(move |crm| crm.add_contact(&authed.actor, &new))
        .await??;
    Ok((StatusCode::CREATED, Tagged(contact)))
}
