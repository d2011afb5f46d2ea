//! The campaign's page: what it loads to show.

use crm_core::{CampaignId, Money};

use super::{DetailScreen, Loaded, text};
use crate::screen::Ctx;

impl DetailScreen {
    pub(super) fn load_campaign(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.campaign(actor, &CampaignId(id).to_string())?;
        self.title = format!("Campaign {} · {}", c.code, c.name);
        let m = &c.metrics;
        let money = |minor| Money::new(minor, c.currency).to_string();
        self.fields = vec![
            ("Name", c.name.clone()),
            ("Code", c.code.clone()),
            ("Objective", text(c.objective.as_deref())),
            ("Channel", c.channel.to_string()),
            ("Status", c.status.to_string()),
            ("Priority", c.priority.to_string()),
            ("Owner", text(c.owner.as_deref())),
            (
                "Dates",
                format!(
                    "{} → {}",
                    c.start_date.map_or("—".into(), |d| d.to_string()),
                    c.end_date.map_or("—".into(), |d| d.to_string())
                ),
            ),
            ("Budget", money(c.budget)),
            ("Spend", money(m.actual_spend)),
            (
                "Leads",
                format!(
                    "{} of {} planned ({} hot)",
                    m.generated_leads, c.planned_leads, m.hot_leads
                ),
            ),
            ("Converted", m.converted_leads.to_string()),
            ("Won deals", m.won_deals.to_string()),
            ("Revenue", money(m.revenue_attributed)),
            (
                "ROI",
                m.roi_percent.map_or("—".into(), |r| format!("{r:.1}%")),
            ),
        ];
        self.loaded = Some(Loaded::Campaign(c));
        Ok(())
    }
}
