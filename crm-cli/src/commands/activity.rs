//! `crm activity`: the feed of who did what, newest first. Rows are never edited or deleted.

use anyhow::Result;
use chrono::{DateTime, Utc};
use crm_core::{Activity, ActivityQuery, RecordRef, When};

use crm_core::interop::CsvRow;

use crate::context::Context;
use crate::output::{Record, opt, time};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm activity\n  crm activity --entity deal:5\n  crm activity --user asha --since 2025-04-01 --limit 100"
)]
pub(crate) struct Args {
    #[command(flatten)]
    filters: Filters,
    /// How many rows to show (1-1000)
    #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
    limit: u32,
    /// Only rows older than this activity id (the last id of the previous page)
    #[arg(long)]
    before: Option<i64>,
}

/// What the feed and `export activity` select.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Filters {
    /// Only this user's actions
    #[arg(long)]
    user: Option<String>,
    /// Only rows about one record, e.g. deal:5 or lead:12
    #[arg(long)]
    entity: Option<RecordRef>,
    /// Only rows from this time on (a time or a date)
    #[arg(long)]
    since: Option<When>,
}

impl Filters {
    /// The query, with `--since` read against `now` (the service clock).
    pub(crate) fn query(
        self,
        limit: u32,
        before: Option<i64>,
        now: DateTime<Utc>,
    ) -> ActivityQuery {
        ActivityQuery {
            user: self.user,
            record: self.entity,
            since: self.since.map(|w| w.at(now)),
            limit,
            before,
            within_latest: None,
        }
    }
}

impl Record for Activity {
    const COLUMNS: &'static [&'static str] = &["when", "who", "what"];
    const FIELDS: &'static [&'static str] = <Self as CsvRow>::FIELDS;

    fn cells(&self) -> Vec<String> {
        vec![
            time(self.at),
            opt(self.actor.as_deref()),
            self.summary.clone(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        CsvRow::fields(self)
    }
}

pub(crate) fn run(ctx: &Context, args: Args) -> Result<()> {
    let actor = ctx.actor()?;
    let query = args.filters.query(args.limit, args.before, ctx.crm.now());
    ctx.out.list(&ctx.crm.activity(&actor, &query)?)
}
