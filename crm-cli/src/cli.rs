//! The global flags shared by every command.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use crate::commands::Command;

/// A customer relationship manager for the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "crm",
    version,
    about,
    long_about = "A customer relationship manager for the terminal: contacts, leads, campaigns, \
                  deals, tickets and tasks in one SQLite file. Reps work in `crm tui`; admins and \
                  scripts use the commands below.",
    after_help = "Examples:\n  crm demo                      build a demo database and open the TUI on it\n  \
                  crm init --username admin     create a database and its first admin\n  \
                  crm login asha                start a session\n  \
                  crm contacts list --tag vip --output csv\n\n\
                  The database is --db, else $CRM_DB, else crm.db in your data directory."
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

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

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::Cli;

    /// Every argument of every command says what it takes in `--help`, and every command has
    /// an about line: 145 of 322 arguments were bare.
    #[test]
    fn every_command_and_argument_has_help() {
        fn walk(command: &clap::Command, path: &str, bare: &mut Vec<String>) {
            let path = format!("{path} {}", command.get_name());
            if command.get_about().is_none() && !command.is_hide_set() {
                bare.push(format!("{path}: no about line"));
            }
            for arg in command.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && !arg.is_hide_set() && arg.get_help().is_none() {
                    bare.push(format!("{path} --{}", arg.get_id()));
                }
            }
            for sub in command.get_subcommands() {
                if sub.get_name() != "help" {
                    walk(sub, &path, bare);
                }
            }
        }
        let mut bare = Vec::new();
        walk(&Cli::command(), "", &mut bare);
        assert!(
            bare.is_empty(),
            "{} without help:\n{}",
            bare.len(),
            bare.join("\n")
        );
    }
}
