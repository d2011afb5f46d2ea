//! Where `crm login` keeps the session token: a 0600 file per database in the user's state
//! directory, so sessions for two databases do not clobber each other.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use crm_core::SessionToken;
use sha2::{Digest, Sha256};

fn state_dir() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "crm")
        .context("cannot find a home directory for the session file")?;
    Ok(dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .join("sessions"))
}

/// The session file of the database at `db`.
pub(crate) fn path_for(db: &Path) -> Result<PathBuf> {
    let canonical = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    let name = digest.iter().take(8).fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    Ok(state_dir()?.join(name))
}

pub(crate) fn load(db: &Path) -> Result<Option<SessionToken>> {
    match std::fs::read_to_string(path_for(db)?) {
        Ok(text) => Ok(Some(SessionToken(text.trim().to_string()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).context("reading the session file"),
    }
}

/// Writes the token to a file only its owner can read, replacing any earlier one.
pub(crate) fn save(db: &Path, token: &SessionToken) -> Result<PathBuf> {
    let path = path_for(db)?;
    let dir = path.parent().context("session file has no directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let _ = std::fs::remove_file(&path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(token.0.as_bytes())?;
    Ok(path)
}

pub(crate) fn remove(db: &Path) -> Result<()> {
    match std::fs::remove_file(path_for(db)?) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).context("removing the session file")
        }
        _ => Ok(()),
    }
}
