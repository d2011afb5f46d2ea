//! Migration 0022: the record tables rebuilt with `AUTOINCREMENT` (`table_rebuild`), so an id
//! is never given twice.

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
    super::table_rebuild::foreign_keys_hold(conn, "the id rebuild")
}

fn rebuild(conn: &Connection, table: &str) -> rusqlite::Result<()> {
    super::table_rebuild::rebuild(conn, table, |create| {
        let at = create.find(KEY).ok_or_else(|| {
            rusqlite::Error::InvalidParameterName(format!("{table} has no integer primary key"))
        })?;
        Ok(format!(
            "{}{KEY_AUTO}{}",
            &create[..at],
            &create[at + KEY.len()..],
            KEY_AUTO = "INTEGER PRIMARY KEY AUTOINCREMENT,"
        ))
    })
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
