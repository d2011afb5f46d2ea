//! The service account's `authorized_keys` (see the sshd(8) manual): a marked
//! block of lines written from the CRM's keys, each forcing `crm shell` as the key's user, and
//! every line outside the block kept as a person wrote it.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use crate::{AuthorizedKey, Error, Result};

pub const BEGIN: &str =
    "# BEGIN crm keys (written by `crm keys`; lines from here to the END line are replaced)";
pub const END: &str = "# END crm keys";

/// One argument for the POSIX shell sshd runs a forced command with: in single quotes, which
/// take every character but a single quote literally.
fn shell_word(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The block: one line per key, `command="…",restrict,pty` and the key. `restrict` turns off
/// port, agent and X11 forwarding; `pty` gives the TUI its terminal back.
pub fn block(keys: &[AuthorizedKey], crm: &Path, db: &Path) -> Result<String> {
    let path = |p: &Path, what: &str| {
        p.to_str()
            .filter(|s| !s.contains(['\n', '\r', '\0']))
            .map(str::to_string)
            .ok_or_else(|| {
                Error::invalid(
                    what,
                    format!("{} is not a path a forced command can name", p.display()),
                )
            })
    };
    let (crm, db) = (path(crm, "crm path")?, path(db, "database path")?);
    let mut out = format!("{BEGIN}\n");
    for key in keys {
        let command = format!(
            "{} --db {} shell {} --key {}",
            shell_word(&crm),
            shell_word(&db),
            shell_word(&key.user),
            shell_word(&key.fingerprint)
        );
        // sshd takes a backslash before a double quote as the quote, and any other backslash
        // as itself (`opt_dequote`), so only double quotes are escaped.
        let command = command.replace('"', "\\\"");
        let comment = crate::text::one_line(&key.comment);
        let _ = writeln!(
            out,
            "command=\"{command}\",restrict,pty {} {} {comment}",
            key.algorithm, key.key_data
        );
    }
    out.push_str(END);
    out.push('\n');
    Ok(out)
}

/// `existing` with its block (if any) replaced by `block`, or `block` appended.
pub fn merged(existing: &str, block: &str) -> String {
    let mut out = String::with_capacity(existing.len() + block.len());
    let mut inside = false;
    for line in existing.lines() {
        if line == BEGIN {
            inside = true;
        } else if inside && line == END {
            inside = false;
        } else if !inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(block);
    out
}

/// Writes `block` into the file at `path` as [`merged`] says: written beside it, flushed to
/// disk and renamed over it, so sshd reads the old file or the new one and never half of one;
/// mode 0600, and its directory 0700 when it has to be made.
pub fn write(path: &Path, block: &str) -> Result<()> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e.into()),
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid("authorized-keys", "names a directory, not a file"))?;
    let next = dir.join(format!(".{}.crm-new", name.to_string_lossy()));
    let _ = std::fs::remove_file(&next);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(&next)?;
    file.write_all(merged(&existing, block).as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&next, path)?;
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(user: &str) -> AuthorizedKey {
        AuthorizedKey {
            user: user.into(),
            algorithm: "ssh-ed25519".into(),
            key_data: "AAAAC3NzaC1lZDI1NTE5AAAAIND7Mxt8kZxu5SqpCUPDjU2Xw1sacEtaimsnwlSG4fqQ".into(),
            fingerprint: "SHA256:r1dONfrcr4ivOQQN1OyptCfPgz4jriYR1CMTezderOM".into(),
            comment: "kiran@laptop".into(),
        }
    }

    #[test]
    fn the_block_forces_crm_shell_as_the_keys_user_with_everything_else_off() {
        let text = block(
            &[key("kiran")],
            Path::new("/usr/bin/crm"),
            Path::new("/srv/crm/crm.db"),
        )
        .unwrap();
        assert_eq!(
            text.lines().nth(1).unwrap(),
            "command=\"'/usr/bin/crm' --db '/srv/crm/crm.db' shell 'kiran' --key \
             'SHA256:r1dONfrcr4ivOQQN1OyptCfPgz4jriYR1CMTezderOM'\",restrict,pty ssh-ed25519 \
             AAAAC3NzaC1lZDI1NTE5AAAAIND7Mxt8kZxu5SqpCUPDjU2Xw1sacEtaimsnwlSG4fqQ kiran@laptop"
        );
        let odd = block(
            &[key("o'neil")],
            Path::new("/opt/my \"crm\"/crm"),
            Path::new("/d.db"),
        )
        .unwrap();
        assert!(
            odd.contains(r#"command="'/opt/my \"crm\"/crm' --db '/d.db' shell 'o'\''neil'"#),
            "{odd}"
        );
        assert!(block(&[], Path::new("/a\nb"), Path::new("/d.db")).is_err());
    }

    #[test]
    fn lines_outside_the_block_stay_and_the_block_is_replaced_whole() {
        let mine = "ssh-ed25519 AAAA admin@desk\n# a note of mine\n";
        let first = merged(mine, &format!("{BEGIN}\nkey one\n{END}\n"));
        let second = merged(
            &format!("{first}ssh-rsa BBBB later@hand\n"),
            &format!("{BEGIN}\nkey two\n{END}\n"),
        );
        assert_eq!(
            second,
            format!(
                "ssh-ed25519 AAAA admin@desk\n# a note of mine\nssh-rsa BBBB later@hand\n{BEGIN}\nkey two\n{END}\n"
            )
        );
    }
}
