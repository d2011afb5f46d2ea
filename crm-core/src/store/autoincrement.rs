//! Migration 0022: the record tables rebuilt with `AUTOINCREMENT`, so an id is never given
//! twice. SQLite's own procedure for a change `ALTER TABLE` cannot make (its "making other
//! kinds of table schema changes"): create the new table, copy, drop the old, rename, and put
//! back the indexes and triggers, with foreign keys off for the migration (`migrations::apply`).

use rusqlite::{Connection, params};

/// The tables whose ids the CRM shows, links to or remembers, with the kind the activity feed
/// names their rows by (None: the feed does not name them).
const TABLES: &[(&str, Option<&str>)] = &[
    ("users", Some("user")),
    ("campaigns", Some("campaign")),
    ("campaign_spend", None),
    ("companies", Some("company")),
    ("contacts", Some("contact")),
    ("leads", Some("lead")),
    ("pipeline_stages", None),
    ("deals", Some("deal")),
    ("tickets", Some("ticket")),
    ("tasks", Some("task")),
    ("notes", Some("note")),
    ("outbox", None),
    ("merges", None),
    ("import_batches", None),
    ("saved_views", None),
];

const KEY: &str = "INTEGER PRIMARY KEY,";

pub(super) fn rebuild_all(conn: &Connection) -> rusqlite::Result<()> {
    // The rename must not rewrite or re-check the views and other tables' triggers that name
    // the table while it is briefly missing; they name it again once it is back.
    conn.pragma_update(None, "legacy_alter_table", "ON")?;
    for &(table, kind) in TABLES {
        rebuild(conn, table)?;
        let high = high_water(conn, table, kind)?;
        conn.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1",
            params![table, high],
        )?;
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq)
             SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
            params![table, high],
        )?;
    }
    conn.pragma_update(None, "legacy_alter_table", "OFF")?;
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!(
                "{broken} rows break a foreign key after the id rebuild"
            )),
        ));
    }
    Ok(())
}

fn rebuild(conn: &Connection, table: &str) -> rusqlite::Result<()> {
    let create: String = conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    let at = create.find(KEY).ok_or_else(|| {
        rusqlite::Error::InvalidParameterName(format!("{table} has no integer primary key"))
    })?;
    let open = create.find('(').unwrap_or_default();
    let new = format!("{table}_autoincrement");
    let rebuilt = format!(
        "CREATE TABLE {new} {}{KEY_AUTO}{}",
        &create[open..at],
        &create[at + KEY.len()..],
        KEY_AUTO = "INTEGER PRIMARY KEY AUTOINCREMENT,"
    );
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
    conn.execute_batch(&format!(
        "{rebuilt};
         INSERT INTO {new} ({columns}) SELECT {columns} FROM {table};
         DROP TABLE {table};
         ALTER TABLE {new} RENAME TO {table};"
    ))?;
    for sql in dependents {
        conn.execute_batch(&sql)?;
    }
    Ok(())
}

/// The largest id the table ever gave, as far as the file remembers: its rows, the feed's rows
/// about its records (kept after a delete), and the contacts merged away.
fn high_water(conn: &Connection, table: &str, kind: Option<&str>) -> rusqlite::Result<i64> {
    let mut high: i64 = conn.query_row(
        &format!("SELECT ifnull(max(id), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )?;
    if let Some(kind) = kind {
        let fed: i64 = conn.query_row(
            "SELECT ifnull(max(entity_id), 0) FROM activities WHERE entity_type = ?1",
            [kind],
            |r| r.get(0),
        )?;
        let merged: i64 = conn.query_row(
            "SELECT ifnull(max(old_id), 0) FROM merged_records WHERE entity_type = ?1",
            [kind],
            |r| r.get(0),
        )?;
        high = high.max(fed).max(merged);
    }
    Ok(high)
}
