//! The physical limit for typed rows, a baseline for `bench/run.sh`: a leads CSV read with the
//! csv crate and inserted into a bare table (no constraints, indexes, triggers or validation)
//! with one prepared statement in one transaction.
//!
//! `cargo run --release -p crm-core --example bare_insert -- leads.csv bare.db`
#![allow(clippy::unwrap_used)]

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (csv_path, db_path) = (&args[1], &args[2]);
    let mut conn = rusqlite::Connection::open(db_path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE IF NOT EXISTS leads (first_name TEXT, last_name TEXT, email TEXT, phone TEXT,
             company TEXT, job_title TEXT, source TEXT, campaign TEXT, stage TEXT, score INTEGER);",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO leads VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
            .unwrap();
        let mut reader = csv::Reader::from_path(csv_path).unwrap();
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).unwrap() {
            let score: i64 = record[9].parse().unwrap();
            insert
                .execute(rusqlite::params![
                    &record[0], &record[1], &record[2], &record[3], &record[4], &record[5],
                    &record[6], &record[7], &record[8], score
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}
