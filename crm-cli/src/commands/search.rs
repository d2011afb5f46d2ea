//! `crm search TEXT`: one search box over contacts, leads, deals and tickets.

use anyhow::Result;
use crm_core::{EntityKind, SearchHit};

use crate::context::Context;
use crate::output::Record;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm search sha                    (prefix match: finds Sharma)\n  \
                        crm search 9876543120             (phones match with or without spaces)\n  \
                        crm search 'missing package' --type ticket\n  crm search techverse --type lead,contact --output json"
)]
pub(crate) struct Args {
    /// What to look for: names, emails, companies, phones, deal titles, ticket subjects, and the
    /// values of custom text and choice fields
    text: String,
    /// Only these kinds: contact, lead, deal, ticket (comma-separated)
    #[arg(long = "type", value_delimiter = ',')]
    types: Vec<EntityKind>,
    /// How many hits to show (1-100)
    #[arg(long, default_value_t = 20, value_parser = crate::flags::search_limit)]
    limit: u32,
}

impl Record for SearchHit {
    const COLUMNS: &'static [&'static str] = &["type", "id", "title", "detail"];
    const FIELDS: &'static [&'static str] = &["type", "id", "title", "detail", "rank"];

    /// Hits are of several kinds, so each id says which: `lead:5`.
    fn id(&self) -> Option<String> {
        Some(self.record.to_string())
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.record.kind.to_string(),
            self.record.id.to_string(),
            self.title.clone(),
            self.detail.clone(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.record.kind.to_string(),
            self.record.id.to_string(),
            self.title.clone(),
            self.detail.clone(),
            format!("{:.3}", self.rank),
        ]
    }
}

pub(crate) fn run(ctx: &Context, args: &Args) -> Result<()> {
    let actor = ctx.actor()?;
    ctx.out.list(
        &ctx.crm
            .search(&actor, &args.text, &args.types, args.limit)?,
    )
}
