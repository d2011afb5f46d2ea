//! `crm`: the command line of the CRM. Parses arguments, runs one command, and maps the outcome to
//! an exit code: 0 on success (and on a closed pipe), 1 when the operation failed, 2 for usage.

// Doc comments on clap types are the --help text users read; Markdown backticks would show there.
#![allow(clippy::doc_markdown)]

mod board;
mod cli;
mod commands;
mod config;
mod context;
mod flags;
mod help_layout;
mod ids;
mod output;
mod private_file;
mod progress;
mod secret;
mod session_file;

use std::process::ExitCode;

// glibc's allocator spent a seventh of a `crm serve` request in malloc and its consolidation
// across threads (perf under load); mimalloc keeps per-thread heaps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let command = help_layout::for_terminal(<cli::Cli as clap::CommandFactory>::command());
    let parsed = command
        .try_get_matches()
        .and_then(|matches| <cli::Cli as clap::FromArgMatches>::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => return output::print_usage_error(&err),
    };
    match commands::run(
        &cli.global,
        cli.command,
        <cli::Cli as clap::CommandFactory>::command,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        // `crm contacts list | head` closes our stdout early: that is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            output::print_error(&err);
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    // The writers that wrap the pipe's error keep it inside their own: JSON and CSV.
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|json| json.io_error_kind() == Some(BrokenPipe))
            || cause.downcast_ref::<csv::Error>().is_some_and(
                |csv| matches!(csv.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}
