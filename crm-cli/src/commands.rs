//! The CLI's table of contents: one enum of commands and the one match that runs them.

mod activity;
mod apikeys;
mod backup;
mod campaigns;
mod capture;
mod companies;
mod completions;
mod contacts;
mod deals;
mod demo;
mod doctor;
mod dupes;
mod export;
mod fields;
mod import;
mod init;
mod keys;
mod leads;
mod man;
mod merges;
mod migrate;
mod notes;
mod outbox;
mod pipeline;
mod privacy;
mod report;
mod search;
mod serve;
mod session;
mod shell;
mod tasks;
mod tickets;
pub(crate) mod tui;
mod users;
mod views;
mod webhooks;

use anyhow::Result;
use clap::Subcommand;

use crate::context::Context;
use crate::flags::GlobalArgs;

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a database and its first admin
    Init(init::Args),
    /// Build a demo database from seeds/ and open the TUI on it
    Demo(demo::Args),
    /// Start a session (the token is kept in a private file in your state directory)
    Login(session::LoginArgs),
    /// End the session
    #[command(after_help = "Example:\n  crm logout")]
    Logout,
    /// Show who is logged in
    #[command(after_help = "Examples:\n  crm whoami\n  crm whoami --output json")]
    Whoami,
    /// Manage users (admins)
    #[command(subcommand)]
    Users(users::Command),
    /// Keys for integrations that call `crm serve` (admins)
    #[command(subcommand)]
    Apikeys(apikeys::Command),
    /// Serve the CRM over HTTP: a JSON API under /api/v1
    Serve(serve::Args),
    /// OpenSSH keys of a team server: each opens crm as its user over ssh (admins)
    Keys(keys::Args),
    /// Run by sshd for a key of `crm keys` (not by people)
    #[command(hide = true)]
    Shell(shell::Args),
    /// Web-to-lead forms a website posts to `crm serve` (marketers, managers, admins)
    #[command(subcommand)]
    Capture(capture::Command),
    /// Tell other tools when leads arrive or convert, deals close and tickets are resolved (admins)
    #[command(subcommand)]
    Webhooks(webhooks::Command),
    /// Manage contacts
    #[command(subcommand)]
    Contacts(contacts::Command),
    /// Companies (accounts): their page, duplicates and merges
    #[command(subcommand)]
    Companies(companies::Command),
    /// Plan marketing campaigns and read their metrics
    #[command(subcommand)]
    Campaigns(campaigns::Command),
    /// Merges of duplicate contacts, and their undo
    #[command(subcommand)]
    Merges(merges::Command),
    /// Capture, score, assign, nurture and convert leads
    #[command(subcommand)]
    Leads(leads::Command),
    /// Deals of the sales pipeline
    #[command(subcommand)]
    Deals(deals::Command),
    /// The Kanban board of deals, and its stages
    Pipeline(pipeline::Args),
    /// The support queue
    #[command(subcommand)]
    Tickets(tickets::Command),
    /// Outgoing mail, delivered over SMTP
    #[command(subcommand)]
    Outbox(outbox::Command),
    /// Follow-up tasks for people
    #[command(subcommand)]
    Tasks(tasks::Command),
    /// Notes and comments on records
    #[command(subcommand)]
    Notes(notes::Command),
    /// The activity feed: who did what, newest first
    Activity(activity::Args),
    /// Search contacts, leads, deals and tickets at once
    Search(search::Args),
    /// Analytics
    #[command(subcommand)]
    Report(report::Command),
    /// Read contacts, leads, deals or campaigns from a CSV file (contacts also from vCards); list
    /// and undo imports
    Import(import::Args),
    /// Write records as CSV, JSON or JSON lines (contacts also as vCards, tasks as iCalendar)
    #[command(subcommand)]
    Export(export::Command),
    /// Your saved list views
    #[command(subcommand)]
    Views(views::Command),
    /// Custom fields: the facts your business adds to its records (admins add them)
    #[command(subcommand)]
    Fields(fields::Command),
    /// Open the terminal UI
    #[command(
        after_help = "Examples:\n  crm tui                    log in on its own screen\n  \
                      crm login asha && crm tui  straight to the dashboard with that session\n\n\
                      Inside, ? lists the keys of each screen, Ctrl-K searches everything, q quits.\n\
                      NO_COLOR=1 turns colours off."
    )]
    Tui,
    /// A person's rights: a copy of their data, erasure on request (admins)
    #[command(subcommand)]
    Privacy(privacy::Command),
    /// Copy the whole database to a file, consistently, while others work (admins)
    Backup(backup::BackupArgs),
    /// Replace the database with a checked backup (admins)
    Restore(backup::RestoreArgs),
    /// Check the database file: integrity, links, schema, permissions, indexes
    Doctor(doctor::Args),
    /// Copy the whole CRM into an empty database: SQLite to PostgreSQL or back (admins)
    Migrate(migrate::Args),
    /// Print a shell completion script
    Completions(completions::Args),
    /// Print the manual page, or write every command's page into a directory
    Man(man::Args),
}

