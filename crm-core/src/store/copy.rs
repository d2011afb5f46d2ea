//! Copying a whole CRM from one database into an empty one, either engine to either: every
//! stored row of every table, a page at a time, into one transaction on the target. What the
//! triggers keep (tallies, search entries) is not copied: the target's own triggers make it
//! from the rows, so it is right for the target's engine.

use super::Tx;
use super::sql::{Value, params_from_iter};
use crate::{Error, Result};

/// Tables made from the others by triggers, and each engine's own bookkeeping.
const NOT_COPIED: [&str; 7] = [
    "lead_tallies",
    "deal_tallies",
    "company_tallies",
    "search_index",
    "search_titles",
    "schema_migrations",
    "sqlite_sequence",
];

/// Tables without an id that grow with the records, read a page at a time in their primary
/// key's order: a million leads with three custom fields hold three million values.
const KEYED: &[(&str, &[&str])] = &[("custom_values", &["field_id", "record_id", "value"])];

/// Rows read from the source per statement.
const PAGE: i64 = 1_000;
/// Values bound to one INSERT: below SQLite's limit of 32,766 and PostgreSQL's of 65,535.
const MAX_VALUES: usize = 30_000;

impl Tx<'_> {
    /// The tables of the CRM to copy, by name.
    pub(crate) fn copied_tables(&self) -> Result<Vec<String>> {
        let sql = self.dialect(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
        );
        let mut stmt = self.prepare(sql)?;
        let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(names
            .collect::<super::sql::SqlResult<Vec<String>>>()?
            .into_iter()
            .filter(|t| {
                !NOT_COPIED.contains(&t.as_str())
                    && !t.starts_with("search_index_")
                    && !t.starts_with("search_titles_")
            })
            .collect())
    }

    /// How many rows `table` holds.
    pub(crate) fn row_count(&self, table: &str) -> Result<i64> {
        Ok(self.query_row(
            &format!("SELECT count(*) FROM \"{}\"", quoted(table)),
            [],
            |r| r.get(0),
        )?)
    }

    /// Empties a new target of the rows its migrations made (the General campaign, the
    /// default stages), which the source's own rows replace, and lets links point ahead of
    /// their rows until the commit (some tables point at each other).
    pub(crate) fn prepare_copy_target(&self, tables: &[String]) -> Result<()> {
        self.execute_batch(self.dialect(
            "PRAGMA defer_foreign_keys = ON",
            "SET CONSTRAINTS ALL DEFERRED",
        ))?;
        for table in tables {
            self.execute(&format!("DELETE FROM \"{}\"", quoted(table)), [])?;
        }
        Ok(())
    }

    /// Reads `table` a page at a time, in id order where it has one, and hands each page to
    /// `write`; returns the rows read.
    pub(crate) fn read_pages(
        &self,
        table: &str,
        columns: &[String],
        write: &mut dyn FnMut(&[Vec<Value>]) -> Result<()>,
    ) -> Result<i64> {
        let selected = column_list(columns);
        let table = quoted(table);
        let mut read = 0;
        if columns.iter().any(|c| c == "id") {
            let sql = format!(
                "SELECT {selected} FROM \"{table}\" WHERE id > ?1 ORDER BY id LIMIT {PAGE}"
            );
            let at = columns.iter().position(|c| c == "id").unwrap_or(0);
            let mut after = i64::MIN;
            loop {
                let page = self.page(&sql, &[Value::Integer(after)], columns.len())?;
                let Some(last) = page.last() else { break };
                if let Value::Integer(id) = last[at] {
                    after = id;
                }
                read += i64::try_from(page.len()).unwrap_or(0);
                write(&page)?;
            }
        } else if let Some(key) = KEYED.iter().find(|(t, _)| *t == table).map(|(_, k)| *k) {
            read += self.read_keyed_pages(&table, &selected, columns, key, write)?;
        } else {
            // The other tables without ids are lists of links and digests, small beside the
            // records.
            let sql = format!("SELECT {selected} FROM \"{table}\"");
            let page = self.page(&sql, &[], columns.len())?;
            read += i64::try_from(page.len()).unwrap_or(0);
            for chunk in page.chunks(usize::try_from(PAGE).unwrap_or(1_000)) {
                write(chunk)?;
            }
        }
        Ok(read)
    }

    /// [`Tx::read_pages`] of a table ordered by the key columns `key` (two integers, then
    /// text), each page after the last row of the one before.
    fn read_keyed_pages(
        &self,
        table: &str,
        selected: &str,
        columns: &[String],
        key: &[&str],
        write: &mut dyn FnMut(&[Vec<Value>]) -> Result<()>,
    ) -> Result<i64> {
        let order = key.join(", ");
        let marks = vec!["?"; key.len()].join(", ");
        let sql = format!(
            "SELECT {selected} FROM \"{table}\" WHERE ({order}) > ({marks}) \
             ORDER BY {order} LIMIT {PAGE}"
        );
        let at: Vec<usize> = key
            .iter()
            .filter_map(|k| columns.iter().position(|c| c == k))
            .collect();
        let mut after = vec![
            Value::Integer(i64::MIN),
            Value::Integer(i64::MIN),
            Value::Text(String::new()),
        ];
        let mut read = 0;
        loop {
            let page = self.page(&sql, &after, columns.len())?;
            let Some(last) = page.last() else { break };
            after = at.iter().map(|&i| last[i].clone()).collect();
            read += i64::try_from(page.len()).unwrap_or(0);
            write(&page)?;
        }
        Ok(read)
    }

    fn page(&self, sql: &str, args: &[Value], width: usize) -> Result<Vec<Vec<Value>>> {
        let mut stmt = self.prepare_cached(sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            (0..width).map(|i| r.get::<_, Value>(i)).collect()
        })?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Inserts rows of `columns` into `table` as they are, ids included, many rows to a
    /// statement: one INSERT per row made a round trip per row to a PostgreSQL server
    /// (348,496 rows of a 100k-lead CRM took 229 s).
    pub(crate) fn insert_rows(
        &self,
        table: &str,
        columns: &[String],
        rows: &[Vec<Value>],
    ) -> Result<()> {
        let per_statement = (MAX_VALUES / columns.len().max(1)).clamp(1, 1_000);
        for chunk in rows.chunks(per_statement) {
            let tuples: Vec<String> = (0..chunk.len())
                .map(|r| {
                    let marks: Vec<String> = (1..=columns.len())
                        .map(|c| format!("?{}", r * columns.len() + c))
                        .collect();
                    format!("({})", marks.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO \"{}\" ({}) VALUES {}",
                quoted(table),
                column_list(columns),
                tuples.join(", ")
            );
            let mut stmt = self.prepare_cached(&sql)?;
            stmt.execute(params_from_iter(chunk.iter().flatten()))?;
        }
        Ok(())
    }

    /// After ids were written as they were: the next id given is past the largest.
    pub(crate) fn finish_copy_target(&self, tables: &[String]) -> Result<()> {
        if !self.conn().is_postgres() {
            // SQLite's AUTOINCREMENT counters follow the largest id inserted.
            return Ok(());
        }
        for table in tables {
            // Fresh statistics, so the first queries on the copy are planned for its rows.
            self.execute(&format!("ANALYZE \"{}\"", quoted(table)), [])?;
            if self.stored_columns(table)?.iter().any(|c| c == "id") {
                self.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{t}', 'id'),
                                       coalesce((SELECT max(id) FROM \"{t}\"), 0) + 1, false)
                         WHERE pg_get_serial_sequence('{t}', 'id') IS NOT NULL",
                        t = quoted(table)
                    ),
                    [],
                )?;
            }
        }
        Ok(())
    }
}

/// The two sides' columns of a table must be the same set, in any order.
pub(crate) fn same_columns(table: &str, from: &[String], to: &[String]) -> Result<()> {
    let mut a = from.to_vec();
    let mut b = to.to_vec();
    a.sort();
    b.sort();
    if a == b {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "the table {table} has other columns on the target ({}) than on the source ({}): \
             both must be this crm's schema",
            b.join(", "),
            a.join(", ")
        )))
    }
}

/// A table or column name inside double quotes (names come from the schema, not from users).
fn quoted(name: &str) -> String {
    name.replace('"', "\"\"")
}

fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("\"{}\"", quoted(c)))
        .collect::<Vec<_>>()
        .join(", ")
}
