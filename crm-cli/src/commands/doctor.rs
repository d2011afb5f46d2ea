//! `crm doctor`: checks the database file and says what is wrong.

use anyhow::{Result, bail};
use crm_core::Crm;

use crate::context::db_path;
use crate::flags::{GlobalArgs, OutputFormat};
use crate::output::Output;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm doctor\n  crm --db team.db doctor --output json\n\n\
                  Checks SQLite's integrity and foreign keys, the schema version, that only the\n\
                  owner can read the files, the search index, the lead summary, sessions of\n\
                  disabled users and that an admin exists. It only reads (no login needed, since\n\
                  it shows counts, not records) and exits 1 when a check failed."
)]
pub(crate) struct Args {}

pub(crate) fn run(global: &GlobalArgs, _args: &Args) -> Result<()> {
    let path = db_path(global, "crm.db")?;
    let checkup = Crm::doctor(&path)?;
    let out = Output::new(global.output);
    if out.format() == OutputFormat::Json {
        out.json(&checkup)?;
    } else {
        out.rows(
            &["check", "status", "detail"],
            checkup
                .checks
                .iter()
                .map(|c| vec![c.name.to_string(), c.status.to_string(), c.detail.clone()])
                .collect(),
        )?;
    }
    let failed = checkup.failed().count();
    if failed > 0 {
        bail!(
            "{failed} of {} checks failed in {}",
            checkup.checks.len(),
            path.display()
        );
    }
    Ok(())
}
