//! Whole rows as data: what a merge removes and an update-import changes is kept so that its
//! undo can put it back exactly, whatever columns the table has by then.

use super::sql::Value;
use super::sql::{OptionalExtension, params};
use serde_json::{Map, Value as Json};

use super::Tx;
use super::tables::table_of;
use crate::{EntityKind, Result};

fn json_of(value: Value) -> Json {
    match value {
        Value::Null | Value::Blob(_) => Json::Null,
        Value::Integer(n) => Json::from(n),
        Value::Real(x) => Json::from(x),
        Value::Text(t) => Json::from(t),
    }
}

fn value_of(json: &Json) -> Value {
    match json {
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Number(n) => n.as_i64().map_or_else(
            || Value::Real(n.as_f64().unwrap_or_default()),
            Value::Integer,
        ),
        Json::String(s) => Value::Text(s.clone()),
        _ => Value::Null,
    }
}

impl Tx<'_> {
    /// The stored columns of `table` (generated columns are left out: the database computes
    /// them).
    pub(crate) fn stored_columns(&self, table: &str) -> Result<Vec<String>> {
        let mut stmt = self.prepare_cached(self.dialect(
            "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = ?1 AND is_generated = 'NEVER'
             ORDER BY ordinal_position",
        ))?;
        let names = stmt.query_map([table], |r| r.get(0))?;
        Ok(names.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Every stored field of one record of `kind`, by name.
    pub(crate) fn whole_row(&self, kind: EntityKind, id: i64) -> Result<Option<Map<String, Json>>> {
        let table = table_of(kind);
        let columns = self.stored_columns(table)?;
        let list = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT {list} FROM {table} WHERE id = ?1");
        Ok(self
            .query_row(&sql, [id], |r| {
                let mut row = Map::new();
                for (i, name) in columns.iter().enumerate() {
                    row.insert(name.clone(), json_of(r.get::<_, Value>(i)?));
                }
                Ok(row)
            })
            .optional()?)
    }

    /// Puts a row taken by `whole_row` back, with its id. Columns the table no longer has are
    /// an error rather than silently dropped data.
    pub(crate) fn restore_row(&self, kind: EntityKind, row: &Map<String, Json>) -> Result<()> {
        let table = table_of(kind);
        let columns = self.stored_columns(table)?;
        if let Some(gone) = row.keys().find(|k| !columns.contains(k)) {
            return Err(crate::Error::Conflict(format!(
                "the saved {table} row has a column '{gone}' the table no longer has"
            )));
        }
        let names: Vec<&String> = row.keys().collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
            (1..=names.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut values: Vec<Value> = row.values().map(value_of).collect();
        // A company deleted since the row was saved leaves the row unlinked, not unrestorable.
        if let Some(at) = names.iter().position(|c| *c == "company_id")
            && let Value::Integer(company) = values[at]
            && !self.query_row(
                "SELECT EXISTS (SELECT 1 FROM companies WHERE id = ?1)",
                [company],
                |r| r.get::<_, bool>(0),
            )?
        {
            values[at] = Value::Null;
        }
        self.execute(&sql, super::sql::params_from_iter(values))?;
        Ok(())
    }

    /// Sets one field of one record of `kind` to a saved value, only while it still holds
    /// `expected` (a later edit wins over an undo). True when it was set; a field the table no
    /// longer has is left alone.
    pub(crate) fn set_field_if(
        &self,
        kind: EntityKind,
        column: &str,
        id: i64,
        value: &Json,
        expected: &Json,
    ) -> Result<bool> {
        let table = table_of(kind);
        if !self.stored_columns(table)?.iter().any(|c| c == column) {
            return Ok(false);
        }
        let sql = format!(
            "UPDATE {table} SET \"{column}\" = ?1 WHERE id = ?2 AND \"{column}\" IS NOT DISTINCT FROM ?3"
        );
        Ok(self.execute(&sql, params![value_of(value), id, value_of(expected)])? > 0)
    }
}
