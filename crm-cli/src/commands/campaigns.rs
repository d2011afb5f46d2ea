//! `crm campaigns ...`: plan campaigns, record spend, and read their metrics.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use crm_core::{
    Campaign, CampaignPatch, CampaignSort, CampaignStatus, Channel, Currency, Money, NewCampaign,
    Priority, SpendEntry,
};

use crm_core::interop::CsvRow;

use crate::context::Context;
use crate::flags::parse_date;
use crate::output::{Record, opt};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Plan a campaign (the code is made from the name unless given)
    #[command(
        after_help = "Example:\n  crm campaigns add 'Launch Sprint 2025' --channel Email --status Active \\\n      \
                            --budget 85,000 --start 2025-04-01 --end 2025-04-30 --objective 'Promote new product features'"
    )]
    Add(Box<AddArgs>),
    /// List campaigns with their metrics
    #[command(
        after_help = "Examples:\n  crm campaigns list\n  crm campaigns list --sort roi --desc\n  crm campaigns list --sort leads --desc --output csv"
    )]
    List {
        /// name, start, budget, spend, leads, revenue, roi or created
        #[arg(long, default_value = "name")]
        sort: CampaignSort,
        /// Reverse the order
        #[arg(long)]
        desc: bool,
    },
    /// Show a campaign (by id, code or name) with its computed metrics
    #[command(after_help = "Example:\n  crm campaigns show launch-sprint-2025")]
    Show {
        /// Campaign id, code or name
        campaign: String,
    },
    /// Change fields of a campaign; an empty value clears an optional field
    #[command(
        after_help = "Examples:\n  crm campaigns edit webinar-series-q2 --status Active\n  crm campaigns edit launch-sprint-2025 --budget 95,000 --team asha,ravi"
    )]
    Edit(Box<EditArgs>),
    /// Delete a campaign no lead or deal points to
    #[command(after_help = "Example:\n  crm campaigns delete old-promo")]
    Delete {
        /// Campaign id, code or name
        campaign: String,
    },
    /// Record or list money spent on a campaign
    #[command(subcommand)]
    Spend(SpendCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum SpendCommand {
    /// Record a spend entry; actual spend and ROI follow at once
    #[command(
        after_help = "Example:\n  crm campaigns spend add launch-sprint-2025 40,000 --date 2025-04-02 --note 'Search ads'"
    )]
    Add {
        /// Campaign id, code or name
        campaign: String,
        /// Amount in the campaign's currency, e.g. 40,000 or 1250.50
        amount: String,
        /// Day of the spend (default: today)
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// What the spending was for
        #[arg(long)]
        note: Option<String>,
    },
    /// List a campaign's spend entries
    #[command(after_help = "Example:\n  crm campaigns spend list launch-sprint-2025")]
    List {
        /// Campaign id, code or name
        campaign: String,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// The campaign's name
    name: String,
    /// Unique short code (default: made from the name)
    #[arg(long)]
    code: Option<String>,
    /// A longer description
    #[arg(long)]
    description: Option<String>,
    /// The business unit that runs it
    #[arg(long)]
    business_unit: Option<String>,
    /// What it should achieve
    #[arg(long)]
    objective: Option<String>,
    /// Email, Paid Ads, Events, Webinar, Social, Referral or Other
    #[arg(long)]
    channel: Option<Channel>,
    /// Who it is aimed at (the audience segment)
    #[arg(long)]
    audience: Option<String>,
    /// The product line it promotes
    #[arg(long)]
    product_line: Option<String>,
    /// First day, like 2026-04-01
    #[arg(long, value_parser = parse_date)]
    start: Option<NaiveDate>,
    /// Last day, like 2026-04-30
    #[arg(long, value_parser = parse_date)]
    end: Option<NaiveDate>,
    /// ISO code (default INR)
    #[arg(long)]
    currency: Option<Currency>,
    /// e.g. 85,000
    #[arg(long)]
    budget: Option<String>,
    /// What it is expected to cost, e.g. 1,50,000
    #[arg(long)]
    expected_spend: Option<String>,
    /// How many leads it should bring
    #[arg(long)]
    planned_leads: Option<i64>,
    /// Username (default: you)
    #[arg(long)]
    owner: Option<String>,
    /// Usernames, comma-separated or repeated
    #[arg(long)]
    team: Vec<String>,
    /// Planned, Active, Paused or Completed
    #[arg(long)]
    status: Option<CampaignStatus>,
    /// Low, Medium, High or Critical
    #[arg(long)]
    priority: Option<Priority>,
    /// The compliance checklist, as text
    #[arg(long)]
    compliance: Option<String>,
    /// Its id in an ad platform or another tool
    #[arg(long)]
    external_id: Option<String>,
    /// UTM source tag (e.g. google)
    #[arg(long)]
    utm_source: Option<String>,
    /// UTM medium tag (e.g. cpc)
    #[arg(long)]
    utm_medium: Option<String>,
    /// UTM campaign tag
    #[arg(long)]
    utm_campaign: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct EditArgs {
    /// Campaign id, code or name
    campaign: String,
    /// A new name
    #[arg(long)]
    name: Option<String>,
    /// A new code (slug)
    #[arg(long)]
    code: Option<String>,
    /// A longer description
    #[arg(long)]
    description: Option<String>,
    /// The business unit that runs it
    #[arg(long)]
    business_unit: Option<String>,
    /// What it should achieve
    #[arg(long)]
    objective: Option<String>,
    /// Email, Paid Ads, Events, Webinar, Social, Referral or Other
    #[arg(long)]
    channel: Option<Channel>,
    /// Who it is aimed at (the audience segment)
    #[arg(long)]
    audience: Option<String>,
    /// The product line it promotes
    #[arg(long)]
    product_line: Option<String>,
    /// First day, like 2026-04-01
    #[arg(long, value_parser = parse_date)]
    start: Option<NaiveDate>,
    /// Last day, like 2026-04-30
    #[arg(long, value_parser = parse_date)]
    end: Option<NaiveDate>,
    /// ISO currency code, e.g. INR or USD
    #[arg(long)]
    currency: Option<Currency>,
    /// Budget, e.g. 2,00,000
    #[arg(long)]
    budget: Option<String>,
    /// What it is expected to cost, e.g. 1,50,000
    #[arg(long)]
    expected_spend: Option<String>,
    /// How many leads it should bring
    #[arg(long)]
    planned_leads: Option<i64>,
    /// Username ('' for none)
    #[arg(long)]
    owner: Option<String>,
    /// Replaces the team: usernames, comma-separated
    #[arg(long)]
    team: Option<Vec<String>>,
    /// Planned, Active, Paused or Completed
    #[arg(long)]
    status: Option<CampaignStatus>,
    /// Low, Medium, High or Critical
    #[arg(long)]
    priority: Option<Priority>,
    /// The compliance checklist, as text
    #[arg(long)]
    compliance: Option<String>,
    /// Its id in an ad platform or another tool
    #[arg(long)]
    external_id: Option<String>,
    /// UTM source tag (e.g. google)
    #[arg(long)]
    utm_source: Option<String>,
    /// UTM medium tag (e.g. cpc)
    #[arg(long)]
    utm_medium: Option<String>,
    /// UTM campaign tag
    #[arg(long)]
    utm_campaign: Option<String>,
    /// Refuse the change when the campaign is no longer at this version (as `show` printed it):
    /// a script never writes over a change someone made since it read the record
    #[arg(long, value_name = "N")]
    if_version: Option<crm_core::Version>,
}

/// ROI as people read it: a percentage, or n/a when nothing was spent.
pub(crate) use crm_core::interop::roi;

impl Record for Campaign {
    const COLUMNS: &'static [&'static str] = &[
        "id", "code", "name", "status", "channel", "budget", "spend", "leads", "won", "revenue",
        "roi",
    ];
    const FIELDS: &'static [&'static str] = <Self as CsvRow>::FIELDS;

    fn cells(&self) -> Vec<String> {
        let m = &self.metrics;
        vec![
            self.id.to_string(),
            self.code.clone(),
            self.name.clone(),
            self.status.to_string(),
            self.channel.to_string(),
            self.budget().to_string(),
            Money::new(m.actual_spend, self.currency).to_string(),
            m.generated_leads.to_string(),
            m.won_deals.to_string(),
            Money::new(m.revenue_attributed, self.currency).to_string(),
            roi(m.roi_percent),
        ]
    }

    fn fields(&self) -> Vec<String> {
        CsvRow::fields(self)
    }
}

