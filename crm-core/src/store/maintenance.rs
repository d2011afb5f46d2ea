//! Whole-file work: durability, online backup and restore, and the health checks of `crm doctor`.

use std::path::Path;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{Store, configure, create_private, migrations};
use crate::error::DbError;
use crate::{Error, Result};

/// What a health check found in one database file. Every field is a count or a list of
/// SQLite's own messages; `service::maintenance` turns them into a report.
#[derive(Default)]
pub(crate) struct Findings {
    /// `PRAGMA integrity_check` lines other than "ok" (at most 20).
    pub(crate) integrity: Vec<String>,
    /// Rows whose foreign key points at nothing, per table.
    pub(crate) dangling_links: Vec<(String, i64)>,
    pub(crate) schema_version: i64,
    /// Records that the search index does not hold, and index entries without a record.
    pub(crate) unindexed_records: i64,
    pub(crate) stray_index_entries: i64,
    /// Lead tally rows that disagree with a direct count of the leads.
    pub(crate) wrong_tallies: i64,
    /// Deal tally rows that disagree with a direct count and sum of the deals.
    pub(crate) wrong_deal_tallies: i64,
    /// Company tally rows that disagree with a direct count of their links.
    pub(crate) wrong_company_tallies: i64,
    /// Sessions that still belong to a disabled user.
    pub(crate) sessions_of_disabled: i64,
    pub(crate) active_admins: i64,
    /// How the file's tables, columns, indexes, triggers and views differ from the ones this
    /// build's migrations make for its version (a planted trigger, a missing table).
    pub(crate) schema_differences: Vec<String>,
    /// On PostgreSQL (whose schema versions count its own migrations).
    pub(crate) postgres: bool,
}

impl Findings {
    /// The schema version this build writes on the engine the findings are of.
    pub(crate) fn latest_schema_version(&self) -> i64 {
        if self.postgres {
            super::postgres::latest_version()
        } else {
            latest_schema_version()
        }
    }
}

/// Sessions that still belong to a disabled user (both engines).
const SESSIONS_OF_DISABLED: &str =
    "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.active = 0";
/// Admins who can log in (both engines).
const ACTIVE_ADMINS: &str = "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1";

/// The checks of `crm doctor` on a PostgreSQL database, read without changing it. The server
/// itself keeps pages whole and foreign keys true, so there is no integrity or link check to
/// run; the rest are SQLite's: search entries, tallies, sessions, admins.
pub(crate) fn inspect_postgres(db: super::sql::Db<'_>) -> Result<Findings> {
    let count = |sql: &str| -> Result<i64> { Ok(db.query_row(sql, [], |r| r.get(0))?) };
    let schema_version = super::postgres::applied_version(db)?;
    if count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'")? == 0 {
        return Err(Error::invalid(
            "database",
            "this PostgreSQL database is not a CRM database (it has no users table)",
        ));
    }
    let has_table = |name: &str| -> Result<bool> {
        Ok(db.query_row(
            "SELECT count(*) > 0 FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = ?1",
            [name],
            |r| r.get(0),
        )?)
    };
    let shift = super::search::KIND_SHIFT;
    let tables: [(&str, i64); 4] =
        std::array::from_fn(|i| (super::search::KIND_TABLES[i], super::search::kind_number(i)));
    let missing = tables.map(|(table, k)| {
        format!(
            "(SELECT count(*) FROM {table} x WHERE NOT EXISTS
                (SELECT 1 FROM search_index s WHERE s.entry = x.id + ({k}::bigint << {shift})))"
        )
    });
    let stray = tables.map(|(table, k)| {
        format!(
            "WHEN {k} THEN NOT EXISTS (SELECT 1 FROM {table} WHERE id = s.entry & {})",
            (1_i64 << shift) - 1
        )
    });
    let (wrong_tallies, wrong_deal_tallies, wrong_company_tallies) =
        wrong_tallies(&count, &has_table)?;
    Ok(Findings {
        integrity: Vec::new(),
        dangling_links: Vec::new(),
        schema_version,
        unindexed_records: count(&format!("SELECT {}", missing.join(" + ")))?,
        stray_index_entries: count(&format!(
            "SELECT count(*) FROM search_index s WHERE CASE s.entry >> {shift} {} ELSE true END",
            stray.join(" ")
        ))?,
        wrong_tallies,
        wrong_deal_tallies,
        wrong_company_tallies,
        sessions_of_disabled: count(SESSIONS_OF_DISABLED)?,
        active_admins: count(ACTIVE_ADMINS)?,
        schema_differences: Vec::new(),
        postgres: true,
    })
}

