//! `crm shell USER --key FINGERPRINT`: the forced command of a team server's `authorized_keys`,
//! run by sshd, never by people (hidden from `--help`). The key sshd accepted logs its user in;
//! then the command the person typed after `ssh host` runs as that user, or the TUI opens.
//!
//! The typed command is split into words as a shell would quote them, and nothing else: no
//! shell runs, nothing is expanded, and commands that reach past the user's own rights on this
//! server (another database, the keys, backups, the server itself) are refused.

use std::io::IsTerminal as _;

use anyhow::{Result, bail};

use crate::cli::Cli;
use crate::commands;
use crate::context::{self, Context};
use crate::flags::GlobalArgs;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The user the key belongs to
    user: String,
    /// The key's fingerprint (SHA256:...)
    #[arg(long)]
    key: String,
}

/// The longest command line taken from SSH.
const MAX_COMMAND: usize = 64 << 10;

/// Commands that make no sense or are not allowed over SSH, with why.
const REFUSED: &[(&str, &str)] = &[
    ("init", "the server's database exists already"),
    ("demo", "the server's database is the team's, not a demo"),
    (
        "restore",
        "restoring replaces everyone's data; an admin does it on the server",
    ),
    (
        "backup",
        "a backup is written on the server's disk; an admin makes it there",
    ),
    ("keys", "keys are managed on the server by an admin"),
    ("shell", "you are in the shell already"),
    ("serve", "the server is run by its administrator"),
    ("login", "your key logged you in"),
    ("logout", "close the SSH connection to log out"),
    ("doctor", "the database file is checked on the server"),
];

/// The words of `line` as the POSIX shell would split them, without running or expanding
/// anything; refused when it cannot be split (an open quote) or holds a NUL.
fn words(line: &str) -> Result<Vec<String>> {
    if line.len() > MAX_COMMAND {
        bail!("the command is longer than {} KiB", MAX_COMMAND >> 10);
    }
    if line.contains('\0') {
        bail!("the command holds a NUL byte");
    }
    shlex::split(line).ok_or_else(|| anyhow::anyhow!("the command has a quote that is not closed"))
}

/// Why the words must not run, if they must not: another database, or a command (as clap
/// parsed it, whatever options came first) from [`REFUSED`].
fn refusal(words: &[String], command: Option<&str>) -> Option<String> {
    if words.iter().any(|w| w == "--db" || w.starts_with("--db=")) {
        return Some("--db is not taken over SSH: you work in the team's database".into());
    }
    REFUSED
        .iter()
        .find(|(name, _)| Some(*name) == command)
        .map(|(name, why)| format!("`{name}` is not available over SSH: {why}"))
}

pub(crate) fn run(global: &GlobalArgs, args: &Args) -> Result<()> {
    let ctx = Context::open(global)?;
    // "client-address client-port server-address server-port"
    let client = std::env::var("SSH_CONNECTION")
        .ok()
        .and_then(|c| c.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "an unknown address".into());
    let actor = ctx.crm.key_login(&args.user, &args.key, &client)?;
    context::act_as(actor);
    let Some(line) = std::env::var_os("SSH_ORIGINAL_COMMAND") else {
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            return commands::tui::run(&ctx);
        }
        bail!("no command: `ssh -t HOST` opens the TUI, `ssh HOST leads list` runs a command");
    };
    let line = line
        .into_string()
        .map_err(|_| anyhow::anyhow!("the command is not UTF-8"))?;
    let words = words(&line)?;
    if words.is_empty() {
        bail!("no command: `ssh -t HOST` opens the TUI, `ssh HOST leads list` runs a command");
    }
    let command_line = std::iter::once("crm".to_string()).chain(words.iter().cloned());
    let matches = match <Cli as clap::CommandFactory>::command().try_get_matches_from(command_line)
    {
        Ok(matches) => matches,
        // --help and --version are answers, not failures.
        Err(err) if !err.use_stderr() => {
            let _ = err.print();
            return Ok(());
        }
        // One line, as every error over SSH: clap's usage block would follow it otherwise.
        Err(err) => {
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            bail!("{}", first.strip_prefix("error: ").unwrap_or(first));
        }
    };
    if let Some(why) = refusal(&words, matches.subcommand_name()) {
        bail!(why);
    }
    let cli = <Cli as clap::FromArgMatches>::from_arg_matches(&matches)?;
    let global = GlobalArgs {
        db: Some(ctx.db_path.clone()),
        ..cli.global
    };
    drop(ctx);
    commands::run(&global, cli.command, <Cli as clap::CommandFactory>::command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_split_as_the_shell_quotes_it_and_nothing_is_expanded() {
        assert_eq!(
            words("leads list --search 'Sharma, A' --output json").unwrap(),
            ["leads", "list", "--search", "Sharma, A", "--output", "json"]
        );
        assert_eq!(
            words("search $(id) `id` ;id").unwrap(),
            ["search", "$(id)", "`id`", ";id"]
        );
        assert!(words("leads list 'open").is_err());
        assert!(words("leads\0list").is_err());
        assert!(words(&"x".repeat(MAX_COMMAND + 1)).is_err());
    }

    #[test]
    fn what_reaches_past_the_users_rights_is_refused() {
        let refused = |line: &str| {
            let words = words(line).unwrap();
            let matches = <Cli as clap::CommandFactory>::command()
                .try_get_matches_from(
                    std::iter::once("crm".to_string()).chain(words.iter().cloned()),
                )
                .unwrap();
            refusal(&words, matches.subcommand_name())
        };
        for line in [
            "init --username x --password-stdin",
            "keys list",
            "shell admin --key x",
            "--output json backup /tmp/x",
            "restore f --yes",
            "leads list --db /etc/passwd",
            "leads list --db=/x",
            "serve",
            "login admin",
        ] {
            assert!(refused(line).is_some(), "{line}");
        }
        for line in [
            "leads list",
            "whoami",
            "export leads",
            "import leads -",
            "tui",
            "leads add --first-name init",
        ] {
            assert_eq!(refused(line), None, "{line}");
        }
    }
}
