//! Files the CLI writes that hold customer data (exports, import reports): private to the
//! user, like the database, whether new or replacing an older file, and never written through
//! a link someone else planted.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates or truncates `path` with mode 0600. An existing file keeps no wider mode (an export
/// onto a 0644 file stayed 0644), and a symbolic link at `path` is refused rather than followed
/// (`O_NOFOLLOW`), as is anything but a regular file.
pub(crate) fn create(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        let file = options.open(path).map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "it is a symbolic link; give the file's own path",
                )
            } else {
                e
            }
        })?;
        let meta = file.metadata()?;
        if !meta.file_type().is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is not a regular file (a device, directory or pipe)",
            ));
        }
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.set_len(0)?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        let file = options.open(path)?;
        file.set_len(0)?;
        Ok(file)
    }
}
