//! Helpers for the test suites of the workspace (feature `testing`, never in a release build's
//! API): read or poke a database file behind the services' back.

use std::path::Path;

use rusqlite::types::ValueRef;

/// Every row of every table, one line each, sorted: equal dumps mean an unchanged database.
pub fn dump(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("open database for dump");
    let mut tables = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("list tables");
    let names: Vec<String> = tables
        .query_map([], |r| r.get(0))
        .expect("list tables")
        .collect::<Result<_, _>>()
        .expect("table names");
    let mut lines = Vec::new();
    for table in names {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .expect("select");
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).expect("query");
        let mut table_lines = Vec::new();
        while let Some(row) = rows.next().expect("row") {
            let values: Vec<String> = (0..columns)
                .map(|i| match row.get_ref(i).expect("value") {
                    ValueRef::Null => "NULL".to_string(),
                    ValueRef::Integer(n) => n.to_string(),
                    ValueRef::Real(x) => x.to_string(),
                    ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => format!("blob({} bytes)", b.len()),
                })
                .collect();
            table_lines.push(format!("{table}: {}", values.join(" | ")));
        }
        table_lines.sort();
        lines.extend(table_lines);
    }
    lines.join("\n")
}

/// Runs raw SQL, for planting rows the services would refuse (hostile text, legacy data).
pub fn execute(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).expect("open database");
    conn.execute_batch(sql).expect("raw SQL");
}
