//! `crm tui`: the terminal UI for the logged-in user.

use std::io::IsTerminal;

use anyhow::{Result, bail};

use crate::context::Context;

pub(crate) fn run(ctx: &Context) -> Result<()> {
    let actor = ctx.actor()?;
    if !std::io::stdout().is_terminal() {
        bail!("the TUI needs a terminal; use the other commands in scripts");
    }
    crm_tui::run(&ctx.crm, &actor)?;
    Ok(())
}
