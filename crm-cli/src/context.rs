//! What every command needs: the database path, the opened CRM, the output, and the session.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use crm_core::{Actor, Clock, Crm};

use crate::flags::GlobalArgs;
use crate::output::Output;
use crate::progress;
use crate::session_file;

pub(crate) struct Context {
    pub(crate) db_path: PathBuf,
    pub(crate) crm: Crm,
    pub(crate) out: Output,
}

/// The database path: --db, else $CRM_DB (both via clap), else the user's data directory.
pub(crate) fn db_path(global: &GlobalArgs, default_name: &str) -> Result<PathBuf> {
    if let Some(path) = &global.db {
        return Ok(path.clone());
    }
    let dirs = directories::ProjectDirs::from("", "", "crm")
        .context("cannot find a data directory; pass --db PATH")?;
    Ok(dirs.data_dir().join(default_name))
}

/// The system clock; a test build honours `CRM_NOW` (see [`Clock::from_env`]), and a release
/// says once that it does not.
fn clock() -> Result<Clock> {
    if Clock::ignored_variable() {
        eprintln!(
            "warning: {} is ignored: only test builds let the clock be set",
            crm_core::CLOCK_VARIABLE
        );
    }
    Clock::from_env().map_err(anyhow::Error::msg)
}

/// The user a team server's key logged in (`crm shell`): this process acts as them, whatever
/// session file there is.
static ACTING_AS: std::sync::OnceLock<Actor> = std::sync::OnceLock::new();

pub(crate) fn act_as(actor: Actor) {
    let _ = ACTING_AS.set(actor);
}

impl Context {
    /// Opens an existing database; only `init` and `demo` create one.
    pub(crate) fn open(global: &GlobalArgs) -> Result<Context> {
        let path = db_path(global, "crm.db")?;
        if !crm_core::is_database_url(&path) && !path.exists() {
            anyhow::bail!(
                "no database at {}; create one with `crm init` or try `crm demo`",
                path.display()
            );
        }
        Context::open_at(global, path)
    }

    pub(crate) fn open_at(global: &GlobalArgs, db_path: PathBuf) -> Result<Context> {
        let clock = clock()?;
        // A file that cannot be read for its version gets its error from the open below.
        let upgrading = Crm::pending_upgrade(&db_path)
            .ok()
            .flatten()
            .map(|(from, to)| {
                progress::spinner(format!(
                    "upgrading the database from schema {from} to {to}, once \
                     (a large database takes a minute)"
                ))
            });
        let opened = Crm::open_with_clock(&db_path, clock);
        if let Some(spinner) = upgrading {
            spinner.finish_and_clear();
        }
        let crm = opened.with_context(|| format!("opening {}", db_path.display()))?;
        crm.set_durability(crate::config::durability()?)?;
        Ok(Context {
            db_path,
            crm,
            out: Output::new(global.output),
        })
    }

    /// The logged-in user of this database.
    pub(crate) fn actor(&self) -> Result<Actor> {
        if let Some(actor) = ACTING_AS.get() {
            return Ok(actor.clone());
        }
        let token = session_file::load(&self.db_path)?.ok_or(crm_core::Error::NotLoggedIn)?;
        Ok(self.crm.authenticate(&token)?)
    }
}
