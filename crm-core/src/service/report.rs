//! Dashboards and reports: plain structs computed by queries, rendered by either front end.

use serde::Serialize;

use super::Crm;
use crate::auth::Scope;
use crate::rules::metrics;
use crate::store::Tx;
use crate::{Actor, CampaignSort, LeadSource, LeadStage, Result};

/// The marketing analytics of the seed: totals, breakdowns, and campaigns by leads.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MarketingReport {
    pub total_leads: i64,
    pub hot_leads: i64,
    pub converted_leads: i64,
    /// Converted leads as a percentage of all leads.
    pub conversion_rate: f64,
    pub by_stage: Vec<(LeadStage, i64)>,
    pub by_source: Vec<(LeadSource, i64)>,
    /// Every campaign, most leads first.
    pub campaigns: Vec<CampaignFigures>,
}

/// One campaign's line in the report.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CampaignFigures {
    pub code: String,
    pub name: String,
    pub currency: String,
    pub leads: i64,
    pub hot_leads: i64,
    pub converted_leads: i64,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub spend: i64,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub revenue: i64,
    pub roi_percent: Option<f64>,
}

impl CampaignFigures {
    pub(crate) fn of(c: crate::Campaign) -> CampaignFigures {
        CampaignFigures {
            code: c.code,
            name: c.name,
            currency: c.currency.to_string(),
            leads: c.metrics.generated_leads,
            hot_leads: c.metrics.hot_leads,
            converted_leads: c.metrics.converted_leads,
            spend: c.metrics.actual_spend,
            revenue: c.metrics.revenue_attributed,
            roi_percent: c.metrics.roi_percent,
        }
    }
}

impl Crm {
    /// Marketing analytics over all leads (admins, managers, marketers).
    pub fn marketing_report(&self, actor: &Actor) -> Result<MarketingReport> {
        actor.require_marketing_report()?;
        self.store.read(|tx| {
            let by_stage = tx.lead_counts_by_stage()?;
            let by_source = tx.lead_counts_by_source()?;
            let campaigns = tx.list_campaigns(CampaignSort::Leads, true)?;
            let total: i64 = by_stage.iter().map(|(_, n)| n).sum();
            let converted = by_stage
                .iter()
                .find(|(s, _)| *s == LeadStage::Converted)
                .map_or(0, |(_, n)| *n);
            let hot = campaigns.iter().map(|c| c.metrics.hot_leads).sum();
            Ok(MarketingReport {
                total_leads: total,
                hot_leads: hot,
                converted_leads: converted,
                conversion_rate: metrics::conversion_rate(converted, total),
                by_stage,
                by_source,
                campaigns: campaigns.into_iter().map(CampaignFigures::of).collect(),
            })
        })
    }
}

/// The sales report: the pipeline by stage, revenue by month, forecast and win rate.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SalesReport {
    pub by_stage: Vec<StageFigures>,
    /// Won deals per month of closing, oldest first.
    pub won_by_month: Vec<MonthFigures>,
    /// Sum of open deals, minor units.
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub open_pipeline_value: i64,
    /// Open deals weighted by their probability, minor units.
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub weighted_forecast: i64,
    pub won_deals: i64,
    pub lost_deals: i64,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub won_revenue: i64,
    /// Won as a percentage of closed deals; None before any deal closed.
    pub win_rate: Option<f64>,
    /// Mean days from a won deal's creation to its close.
    pub avg_days_to_close: Option<f64>,
}

/// One stage's deals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StageFigures {
    pub stage: String,
    pub count: i64,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub value: i64,
    pub is_won: bool,
    pub is_lost: bool,
}

/// Count and value of the deals in each active stage, within `scope`, in pipeline order.
pub(crate) fn stage_figures(tx: &Tx<'_>, scope: Scope) -> Result<Vec<StageFigures>> {
    let mut by_stage = Vec::new();
    for stage in tx.stages(false)? {
        let (count, value, _) = tx.board_column(stage.id, scope, 0)?;
        by_stage.push(StageFigures {
            stage: stage.name,
            count,
            value,
            is_won: stage.is_won,
            is_lost: stage.is_lost,
        });
    }
    Ok(by_stage)
}

/// One month's won deals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MonthFigures {
    /// `2025-04`
    pub month: String,
    pub deals: i64,
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub revenue: i64,
}

impl Crm {
    /// Sales figures over the deals the actor may see (a rep: their own).
    pub fn sales_report(&self, actor: &Actor) -> Result<SalesReport> {
        actor.require_sales_report()?;
        let scope = actor.deal_scope();
        self.store.read(|tx| {
            let by_stage = stage_figures(tx, scope)?;
            let f = tx.sales_figures(scope)?;
            let closed = f.won + f.lost;
            Ok(SalesReport {
                by_stage,
                won_by_month: tx
                    .won_by_month(scope)?
                    .into_iter()
                    .map(|(month, deals, revenue)| MonthFigures {
                        month,
                        deals,
                        revenue,
                    })
                    .collect(),
                open_pipeline_value: f.open_value,
                weighted_forecast: f.weighted_forecast,
                won_deals: f.won,
                lost_deals: f.lost,
                won_revenue: f.won_value,
                win_rate: (closed > 0).then(|| metrics::conversion_rate(f.won, closed)),
                avg_days_to_close: f.avg_days_to_close,
            })
        })
    }
}

/// The support report: what is open, by status, priority and assignee, and how fast tickets close.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TicketReport {
    pub open_by_status: Vec<(String, i64)>,
    pub open_by_priority: Vec<(String, i64)>,
    pub open_by_assignee: Vec<(String, i64)>,
    pub resolved: i64,
    /// Mean hours from opening to resolution.
    pub avg_hours_to_resolve: Option<f64>,
}

impl Crm {
    /// Open tickets by status, priority and assignee, and the average time to resolve.
    pub fn ticket_report(&self, actor: &Actor) -> Result<TicketReport> {
        actor.require_ticket_work("see the ticket report")?;
        self.store.read(|tx| {
            let (resolved, avg) = tx.ticket_resolution_stats()?;
            Ok(TicketReport {
                open_by_status: tx.ticket_counts("status")?,
                open_by_priority: tx.ticket_counts("priority")?,
                open_by_assignee: tx.ticket_counts("assignee")?,
                resolved,
                avg_hours_to_resolve: avg,
            })
        })
    }
}
