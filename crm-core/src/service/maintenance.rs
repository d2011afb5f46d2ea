//! Looking after the database file: durability, backup, restore and `crm doctor`.

use std::path::Path;

use serde::Serialize;

use super::Crm;
use crate::model::fixed_set::fixed_set;
use crate::store::{self, Findings};
use crate::{Actor, EntityKind, Error, Result};

fixed_set! {
    /// How hard SQLite works to keep a commit through a power cut (`PRAGMA synchronous`).
    Durability, "durability" {
        /// Every commit is on disk before the call returns (the default).
        Full => "full",
        /// Faster writes; a power cut (not a crash of crm) can lose the last commits, never
        /// corrupt the file.
        Normal => "normal",
    }
}

fixed_set! {
    /// The outcome of one health check.
    CheckStatus, "check status" {
        Ok => "ok",
        /// Works, but wants attention (an older schema that the next command migrates).
        Warning => "warning",
        Failed => "failed",
    }
}

/// One line of `crm doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Check {
    pub name: &'static str,
    pub status: CheckStatus,
    pub detail: String,
}

/// Everything `crm doctor` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Checkup {
    pub checks: Vec<Check>,
}

impl Checkup {
    /// The checks that failed.
    pub fn failed(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.status == CheckStatus::Failed)
    }

    /// True when no check failed (warnings allowed).
    pub fn healthy(&self) -> bool {
        self.failed().next().is_none()
    }

    fn push(&mut self, name: &'static str, status: CheckStatus, detail: impl Into<String>) {
        self.checks.push(Check {
            name,
            status,
            detail: detail.into(),
        });
    }
}

/// A backup that was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BackupMade {
    /// The size of the copy.
    pub bytes: u64,
    /// Why the feed could not record the backup (the database's disk full or read-only); the
    /// copy is good all the same.
    pub unrecorded: Option<String>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Restored {
    /// The schema version of the backup, before it was migrated to this build's.
    pub backup_version: i64,
    pub schema_version: i64,
    /// Sessions of the backup's time that were ended: everyone logs in again.
    pub sessions_ended: usize,
}

impl Crm {
    /// Whether this CRM can answer: the database reads, and its schema is the one this build
    /// writes (a server behind a load balancer says it is not ready otherwise).
    pub fn ready(&self) -> Result<()> {
        let version = self.store.read(|tx| tx.schema_version())?;
        let latest = self.store.latest_schema_version();
        if version == latest {
            Ok(())
        } else {
            Err(Error::Conflict(format!(
                "the database has schema {version}, this build expects {latest}"
            )))
        }
    }

    /// Sets how commits reach the disk for this connection.
    pub fn set_durability(&self, durability: Durability) -> Result<()> {
        self.store.set_synchronous(durability == Durability::Full)
    }

    /// The schema versions an existing database at `path` will be migrated from and to when it
    /// is next opened, or `None` when it is current (or new, or not a file). Some migrations
    /// rebuild an index of every record (the search index, at a million leads: 48 s), so a
    /// front end can say why the first open takes long. Reads only the file's header.
    pub fn pending_upgrade(path: &Path) -> Result<Option<(i64, i64)>> {
        if !path.is_file() {
            return Ok(None);
        }
        let found = store::schema_version_of(&store::open_read_only(path)?)?;
        let latest = store::latest_schema_version();
        Ok((found > 0 && found < latest).then_some((found, latest)))
    }

