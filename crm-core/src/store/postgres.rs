//! Opening a PostgreSQL database: the connection (its password from the environment, never the
//! command line) and the migrations of `migrations/postgres/`, applied once however many
//! servers start at the same moment.

use std::cell::RefCell;

use super::sql::PgConn;
use super::{Engine, Store};
use crate::error::DbError;
use crate::{Error, Result};

/// The migrations of the PostgreSQL schema, in order; the number of one is its place here.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_schema.sql"),
    include_str!("../../../migrations/postgres/0002_deferred_tallies.sql"),
    include_str!("../../../migrations/postgres/0003_sort_indexes_end_with_id.sql"),
    include_str!("../../../migrations/postgres/0004_custom_fields.sql"),
    include_str!("../../../migrations/postgres/0005_custom_values_in_search.sql"),
    include_str!("../../../migrations/postgres/0006_people_without_first_names.sql"),
    include_str!("../../../migrations/postgres/0007_open_tasks_by_assignee.sql"),
];

/// The schema version this build writes on PostgreSQL.
pub(crate) fn latest_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Connects without migrating, for reading a database as it is (`crm doctor`).
pub(crate) fn connect(url: &str) -> Result<PgConn> {
    let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
        Error::Database(DbError::new(
            std::io::Error::other(format!("the database URL is not valid: {e}")),
            false,
        ))
    })?;
    if config.get_password().is_none()
        && let Some(password) = password_for(&config)
    {
        config.password(password);
    }
    let client = config.connect(postgres::NoTls).map_err(|e| {
        Error::Database(DbError::new(
            std::io::Error::other(format!("cannot connect to PostgreSQL: {e}")),
            false,
        ))
    })?;
    Ok(PgConn::new(client, url))
}

/// The schema version of a PostgreSQL database: 0 before its first migration. (PostgreSQL
/// plans every branch of a statement, so the table's presence is asked first, alone.)
pub(crate) fn applied_version(db: super::sql::Db<'_>) -> Result<i64> {
    let migrated: bool = db.query_row(
        "SELECT to_regclass('schema_migrations') IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    if !migrated {
        return Ok(0);
    }
    Ok(db.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?)
}

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
pub(crate) fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

impl Store {
    /// Connects to the PostgreSQL database at `url` and brings it to this build's schema.
    pub(crate) fn open_postgres(url: &str) -> Result<Store> {
        let store = Store {
            engine: Engine::Postgres(Box::new(RefCell::new(connect(url)?))),
        };
        store.migrate_postgres()?;
        Ok(store)
    }

    /// Applies the migrations this database lacks, in one write transaction: writes take turns
    /// (`WriterLock`, taken before the transaction begins), so a second server starting
    /// meanwhile waits, then finds nothing left to do. A database already current is only
    /// read: opening it never waits behind another process's long write.
    fn migrate_postgres(&self) -> Result<()> {
        if self.read(|tx| applied_version(tx.conn()))? == latest_version() {
            return Ok(());
        }
        self.write(|tx| {
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                     version    BIGINT PRIMARY KEY,
                     applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC',
                                                              'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
            )?;
            let applied: i64 = tx.query_row(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )?;
            let latest = latest_version();
            if applied > latest {
                return Err(Error::Conflict(format!(
                    "this database has schema version {applied}, newer than this build's \
                     {latest}: upgrade crm"
                )));
            }
            for (version, sql) in (1..)
                .zip(MIGRATIONS)
                .skip(usize::try_from(applied).unwrap_or(0))
            {
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version) VALUES (?1)",
                    [version],
                )?;
            }
            Ok(())
        })
    }
}

/// The password for a URL without one: `PGPASSWORD`, else the first matching line of
/// `PGPASSFILE` or `~/.pgpass` (`host:port:database:user:password`, `*` matching anything),
/// as libpq reads them.
fn password_for(config: &postgres::Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        return Some(password);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let database = config.get_dbname().unwrap_or_default();
    let user = config.get_user().unwrap_or_default();
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let fields = pgpass_fields(line);
            let [h, p, d, u, password] = fields.as_slice() else {
                return None;
            };
            let fits = |pattern: &str, value: &str| pattern == "*" || pattern == value;
            (fits(h, &host) && fits(p, &port) && fits(d, database) && fits(u, user))
                .then(|| password.clone())
        })
}

/// The `:`-separated fields of a `.pgpass` line, with `\:` and `\\` read as the characters.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(f)) = (chars.next(), fields.last_mut()) {
                    f.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_are_split_with_escapes() {
        assert_eq!(
            pgpass_fields(r"db.example.com:5432:*:crm:se\:cret\\x"),
            ["db.example.com", "5432", "*", "crm", r"se:cret\x"]
        );
    }

    #[test]
    fn a_password_in_the_url_is_never_shown() {
        use crate::store::sql::without_password;
        assert_eq!(
            without_password("postgres://crm:s3cret@db:5432/crm"),
            "postgres://crm@db:5432/crm"
        );
        assert_eq!(
            without_password("postgres://crm@db/crm"),
            "postgres://crm@db/crm"
        );
        assert_eq!(
            without_password("postgresql://db/crm"),
            "postgresql://db/crm"
        );
    }

    #[test]
    fn urls_choose_postgres_and_paths_sqlite() {
        assert!(is_url("postgres://crm@localhost/crm"));
        assert!(is_url("postgresql://crm@db:5433/crm"));
        assert!(!is_url("/var/lib/crm/crm.db"));
        assert!(!is_url("postgres.db"));
    }
}
