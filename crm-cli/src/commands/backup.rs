//! `crm backup` and `crm restore`: a consistent copy of the whole database, and putting one back.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::context::{Context, db_path};
use crate::flags::GlobalArgs;
use crate::output::confirm;
use crate::session_file;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  crm backup crm-2026-11-25.db\n  \
                  crm backup /mnt/usb/crm.db --force\n\n\
                  The copy is one consistent snapshot taken while others keep working, written\n\
                  owner-only (mode 600) and checked before it gets its name. Admins only.")]
pub(crate) struct BackupArgs {
    /// Where to write the copy
    file: PathBuf,
    /// Replace FILE when it exists
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  crm restore crm-2026-11-25.db\n  \
                  crm --db new-machine.db restore crm-2026-11-25.db\n\n\
                  The backup must pass SQLite's integrity and foreign key checks and have an active\n\
                  admin; otherwise nothing changes. Restoring over a database with users needs an\n\
                  admin session of that database and ends every session: everyone logs in again.")]
pub(crate) struct RestoreArgs {
    /// The backup to restore
    file: PathBuf,
    /// Do not ask before replacing the database
    #[arg(long)]
    yes: bool,
}

#[derive(Serialize)]
struct BackedUp<'a> {
    file: &'a std::path::Path,
    bytes: u64,
}

pub(crate) fn backup(ctx: &Context, args: &BackupArgs) -> Result<()> {
    let actor = ctx.actor()?;
    let made = ctx.crm.backup(&actor, &args.file, args.force)?;
    let bytes = made.bytes;
    if let Some(why) = &made.unrecorded {
        crate::output::hint(&format!(
            "the backup is good, but the activity feed could not record it: {why}"
        ));
    }
    ctx.out.done(
        &BackedUp {
            file: &args.file,
            bytes,
        },
        &format!(
            "Backed up {} to {} ({bytes} bytes)",
            ctx.db_path.display(),
            args.file.display()
        ),
    )
}

pub(crate) fn restore(global: &GlobalArgs, args: &RestoreArgs) -> Result<()> {
    let path = db_path(global, "crm.db")?;
    if !args.file.is_file() {
        anyhow::bail!("invalid backup: no file at {}", args.file.display());
    }
    let mut ctx = Context::open_at(global, path)?;
    let restored = if ctx.crm.has_users()? {
        let actor = ctx.actor()?;
        if !args.yes {
            confirm(
                &format!(
                    "Replace every record in {} with the backup {}?",
                    ctx.db_path.display(),
                    args.file.display()
                ),
                "restore",
            )?;
        }
        ctx.crm.restore(&actor, &args.file)?
    } else {
        ctx.crm.restore_into_empty(&args.file)?
    };
    // The token in the session file died with every other session.
    session_file::remove(&ctx.db_path)
        .with_context(|| "removing the old session file".to_string())?;
    ctx.out.done(
        &restored,
        &format!(
            "Restored {} from {} (schema {}); every session ended ({}), log in again with `crm login`",
            ctx.db_path.display(),
            args.file.display(),
            restored.schema_version,
            restored.sessions_ended
        ),
    )
}