    /// Checks the database file at `path` without changing it: SQLite's integrity and foreign
    /// key checks, the schema version, file permissions, the search index, the lead, deal and
    /// company tallies, sessions of disabled users and the presence of an admin. Works on a file
    /// `Crm::open` would refuse (a newer schema, a damaged file).
    /// Whether the team server's `authorized_keys` at `file` holds exactly the lines the
    /// database's keys make for `crm` at `program` (what `crm keys sync` would write): a key
    /// removed or a user disabled in the database must not still open a door. Read-only.
    pub fn check_authorized_keys(db: &Path, file: &Path, program: &Path) -> Result<Check> {
        use crate::interop::authorized_keys::{BEGIN, block, merged};
        // A database from before keys existed has none.
        let keys = if let Some(url) = db.to_str().filter(|p| store::is_database_url(p)) {
            let conn = std::cell::RefCell::new(store::connect_postgres(url)?);
            store::authorized_keys_in(store::sql::Db::Postgres(&conn)).unwrap_or_default()
        } else {
            let conn = store::open_read_only(db)?;
            store::authorized_keys_in(store::sql::Db::Sqlite(&conn)).unwrap_or_default()
        };
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e.into()),
        };
        let check = |status, detail: String| Check {
            name: "ssh keys",
            status,
            detail,
        };
        if keys.is_empty() && !text.lines().any(|l| l == BEGIN) {
            return Ok(check(
                CheckStatus::Ok,
                "no SSH keys (not a team server)".into(),
            ));
        }
        let db = std::fs::canonicalize(db)?;
        let wanted = merged(&text, &block(&keys, program, &db)?);
        Ok(if wanted == text {
            check(
                CheckStatus::Ok,
                format!(
                    "{} matches the {} key(s) of active users",
                    file.display(),
                    keys.len()
                ),
            )
        } else {
            check(
                CheckStatus::Failed,
                format!(
                    "{} differs from the {} key(s) of active users; run `crm keys sync`",
                    file.display(),
                    keys.len()
                ),
            )
        })
    }

    pub fn doctor(path: &Path) -> Result<Checkup> {
        let mut checkup = Checkup { checks: Vec::new() };
        if let Some(url) = path.to_str().filter(|p| store::is_database_url(p)) {
            let conn = std::cell::RefCell::new(store::connect_postgres(url)?);
            let findings = store::inspect_postgres(store::sql::Db::Postgres(&conn))?;
            checkup.push("database", CheckStatus::Ok, "CRM database on PostgreSQL");
            judge(&findings, &mut checkup);
            return Ok(checkup);
        }
        let conn = store::open_read_only(path)?;
        let findings = match store::inspect(&conn) {
            Ok(findings) => findings,
            Err(err) => {
                checkup.push("file", CheckStatus::Failed, err.to_string());
                return Ok(checkup);
            }
        };
        let size = std::fs::metadata(path)?.len();
        checkup.push(
            "file",
            CheckStatus::Ok,
            format!("CRM database, {}", human_size(size)),
        );
        permissions(path, &mut checkup);
        judge(&findings, &mut checkup);
        Ok(checkup)
    }

    /// Copies the whole database to `dest` (admin only) as one consistent snapshot, while others
    /// go on working. Refuses to replace an existing file unless `overwrite`, never replaces the
    /// database itself, and never anything but a regular file (`/dev/full` was replaced by a
    /// file). The feed records the backup; when the database's own disk cannot take that row
    /// (the moment a backup elsewhere matters most) the copy still stands, and says so.
    pub fn backup(&self, actor: &Actor, dest: &Path, overwrite: bool) -> Result<BackupMade> {
        actor.require_admin("back up the database")?;
        self.store.sqlite_for(store::SqliteOnly::Backup)?;
        if let Ok(meta) = std::fs::symlink_metadata(dest) {
            if !meta.file_type().is_file() {
                return Err(Error::invalid(
                    "file",
                    format!(
                        "{} is not a regular file (a device, directory or link); give a file name",
                        dest.display()
                    ),
                ));
            }
            if self.is_this_database(dest) {
                return Err(Error::invalid(
                    "file",
                    "that is the database itself; give another file name",
                ));
            }
            if !overwrite {
                return Err(Error::invalid(
                    "file",
                    format!("{} exists; pass --force to replace it", dest.display()),
                ));
            }
        }
        let bytes = self.store.backup_to(dest)?;
        let now = self.now_text();
        let recorded = self.store.write(|tx| {
            tx.insert_activity(
                Some(actor.id),
                "backed_up",
                EntityKind::User,
                actor.id.0,
                &format!(
                    "{} backed up the database to {} ({})",
                    actor.display_name,
                    dest.display(),
                    human_size(bytes)
                ),
                &now,
            )
        });
        Ok(BackupMade {
            bytes,
            unrecorded: recorded.err().map(|e| e.to_string()),
        })
    }

    /// Replaces the whole database with the backup at `from` (admin only). The backup must pass
    /// the integrity and foreign key checks, have an active admin and a schema this build knows;
    /// otherwise nothing changes. Every session ends, since the backup's sessions include ones
    /// logged out since.
    pub fn restore(&mut self, actor: &Actor, from: &Path) -> Result<Restored> {
        actor.require_admin("restore the database")?;
        self.restore_checked(Some(actor), from)
    }

    /// Restores a backup into a database that has no users yet (a fresh file on a new machine),
    /// where there is nobody to log in as.
    pub fn restore_into_empty(&mut self, from: &Path) -> Result<Restored> {
        if self.has_users()? {
            return Err(Error::Conflict(
                "this database already has users; log in as an admin to restore over it".into(),
            ));
        }
        self.restore_checked(None, from)
    }

    fn restore_checked(&mut self, actor: Option<&Actor>, from: &Path) -> Result<Restored> {
        self.store.sqlite_for(store::SqliteOnly::Restore)?;
        if self.is_this_database(from) {
            return Err(Error::invalid("file", "that is the database itself"));
        }
        let refused = |reason: String| {
            Error::invalid(
                "backup",
                format!("{} refused, nothing changed: {reason}", from.display()),
            )
        };
        let source = store::open_read_only(from).map_err(|e| refused(e.to_string()))?;
        let findings = store::inspect(&source).map_err(|e| refused(e.to_string()))?;
        let mut checkup = Checkup { checks: Vec::new() };
        judge(&findings, &mut checkup);
        // The backup's sessions end with the restore, so their check does not matter here.
        if let Some(failed) = checkup.failed().find(|c| c.name != "sessions") {
            return Err(refused(format!(
                "{} check failed: {}",
                failed.name, failed.detail
            )));
        }
        self.store.restore_from(&source)?;
        let now = self.now_text();
        let sessions_ended = self.store.write(|tx| {
            let ended = tx.delete_all_sessions()?;
            let (by, name) = match actor {
                Some(actor) => (tx.user_id(&actor.username)?, actor.display_name.as_str()),
                None => (None, "crm restore"),
            };
            tx.insert_activity(
                by,
                "restored",
                EntityKind::User,
                by.map_or(0, |id| id.0),
                &format!("{name} restored the database from {}", from.display()),
                &now,
            )?;
            Ok(ended)
        })?;
        Ok(Restored {
            backup_version: findings.schema_version,
            schema_version: store::latest_schema_version(),
            sessions_ended,
        })
    }

    fn is_this_database(&self, path: &Path) -> bool {
        match (
            self.store.path().and_then(|p| p.canonicalize().ok()),
            path.canonicalize(),
        ) {
            (Some(ours), Ok(theirs)) => ours == theirs,
            _ => false,
        }
    }
}

