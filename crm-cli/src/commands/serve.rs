//! `crm serve`: the CRM over HTTP, for the web, integrations and scripts elsewhere.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use crm_core::{Clock, Crm};
use crm_server::ServerConfig;

use crate::context;
use crate::flags::GlobalArgs;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm serve                                listen on 127.0.0.1:8080\n  \
                  crm serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem   HTTPS on every interface\n  \
                  crm serve --demo                         a fresh demo database, for trying the API\n\n\
                  Check it with `curl -s http://127.0.0.1:8080/healthz`.\n\
                  Log in with POST /api/v1/sessions, or make a key with `crm apikeys add`.\n\
                  Stops on Ctrl-C or SIGTERM once the requests in flight are answered."
)]
pub(crate) struct Args {
    /// Address and port to listen on (port 0 picks a free one and prints it)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    listen: SocketAddr,
    /// Database connections, and so requests served at once (the rest queue)
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    connections: u16,
    /// Serve a fresh demo database in a temporary directory (gone when the server stops)
    #[arg(long)]
    demo: bool,
    /// PEM certificate chain: serve HTTPS (with --tls-key)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Behind a reverse proxy (nginx, Caddy): a web form's visitor is the last address of
    /// X-Forwarded-For, for the per-address limits. Without it the header is not believed
    #[arg(long)]
    behind_proxy: bool,
}

pub(crate) fn run(global: &GlobalArgs, args: &Args) -> Result<()> {
    init_log();
    let clock = Clock::from_env().map_err(anyhow::Error::msg)?;
    // Kept alive while serving: the demo's directory goes when the server stops.
    let mut _demo_dir = None;
    let db: PathBuf = if args.demo {
        let dir = tempfile::Builder::new()
            .prefix("crm-serve-demo-")
            .tempdir()
            .context("creating a directory for the demo database")?;
        let path = dir.path().join("demo.db");
        let crm = Crm::open_with_clock(&path, clock).context("creating the demo database")?;
        let report = crm.load_demo(false)?;
        let users: Vec<String> = report
            .users_created
            .iter()
            .map(|(name, role)| format!("{name} ({role})"))
            .collect();
        eprintln!(
            "demo database; its users, all with the password '{}': {}",
            crm_core::DEMO_PASSWORD,
            users.join(", ")
        );
        _demo_dir = Some(dir);
        path
    } else {
        let path = context::db_path(global, "crm.db")?;
        if !crm_core::is_database_url(&path) && !path.exists() {
            anyhow::bail!(
                "no database at {}; create one with `crm init`, or try `crm serve --demo`",
                path.display()
            );
        }
        path
    };
    let config = ServerConfig {
        listen: args.listen,
        db,
        connections: usize::from(args.connections),
        clock,
        tls: args.tls_cert.clone().zip(args.tls_key.clone()),
        behind_proxy: args.behind_proxy,
    };
    let scheme = if config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    crm_server::serve(&config, |address| {
        // Scripts and tests read the address from this first line (port 0 picks one).
        println!("listening on {scheme}://{address}");
    })?;
    Ok(())
}

/// One line per request on stderr; `RUST_LOG` (e.g. `RUST_LOG=warn`) chooses how much.
fn init_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(crate::output::use_colour(std::io::IsTerminal::is_terminal(
            &std::io::stderr(),
        )))
        .with_target(false)
        .try_init();
}
