//! `/reports/...`: the marketing, sales and support reports of `crm report`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use crm_core::{MarketingReport, SalesReport, TicketReport};

use crate::error::ApiError;
use crate::extract::Authed;
use crate::pool::Pool;

/// `GET /reports/marketing`: leads by stage and source, campaigns with spend, revenue and ROI.
pub(crate) async fn marketing(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
) -> Result<Json<MarketingReport>, ApiError> {
    Ok(Json(
        pool.run(move |crm| crm.marketing_report(&authed.actor))
            .await??,
    ))
}

/// `GET /reports/sales`: the pipeline by stage, revenue by month, forecast and win rate.
pub(crate) async fn sales(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
) -> Result<Json<SalesReport>, ApiError> {
    Ok(Json(
        pool.run(move |crm| crm.sales_report(&authed.actor))
            .await??,
    ))
}

/// `GET /reports/tickets`: open tickets and how fast they close.
pub(crate) async fn tickets(
    State(pool): State<Arc<Pool>>,
    authed: Authed,
) -> Result<Json<TicketReport>, ApiError> {
    Ok(Json(
        pool.run(move |crm| crm.ticket_report(&authed.actor))
            .await??,
    ))
}