/// The schema version this build writes.
pub(crate) fn latest_schema_version() -> i64 {
    i64::try_from(migrations::count()).unwrap_or(i64::MAX)
}

/// The schema version written in the file (`user_version`; 0 for a new, empty file).
pub(crate) fn schema_version_of(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

impl super::Tx<'_> {
    /// The schema version of the open database.
    pub(crate) fn schema_version(&self) -> Result<i64> {
        match self.conn() {
            super::sql::Db::Sqlite(conn) => schema_version_of(conn),
            db @ super::sql::Db::Postgres(_) => Ok(db.query_row(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )?),
        }
    }
}

/// Opens a database file only to read it: nothing is created, migrated or changed.
pub(crate) fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("no database file at {}", path.display()),
        )));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    Ok(conn)
}

/// Runs every check on `conn`. Fails only when the file is not a readable SQLite database at
/// all, or is not a CRM database (the checks need its tables).
pub(crate) fn inspect(conn: &Connection) -> Result<Findings> {
    // A header or schema SQLite cannot read is damage too: the integrity failure to report,
    // not a read error.
    let damaged = |e: rusqlite::Error, schema_version: i64| -> Result<Findings> {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) {
            Ok(Findings {
                integrity: vec![e.to_string()],
                schema_version,
                ..Findings::default()
            })
        } else {
            Err(e.into())
        }
    };
    let schema_version: i64 = match conn.pragma_query_value(None, "user_version", |r| r.get(0)) {
        Ok(version) => version,
        Err(e) => return damaged(e, 0),
    };
    let has_users: bool = match conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'users'",
        [],
        |r| r.get(0),
    ) {
        Ok(has) => has,
        Err(e) => return damaged(e, schema_version),
    };
    if !has_users {
        return Err(Error::invalid(
            "database",
            "this SQLite file is not a CRM database (it has no users table)",
        ));
    }
    // SQLite may stop the check itself with "database disk image is malformed": that too is
    // the integrity failure to report.
    let integrity = integrity_problems(conn).unwrap_or_else(|e| vec![e.to_string()]);
    match deeper_checks(conn, &integrity, schema_version) {
        // A damaged file may fail the later checks too, on the very pages integrity_check
        // named: its report is the integrity failure, not the read error of a later query.
        Err(_) if !integrity.is_empty() => Ok(Findings {
            integrity,
            schema_version,
            ..Findings::default()
        }),
        other => other,
    }
}

/// `PRAGMA integrity_check` lines other than "ok".
fn integrity_problems(conn: &Connection) -> super::sql::SqlResult<Vec<String>> {
    let mut integrity = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check(20)")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let line: String = row.get(0)?;
        if line != "ok" {
            integrity.push(line);
        }
    }
    Ok(integrity)
}

/// The checks after `integrity_check`: links, search index, tallies, sessions, admins.
fn deeper_checks(conn: &Connection, integrity: &[String], schema_version: i64) -> Result<Findings> {
    let mut stmt = conn.prepare(
        "SELECT fk.\"table\", count(*) FROM pragma_foreign_key_check AS fk GROUP BY 1 ORDER BY 1",
    )?;
    let dangling_links = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    // The search index and the tallies arrived with later migrations; an older file has none.
    let has_table = |name: &str| -> Result<bool> {
        Ok(conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE name = ?1",
            [name],
            |r| r.get(0),
        )?)
    };
    let (unindexed_records, stray_index_entries) = if has_table("search_index")? {
        // Rowids name the record: `id + k * 2^40` since migration 15 (`store::search`),
        // `id * 4 + k - 1` before.
        let shift = super::search::KIND_SHIFT;
        let (rowid_of, kind_of, id_of) = if schema_version >= 15 {
            (
                format!("{{t}}.id + ({{k}} << {shift})"),
                format!("s.rowid >> {shift}"),
                format!("s.rowid & {}", (1_i64 << shift) - 1),
            )
        } else {
            (
                "{t}.id * 4 + {k} - 1".to_string(),
                "s.rowid % 4 + 1".to_string(),
                "s.rowid / 4".to_string(),
            )
        };
        let tables: [(&str, i64); 4] =
            std::array::from_fn(|i| (super::search::KIND_TABLES[i], super::search::kind_number(i)));
        // The names' index (migration 0031) is contentless: its entries' rowids are the ids
        // of its docsize table.
        let titles = has_table("search_titles")?;
        let missing = tables.map(|(table, k)| {
            let rowid = rowid_of.replace("{t}", "x").replace("{k}", &k.to_string());
            let no_title = if titles {
                format!(
                    " OR NOT EXISTS (SELECT 1 FROM search_titles_docsize t WHERE t.id = {rowid})"
                )
            } else {
                String::new()
            };
            format!(
                "(SELECT count(*) FROM {table} x WHERE NOT EXISTS
                    (SELECT 1 FROM search_index s WHERE s.rowid = {rowid}){no_title})"
            )
        });
        let stray = tables.map(|(table, k)| {
            format!("WHEN {k} THEN NOT EXISTS (SELECT 1 FROM {table} WHERE id = {id_of})")
        });
        let stray = stray.join(" ");
        let stray_titles = if titles {
            count(&format!(
                "SELECT count(*) FROM (SELECT id AS rowid FROM search_titles_docsize) s
                 WHERE CASE {kind_of} {stray} ELSE 1 END"
            ))?
        } else {
            0
        };
        (
            count(&format!("SELECT {}", missing.join(" + ")))?,
            count(&format!(
                "SELECT count(*) FROM search_index s WHERE CASE {kind_of} {stray} ELSE 1 END"
            ))? + stray_titles,
        )
    } else {
        (0, 0)
    };
    let (wrong_tallies, wrong_deal_tallies, wrong_company_tallies) =
        wrong_tallies(&count, &has_table)?;
    Ok(Findings {
        integrity: integrity.to_vec(),
        dangling_links,
        schema_version,
        unindexed_records,
        stray_index_entries,
        wrong_tallies,
        wrong_deal_tallies,
        wrong_company_tallies,
        sessions_of_disabled: count(SESSIONS_OF_DISABLED)?,
        active_admins: count(ACTIVE_ADMINS)?,
        schema_differences: schema_differences(conn, schema_version)?,
        postgres: false,
    })
}

