//! `crm fields ...`: the custom fields a business adds to its records.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{CustomField, FieldKind, FieldPatch, FieldsOf, NewField};

use crate::context::Context;
use crate::output::{Record, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add a custom field to contacts, companies, leads, deals or tickets (admins)
    #[command(after_help = "Examples:\n  \
        crm fields add leads 'Property type' --type choice --choices 'Villa,Flat,Plot'\n  \
        crm fields add leads 'Budget band' --type money --required\n  \
        crm fields add deals 'Site visit' --type date --key visit_on\n  \
        crm leads add --first-name Asha --field property_type=Villa --field budget_band=50L\n\n\
        Types: text, long_text, number, money, date (YYYY-MM-DD), yes_no, choice,\n\
        multi_choice, user (a username), url, email, phone.")]
    Add {
        /// contacts, companies, leads, deals or tickets
        of: FieldsOf,
        /// The name people see, as on forms and in `show`
        label: String,
        /// What it holds (see below)
        #[arg(long = "type", value_name = "TYPE", default_value = "text")]
        kind: FieldKind,
        /// The choices of a choice or multi_choice field, separated by commas
        #[arg(long, value_name = "LIST")]
        choices: Option<String>,
        /// Every new record needs a value
        #[arg(long)]
        required: bool,
        /// The name typed after --field and --where and in CSV headers (default: made from
        /// the label, 'Property type' -> property_type)
        #[arg(long)]
        key: Option<String>,
    },
    /// The custom fields, by kind of record
    #[command(
        after_help = "Examples:\n  crm fields list\n  crm fields list leads\n  \
        crm fields list --retired --output json"
    )]
    List {
        /// Only the fields of contacts, companies, leads, deals or tickets
        of: Option<FieldsOf>,
        /// Also the retired fields (their values are kept until purged)
        #[arg(long)]
        retired: bool,
    },
    /// Rename a field or change its type, choices or whether it is required (admins); the
    /// values stay, and a change they would not survive is refused
    #[command(after_help = "Examples:\n  \
        crm fields edit leads property_type --label 'Property kind'\n  \
        crm fields edit leads property_type --choices 'Villa,Flat,Plot,Farmhouse'\n  \
        crm fields edit leads rooms --type number\n  \
        crm fields edit leads budget_band --required false")]
    Edit {
        /// contacts, companies, leads, deals or tickets
        of: FieldsOf,
        /// The field's key
        key: String,
        /// A new label
        #[arg(long)]
        label: Option<String>,
        /// A new key (the old one stops working in scripts and saved views)
        #[arg(long = "new-key", value_name = "KEY")]
        new_key: Option<String>,
        /// A new type
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<FieldKind>,
        /// The whole new list of choices, separated by commas
        #[arg(long, value_name = "LIST")]
        choices: Option<String>,
        /// true or false
        #[arg(long)]
        required: Option<bool>,
    },
    /// Hide a field from forms, lists and exports, keeping its values (admins)
    #[command(after_help = "Example:\n  crm fields retire leads property_type")]
    Retire {
        /// contacts, companies, leads, deals or tickets
        of: FieldsOf,
        /// The field's key
        key: String,
    },
    /// Bring a retired field back with its values (admins)
    #[command(after_help = "Example:\n  crm fields restore leads property_type")]
    Restore {
        /// contacts, companies, leads, deals or tickets
        of: FieldsOf,
        /// The field's key
        key: String,
    },
    /// Delete a retired field and every value it kept, for good (admins)
    #[command(after_help = "Example:\n  crm fields purge leads property_type --yes")]
    Purge {
        /// contacts, companies, leads, deals or tickets
        of: FieldsOf,
        /// The field's key
        key: String,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

impl Record for CustomField {
    const COLUMNS: &'static [&'static str] = &[
        "of", "key", "label", "type", "choices", "required", "retired",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "of",
        "key",
        "label",
        "type",
        "choices",
        "required",
        "retired_at",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.of.to_string(),
            self.key.clone(),
            self.label.clone(),
            self.kind.to_string(),
            self.choices.join(", "),
            if self.required { "yes" } else { "" }.to_string(),
            self.retired_at.map(time).unwrap_or_default(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.of.to_string(),
            self.key.clone(),
            self.label.clone(),
            self.kind.to_string(),
            self.choices.join(", "),
            self.required.to_string(),
            self.retired_at.map(time).unwrap_or_default(),
            time(self.created_at),
            time(self.updated_at),
        ]
    }
}

fn choice_list(text: Option<&str>) -> Option<Vec<String>> {
    text.map(|t| t.split(',').map(|c| c.trim().to_string()).collect())
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add {
            of,
            label,
            kind,
            choices,
            required,
            key,
        } => {
            let new = NewField {
                label,
                key,
                kind: Some(kind),
                choices: choice_list(choices.as_deref()).unwrap_or_default(),
                required,
            };
            let field = ctx.crm.add_field(&actor, of, &new)?;
            ctx.out.done(
                &field,
                &format!(
                    "Added {} field '{}' to {of}: crm {of} add ... --field {}=VALUE",
                    field.kind, field.label, field.key
                ),
            )
        }
        Command::List { of, retired } => ctx.out.list(&ctx.crm.fields(&actor, of, retired)?),
        Command::Edit {
            of,
            key,
            label,
            new_key,
            kind,
            choices,
            required,
        } => {
            let patch = FieldPatch {
                label,
                key: new_key,
                kind,
                choices: choice_list(choices.as_deref()),
                required,
            };
            let field = ctx.crm.edit_field(&actor, of, &key, &patch)?;
            ctx.out.done(
                &field,
                &format!("Updated field '{}' ({}) of {of}", field.label, field.key),
            )
        }
        Command::Retire { of, key } => {
            let field = ctx.crm.retire_field(&actor, of, &key)?;
            ctx.out.done(
                &field,
                &format!(
                    "Retired field '{}' of {of}; its values are kept (crm fields restore {of} {key})",
                    field.label
                ),
            )
        }
        Command::Restore { of, key } => {
            let field = ctx.crm.restore_field(&actor, of, &key)?;
            ctx.out.done(
                &field,
                &format!("Restored field '{}' of {of} with its values", field.label),
            )
        }
        Command::Purge { of, key, yes } => {
            if !yes {
                crate::output::confirm(
                    &format!("Delete field '{key}' of {of} and every value it holds?"),
                    "purge the field",
                )?;
            }
            let values = ctx.crm.purge_field(&actor, of, &key)?;
            ctx.out.done(
                &serde_json::json!({ "of": of.as_str(), "key": key, "values_deleted": values }),
                &format!("Purged field '{key}' of {of} and its {values} values"),
            )
        }
    }
}
