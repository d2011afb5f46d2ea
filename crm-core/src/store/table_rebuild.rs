//! SQLite's procedure for a table change `ALTER TABLE` cannot make (its "making other kinds of
//! table schema changes"): create the new table, copy, drop the old, rename, and put back the
//! indexes and triggers. Migrations run with foreign keys off (`migrations::apply`); a
//! migration that rebuilds checks them with [`foreign_keys_hold`] before it commits.

use rusqlite::{Connection, OptionalExtension, params};

/// Rebuilds `table` with `change` made to its definition: `change` gets the text of the
/// `CREATE TABLE` statement from its opening parenthesis on (the columns and constraints) and
/// gives it back changed. The table keeps its rows, ids, indexes, triggers and its place in
/// `sqlite_sequence`.
pub(super) fn rebuild(
    conn: &Connection,
    table: &str,
    change: impl FnOnce(&str) -> rusqlite::Result<String>,
) -> rusqlite::Result<()> {
    let create: String = conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    let open = create.find('(').unwrap_or_default();
    let new = format!("{table}_rebuilt");
    let rebuilt = format!("CREATE TABLE {new} {}", change(&create[open..])?);
    let mut stmt = conn.prepare(
        "SELECT sql FROM sqlite_master
         WHERE tbl_name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid",
    )?;
    let dependents = stmt
        .query_map([table], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Generated columns (the duplicate keys) are computed again, never copied.
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_xinfo(?1) WHERE hidden = 0")?;
    let columns = stmt
        .query_map([table], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .join(", ");
    // The highest id ever given, which may be above every id left (ids are never reused).
    let sequenced: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_sequence'",
        [],
        |r| r.get(0),
    )?;
    let given: Option<i64> = if sequenced {
        conn.query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .optional()?
    } else {
        None
    };
    // The rename must not rewrite or re-check the views and other tables' triggers that name
    // the table while it is briefly missing; they name it again once it is back.
    conn.pragma_update(None, "legacy_alter_table", "ON")?;
    conn.execute_batch(&format!(
        "{rebuilt};
         INSERT INTO {new} ({columns}) SELECT {columns} FROM {table};
         DROP TABLE {table};
         ALTER TABLE {new} RENAME TO {table};"
    ))?;
    conn.pragma_update(None, "legacy_alter_table", "OFF")?;
    for sql in dependents {
        conn.execute_batch(&sql)?;
    }
    if let Some(given) = given {
        conn.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1",
            params![table, given],
        )?;
    }
    Ok(())
}

/// Fails when a row points at a row that is not there: the check SQLite skips while foreign
/// keys are off for a migration.
pub(super) fn foreign_keys_hold(conn: &Connection, after: &str) -> rusqlite::Result<()> {
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!("{broken} rows break a foreign key after {after}")),
        ));
    }
    Ok(())
}

/// Migration 0034: a contact or lead needs a name, an email or a phone, not a first name
/// (issue 21). SQLite cannot change a CHECK in place.
pub(super) fn people_without_first_names(conn: &Connection) -> rusqlite::Result<()> {
    const FIRST_NAME_REQUIRED: &str = "CHECK (length(first_name) > 0)";
    const SOMEONE: &str = "CHECK (length(first_name) > 0 OR last_name IS NOT NULL \
                           OR email IS NOT NULL OR phone IS NOT NULL)";
    for table in ["contacts", "leads"] {
        rebuild(conn, table, |create| {
            if !create.contains(FIRST_NAME_REQUIRED) {
                return Err(rusqlite::Error::InvalidParameterName(format!(
                    "{table} has no first-name check to relax"
                )));
            }
            Ok(create.replacen(FIRST_NAME_REQUIRED, SOMEONE, 1))
        })?;
    }
    foreign_keys_hold(conn, "letting people go without a first name")
}