/// Every object of the file's schema, keyed by kind and name, with its SQL in one spacing.
fn schema_of(conn: &Connection) -> Result<std::collections::BTreeMap<(String, String), String>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, ifnull(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
    )?;
    let rows = stmt.query_map([], |r| {
        let sql: String = r.get(2)?;
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            sql.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The differences between the file's schema and the one this build's migrations make for
/// the same version, each named ("trigger 'escalate' is not part of the schema"). A backup
/// with a planted trigger restored and made a rep an admin on the next insert; one missing a
/// table restored too. A version this build does not know has nothing to compare with (the
/// version check refuses it).
fn schema_differences(conn: &Connection, version: i64) -> Result<Vec<String>> {
    let Ok(known) = usize::try_from(version) else {
        return Ok(Vec::new());
    };
    if version > latest_schema_version() {
        return Ok(Vec::new());
    }
    let mut expected = Connection::open_in_memory()?;
    migrations::apply_up_to(&mut expected, known)?;
    let (want, have) = (schema_of(&expected)?, schema_of(conn)?);
    let mut differences = Vec::new();
    for ((kind, name), sql) in &have {
        match want.get(&(kind.clone(), name.clone())) {
            None => differences.push(format!("{kind} '{name}' is not part of the schema")),
            Some(wanted) if wanted != sql => {
                differences.push(format!("{kind} '{name}' is not as the schema defines it"));
            }
            Some(_) => {}
        }
    }
    for (kind, name) in want.keys() {
        if !have.contains_key(&(kind.clone(), name.clone())) {
            differences.push(format!("{kind} '{name}' is missing"));
        }
    }
    Ok(differences)
}

impl Store {
    /// The database file, for telling it apart from a backup's.
    pub(crate) fn path(&self) -> Option<std::path::PathBuf> {
        self.sqlite()?
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    }

    /// `synchronous=FULL` (the default) syncs the WAL on every commit, so a commit survives a
    /// power cut; NORMAL syncs only at checkpoints: faster, and a power cut can lose the last
    /// commits (never corrupt the file).
    pub(crate) fn set_synchronous(&self, full: bool) -> Result<()> {
        // PostgreSQL's durability is the server's own setting (`synchronous_commit`).
        if let Some(conn) = self.sqlite() {
            conn.pragma_update(None, "synchronous", if full { "FULL" } else { "NORMAL" })?;
        }
        Ok(())
    }

    /// Copies every committed page from the write-ahead log into the database file and empties
    /// the log. False when a reader kept it from finishing (the next checkpoint does).
    pub(crate) fn checkpoint(&self) -> Result<bool> {
        let Some(conn) = self.sqlite() else {
            return Ok(true);
        };
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        Ok(busy == 0)
    }

    /// Copies the whole database to `dest` as one consistent snapshot while other connections
    /// go on writing. The copy is written beside `dest`, checked and renamed into place, so an
    /// interrupted backup never leaves a half file under the name the user gave.
    pub(crate) fn backup_to(&self, dest: &Path) -> Result<u64> {
        let partial = dest.with_file_name(format!(
            ".{}.partial",
            dest.file_name()
                .map_or_else(|| "backup".into(), |n| n.to_string_lossy())
        ));
        let _ = std::fs::remove_file(&partial);
        create_private(&partial)?;
        let result = (|| -> Result<()> {
            let mut copy = Connection::open(&partial)?;
            {
                let backup = Backup::new(self.sqlite_for(super::SqliteOnly::Backup)?, &mut copy)?;
                step_to_end(&backup)?;
            }
            // A backup is one self-contained file: no -wal beside it.
            copy.pragma_update(None, "journal_mode", "DELETE")?;
            let ok: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            if ok != "ok" {
                return Err(Error::Conflict(format!("the copy failed its check: {ok}")));
            }
            Ok(())
        })();
        if let Err(err) = result {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
        std::fs::rename(&partial, dest).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot write backup {}: {e}", dest.display()),
            ))
        })?;
        Ok(std::fs::metadata(dest)?.len())
    }

    /// Replaces this database's content with `source`'s, in one step under the write lock
    /// (readers see the old or the new database, never a mix), then migrates it to this build's
    /// schema. The caller has checked `source`.
    pub(crate) fn restore_from(&mut self, source: &Connection) -> Result<()> {
        let conn = self.sqlite_mut_for(super::SqliteOnly::Restore)?;
        {
            let backup = Backup::new(source, conn)?;
            step_to_end(&backup)?;
        }
        configure(conn)?;
        migrations::apply(conn)
    }
}

