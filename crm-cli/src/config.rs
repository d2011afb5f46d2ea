//! The user's config file (`$XDG_CONFIG_HOME/crm/config.toml`) and the environment, for the
//! settings a command line should not carry each time: SMTP for the outbox, and durability.

use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use crm_core::{Durability, SmtpConfig, TlsMode};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    smtp: Option<Smtp>,
    storage: Option<Storage>,
    ssh: Option<Ssh>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ssh {
    authorized_keys: Option<std::path::PathBuf>,
}

/// The service account's `authorized_keys` that `crm keys` writes: `--authorized-keys`, else
/// `ssh.authorized_keys` in the config file, else `~/.ssh/authorized_keys`.
pub(crate) fn authorized_keys(given: Option<&std::path::Path>) -> Result<std::path::PathBuf> {
    if let Some(path) = given {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = file()?.ssh.and_then(|s| s.authorized_keys) {
        return Ok(path);
    }
    let home = directories::BaseDirs::new().context("no home directory; pass --authorized-keys")?;
    Ok(home.home_dir().join(".ssh").join("authorized_keys"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Storage {
    synchronous: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Smtp {
    host: Option<String>,
    port: Option<u16>,
    tls: Option<String>,
    username: Option<String>,
    password: Option<String>,
    from: Option<String>,
    timeout_seconds: Option<u64>,
}

fn file() -> Result<File> {
    let Some(dirs) = directories::ProjectDirs::from("", "", "crm") else {
        return Ok(File::default());
    };
    let path = dirs.config_dir().join("config.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("reading {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(File::default()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// How commits reach the disk: `CRM_SYNCHRONOUS`, else `storage.synchronous` in the config
/// file, else full (every commit survives a power cut).
pub(crate) fn durability() -> Result<Durability> {
    let chosen = std::env::var("CRM_SYNCHRONOUS")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| ("CRM_SYNCHRONOUS", v));
    let chosen = match chosen {
        Some(found) => Some(found),
        None => file()?
            .storage
            .and_then(|s| s.synchronous)
            .map(|v| ("storage.synchronous", v)),
    };
    match chosen {
        Some((source, value)) => value.parse().map_err(|e| anyhow::anyhow!("{source}: {e}")),
        None => Ok(Durability::Full),
    }
}

/// SMTP settings: each `CRM_SMTP_*` variable wins over the `[smtp]` table of the config file.
pub(crate) fn smtp() -> Result<SmtpConfig> {
    let file = file()?.smtp.unwrap_or_default();
    let env = |name: &str| {
        std::env::var(format!("CRM_SMTP_{name}"))
            .ok()
            .filter(|v| !v.is_empty())
    };
    let Some(host) = env("HOST").or(file.host) else {
        bail!(
            "no SMTP server configured: set CRM_SMTP_HOST (and PORT, TLS, USER, PASSWORD, FROM) or [smtp] in config.toml"
        );
    };
    let tls: TlsMode = match env("TLS").or(file.tls) {
        Some(t) => t.parse()?,
        None => TlsMode::StartTls,
    };
    let default_port = match tls {
        TlsMode::None => 25,
        TlsMode::StartTls => 587,
        TlsMode::Tls => 465,
    };
    let port = match env("PORT") {
        Some(p) => p
            .parse()
            .with_context(|| format!("CRM_SMTP_PORT '{p}' is not a port number"))?,
        None => file.port.unwrap_or(default_port),
    };
    let from = env("FROM")
        .or(file.from)
        .context("no From address: set CRM_SMTP_FROM or smtp.from in config.toml")?;
    Ok(SmtpConfig {
        host,
        port,
        tls,
        username: env("USER").or(file.username),
        password: env("PASSWORD").or(file.password),
        from,
        timeout: Duration::from_secs(file.timeout_seconds.unwrap_or(30)),
    })
}
