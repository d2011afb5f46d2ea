//! `PATCH` and `DELETE` of the records people edit. Each names the version it was made against
//! in `If-Match` ([`IfMatch`]); crm-core compares it inside the write's transaction and refuses
//! a stale one (412), so two clients editing one record never silently undo each other.
//!
//! A patch body names only the fields to change; `null` or `""` clears an optional one.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use crm_core::{
    Campaign, CampaignPatch, Company, CompanyId, CompanyPatch, Contact, ContactId, ContactPatch,
    Deal, DealId, DealPatch, Lead, LeadId, LeadPatch, Task, TaskId, TaskPatch, Ticket, TicketId,
    TicketPatch,
};

use crate::error::ApiError;
use crate::extract::{Authed, Body, Id};
use crate::pool::Pool;
use crate::version::{IfMatch, Tagged};

type Answer<T> = Result<Tagged<T>, ApiError>;

/// `PATCH /contacts/{id}`.
pub(crate) async fn contact(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<ContactId>,
    IfMatch(version): IfMatch,
    Body(mut patch): Body<ContactPatch>,
) -> Answer<Contact> {
    patch.if_version = version;
    let saved = pool
        .run(move |crm| crm.edit_contact(&authed.actor, id, &patch))
        .await??;
    Ok(Tagged(saved))
}

/// `PATCH /companies/{id}`.
pub(crate) async fn company(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<CompanyId>,
    IfMatch(version): IfMatch,
    Body(mut patch): Body<CompanyPatch>,
) -> Answer<Company> {
    patch.if_version = version;
    let saved = pool
        .run(move |crm| crm.edit_company(&authed.actor, id, &patch))
        .await??;
    Ok(Tagged(saved))
}

/// `PATCH /campaigns/{code, name or id}`.
pub(crate) async fn campaign(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Path(reference): Path<String>,
    IfMatch(version): IfMatch,
    Body(mut patch): Body<CampaignPatch>,
) -> Answer<Campaign> {
    patch.if_version = version;
    let saved = pool
        .run(move |crm| crm.edit_campaign(&authed.actor, &reference, &patch))
        .await??;
    Ok(Tagged(saved))
}

/// `PATCH /leads/{id}`.
pub(crate) async fn lead(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<LeadId>,
    IfMatch(version): IfMatch,
    Body(mut patch): Body<LeadPatch>,
) -> Answer<Lead> {
    patch.if_version = version;
    let saved = pool
        .run(move |crm| crm.edit_lead(&authed.actor, id, &patch))
        .await??;
    Ok(Tagged(saved))
}

/// `PATCH /deals/{id}` (its stage moves through `/move`, `/won` and `/lost`).
pub(crate) async fn deal(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<DealId>,
    IfMatch(version): IfMatch,
    Body(mut patch): Body<DealPatch>,
) -> Answer<Deal> {
    patch.if_version = version;
    let saved = pool
        .run(move |crm| crm.edit_deal(&authed.actor, id, &patch))
        .await??;
    Ok(Tagged(saved))
}

/// `PATCH /tickets/{id}`: subject, description, priority.
pub(crate) async fn ticket(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TicketId>,
    IfMatch(version): IfMatch,
    Body(mut patch): Body<TicketPatch>,
) -> Answer<Ticket> {
    patch.if_version = version;
    let saved = pool
        .run(move |crm| crm.edit_ticket(&authed.actor, id, &patch))
        .await??;
    Ok(Tagged(saved))
}

/// `PATCH /tasks/{id}`.
pub(crate) async fn task(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TaskId>,
    IfMatch(version): IfMatch,
    Body(mut patch): Body<TaskPatch>,
) -> Answer<Task> {
    patch.if_version = version;
    let saved = pool
        .run(move |crm| crm.edit_task(&authed.actor, id, &patch))
        .await??;
    Ok(Tagged(saved))
}

/// `DELETE /contacts/{id}`: with its notes and tasks; refused while deals or tickets point at it.
pub(crate) async fn delete_contact(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<ContactId>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    pool.run(move |crm| crm.delete_contact(&authed.actor, id, version))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /companies/{id}`: only one nothing links to (admins).
pub(crate) async fn delete_company(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<CompanyId>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    pool.run(move |crm| crm.delete_company(&authed.actor, id, version))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /campaigns/{code, name or id}`: only one no lead or deal points to.
pub(crate) async fn delete_campaign(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Path(reference): Path<String>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    pool.run(move |crm| crm.delete_campaign(&authed.actor, &reference, version))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /leads/{id}`: with its tasks and notes; a converted lead stays.
pub(crate) async fn delete_lead(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<LeadId>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    pool.run(move |crm| crm.delete_lead(&authed.actor, id, version))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /deals/{id}`: with its history, tasks and notes.
pub(crate) async fn delete_deal(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<DealId>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    pool.run(move |crm| crm.delete_deal(&authed.actor, id, version))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /tasks/{id}`.
pub(crate) async fn delete_task(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
    Id(id): Id<TaskId>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    pool.run(move |crm| crm.delete_task(&authed.actor, id, version))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}
