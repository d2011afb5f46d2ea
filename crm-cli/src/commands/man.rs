//! `crm man`: manual pages from the same clap definitions as `--help`, so `man crm` works as it
//! does for every other command-line tool.

use std::path::PathBuf;

use anyhow::{Context as _, Result};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm man | man -l -                       read it now\n  \
                  crm man --dir ~/.local/share/man/man1    install crm.1 and a page per command\n  \
                  sudo crm man --dir /usr/local/share/man/man1"
)]
pub(crate) struct Args {
    /// Write crm.1 and one page per command (crm-leads.1, crm-leads-add.1 ...) into this
    /// directory instead of printing crm.1
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub(crate) fn run(args: &Args, whole: clap::Command) -> Result<()> {
    match &args.dir {
        None => {
            clap_mangen::Man::new(whole).render(&mut std::io::stdout().lock())?;
            Ok(())
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot make {}", dir.display()))?;
            clap_mangen::generate_to(whole, dir)
                .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
            crate::output::hint(&format!(
                "wrote the manual pages to {}; `man crm` finds them when it is on MANPATH",
                dir.display()
            ));
            Ok(())
        }
    }
}
