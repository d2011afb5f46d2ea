//! `crm completions SHELL`: completion scripts from the clap definition.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm completions bash > ~/.local/share/bash-completion/completions/crm\n  \
                        crm completions zsh > ~/.zfunc/_crm\n  crm completions fish > ~/.config/fish/completions/crm.fish"
)]
pub(crate) struct Args {
    /// The shell to complete for
    shell: Shell,
}

pub(crate) fn run(args: &Args) {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "crm",
        &mut std::io::stdout(),
    );
}
