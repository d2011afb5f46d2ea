//! `/tickets`: the support queue, and a ticket's way from open to resolved.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use crm_core::{
    ContactId, NewTicket, Resolution, Ticket, TicketId, TicketPriority, TicketQuery, TicketStatus,
};
use serde::Deserialize;

use super::{DEFAULT_LIMIT, Listed, listed};
use crate::error::ApiError;
use crate::extract::{Authed, Body, Id, Query};
use crate::pool::Pool;
use crate::version::Tagged;

/// The filters of `crm tickets list`, as query parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Conditions on custom fields, separated by `;`: `property_type=Villa;budget>=50L`.
    #[serde(rename = "where")]
    conditions: Option<String>,
    status: Option<TicketStatus>,
    priority: Option<TicketPriority>,
    assignee: Option<String>,
    contact: Option<i64>,
    search: Option<String>,
    include_resolved: Option<bool>,
    limit: Option<u32>,
    after: Option<i64>,
}

/// `GET /tickets`: the tickets the user may read; open ones unless `include_resolved`.
pub(crate) async fn list(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    uri: Uri,
    Query(p): Query<ListParams>,
) -> Result<Json<Listed<Ticket>>, ApiError> {
    let query = TicketQuery {
        wheres: super::conditions(p.conditions.as_deref())?,
        status: p.status,
        priority: p.priority,
        assignee: p.assignee,
        contact: p.contact.map(ContactId),
        search: p.search,
        include_resolved: p.include_resolved.unwrap_or(false),
        limit: p.limit.unwrap_or(DEFAULT_LIMIT),
        after: p.after.map(TicketId),
    };
    let page = pool
        .run(move |crm| crm.list_tickets(&authed.actor, &query))
        .await??;
    Ok(listed(&uri, page))
}

/// `GET /tickets/{id}`.
pub(crate) async fn one(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TicketId>,
) -> Result<Tagged<Ticket>, ApiError> {
    Ok(Tagged(
        pool.run(move |crm| crm.ticket(&authed.actor, id)).await??,
    ))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewTicket")]
pub(crate) struct NewBody {
    subject: String,
    description: Option<String>,
    contact: i64,
    priority: Option<TicketPriority>,
    assignee: Option<String>,
}

/// `POST /tickets`: 201 with the ticket.
pub(crate) async fn add(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Body(body): Body<NewBody>,
) -> Result<(StatusCode, Tagged<Ticket>), ApiError> {
    let new = NewTicket {
        fields: crm_core::FieldInput::default(),
        subject: body.subject,
        description: body.description,
        contact: ContactId(body.contact),
        priority: body.priority,
        assignee: body.assignee,
    };
    let ticket = pool
        .run(move |crm| crm.add_ticket(&authed.actor, &new))
        .await??;
    Ok((StatusCode::CREATED, Tagged(ticket)))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TicketAssignment")]
pub(crate) struct AssignBody {
    to: String,
}

/// `POST /tickets/{id}/assign` to a support agent (or a manager or admin).
pub(crate) async fn assign(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TicketId>,
    Body(body): Body<AssignBody>,
) -> Result<Tagged<Ticket>, ApiError> {
    Ok(Tagged(
        pool.run(move |crm| crm.assign_ticket(&authed.actor, id, &body.to))
            .await??,
    ))
}

/// `POST /tickets/{id}/start`: In Progress.
pub(crate) async fn start(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TicketId>,
) -> Result<Tagged<Ticket>, ApiError> {
    Ok(Tagged(
        pool.run(move |crm| crm.start_ticket(&authed.actor, id))
            .await??,
    ))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TicketResolution")]
pub(crate) struct ResolveBody {
    resolution: String,
}

/// `POST /tickets/{id}/resolve`: resolved, and the customer's email queued in the same step.
pub(crate) async fn resolve(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TicketId>,
    Body(body): Body<ResolveBody>,
) -> Result<Json<Resolution>, ApiError> {
    Ok(Json(
        pool.run(move |crm| crm.resolve_ticket(&authed.actor, id, &body.resolution))
            .await??,
    ))
}

/// `POST /tickets/{id}/reopen`.
pub(crate) async fn reopen(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TicketId>,
) -> Result<Tagged<Ticket>, ApiError> {
    Ok(Tagged(
        pool.run(move |crm| crm.reopen_ticket(&authed.actor, id))
            .await??,
    ))
}
