//! The flags every command shares, and the small parsers of values that several commands take.

use std::path::PathBuf;

use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub(crate) struct GlobalArgs {
    /// Database file (default: $CRM_DB, else crm.db in the user's data directory)
    #[arg(long, global = true, env = "CRM_DB", value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// How to print results
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub(crate) output: OutputFormat,
}

/// Output formats of listings and records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Aligned table for people
    Table,
    /// JSON for scripts
    Json,
    /// CSV with a header row (cells neutralised against spreadsheet formulas)
    Csv,
    /// One id per line, for piping into a command's --ids -
    Ids,
}

/// A date as `2025-04-30`, with an error that shows the expected form.
pub(crate) fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a date like 2025-04-30"))
}

/// A lead score as typed: a whole number, said so when it is not. The range (0 to 100) is the
/// service's rule, which refuses out-of-range scores in its own one-line words.
pub(crate) fn parse_score(text: &str) -> Result<i64, String> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| format!("'{text}' is not a score (a whole number from 0 to 100)"))
}

/// `--limit` of every list: the page sizes crm-core accepts, checked before anything runs.
pub(crate) fn page_limit(text: &str) -> Result<u32, String> {
    limit_in(text, 1000)
}

/// `--limit` of search, which ranks at most 200 hits.
pub(crate) fn search_limit(text: &str) -> Result<u32, String> {
    limit_in(text, 200)
}

fn limit_in(text: &str, most: u32) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=most).contains(n))
        .ok_or_else(|| format!("expected a whole number from 1 to {most}"))
}