impl Record for SpendEntry {
    const COLUMNS: &'static [&'static str] = &["id", "date", "amount", "note", "by"];
    const FIELDS: &'static [&'static str] =
        &["id", "campaign_id", "date", "amount_minor", "note", "by"];

    fn cells(&self) -> Vec<String> {
        #[allow(clippy::cast_precision_loss)]
        let amount = format!("{:.2}", self.amount as f64 / 100.0);
        vec![
            self.id.to_string(),
            self.spent_on.to_string(),
            amount,
            opt(self.note.as_deref()),
            opt(self.created_by.as_deref()),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.campaign_id.to_string(),
            self.spent_on.to_string(),
            self.amount.to_string(),
            opt(self.note.as_deref()),
            opt(self.created_by.as_deref()),
        ]
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add(a) => {
            let a = *a;
            let new = NewCampaign {
                name: a.name,
                code: a.code,
                description: a.description,
                business_unit: a.business_unit,
                objective: a.objective,
                channel: a.channel,
                audience_segment: a.audience,
                product_line: a.product_line,
                start_date: a.start,
                end_date: a.end,
                currency: a.currency,
                budget: a.budget,
                expected_spend: a.expected_spend,
                planned_leads: a.planned_leads,
                owner: a.owner,
                team: a.team,
                status: a.status,
                priority: a.priority,
                compliance_checklist: a.compliance,
                external_campaign_id: a.external_id,
                utm_source: a.utm_source,
                utm_medium: a.utm_medium,
                utm_campaign: a.utm_campaign,
            };
            ctx.out.show(&ctx.crm.add_campaign(&actor, &new)?)
        }
        Command::List { sort, desc } => ctx.out.list(&ctx.crm.list_campaigns(&actor, sort, desc)?),
        Command::Show { campaign } => ctx.out.show(&ctx.crm.campaign(&actor, &campaign)?),
        Command::Edit(a) => {
            let a = *a;
            let patch = CampaignPatch {
                name: a.name,
                code: a.code,
                description: a.description,
                business_unit: a.business_unit,
                objective: a.objective,
                channel: a.channel,
                audience_segment: a.audience,
                product_line: a.product_line,
                start_date: a.start.map(Some),
                end_date: a.end.map(Some),
                currency: a.currency,
                budget: a.budget,
                expected_spend: a.expected_spend,
                planned_leads: a.planned_leads,
                owner: a.owner,
                team: a.team,
                status: a.status,
                priority: a.priority,
                compliance_checklist: a.compliance,
                external_campaign_id: a.external_id,
                utm_source: a.utm_source,
                utm_medium: a.utm_medium,
                utm_campaign: a.utm_campaign,
                if_version: a.if_version,
            };
            ctx.out
                .show(&ctx.crm.edit_campaign(&actor, &a.campaign, &patch)?)
        }
        Command::Delete { campaign } => {
            let deleted = ctx.crm.delete_campaign(&actor, &campaign, None)?;
            ctx.out.done(
                &deleted,
                &format!("Deleted campaign '{}' ({})", deleted.name, deleted.code),
            )
        }
        Command::Spend(SpendCommand::Add {
            campaign,
            amount,
            date,
            note,
        }) => {
            let day = date.unwrap_or_else(|| ctx.crm.now().date_naive());
            let c = ctx
                .crm
                .add_spend(&actor, &campaign, day, &amount, note.as_deref())?;
            ctx.out.done(
                &c,
                &format!(
                    "Recorded spend on '{}': actual spend now {}, ROI {}",
                    c.name,
                    Money::new(c.metrics.actual_spend, c.currency),
                    roi(c.metrics.roi_percent)
                ),
            )
        }
        Command::Spend(SpendCommand::List { campaign }) => {
            ctx.out.list(&ctx.crm.list_spend(&actor, &campaign)?)
        }
    }
}
