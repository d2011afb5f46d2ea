//! `crm deals ...`: the deals of the sales pipeline.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use crm_core::{
    ContactId, Currency, Deal, DealId, DealMove, DealPatch, DealQuery, DealSort, NewDeal, StageMove,
};

use crm_core::interop::CsvRow;

use crate::context::Context;
use crate::flags::parse_date;
use crate::output::{Record, confirm, hint, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add a deal (in the first open stage unless --stage says otherwise)
    #[command(
        after_help = "Examples:\n  crm deals add 'Villa 3BHK' --contact 12 --amount 85,00,000 --expected-close 2025-06-30\n  crm deals add 'Annual licence' --company 'Acme Corp' --amount 4,50,000"
    )]
    Add(Box<AddArgs>),
    /// List deals, filtered, sorted and paged
    #[command(
        after_help = "Examples:\n  crm deals list --open\n  crm deals list --stage Proposal --sort amount\n  crm deals list --owner asha --output csv"
    )]
    List(Box<ListArgs>),
    /// Show every field of a deal and its stage history
    #[command(after_help = "Example:\n  crm deals show 5")]
    Show {
        /// The deal id
        id: DealId,
    },
    /// Change a deal's fields (use move/won/lost for its stage)
    #[command(
        after_help = "Examples:\n  crm deals edit 5 --amount 90,00,000 --probability 60\n  crm deals edit 5 --expected-close 2025-07-15"
    )]
    Edit(Box<EditArgs>),
    /// Delete a deal with its history, tasks and notes
    #[command(after_help = "Example:\n  crm deals delete 5 --yes")]
    Delete {
        /// The deal id
        id: DealId,
        /// Delete without asking for confirmation
        #[arg(long, short)]
        yes: bool,
    },
    /// Move a deal to another stage (a closed deal moved to an open stage is reopened)
    #[command(
        after_help = "Examples:\n  crm deals move 5 Negotiation\n  crm deals move 5 proposal"
    )]
    Move {
        /// The deal id
        id: DealId,
        /// The stage to move it to (its name)
        stage: String,
    },
    /// Mark a deal won
    #[command(after_help = "Example:\n  crm deals won 5")]
    Won {
        /// The deal id
        id: DealId,
    },
    /// Mark a deal lost, with the reason
    #[command(after_help = "Example:\n  crm deals lost 5 --reason 'Chose a competitor'")]
    Lost {
        /// The deal id
        id: DealId,
        /// Why the deal was lost
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// The deal's title
    title: String,
    /// Contact id of the customer
    #[arg(long)]
    contact: Option<ContactId>,
    /// Company id or name (default: the contact's company; a new name adds the company)
    #[arg(long)]
    company: Option<String>,
    /// Campaign id, code or name it is attributed to
    #[arg(long)]
    campaign: Option<String>,
    /// e.g. 85,00,000
    #[arg(long)]
    amount: Option<String>,
    /// ISO currency code, e.g. INR or USD
    #[arg(long)]
    currency: Option<Currency>,
    /// Stage name (default: the first open stage)
    #[arg(long)]
    stage: Option<String>,
    /// 0 to 100 (default: the stage's)
    #[arg(long)]
    probability: Option<i64>,
    /// Expected close date, like 2026-06-30
    #[arg(long, value_parser = parse_date)]
    expected_close: Option<NaiveDate>,
    /// Username (default: you)
    #[arg(long)]
    owner: Option<String>,
    #[command(flatten)]
    pub(crate) custom: crate::flags::FieldArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    filters: Filters,
    #[command(flatten)]
    columns: crate::flags::ColumnsArgs,
    /// Rows per page (1-1000)
    #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
    limit: u32,
    /// Start after this deal id (printed at the end of the previous page)
    #[arg(long)]
    after: Option<DealId>,
}

/// What `list` and `export` select, and in which order.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Filters {
    /// Only deals in this stage (its name)
    #[arg(long)]
    stage: Option<String>,
    /// Only deals of this owner (username)
    #[arg(long)]
    owner: Option<String>,
    /// Only deals with this contact id
    #[arg(long)]
    contact: Option<ContactId>,
    /// Only deals attributed to this campaign (id, code or name)
    #[arg(long)]
    campaign: Option<String>,
    /// Only deals not yet won or lost
    #[arg(long)]
    open: bool,
    /// Words of the title start with these words, any case ("vil" finds "Sharma family
    /// villa"), as `crm search` matches
    #[arg(long)]
    search: Option<String>,
    /// created, updated, amount, title, expected-close or id, or a custom field's key (records without a value last)
    #[arg(long, default_value = "created", value_parser = crate::flags::sort_choice::<DealSort>)]
    sort: crm_core::SortChoice<DealSort>,
    /// Lowest/oldest first (default: highest/newest first)
    #[arg(long)]
    asc: bool,
    #[command(flatten)]
    pub(crate) custom_where: crate::flags::WhereArgs,
}

