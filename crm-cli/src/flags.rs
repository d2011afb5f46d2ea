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

/// `--field KEY=VALUE` of the commands that add and edit records with custom fields.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct FieldArgs {
    /// A custom field's value as KEY=VALUE (repeat for more; an empty value clears it on
    /// edit); `crm fields list` names the keys
    #[arg(long = "field", value_name = "KEY=VALUE", value_parser = parse_field_value)]
    pub(crate) values: Vec<(String, String)>,
}

impl FieldArgs {
    /// The values by key; a key given twice is refused rather than one value dropped.
    pub(crate) fn input(self) -> anyhow::Result<crm_core::FieldInput> {
        let mut input = crm_core::FieldInput::new();
        for (key, value) in self.values {
            if input.insert(key.clone(), value).is_some() {
                anyhow::bail!("invalid field: '{key}' is given twice");
            }
        }
        Ok(input)
    }
}

fn parse_field_value(text: &str) -> Result<(String, String), String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not KEY=VALUE (property_type=Villa)"))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("'{text}' names no field before the ="));
    }
    Ok((key.to_string(), value.to_string()))
}

/// `--where` of the lists of records with custom fields.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct WhereArgs {
    /// Only records whose custom field passes: KEY=VALUE, KEY!=VALUE, or for number, money
    /// and date fields KEY>=VALUE, KEY<=VALUE, KEY>VALUE, KEY<VALUE (repeat: all must pass)
    #[arg(long = "where", value_name = "CONDITION", value_parser = parse_condition)]
    pub(crate) conditions: Vec<crm_core::FieldCondition>,
}

/// `--sort` of the lists with custom fields: one of the list's own orders or a field's key.
pub(crate) fn sort_choice<S>(text: &str) -> Result<crm_core::SortChoice<S>, String>
where
    S: std::str::FromStr<Err = crm_core::ParseEnumError>,
{
    text.parse().map_err(|e: crm_core::Error| match e {
        crm_core::Error::Invalid { reason, .. } => reason,
        other => other.to_string(),
    })
}

fn parse_condition(text: &str) -> Result<crm_core::FieldCondition, String> {
    text.parse().map_err(|e: crm_core::Error| match e {
        crm_core::Error::Invalid { reason, .. } => reason,
        other => other.to_string(),
    })
}

/// `--columns` of the lists of records with custom fields.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct ColumnsArgs {
    /// Custom fields to show as columns after the list's own, by key, comma-separated
    /// (table and CSV; JSON has every field)
    #[arg(long, value_name = "KEYS", value_delimiter = ',')]
    pub(crate) columns: Vec<String>,
}

impl ColumnsArgs {
    /// The keys, each checked to be a custom field of `of` in use.
    pub(crate) fn keys(
        &self,
        crm: &crm_core::Crm,
        actor: &crm_core::Actor,
        of: crm_core::FieldsOf,
    ) -> anyhow::Result<Vec<String>> {
        if self.columns.is_empty() {
            return Ok(Vec::new());
        }
        let fields = crm.fields(actor, Some(of), false)?;
        for key in &self.columns {
            if !fields.iter().any(|f| f.key == key.trim()) {
                let known: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
                anyhow::bail!(
                    "invalid columns: no field '{}' ({of} have: {})",
                    key.trim(),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                );
            }
        }
        Ok(self.columns.iter().map(|k| k.trim().to_string()).collect())
    }
}
