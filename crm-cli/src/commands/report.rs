//! `crm report ...`: analytics computed in crm-core, drawn as text.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{Currency, FieldsOf, Money, SalesReport, TicketReport};

use crate::commands::campaigns::roi;
use crate::context::Context;
use crate::flags::OutputFormat;

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Leads, hot leads, conversion, leads by stage and source, and campaigns by leads with ROI
    #[command(
        after_help = "Examples:\n  crm report marketing\n  crm report marketing --output json | jq .conversion_rate"
    )]
    Marketing,
    /// Deals per stage with a bar chart, won revenue by month, open pipeline, forecast, win rate
    #[command(after_help = "Examples:\n  crm report sales\n  crm report sales --output json")]
    Sales,
    /// Open tickets by status, priority and assignee, and the average time to resolve; or
    /// tickets counted by a custom field (--by)
    #[command(
        after_help = "Examples:\n  crm report tickets\n  crm report tickets --output json\n  \
        crm report tickets --by product"
    )]
    Tickets(OptionalBy),
    /// Leads counted by the values of a custom field (choice, multi_choice, yes_no or user)
    #[command(after_help = "Examples:\n  \
        crm report leads --by preferred_plan\n  \
        crm report leads --by preferred_plan --output csv")]
    Leads(By),
    /// Contacts counted by the values of a custom field
    #[command(after_help = "Examples:\n  crm report contacts --by segment")]
    Contacts(By),
    /// Deals counted by the values of a custom field
    #[command(after_help = "Examples:\n  crm report deals --by product_line")]
    Deals(By),
    /// Companies counted by the values of a custom field
    #[command(after_help = "Examples:\n  crm report companies --by fleet_size")]
    Companies(By),
    /// The same as `crm report <RECORDS> --by KEY`, kept for scripts written for it
    #[command(hide = true)]
    By {
        /// contacts, companies, leads, deals or tickets
        of: FieldsOf,
        /// The custom field's key
        key: String,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct By {
    /// The key of the custom field to count by (crm fields list shows them)
    #[arg(long, value_name = "KEY")]
    by: String,
}

#[derive(Debug, clap::Args)]
pub(crate) struct OptionalBy {
    /// Count tickets by this custom field's values instead (crm fields list shows them)
    #[arg(long, value_name = "KEY")]
    by: Option<String>,
}

/// Records of `of` counted by the values of custom field `key`, with a bar each.
fn breakdown(ctx: &Context, actor: &crm_core::Actor, of: FieldsOf, key: &str) -> Result<()> {
    let r = ctx.crm.field_breakdown(actor, of, key)?;
    if ctx.out.format() == OutputFormat::Json {
        return ctx.out.json(&r);
    }
    let max = r
        .values
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(r.none);
    let rows = r
        .values
        .iter()
        .map(|(v, n)| (v.clone(), *n))
        .chain(std::iter::once(("(none)".to_string(), r.none)))
        .map(|(v, n)| vec![v, n.to_string(), bar(n, max, 30)])
        .collect();
    let label = r.label.to_lowercase();
    ctx.out.rows(&[label.as_str(), of.as_str(), ""], rows)
}

/// A bar of `width` cells for `value` out of `max`.
fn bar(value: i64, max: i64, width: usize) -> String {
    if max <= 0 {
        return String::new();
    }
    let cells = usize::try_from(value * i64::try_from(width).unwrap_or(0) / max).unwrap_or(0);
    "█".repeat(cells.max(usize::from(value > 0)))
}

pub(crate) fn run(ctx: &Context, command: &Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Sales => sales(ctx, &ctx.crm.sales_report(&actor)?),
        Command::Tickets(OptionalBy { by: None }) => tickets(ctx, &ctx.crm.ticket_report(&actor)?),
        Command::Tickets(OptionalBy { by: Some(key) }) => {
            breakdown(ctx, &actor, FieldsOf::Tickets, key)
        }
        Command::Leads(By { by }) => breakdown(ctx, &actor, FieldsOf::Leads, by),
        Command::Contacts(By { by }) => breakdown(ctx, &actor, FieldsOf::Contacts, by),
        Command::Deals(By { by }) => breakdown(ctx, &actor, FieldsOf::Deals, by),
        Command::Companies(By { by }) => breakdown(ctx, &actor, FieldsOf::Companies, by),
        Command::By { of, key } => breakdown(ctx, &actor, *of, key),
        Command::Marketing => {
            let r = ctx.crm.marketing_report(&actor)?;
            if ctx.out.format() == OutputFormat::Json {
                return ctx.out.json(&r);
            }
            let table = ctx.out.format() == OutputFormat::Table;
            if table {
                ctx.out.text(&format!(
                    "Leads {}   Hot {}   Converted {}   Conversion rate {:.1}%\n",
                    r.total_leads, r.hot_leads, r.converted_leads, r.conversion_rate
                ))?;
            }
            let max = r.by_stage.iter().map(|(_, n)| *n).max().unwrap_or(0);
            let rows = r
                .by_stage
                .iter()
                .map(|(s, n)| vec![s.to_string(), n.to_string(), bar(*n, max, 30)])
                .collect();
            ctx.out.rows(&["stage", "leads", ""], rows)?;
            let max = r.by_source.iter().map(|(_, n)| *n).max().unwrap_or(0);
            let rows = r
                .by_source
                .iter()
                .map(|(s, n)| vec![s.to_string(), n.to_string(), bar(*n, max, 30)])
                .collect();
            ctx.out.rows(&["source", "leads", ""], rows)?;
            let rows = r
                .campaigns
                .iter()
                .map(|c| {
                    let currency: Currency = c.currency.parse().unwrap_or_default();
                    vec![
                        c.code.clone(),
                        c.name.clone(),
                        c.leads.to_string(),
                        c.hot_leads.to_string(),
                        c.converted_leads.to_string(),
                        Money::new(c.spend, currency).to_string(),
                        Money::new(c.revenue, currency).to_string(),
                        roi(c.roi_percent),
                    ]
                })
                .collect();
            ctx.out.rows(
                &[
                    "code",
                    "campaign",
                    "leads",
                    "hot",
                    "converted",
                    "spend",
                    "revenue",
                    "roi",
                ],
                rows,
            )
        }
    }
}