impl Filters {
    pub(crate) fn query(self, limit: u32, after: Option<DealId>) -> DealQuery {
        let (sort, sort_field) = self.sort.split(DealSort::Created);
        DealQuery {
            wheres: self.custom_where.conditions,
            stage: self.stage,
            owner: self.owner,
            contact: self.contact,
            campaign: self.campaign,
            open_only: self.open,
            search: self.search,
            sort,
            sort_field,
            descending: !self.asc,
            limit,
            after,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct EditArgs {
    /// The deal id
    id: DealId,
    /// Title
    #[arg(long)]
    title: Option<String>,
    /// Contact id (0 to unlink)
    #[arg(long)]
    contact: Option<i64>,
    /// Company id or name ('' to unlink; default: follows a new --contact)
    #[arg(long)]
    company: Option<String>,
    /// Campaign id, code or name ('' to unlink)
    #[arg(long)]
    campaign: Option<String>,
    /// Amount, e.g. 85,00,000 or 1200.50
    #[arg(long)]
    amount: Option<String>,
    /// ISO currency code, e.g. INR or USD
    #[arg(long)]
    currency: Option<Currency>,
    /// Win probability in percent (0-100)
    #[arg(long)]
    probability: Option<i64>,
    /// Expected close date, like 2026-06-30
    #[arg(long, value_parser = parse_date)]
    expected_close: Option<NaiveDate>,
    /// Username ('' for none)
    #[arg(long)]
    owner: Option<String>,
    /// Refuse the change when the deal is no longer at this version (as `show` printed it):
    /// a script never writes over a change someone made since it read the record
    #[arg(long, value_name = "N")]
    if_version: Option<crm_core::Version>,
    #[command(flatten)]
    pub(crate) custom: crate::flags::FieldArgs,
}

impl Record for Deal {
    const COLUMNS: &'static [&'static str] = &[
        "id", "title", "stage", "amount", "prob", "contact", "owner", "close",
    ];
    const FIELDS: &'static [&'static str] = <Self as CsvRow>::FIELDS;

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            self.stage.clone(),
            self.value().to_string(),
            format!("{}%", self.probability),
            opt(self.contact.as_deref()),
            opt(self.owner.as_deref()),
            self.expected_close
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ]
    }

    fn custom(&self) -> Option<&crm_core::FieldValues> {
        Some(&self.fields)
    }

    fn fields(&self) -> Vec<String> {
        CsvRow::fields(self)
    }
}

impl Record for StageMove {
    const COLUMNS: &'static [&'static str] = &["at", "from", "to", "by"];
    const FIELDS: &'static [&'static str] = &["at", "from", "to", "by"];

    fn cells(&self) -> Vec<String> {
        vec![
            time(self.at),
            opt(self.from.as_deref()),
            self.to.clone(),
            opt(self.by.as_deref()),
        ]
    }

    fn fields(&self) -> Vec<String> {
        self.cells()
    }
}

fn moved(ctx: &Context, m: &DealMove) -> Result<()> {
    let what = if m.reopened { "Reopened" } else { "Moved" };
    ctx.out.done(
        m,
        &format!(
            "{what} deal {} '{}': {} -> {}",
            m.deal.id, m.deal.title, m.from, m.to
        ),
    )
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add(a) => {
            let new = NewDeal {
                fields: a.custom.input()?,
                title: a.title,
                contact: a.contact,
                company: a.company,
                campaign: a.campaign,
                amount: a.amount,
                currency: a.currency,
                stage: a.stage,
                probability: a.probability,
                expected_close: a.expected_close,
                owner: a.owner,
            };
            ctx.out.show(&ctx.crm.add_deal(&actor, &new)?)
        }
        Command::List(a) => {
            let columns = a
                .columns
                .keys(&ctx.crm, &actor, crm_core::FieldsOf::Deals)?;
            let query = a.filters.query(a.limit, a.after);
            let page = ctx.crm.list_deals(&actor, &query)?;
            ctx.out.list_with(&page.items, &columns)?;
            if let Some(next) = page.next_after {
                hint(&format!("more deals: add --after {next} for the next page"));
            }
            Ok(())
        }
        Command::Show { id } => {
            ctx.out.show(&ctx.crm.deal(&actor, id)?)?;
            if ctx.out.format() == crate::flags::OutputFormat::Table {
                ctx.out.text("\nStage history:")?;
                ctx.out.list(&ctx.crm.deal_history(&actor, id)?)?;
            }
            Ok(())
        }
        Command::Edit(a) => {
            let patch = DealPatch {
                fields: a.custom.input()?,
                title: a.title,
                contact: a.contact.map(|c| (c > 0).then_some(ContactId(c))),
                company: a.company,
                campaign: a.campaign,
                amount: a.amount,
                currency: a.currency,
                probability: a.probability,
                expected_close: a.expected_close.map(Some),
                owner: a.owner,
                if_version: a.if_version,
            };
            ctx.out.show(&ctx.crm.edit_deal(&actor, a.id, &patch)?)
        }
        Command::Delete { id, yes } => {
            let seen = if yes {
                None
            } else {
                let deal = ctx.crm.deal(&actor, id)?;
                confirm(
                    &format!(
                        "Delete deal {id} '{}' with its history, tasks and notes?",
                        deal.title
                    ),
                    "delete",
                )?;
                Some(deal.version)
            };
            let deal = ctx.crm.delete_deal(&actor, id, seen)?;
            ctx.out
                .done(&deal, &format!("Deleted deal {id} '{}'", deal.title))
        }
        Command::Move { id, stage } => moved(ctx, &ctx.crm.move_deal(&actor, id, &stage)?),
        Command::Won { id } => moved(ctx, &ctx.crm.win_deal(&actor, id)?),
        Command::Lost { id, reason } => moved(ctx, &ctx.crm.lose_deal(&actor, id, &reason)?),
    }
}
