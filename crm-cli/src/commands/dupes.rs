//! `crm contacts dupes`, `crm leads dupes` and `crm companies dupes`: groups of records that
//! look like one person (or one company).

use anyhow::Result;
use crm_core::{Actor, DuplicateGroup, EntityKind};
use serde::Serialize;

use crate::context::Context;
use crate::flags::OutputFormat;
use crate::output::{Record, hint, opt};

#[derive(Debug, clap::Args)]
pub(crate) struct DupesArgs {
    /// Leave out groups scored below this (0-100): email or domain 100, phone 95, same name 80,
    /// a mistyped name 74-79, a person's one-word name 50; a name match loses 20 when every
    /// record has an email and they all differ
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    min_score: u8,
}

/// One member of a group, as a table row: groups are numbered so a row says where it belongs.
#[derive(Serialize)]
struct Row<'a> {
    group: usize,
    score: u8,
    reasons: String,
    /// The record id
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

/// A member of a group of companies: the same row, with a company's domain and industry where
/// a person's email and company go.
#[derive(Serialize)]
#[serde(transparent)]
struct CompanyRow<'a>(Row<'a>);

impl Record for CompanyRow<'_> {
    const COLUMNS: &'static [&'static str] = &[
        "group", "score", "why", "id", "name", "domain", "phone", "industry",
    ];
    const FIELDS: &'static [&'static str] = &[
        "group", "score", "reasons", "id", "name", "domain", "phone", "industry",
    ];

    fn cells(&self) -> Vec<String> {
        self.0.cells()
    }

    fn fields(&self) -> Vec<String> {
        self.0.cells()
    }
}

pub(crate) fn run(ctx: &Context, actor: &Actor, kind: EntityKind, args: &DupesArgs) -> Result<()> {
    let groups = ctx.crm.find_duplicates(actor, kind, args.min_score)?;
    if ctx.out.format() == OutputFormat::Json {
        return ctx.out.json(&groups);
    }
    let rows = rows(&groups);
    let next = match kind {
        EntityKind::Company => {
            ctx.out
                .list(&rows.into_iter().map(CompanyRow).collect::<Vec<_>>())?;
            "keep one of each with: crm companies merge KEEP OTHER..."
        }
        EntityKind::Contact => {
            ctx.out.list(&rows)?;
            "keep one of each with: crm contacts merge KEEP OTHER..."
        }
        _ => {
            ctx.out.list(&rows)?;
            // Leads have no merge: the copies are closed, and the lead kept is worked.
            "close the copies with: crm leads edit ID --stage Lost --reason duplicate"
        }
    };
    if ctx.out.format() == OutputFormat::Table && !groups.is_empty() {
        hint(&format!(
            "{} group(s) of possible duplicates; {next}",
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
                email: m.email.as_deref().or(m.domain.as_deref()),
                phone: m.phone.as_deref(),
                company: m.company.as_deref(),
            })
        })
        .collect()
}
