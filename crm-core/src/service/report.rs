//! Dashboards and reports: plain structs computed by queries, rendered by either front end.

use serde::Serialize;

use super::Crm;
use crate::rules::metrics;
use crate::{Actor, CampaignSort, LeadSource, LeadStage, Result};

/// The marketing analytics of the seed: totals, breakdowns, and campaigns by leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignFigures {
    pub code: String,
    pub name: String,
    pub currency: String,
    pub leads: i64,
    pub hot_leads: i64,
    pub converted_leads: i64,
    pub spend: i64,
    pub revenue: i64,
    pub roi_percent: Option<f64>,
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
                campaigns: campaigns
                    .into_iter()
                    .map(|c| CampaignFigures {
                        code: c.code,
                        name: c.name,
                        currency: c.currency.to_string(),
                        leads: c.metrics.generated_leads,
                        hot_leads: c.metrics.hot_leads,
                        converted_leads: c.metrics.converted_leads,
                        spend: c.metrics.actual_spend,
                        revenue: c.metrics.revenue_attributed,
                        roi_percent: c.metrics.roi_percent,
                    })
                    .collect(),
            })
        })
    }
}
