//! `crm keys ...`: OpenSSH keys of a team server (admins). Each key opens `crm` as its user over
//! `ssh`; the service account's `authorized_keys` is rewritten after every change.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::Subcommand;
use crm_core::SshKey;

use crate::context::Context;
use crate::output::{Record, hint, time};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The service account's authorized_keys to write (default: ssh.authorized_keys in the
    /// config file, else ~/.ssh/authorized_keys)
    #[arg(long, global = true, value_name = "FILE")]
    authorized_keys: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Give a user an OpenSSH public key (ed25519, ecdsa, or rsa of 2048 bits or more)
    #[command(after_help = "Examples:\n  crm keys add asha asha.pub\n  \
        ssh-keygen -y -f ~/.ssh/id_ed25519 | crm keys add ravi -\n\n\
        Then asha types `ssh -t crm@server` for the TUI, or `ssh crm@server leads list`.\n\
        docs/team.md sets up the service account.")]
    Add {
        /// The user the key logs in as
        user: String,
        /// The .pub file, or - for standard input
        file: String,
    },
    /// List the keys with their users and fingerprints
    #[command(after_help = "Examples:\n  crm keys list\n  crm keys list --output json")]
    List,
    /// Take a key away (by the fingerprint `crm keys list` shows)
    #[command(
        after_help = "Example:\n  crm keys remove SHA256:r1dONfrcr4ivOQQN1OyptCfPgz4jriYR1CMTezderOM"
    )]
    Remove {
        /// SHA256:...
        fingerprint: String,
    },
    /// Write authorized_keys again from the database (after a restore, or a hand edit inside
    /// the block)
    #[command(after_help = "Example:\n  crm keys sync")]
    Sync,
}

impl Record for SshKey {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "user",
        "active",
        "type",
        "fingerprint",
        "comment",
        "added",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "user",
        "active",
        "algorithm",
        "fingerprint",
        "comment",
        "created_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.user.clone(),
            if self.active { "yes" } else { "no (disabled)" }.to_string(),
            self.algorithm.clone(),
            self.fingerprint.clone(),
            self.comment.clone(),
            time(self.created_at),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.user.clone(),
            self.active.to_string(),
            self.algorithm.clone(),
            self.fingerprint.clone(),
            self.comment.clone(),
            time(self.created_at),
        ]
    }
}

/// Rewrites the block of `authorized_keys` from the database: the keys of active users, each
/// forcing this very `crm` on this database.
pub(crate) fn sync(ctx: &Context, path: &Path) -> Result<usize> {
    let keys = ctx.crm.authorized_keys()?;
    let crm = std::env::current_exe().context("finding the crm program")?;
    let db = if crm_core::is_database_url(&ctx.db_path) {
        ctx.db_path.clone()
    } else {
        std::fs::canonicalize(&ctx.db_path)
            .with_context(|| format!("finding {}", ctx.db_path.display()))?
    };
    let block = crm_core::interop::authorized_keys::block(&keys, &crm, &db)?;
    crm_core::interop::authorized_keys::write(path, &block)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(keys.len())
}

pub(crate) fn run(ctx: &Context, args: Args) -> Result<()> {
    let actor = ctx.actor()?;
    let path = crate::config::authorized_keys(args.authorized_keys.as_deref())?;
    match args.command {
        Command::Add { user, file } => {
            let mut line = String::new();
            if file == "-" {
                std::io::stdin()
                    .take(64 << 10)
                    .read_to_string(&mut line)
                    .context("reading the key from standard input")?;
            } else {
                std::fs::File::open(&file)
                    .with_context(|| format!("cannot read {file}"))?
                    .take(64 << 10)
                    .read_to_string(&mut line)
                    .with_context(|| format!("cannot read {file}"))?;
            }
            let key = ctx.crm.add_ssh_key(&actor, &user, line.trim())?;
            let lines = sync(ctx, &path)?;
            hint(&format!("{} holds {lines} key(s) now", path.display()));
            ctx.out.done(
                &key,
                &format!(
                    "Key {} ({}) logs in as {}",
                    key.fingerprint, key.algorithm, key.user
                ),
            )
        }
        Command::List => ctx.out.list(&ctx.crm.ssh_keys(&actor)?),
        Command::Remove { fingerprint } => {
            let key = ctx.crm.remove_ssh_key(&actor, &fingerprint)?;
            let lines = sync(ctx, &path)?;
            hint(&format!("{} holds {lines} key(s) now", path.display()));
            ctx.out.done(
                &key,
                &format!("Key {} of {} removed", key.fingerprint, key.user),
            )
        }
        Command::Sync => {
            // Writing the file asks no rights of the service; managing keys is for admins.
            ctx.crm.ssh_keys(&actor)?;
            let lines = sync(ctx, &path)?;
            ctx.out
                .text(&format!("Wrote {lines} key(s) to {}", path.display()))
        }
    }
}
