//! The whole command line: the flags every command shares and the commands.

use clap::Parser;

use crate::commands::Command;
use crate::flags::GlobalArgs;

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
