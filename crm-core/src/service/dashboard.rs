//! The dashboard: every tile a user's role allows, computed in one read.

use chrono::{Datelike, TimeZone, Utc};
use serde::Serialize;

use super::Crm;
use super::report::{CampaignFigures, StageFigures, stage_figures};
use crate::auth::Scope;
use crate::clock::to_text;
use crate::rules::metrics;
use crate::store::TicketScope;
use crate::{
    Activity, Actor, CampaignSort, Lead, LeadQuery, LeadSort, Result, Task, TaskQuery, TaskStatus,
    Temperature,
};

/// Campaigns shown on the dashboard.
const TOP_CAMPAIGNS: usize = 5;
/// Activity rows shown on the dashboard.
const RECENT: u32 = 8;
/// Rows of each list of a user's own work.
const MY_WORK: u32 = 5;

/// What the dashboard shows. A tile is `None` when the user's role does not cover its records,
/// so a front end hides it rather than showing a misleading zero.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Dashboard {
    pub leads: Option<LeadFigures>,
    pub pipeline: Option<PipelineFigures>,
    /// Tickets not yet resolved.
    pub open_tickets: Option<i64>,
    /// Open tasks assigned to the user whose due time has passed.
    pub overdue_tasks: i64,
    /// Campaigns with the most leads.
    pub top_campaigns: Option<Vec<CampaignFigures>>,
    /// For those who do not plan campaigns: their own work, where the campaigns would be.
    pub my_work: Option<MyWork>,
    pub recent: Vec<Activity>,
}

/// A user's own next steps: their hottest leads and soonest open tasks.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MyWork {
    /// Hot leads the user may work, highest score first.
    pub hot_leads: Vec<Lead>,
    /// Open tasks assigned to the user, soonest due first (undated last).
    pub next_actions: Vec<Task>,
}

/// Leads the user may see.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LeadFigures {
    pub total: i64,
    pub hot: i64,
    pub converted: i64,
    /// Converted as a percentage of all.
    pub conversion_rate: f64,
}

/// Deals the user may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PipelineFigures {
    pub open_deals: i64,
    /// Sum of open deals, minor units.
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub open_value: i64,
    pub won_this_month: i64,
    /// Sum of deals won since the first of this month (UTC), minor units.
    #[schemars(with = "String")]
    #[serde(serialize_with = "crate::model::money::decimal")]
    pub won_this_month_value: i64,
    pub by_stage: Vec<StageFigures>,
}

impl Crm {
    /// The dashboard for `actor`: only tiles over records the role may read.
    pub fn dashboard(&self, actor: &Actor) -> Result<Dashboard> {
        let now = self.now();
        let month_start = Utc
            .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
            .single()
            .unwrap_or(now);
        let (month_start, now) = (to_text(month_start), to_text(now));
        let mut dashboard = self.store.read(|tx| {
            let lead_scope = actor.lead_scope();
            let leads = if lead_scope == Scope::Nothing {
                None
            } else {
                let t = tx.lead_tally(lead_scope)?;
                Some(LeadFigures {
                    total: t.total,
                    hot: t.hot,
                    converted: t.converted,
                    conversion_rate: metrics::conversion_rate(t.converted, t.total),
                })
            };
            let deal_scope = actor.deal_scope();
            let pipeline = if deal_scope == Scope::Nothing {
                None
            } else {
                let by_stage = stage_figures(tx, deal_scope)?;
                let open = by_stage.iter().filter(|s| !s.is_won && !s.is_lost);
                let (won, won_value) = tx.won_since(deal_scope, &month_start)?;
                Some(PipelineFigures {
                    open_deals: open.clone().map(|s| s.count).sum(),
                    open_value: open.map(|s| s.value).sum(),
                    won_this_month: won,
                    won_this_month_value: won_value,
                    by_stage,
                })
            };
            let ticket_scope = actor.ticket_scope();
            let open_tickets = if ticket_scope == TicketScope::Nothing {
                None
            } else {
                Some(tx.open_ticket_count(ticket_scope)?)
            };
            let top_campaigns = if actor.require_marketing_report().is_ok() {
                let mut all = tx.list_campaigns(CampaignSort::Leads, true)?;
                all.truncate(TOP_CAMPAIGNS);
                Some(all.into_iter().map(CampaignFigures::of).collect())
            } else {
                None
            };
            Ok(Dashboard {
                leads,
                pipeline,
                open_tickets,
                overdue_tasks: tx.overdue_task_count(actor.id, &now)?,
                top_campaigns,
                my_work: None,
                recent: Vec::new(),
            })
        })?;
        if dashboard.top_campaigns.is_none() {
            dashboard.my_work = Some(self.my_work(actor)?);
        }
        dashboard.recent = self.recent_activity(actor, RECENT)?;
        Ok(dashboard)
    }

    fn my_work(&self, actor: &Actor) -> Result<MyWork> {
        let hot_leads = if actor.lead_scope() == Scope::Nothing {
            Vec::new()
        } else {
            self.list_leads(
                actor,
                &LeadQuery {
                    temperature: Some(Temperature::Hot),
                    sort: LeadSort::Score,
                    descending: true,
                    limit: MY_WORK,
                    ..LeadQuery::default()
                },
            )?
            .items
        };
        let next_actions = self
            .list_tasks(
                actor,
                &TaskQuery {
                    mine: true,
                    status: Some(TaskStatus::Open),
                    limit: MY_WORK,
                    ..TaskQuery::default()
                },
            )?
            .items;
        Ok(MyWork {
            hot_leads,
            next_actions,
        })
    }
}