/// Runs one command. `whole` gives the whole command line's definition, which only the
/// completion scripts need.
pub(crate) fn run(
    global: &GlobalArgs,
    command: Command,
    whole: fn() -> clap::Command,
) -> Result<()> {
    match command {
        Command::Init(args) => init::run(global, &args),
        Command::Demo(args) => demo::run(global, &args),
        Command::Man(args) => man::run(&args, whole()),
        Command::Completions(args) => {
            completions::run(&args, &mut whole());
            Ok(())
        }
        Command::Login(args) => session::login(&Context::open(global)?, &args),
        Command::Logout => session::logout(&Context::open(global)?),
        Command::Whoami => session::whoami(&Context::open(global)?),
        Command::Users(command) => users::run(&Context::open(global)?, command),
        Command::Apikeys(command) => apikeys::run(&Context::open(global)?, command),
        Command::Serve(args) => serve::run(global, &args),
        Command::Capture(command) => capture::run(&Context::open(global)?, command),
        Command::Keys(args) => keys::run(&Context::open(global)?, args),
        Command::Shell(args) => shell::run(global, &args),
        Command::Webhooks(command) => webhooks::run(&Context::open(global)?, command),
        Command::Contacts(command) => contacts::run(&Context::open(global)?, command),
        Command::Companies(command) => companies::run(&Context::open(global)?, command),
        Command::Campaigns(command) => campaigns::run(&Context::open(global)?, command),
        Command::Leads(command) => leads::run(&Context::open(global)?, command),
        Command::Merges(command) => merges::run(&Context::open(global)?, &command),
        Command::Deals(command) => deals::run(&Context::open(global)?, command),
        Command::Pipeline(args) => pipeline::run(&Context::open(global)?, args),
        Command::Tickets(command) => tickets::run(&Context::open(global)?, command),
        Command::Outbox(command) => outbox::run(&Context::open(global)?, &command),
        Command::Tasks(command) => tasks::run(&Context::open(global)?, command),
        Command::Notes(command) => notes::run(&Context::open(global)?, command),
        Command::Activity(args) => activity::run(&Context::open(global)?, args),
        Command::Search(args) => search::run(&Context::open(global)?, &args),
        Command::Report(command) => report::run(&Context::open(global)?, &command),
        Command::Import(args) => import::run(&Context::open(global)?, args),
        Command::Export(command) => export::run(&Context::open(global)?, command),
        Command::Views(command) => views::run(&Context::open(global)?, &command),
        Command::Fields(command) => fields::run(&Context::open(global)?, command),
        Command::Tui => tui::run(&Context::open(global)?),
        Command::Privacy(command) => privacy::run(&Context::open(global)?, command),
        Command::Backup(args) => backup::backup(&Context::open(global)?, &args),
        Command::Restore(args) => backup::restore(global, &args),
        Command::Doctor(args) => doctor::run(global, &args),
        Command::Migrate(args) => migrate::run(global, &args),
    }
}

/// An add refused as a duplicate, with the flag that adds it all the same.
pub(crate) fn with_duplicate_hint(err: crm_core::Error) -> anyhow::Error {
    match err {
        crm_core::Error::Duplicate { .. } => {
            anyhow::anyhow!("{err}; pass --allow-duplicate to add it anyway")
        }
        other => other.into(),
    }
}