/// The pages and the links: SQLite's own checks, or on PostgreSQL the server's word for them.
fn judge_storage(f: &Findings, checkup: &mut Checkup) {
    use CheckStatus::{Failed, Ok};
    if f.postgres {
        checkup.push(
            "integrity",
            Ok,
            "PostgreSQL keeps pages and links whole itself (see its data checksums)",
        );
    } else if f.integrity.is_empty() {
        checkup.push("integrity", Ok, "SQLite integrity_check: ok");
    } else {
        checkup.push("integrity", Failed, f.integrity.join("; "));
    }
    if f.dangling_links.is_empty() {
        checkup.push("foreign keys", Ok, "every link points at a record");
    } else {
        let parts: Vec<String> = f
            .dangling_links
            .iter()
            .map(|(table, n)| format!("{n} in {table}"))
            .collect();
        checkup.push(
            "foreign keys",
            Failed,
            format!("rows linking to missing records: {}", parts.join(", ")),
        );
    }
}

/// Turns the store's counts into checks; shared by `doctor` and the restore's check of a backup.
fn judge(f: &Findings, checkup: &mut Checkup) {
    use CheckStatus::{Failed, Ok, Warning};
    judge_storage(f, checkup);
    let latest = f.latest_schema_version();
    match f.schema_version.cmp(&latest) {
        _ if !f.schema_differences.is_empty() => checkup.push(
            "schema",
            Failed,
            format!(
                "version {} but not the schema this crm builds for it: {}",
                f.schema_version,
                f.schema_differences.join("; ")
            ),
        ),
        std::cmp::Ordering::Equal => {
            checkup.push("schema", Ok, format!("version {latest} (current)"));
        }
        std::cmp::Ordering::Less => checkup.push(
            "schema",
            Warning,
            format!(
                "version {} of {latest}; the next crm command migrates it",
                f.schema_version
            ),
        ),
        std::cmp::Ordering::Greater => checkup.push(
            "schema",
            Failed,
            format!(
                "version {} is newer than this crm knows ({latest}); upgrade crm",
                f.schema_version
            ),
        ),
    }
    if f.unindexed_records == 0 && f.stray_index_entries == 0 {
        checkup.push("search index", Ok, "every record indexed, no stray entries");
    } else {
        checkup.push(
            "search index",
            Failed,
            format!(
                "{} records missing from the search index, {} entries without a record",
                f.unindexed_records, f.stray_index_entries
            ),
        );
    }
    // The summaries kept by triggers, each compared with a direct count.
    for (name, wrong, of) in [
        ("lead tallies", f.wrong_tallies, "the leads"),
        ("deal tallies", f.wrong_deal_tallies, "the deals"),
        (
            "company tallies",
            f.wrong_company_tallies,
            "the companies' links",
        ),
    ] {
        if wrong == 0 {
            checkup.push(name, Ok, format!("the summary agrees with {of}"));
        } else {
            checkup.push(
                name,
                Failed,
                format!("{wrong} summary rows disagree with {of}"),
            );
        }
    }
    if f.sessions_of_disabled == 0 {
        checkup.push("sessions", Ok, "no session of a disabled user");
    } else {
        checkup.push(
            "sessions",
            Failed,
            format!(
                "{} sessions belong to disabled users",
                f.sessions_of_disabled
            ),
        );
    }
    if f.active_admins > 0 {
        checkup.push("admins", Ok, format!("{} active", f.active_admins));
    } else {
        checkup.push("admins", Failed, "no active admin: nobody can manage users");
    }
}

/// The database file and its -wal and -shm companions must be private to their owner: the file
/// holds password hashes and every customer.
#[cfg(unix)]
fn permissions(path: &Path, checkup: &mut Checkup) {
    use std::os::unix::fs::PermissionsExt;
    let mut open = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        let Ok(meta) = std::fs::metadata(&file) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            open.push(format!("{} is mode {mode:o}", file.display()));
        }
    }
    if open.is_empty() {
        checkup.push(
            "permissions",
            CheckStatus::Ok,
            "only the owner can read the files",
        );
    } else {
        checkup.push(
            "permissions",
            CheckStatus::Failed,
            format!(
                "others can read the data: {}; run chmod 600 on them",
                open.join(", ")
            ),
        );
    }
}

#[cfg(not(unix))]
fn permissions(_path: &Path, checkup: &mut Checkup) {
    checkup.push(
        "permissions",
        CheckStatus::Warning,
        "not checked on this system",
    );
}

fn human_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // a display figure
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.0} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}
