//! `crm tui`: the terminal UI. With a live session (`crm login`) it opens on the dashboard;
//! without one it opens on its own login screen.

use std::io::IsTerminal;

use anyhow::{Result, bail};
use crm_tui::Start;

use crate::context::Context;

pub(crate) fn run(ctx: &Context) -> Result<()> {
    if !std::io::stdout().is_terminal() {
        bail!("the TUI needs a terminal; use the other commands in scripts");
    }
    let start = match ctx.actor() {
        Ok(actor) => Start::Session(actor),
        Err(err) if is_not_logged_in(&err) => Start::Login {
            username: None,
            notice: None,
        },
        Err(err) => return Err(err),
    };
    crm_tui::run(&ctx.crm, start)?;
    Ok(())
}

fn is_not_logged_in(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<crm_core::Error>(),
        Some(crm_core::Error::NotLoggedIn)
    )
}
