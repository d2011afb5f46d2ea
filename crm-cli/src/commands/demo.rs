//! `crm demo`: a demo database from seeds/, then the TUI on it.

use std::io::IsTerminal;

use anyhow::Result;
use crm_core::DEMO_PASSWORD;

use crate::cli::GlobalArgs;
use crate::context::{Context, db_path};
use crate::output::hint;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm demo                   seed demo.db in your data directory and open the TUI\n  \
                        crm --db /tmp/demo.db demo --no-tui\n\n\
                        Rerunning adds nothing that is already there."
)]
pub(crate) struct Args {
    /// Only build the database; do not open the TUI
    #[arg(long)]
    no_tui: bool,
}

pub(crate) fn run(global: &GlobalArgs, args: &Args) -> Result<()> {
    let path = db_path(global, "demo.db")?;
    let ctx = Context::open_at(global, path)?;
    let report = ctx.crm.load_demo(true)?;
    let db = ctx.db_path.display().to_string();
    if report.users_created.is_empty() {
        println!("Demo database {db} is ready (already seeded; nothing added).");
    } else {
        println!(
            "Demo database {db} created with {} contacts, {} campaigns and {} leads.",
            report.contacts_created, report.campaigns_created, report.leads_created
        );
        println!("Demo users, all with the password '{DEMO_PASSWORD}':");
        for (username, role) in &report.users_created {
            println!("  {username:<8} {role}");
        }
    }
    println!("Log in with: crm --db {db} login asha");
    if args.no_tui {
        return Ok(());
    }
    if !std::io::stdout().is_terminal() {
        hint("not a terminal: skipping the TUI (pass --no-tui to silence this)");
        return Ok(());
    }
    let notice = format!(
        "Demo users: admin, meera (manager), asha and ravi (sales reps), john (support), \
         neha (marketer). Password: {DEMO_PASSWORD}"
    );
    crm_tui::run(
        &ctx.crm,
        crm_tui::Start::Login {
            username: Some("admin".into()),
            notice: Some(notice),
        },
    )?;
    Ok(())
}
