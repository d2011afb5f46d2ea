//! `crm demo`: a demo database from seeds/, then the TUI on it.

use std::io::IsTerminal;

use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::{Context as _, Result};
use crm_core::{DEMO_PASSWORD, VolumeObserver};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::context::{Context, db_path};
use crate::flags::GlobalArgs;
use crate::output::Output;
use crate::output::hint;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm demo                   seed demo.db in your data directory and open the TUI\n  \
                        crm --db /tmp/demo.db demo --no-tui\n  \
                        crm --db /tmp/big.db demo --scale 100000 --no-tui   add 100k generated leads and more\n  \
                        crm demo --scale 1000000 --leads-csv leads.csv      only write 1M generated leads as CSV\n\n\
                        Rerunning adds nothing that is already there (except --scale, which adds again).\n\
                        --scale N adds N leads (imported with round-robin), N/5 contacts each with a deal,\n\
                        N/50 tickets, N/10 tasks and N/20 notes; the same N always makes the same records."
)]
pub(crate) struct Args {
    /// Only build the database; do not open the TUI
    #[arg(long)]
    no_tui: bool,
    /// Grow the demo by this many generated leads (and related records) for volume tests
    #[arg(long, value_name = "LEADS")]
    scale: Option<u64>,
    /// Write the --scale generated leads as CSV to this file and stop (no database is touched)
    #[arg(long, value_name = "FILE", requires = "scale")]
    leads_csv: Option<std::path::PathBuf>,
}

/// What `crm demo` made, for `--output json`; the same as sentences otherwise.
#[derive(Serialize)]
struct Made {
    database: String,
    /// Users created now (none on a rerun), all with `password`.
    users: Vec<DemoUser>,
    password: &'static str,
    contacts: usize,
    campaigns: usize,
    leads: usize,
    /// What `--scale` added.
    volume: Option<crm_core::VolumeReport>,
    seconds: Option<f64>,
}

#[derive(Serialize)]
struct DemoUser {
    /// The user's username
    username: String,
    role: crm_core::Role,
}

pub(crate) fn run(global: &GlobalArgs, args: &Args) -> Result<()> {
    if let (Some(file), Some(scale)) = (&args.leads_csv, args.scale) {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(file)
                .with_context(|| format!("cannot create {}", file.display()))?,
        );
        std::io::copy(&mut crm_core::VolumeLeads::new(scale), &mut out)?;
        out.flush()?;
        return Output::new(global.output).done(
            &serde_json::json!({ "file": file, "leads": scale }),
            &format!("Wrote {scale} generated leads to {}.", file.display()),
        );
    }
    let path = db_path(global, "demo.db")?;
    let ctx = Context::open_at(global, path)?;
    let report = ctx.crm.load_demo(true)?;
    let db = ctx.db_path.display().to_string();
    let mut made = Made {
        database: db.clone(),
        users: report
            .users_created
            .iter()
            .map(|(username, role)| DemoUser {
                username: username.clone(),
                role: *role,
            })
            .collect(),
        password: DEMO_PASSWORD,
        contacts: report.contacts_created,
        campaigns: report.campaigns_created,
        leads: report.leads_created,
        volume: None,
        seconds: None,
    };
    let mut text = if made.users.is_empty() {
        format!("Demo database {db} is ready (already seeded; nothing added).\n")
    } else {
        let mut text = format!(
            "Demo database {db} created with {} contacts, {} campaigns and {} leads.\n\
             Demo users, all with the password '{DEMO_PASSWORD}':\n",
            made.contacts, made.campaigns, made.leads
        );
        for user in &made.users {
            let _ = writeln!(text, "  {:<8} {}", user.username, user.role);
        }
        text
    };
    if let (Some(scale), Some(admin)) = (args.scale, &report.admin) {
        let mut bar = Bars::new();
        let started = std::time::Instant::now();
        let added = ctx.crm.generate_volume(admin, scale, &mut bar)?;
        bar.finish();
        let seconds = started.elapsed().as_secs_f64();
        let _ = writeln!(
            text,
            "Added {} leads, {} contacts, {} deals, {} tickets, {} tasks and {} notes in {seconds:.1} s.",
            added.leads, added.contacts, added.deals, added.tickets, added.tasks, added.notes,
        );
        made.volume = Some(added);
        made.seconds = Some(seconds);
    }
    let _ = write!(text, "Log in with: crm --db {db} login asha");
    ctx.out.done(&made, &text)?;
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

/// One progress bar per generator phase, on stderr when it is a terminal.
struct Bars {
    bar: Option<ProgressBar>,
}

impl Bars {
    fn new() -> Bars {
        Bars { bar: None }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl VolumeObserver for Bars {
    fn phase(&mut self, name: &str, total: u64) {
        self.finish();
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total).with_style(
                ProgressStyle::with_template("{msg:>18} {bar:40} {pos}/{len} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message(name.to_string());
            self.bar = Some(bar);
        }
    }

    fn progress(&mut self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }
}
