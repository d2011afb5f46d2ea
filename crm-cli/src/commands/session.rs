//! `crm login`, `crm logout`, `crm whoami`.

use std::io::{IsTerminal, Write};

use anyhow::{Context as _, Result, bail};
use crm_core::Actor;

use crate::context::Context;
use crate::output::{Record, hint};
use crate::secret::PasswordSource;
use crate::session_file;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm login asha\n  printf '%s\\n' \"$CRM_PASSWORD\" | crm login asha --password-stdin"
)]
pub(crate) struct LoginArgs {
    /// Your username (asked for when left out)
    username: Option<String>,
    /// Read the password from the first line of stdin instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

impl Record for Actor {
    const COLUMNS: &'static [&'static str] = &["username", "name", "role"];
    const FIELDS: &'static [&'static str] = &["id", "username", "display_name", "role"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.username().to_owned(),
            self.display_name().to_owned(),
            self.role().to_string(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id().to_string(),
            self.username().to_owned(),
            self.display_name().to_owned(),
            self.role().to_string(),
        ]
    }
}

pub(crate) fn login(ctx: &Context, args: &LoginArgs) -> Result<()> {
    let username = match &args.username {
        Some(name) => name.clone(),
        None if std::io::stdin().is_terminal() => {
            eprint!("Username: ");
            std::io::stderr().flush()?;
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim().to_string()
        }
        None => bail!("missing username: crm login USERNAME"),
    };
    let password = PasswordSource::new(args.password_stdin).read("Password", false)?;
    let (actor, token) = ctx.crm.login(&username, &password)?;
    session_file::save(&ctx.db_path, &token).context("saving the session")?;
    ctx.out.done(
        &actor,
        &format!(
            "Logged in as {} ({}, {})",
            actor.display_name(),
            actor.username(),
            actor.role()
        ),
    )
}

pub(crate) fn logout(ctx: &Context) -> Result<()> {
    let Some(token) = session_file::load(&ctx.db_path)? else {
        hint("not logged in");
        return Ok(());
    };
    ctx.crm.logout(&token)?;
    session_file::remove(&ctx.db_path)?;
    ctx.out
        .done(&serde_json::json!({ "logged_out": true }), "Logged out")
}

pub(crate) fn whoami(ctx: &Context) -> Result<()> {
    ctx.out.show(&ctx.actor()?)
}
