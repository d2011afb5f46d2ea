//! `crm views ...`: your saved list views.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{SavedView, ViewKind};

use crate::context::Context;
use crate::output::{Record, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Your saved views (save one with `crm leads list ... --save NAME`)
    #[command(after_help = "Examples:\n  crm views list\n  crm views list --output json")]
    List,
    /// Delete one of your saved views
    #[command(
        after_help = "Examples:\n  crm views delete hot-in-launch\n  crm views delete vips --kind contacts"
    )]
    Delete {
        /// The view's name
        name: String,
        /// leads or contacts
        #[arg(long, default_value = "leads")]
        kind: ViewKind,
    },
}

impl Record for SavedView {
    const COLUMNS: &'static [&'static str] = &["kind", "name", "filters", "updated"];
    const FIELDS: &'static [&'static str] =
        &["kind", "name", "filters", "created_at", "updated_at"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.kind.to_string(),
            self.name.clone(),
            describe(&self.filters),
            time(self.updated_at),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.kind.to_string(),
            self.name.clone(),
            self.filters.to_string(),
            time(self.created_at),
            time(self.updated_at),
        ]
    }
}

/// The filters of a view as flags, leaving out what is unset.
fn describe(filters: &serde_json::Value) -> String {
    let Some(map) = filters.as_object() else {
        return String::new();
    };
    // A view sorted by a custom field is typed as `--sort KEY`, in place of the kind's order.
    let mut map = map.clone();
    if let Some(key) = map
        .remove("sort_field")
        .filter(serde_json::Value::is_string)
    {
        map.insert("sort".into(), key);
    }
    map.iter()
        .filter(|(key, value)| {
            !value.is_null()
                && *value != false
                && value.as_array().is_none_or(|a| !a.is_empty())
                && key.as_str() != "after"
                && key.as_str() != "limit"
        })
        .map(|(key, value)| match value {
            serde_json::Value::Array(conditions) if key == "wheres" => conditions
                .iter()
                .filter_map(|c| serde_json::from_value::<crm_core::FieldCondition>(c.clone()).ok())
                .map(|c| format!("--where '{c}'"))
                .collect::<Vec<_>>()
                .join(" "),
            serde_json::Value::Bool(true) => format!("--{}", key.replace('_', "-")),
            serde_json::Value::String(s) => format!("--{} {s}", key.replace('_', "-")),
            other => format!("--{} {other}", key.replace('_', "-")),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn run(ctx: &Context, command: &Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::List => ctx.out.list(&ctx.crm.views(&actor)?),
        Command::Delete { name, kind } => {
            ctx.crm.delete_view(&actor, *kind, name)?;
            ctx.out.done(
                &serde_json::json!({ "deleted": name, "kind": kind }),
                &format!("Deleted your {kind} view '{name}'"),
            )
        }
    }
}
