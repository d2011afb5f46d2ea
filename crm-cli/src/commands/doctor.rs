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
                  disabled users, that an admin exists, and on a team server that authorized_keys\n\
                  holds exactly the keys of active users. It only reads (no login needed, since\n\
                  it shows counts, not records) and exits 1 when a check failed."
)]
pub(crate) struct Args {
    /// The team server's authorized_keys to compare with the keys (default: as `crm keys`)
    #[arg(long, value_name = "FILE")]
    authorized_keys: Option<std::path::PathBuf>,
}

pub(crate) fn run(global: &GlobalArgs, args: &Args) -> Result<()> {
    let path = db_path(global, "crm.db")?;
    let mut checkup = Crm::doctor(&path)?;
    if checkup.healthy() {
        let file = crate::config::authorized_keys(args.authorized_keys.as_deref())?;
        let program = std::env::current_exe()?;
        checkup
            .checks
            .push(Crm::check_authorized_keys(&path, &file, &program)?);
    }
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