fn sales(ctx: &Context, r: &SalesReport) -> Result<()> {
    if ctx.out.format() == OutputFormat::Json {
        return ctx.out.json(r);
    }
    let inr = |minor| Money::new(minor, Currency::default()).to_string();
    if ctx.out.format() == OutputFormat::Table {
        let win_rate = r
            .win_rate
            .map_or_else(|| "n/a".to_string(), |w| format!("{w:.1}%"));
        let days = r
            .avg_days_to_close
            .map_or_else(|| "n/a".to_string(), |d| format!("{d:.1} days"));
        ctx.out.text(&format!(
            "Open pipeline {}   Weighted forecast {}   Won {} ({} deals)   Lost {}   Win rate {win_rate}   Avg. time to close {days}\n",
            inr(r.open_pipeline_value),
            inr(r.weighted_forecast),
            inr(r.won_revenue),
            r.won_deals,
            r.lost_deals
        ))?;
    }
    let max = r.by_stage.iter().map(|s| s.value).max().unwrap_or(0);
    let rows = r
        .by_stage
        .iter()
        .map(|s| {
            vec![
                s.stage.clone(),
                s.count.to_string(),
                inr(s.value),
                bar(s.value, max, 30),
            ]
        })
        .collect();
    ctx.out.rows(&["stage", "deals", "value", ""], rows)?;
    let max = r.won_by_month.iter().map(|m| m.revenue).max().unwrap_or(0);
    let rows = r
        .won_by_month
        .iter()
        .map(|m| {
            vec![
                m.month.clone(),
                m.deals.to_string(),
                inr(m.revenue),
                bar(m.revenue, max, 30),
            ]
        })
        .collect();
    ctx.out.rows(&["month", "won", "revenue", ""], rows)
}

fn tickets(ctx: &Context, r: &TicketReport) -> Result<()> {
    if ctx.out.format() == OutputFormat::Json {
        return ctx.out.json(r);
    }
    if ctx.out.format() == OutputFormat::Table {
        let hours = r
            .avg_hours_to_resolve
            .map_or_else(|| "n/a".to_string(), |h| format!("{h:.1} hours"));
        ctx.out.text(&format!(
            "Resolved {}   Average time to resolve {hours}\n",
            r.resolved
        ))?;
    }
    for (title, counts) in [
        ("status", &r.open_by_status),
        ("priority", &r.open_by_priority),
        ("assignee", &r.open_by_assignee),
    ] {
        let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let rows = counts
            .iter()
            .map(|(k, n)| vec![k.clone(), n.to_string(), bar(*n, max, 30)])
            .collect();
        ctx.out.rows(&[title, "open", ""], rows)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_scale_and_show_any_nonzero_value() {
        assert_eq!(bar(10, 10, 5), "█████");
        assert_eq!(bar(1, 1000, 5), "█");
        assert_eq!(bar(0, 10, 5), "");
        assert_eq!(bar(3, 0, 5), "");
    }
}
