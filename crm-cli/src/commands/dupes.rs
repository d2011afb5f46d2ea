//! `crm contacts dupes` and `crm leads dupes`: groups of records that look like one person.

use anyhow::Result;
use crm_core::{Actor, DuplicateGroup, EntityKind};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Context;
use crate::output::{Record, hint, opt};

#[derive(Debug, clap::Args)]
pub(crate) struct DupesArgs {
    /// Leave out groups scored below this (0-100): email 100, phone 95, same name 80, a
    /// mistyped name 74-79, a one-word name 50; a name match loses 20 when every record has
    /// an email and they all differ
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    min_score: u8,
}

/// One member of a group, as a table row: groups are numbered so a row says where it belongs.
#[derive(Serialize)]
struct Row<'a> {
    group: usize,
    score: u8,
    reasons: String,
    id: i64,
    name: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    company: Option<&'a str>,
}

impl Record for Row<'_> {
    const COLUMNS: &'static [&'static str] = &[
        "group", "score", "why", "id", "name", "email", "phone", "company",
    ];
    const FIELDS: &'static [&'static str] = &[
        "group", "score", "reasons", "id", "name", "email", "phone", "company",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.group.to_string(),
            self.score.to_string(),
            self.reasons.clone(),
            self.id.to_string(),
            self.name.to_string(),
            opt(self.email),
            opt(self.phone),
            opt(self.company),
        ]
    }

    fn fields(&self) -> Vec<String> {
        self.cells()
    }
}

pub(crate) fn run(ctx: &Context, actor: &Actor, kind: EntityKind, args: &DupesArgs) -> Result<()> {
    let groups = ctx.crm.find_duplicates(actor, kind, args.min_score)?;
    if ctx.out.format() == OutputFormat::Json {
        return ctx.out.json(&groups);
    }
    ctx.out.list(&rows(&groups))?;
    if ctx.out.format() == OutputFormat::Table && !groups.is_empty() {
        hint(&format!(
            "{} group(s) of possible duplicates; keep one of each with: crm {kind}s merge KEEP OTHER...",
            groups.len()
        ));
    }
    Ok(())
}

fn rows(groups: &[DuplicateGroup]) -> Vec<Row<'_>> {
    groups
        .iter()
        .enumerate()
        .flat_map(|(n, g)| {
            let reasons = g
                .reasons
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            g.members.iter().map(move |m| Row {
                group: n + 1,
                score: g.score,
                reasons: reasons.clone(),
                id: m.id,
                name: &m.name,
                email: m.email.as_deref(),
                phone: m.phone.as_deref(),
                company: m.company.as_deref(),
            })
        })
        .collect()
}
