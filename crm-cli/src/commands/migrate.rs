//! `crm migrate`: the whole CRM copied into an empty database, SQLite to PostgreSQL or back.

use std::path::PathBuf;

use anyhow::Result;
use crm_core::{CheckStatus, Crm};

use crate::context::{Context, db_path};
use crate::flags::GlobalArgs;
use crate::progress;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    crm migrate --from crm.db --to postgres://crm@db.example.com/crm\n  \
    crm migrate --from postgres://crm@db.example.com/crm --to crm-copy.db\n\n\
    The target must be empty (a new file, or a database the server made with createdb). Every\n\
    table is copied a page at a time in one transaction on the target, then counted on both\n\
    sides, and `crm doctor` runs on both. Needs an admin session of the source (crm login).\n\
    Passwords come from PGPASSWORD or ~/.pgpass, never the command line.")]
pub(crate) struct Args {
    /// The CRM to copy (default: --db, $CRM_DB)
    #[arg(long, value_name = "DB")]
    from: Option<PathBuf>,
    /// The empty database to copy it into: a file path or a postgres:// URL
    #[arg(long, value_name = "DB")]
    to: PathBuf,
}

pub(crate) fn run(global: &GlobalArgs, args: &Args) -> Result<()> {
    let from = match &args.from {
        Some(from) => from.clone(),
        None => db_path(global, "crm.db")?,
    };
    let source = GlobalArgs {
        db: Some(from.clone()),
        output: global.output,
    };
    let ctx = Context::open(&source)?;
    let actor = ctx.actor()?;
    let bar = progress::counter();
    let report = ctx
        .crm
        .copy_to(&actor, &args.to, &mut |table, done, total| {
            bar.set_length(u64::try_from(total).unwrap_or(0));
            bar.set_position(u64::try_from(done).unwrap_or(0));
            bar.set_message(table.to_string());
        })?;
    bar.finish_and_clear();
    let mut failed = Vec::new();
    for (side, db) in [("source", &from), ("target", &args.to)] {
        let checkup = Crm::doctor(db)?;
        failed.extend(
            checkup
                .checks
                .iter()
                .filter(|c| c.status == CheckStatus::Failed)
                .map(|c| format!("{side} {}: {}", c.name, c.detail)),
        );
    }
    ctx.out.done(
        &report,
        &format!(
            "Copied {} rows in {} tables into {}; every table counts the same on both sides",
            report.rows(),
            report.tables.len(),
            crm_core::shown_database(&args.to)
        ),
    )?;
    if failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("crm doctor found: {}", failed.join("; "))
    }
}
