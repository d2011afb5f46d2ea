//! `crm completions SHELL`: completion scripts from the clap definition.

use clap_complete::Shell;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm completions bash > ~/.local/share/bash-completion/completions/crm\n  \
                        crm completions zsh > ~/.zfunc/_crm\n  crm completions fish > ~/.config/fish/completions/crm.fish"
)]
pub(crate) struct Args {
    /// The shell to complete for
    shell: Shell,
}

pub(crate) fn run(args: &Args, whole: &mut clap::Command) {
    clap_complete::generate(args.shell, whole, "crm", &mut std::io::stdout());
}