/// Copies every page in one step: one read transaction on the source, so the copy is a
/// consistent snapshot even while others write. A busy destination is waited for.
fn step_to_end(backup: &Backup<'_, '_>) -> Result<()> {
    for _ in 0..50 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            _ => {}
        }
    }
    Err(Error::Database(DbError::new(
        std::io::Error::other("the database stayed busy for 5 s; try again"),
        true,
    )))
}

/// Rows of each summary kept by triggers (leads, deals, companies) that disagree with a direct
/// count; 0 for a summary an older file does not have yet.
pub(super) fn wrong_tallies(
    count: &dyn Fn(&str) -> Result<i64>,
    has_table: &dyn Fn(&str) -> Result<bool>,
) -> Result<(i64, i64, i64)> {
    // Each summary: its table, the rows a direct count gives, and the rows it keeps.
    let summaries = [
        (
            "lead_tallies",
            "SELECT campaign_id, ifnull(owner_id, 0), stage, source,
                    CASE WHEN score > 70 THEN 1 ELSE 0 END, count(*)
             FROM leads GROUP BY 1, 2, 3, 4, 5",
            "SELECT campaign_id, owner_id, stage, source, hot, n FROM lead_tallies WHERE n <> 0",
        ),
        (
            "deal_tallies",
            "SELECT stage_id, ifnull(owner_id, 0), ifnull(campaign_id, 0), currency, count(*),
                    CAST(sum(amount) AS BIGINT)
             FROM deals GROUP BY 1, 2, 3, 4",
            "SELECT stage_id, owner_id, campaign_id, currency, n, amount
             FROM deal_tallies WHERE n <> 0",
        ),
        (
            "company_tallies",
            "SELECT co.id,
                    (SELECT count(*) FROM contacts x WHERE x.company_id = co.id),
                    (SELECT count(*) FROM leads x WHERE x.company_id = co.id),
                    (SELECT count(*) FROM deals x WHERE x.company_id = co.id)
             FROM companies co",
            "SELECT co.id, ifnull(t.contacts, 0), ifnull(t.leads, 0), ifnull(t.deals, 0)
             FROM companies co LEFT JOIN company_tallies t ON t.company_id = co.id",
        ),
    ];
    let mut wrong = [0; 3];
    for (slot, (table, direct, kept)) in wrong.iter_mut().zip(summaries) {
        if has_table(table)? {
            *slot = count(&format!(
                "SELECT (SELECT count(*) FROM ({direct} EXCEPT {kept}) AS missing)
                      + (SELECT count(*) FROM ({kept} EXCEPT {direct}) AS extra)"
            ))?;
        }
    }
    Ok((wrong[0], wrong[1], wrong[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durability_reaches_the_connection() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("crm.db")).unwrap();
        let level = |store: &Store| -> i64 {
            store
                .sqlite()
                .unwrap()
                .pragma_query_value(None, "synchronous", |r| r.get(0))
                .unwrap()
        };
        assert_eq!(level(&store), 2, "FULL by default");
        store.set_synchronous(false).unwrap();
        assert_eq!(level(&store), 1, "NORMAL when the user opts out");
    }
}
