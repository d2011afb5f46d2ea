//! The `custom_fields` and `custom_values` tables.

use super::filter::Filter;
use super::search::{Clause, Narrowing};
use super::sql::{OptionalExtension, Value, params, params_from_iter};
use super::{Tx, enum_at, opt_time_at, time_at};
use crate::rules::custom_fields::Stored;
use crate::{Comparison, CustomField, FieldId, FieldKind, FieldsOf, Result};

fn from_row(r: &super::sql::Row<'_>) -> super::sql::SqlResult<CustomField> {
    let choices: String = r.get("choices")?;
    Ok(CustomField {
        id: FieldId(r.get("id")?),
        of: enum_at(r, "entity")?,
        key: r.get("key")?,
        label: r.get("label")?,
        kind: enum_at(r, "kind")?,
        choices: choices
            .lines()
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        required: r.get::<_, i64>("required")? == 1,
        retired_at: opt_time_at(r, "retired_at")?,
        created_at: time_at(r, "created_at")?,
        updated_at: time_at(r, "updated_at")?,
    })
}

/// A field's definition as written to its row.
pub(crate) struct FieldRow<'a> {
    pub(crate) of: FieldsOf,
    pub(crate) key: &'a str,
    pub(crate) label: &'a str,
    pub(crate) kind: FieldKind,
    pub(crate) choices: &'a [String],
    pub(crate) required: bool,
}

/// One stored value as it is in its row, kept whole by a merge's snapshot.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub(crate) struct RawValue {
    pub(crate) field: i64,
    pub(crate) value: String,
    pub(crate) number: Option<f64>,
}

/// One stored value of a field on a record.
pub(crate) struct ValueRow {
    pub(crate) record: i64,
    pub(crate) field: FieldId,
    pub(crate) value: String,
}

impl Tx<'_> {
    pub(crate) fn insert_field(&self, row: &FieldRow<'_>, now: &str) -> Result<FieldId> {
        Ok(self.query_row(
            "INSERT INTO custom_fields (entity, key, label, kind, choices, required,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
            params![
                row.of.as_str(),
                row.key,
                row.label,
                row.kind.as_str(),
                row.choices.join("\n"),
                i64::from(row.required),
                now
            ],
            |r| r.get(0).map(FieldId),
        )?)
    }

    pub(crate) fn update_field(&self, id: FieldId, row: &FieldRow<'_>, now: &str) -> Result<()> {
        self.execute(
            "UPDATE custom_fields SET key = ?2, label = ?3, kind = ?4, choices = ?5,
                required = ?6, updated_at = ?7
             WHERE id = ?1",
            params![
                id.0,
                row.key,
                row.label,
                row.kind.as_str(),
                row.choices.join("\n"),
                i64::from(row.required),
                now
            ],
        )?;
        Ok(())
    }

    /// Retires a field (`Some(now)`) or brings it back (`None`).
    pub(crate) fn set_field_retired(&self, id: FieldId, at: Option<&str>, now: &str) -> Result<()> {
        self.execute(
            "UPDATE custom_fields SET retired_at = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.0, at, now],
        )?;
        Ok(())
    }

    /// Writes again the search entries of the records holding a value of `field`, after a
    /// change of whether search holds its values (a retirement, a restoration, a new type);
    /// a value's own insert or delete does it by trigger (migration 0033).
    pub(crate) fn refresh_search_of_field(&self, of: FieldsOf, field: FieldId) -> Result<()> {
        let (view, kind) = match of {
            FieldsOf::Contacts => ("contact_search_entries", 1),
            FieldsOf::Leads => ("lead_search_entries", 2),
            FieldsOf::Deals => ("deal_search_entries", 3),
            FieldsOf::Tickets => ("ticket_search_entries", 4),
            // Companies are not searched.
            FieldsOf::Companies => return Ok(()),
        };
        if self.conn().is_postgres() {
            self.query_row(
                "SELECT refresh_search_details(CAST(?1 AS TEXT),
                    ARRAY(SELECT DISTINCT record_id FROM custom_values WHERE field_id = ?2))",
                params![of.as_str(), field.0],
                |_| Ok(()),
            )?;
        } else {
            self.execute(
                &format!(
                    "UPDATE search_index SET detail = (SELECT detail FROM {view} e
                                                        WHERE e.entry = search_index.rowid)
                     WHERE rowid IN (SELECT record_id + {kind} * 1099511627776
                                     FROM custom_values WHERE field_id = ?1)"
                ),
                [field.0],
            )?;
        }
        Ok(())
    }

    /// Deletes a field with every value it holds.
    pub(crate) fn delete_field(&self, id: FieldId) -> Result<usize> {
        let values = self.execute("DELETE FROM custom_values WHERE field_id = ?1", [id.0])?;
        self.execute("DELETE FROM custom_fields WHERE id = ?1", [id.0])?;
        Ok(values)
    }

    /// The fields of `of` (every kind's with None), retired ones too, in the order they were
    /// added.
    pub(crate) fn fields_of(&self, of: Option<FieldsOf>) -> Result<Vec<CustomField>> {
        let rows = match of {
            Some(of) => self
                .prepare_cached("SELECT * FROM custom_fields WHERE entity = ?1 ORDER BY id")?
                .query_map([of.as_str()], from_row)?
                .collect::<super::sql::SqlResult<Vec<_>>>()?,
            None => self
                .prepare_cached("SELECT * FROM custom_fields ORDER BY entity, id")?
                .query_map([], from_row)?
                .collect::<super::sql::SqlResult<Vec<_>>>()?,
        };
        Ok(rows)
    }

    pub(crate) fn field_by_key(&self, of: FieldsOf, key: &str) -> Result<Option<CustomField>> {
        Ok(self
            .prepare_cached("SELECT * FROM custom_fields WHERE entity = ?1 AND key = ?2")?
            .query_row(params![of.as_str(), key], from_row)
            .optional()?)
    }

    /// The field of `of` labelled `label` in any case.
    pub(crate) fn field_by_label(&self, of: FieldsOf, label: &str) -> Result<Option<CustomField>> {
        Ok(self
            .prepare_cached(
                "SELECT * FROM custom_fields WHERE entity = ?1 AND lower(label) = lower(?2)",
            )?
            .query_row(params![of.as_str(), label], from_row)
            .optional()?)
    }

    /// Replaces what field `field` holds on record `record` with `values` (none clears it).
    pub(crate) fn put_values(&self, field: FieldId, record: i64, values: &[Stored]) -> Result<()> {
        self.clear_values(field.0, record)?;
        self.insert_values(field, record, values)
    }

    /// Adds `values` to field `field` of a record that holds none yet (one just made).
    pub(crate) fn insert_values(
        &self,
        field: FieldId,
        record: i64,
        values: &[Stored],
    ) -> Result<()> {
        let mut insert = self.prepare_cached(
            "INSERT INTO custom_values (field_id, record_id, value, number) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for value in values {
            insert.execute(params![field.0, record, value.text, value.number])?;
        }
        Ok(())
    }

    /// The stored values of the fields `fields` on the records `records`: field by field, each
    /// by record and value.
    pub(crate) fn values_on(&self, fields: &[FieldId], records: &[i64]) -> Result<Vec<ValueRow>> {
        if fields.is_empty() || records.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        // A page holds at most 1,000 records: well within both engines' limit of bound values.
        for chunk in records.chunks(1_000) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT record_id, field_id, value FROM custom_values
                 WHERE field_id = ? AND record_id IN ({marks}) ORDER BY record_id, value"
            );
            let mut stmt = self.prepare(&sql)?;
            for field in fields {
                let args: Vec<Value> = std::iter::once(Value::Integer(field.0))
                    .chain(chunk.iter().map(|r| Value::Integer(*r)))
                    .collect();
                let rows = stmt.query_map(params_from_iter(&args), |r| {
                    Ok(ValueRow {
                        record: r.get(0)?,
                        field: FieldId(r.get(1)?),
                        value: r.get(2)?,
                    })
                })?;
                for row in rows {
                    found.push(row?);
                }
            }
        }
        Ok(found)
    }

    /// Every stored value of record `record` of `of`, retired fields' too: (field, value,
    /// number), as a merge saves them to put back.
    pub(crate) fn raw_values(&self, of: FieldsOf, record: i64) -> Result<Vec<RawValue>> {
        let mut stmt = self.prepare_cached(
            "SELECT v.field_id, v.value, v.number FROM custom_values v
             JOIN custom_fields f ON f.id = v.field_id
             WHERE f.entity = ?1 AND v.record_id = ?2 ORDER BY v.field_id, v.value",
        )?;
        let rows = stmt.query_map(params![of.as_str(), record], |r| {
            Ok(RawValue {
                field: r.get(0)?,
                value: r.get(1)?,
                number: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Writes stored values back as they were (a merge undone); a field purged since is skipped.
    pub(crate) fn restore_values(&self, record: i64, values: &[RawValue]) -> Result<()> {
        let mut insert = self.prepare_cached(
            "INSERT INTO custom_values (field_id, record_id, value, number)
             SELECT id, ?2, ?3, ?4 FROM custom_fields WHERE id = ?1
             ON CONFLICT DO NOTHING",
        )?;
        for v in values {
            insert.execute(params![v.field, record, v.value, v.number])?;
        }
        Ok(())
    }

    /// Removes what field `field` holds on record `record`.
    pub(crate) fn clear_values(&self, field: i64, record: i64) -> Result<()> {
        self.prepare_cached("DELETE FROM custom_values WHERE field_id = ?1 AND record_id = ?2")?
            .execute(params![field, record])?;
        Ok(())
    }

    /// Every value field `field` holds, by record: what a change of type or choices must
    /// convert.
    pub(crate) fn values_of_field(&self, field: FieldId) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.prepare(
            "SELECT record_id, value FROM custom_values WHERE field_id = ?1 ORDER BY record_id",
        )?;
        let rows = stmt.query_map([field.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// Whether any record holds a value of `field`.
    pub(crate) fn field_has_values(&self, field: FieldId) -> Result<bool> {
        Ok(self.query_row(
            "SELECT EXISTS (SELECT 1 FROM custom_values WHERE field_id = ?1)",
            [field.0],
            |r| r.get(0),
        )?)
    }

    /// Records of `of` (by id, at most `limit`) that lack a value in field `field`.
    pub(crate) fn records_without_field(
        &self,
        of: FieldsOf,
        field: FieldId,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let table = super::tables::table_of(of.entity());
        let sql = format!(
            "SELECT id FROM {table} r WHERE NOT EXISTS (SELECT 1 FROM custom_values v
                 WHERE v.field_id = ?1 AND v.record_id = r.id)
             ORDER BY id LIMIT ?2"
        );
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map(params![field.0, limit], |r| r.get(0))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }
}

impl Tx<'_> {
    /// How many records of `of` within `scope` hold each value of field `field`, and how many
    /// hold none: (value, records) by value, then the count without.
    pub(crate) fn field_breakdown(
        &self,
        of: FieldsOf,
        field: FieldId,
        scope: Readable,
    ) -> Result<(Vec<(String, i64)>, i64)> {
        let table = super::tables::table_of(of.entity());
        let mut filter = Filter::default();
        match scope {
            Readable::Owned(scope) => filter.scope(scope, "r", "owner_id"),
            Readable::Tickets(super::TicketScope::OwnContacts(user)) => filter.and(
                "r.contact_id IN (SELECT id FROM contacts WHERE owner_id = ?)",
                [Value::Integer(user.0)],
            ),
            Readable::Tickets(super::TicketScope::Nothing) => filter.and("1 = 0", []),
            Readable::Tickets(super::TicketScope::All) => {}
        }
        let conditions = filter.conditions();
        let sql = format!(
            "SELECT v.value, count(*) FROM custom_values v JOIN {table} r ON r.id = v.record_id
             WHERE v.field_id = ? AND {conditions} GROUP BY v.value"
        );
        let args: Vec<Value> = std::iter::once(Value::Integer(field.0))
            .chain(filter.args.iter().cloned())
            .collect();
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(&args), |r| Ok((r.get(0)?, r.get(1)?)))?;
        let counts = rows.collect::<super::sql::SqlResult<Vec<(String, i64)>>>()?;
        let sql = format!(
            "SELECT count(*) FROM {table} r WHERE {conditions} AND NOT EXISTS
                 (SELECT 1 FROM custom_values v WHERE v.field_id = ? AND v.record_id = r.id)"
        );
        let args: Vec<Value> = filter
            .args
            .iter()
            .cloned()
            .chain(std::iter::once(Value::Integer(field.0)))
            .collect();
        let none = self.query_row(&sql, params_from_iter(&args), |r| r.get(0))?;
        Ok((counts, none))
    }
}

/// A listing's order by a custom field: the records with a value first, in the value's order
/// (numbers, money and dates by their number, the rest by their text in any case), then the
/// records without one, in either direction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldSort {
    pub(crate) field: FieldId,
    pub(crate) kind: FieldKind,
}

impl FieldSort {
    /// The sort expressions over `{t}` of [`super::filter::Keyset`]: the field's when one is
    /// chosen, else the kind's `own`. The field's id is written into the SQL as a number: it
    /// is a typed id read from the schema, never text a user typed, and a keyset repeats its
    /// keys in every tier, where bound values would have to be repeated with them.
    pub(crate) fn keys_or(
        by_field: Option<FieldSort>,
        own: &[&str],
        descending: bool,
    ) -> Vec<String> {
        let Some(sort) = by_field else {
            return own.iter().map(|k| (*k).to_string()).collect();
        };
        let rows = format!(
            "FROM custom_values v WHERE v.field_id = {} AND v.record_id = {{t}}.id",
            sort.field.0
        );
        // The flag puts the records without a value after the rest in both directions; the
        // value of those is a constant, so equal keys compare equal across a page's cursor.
        let has = if descending { "EXISTS" } else { "NOT EXISTS" };
        let value = if sort.kind.is_ordered() {
            format!("ifnull((SELECT min(v.number) {rows}), 0.0)")
        } else {
            format!("ifnull((SELECT min(v.value) {rows}), '') COLLATE NOCASE")
        };
        vec![format!("({has} (SELECT 1 {rows}))"), value]
    }
}

/// The records of a kind a user may read, as a report counts them: by owner (contacts, leads,
/// deals; companies are everyone's), or a ticket's by its customer's owner.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Readable {
    Owned(crate::auth::Scope),
    Tickets(super::TicketScope),
}

/// A list condition on a custom field, resolved to the field and a stored value.
#[derive(Debug, Clone)]
pub(crate) struct FieldTest {
    pub(crate) field: FieldId,
    pub(crate) kind: FieldKind,
    pub(crate) comparison: Comparison,
    pub(crate) value: Stored,
}

impl FieldTest {
    /// The test of one stored row `v`, with its value. `probe`: the test is made of a row
    /// found by its record (the primary key), so the range is kept out of index choice (a
    /// unary `+`): SQLite otherwise read the number index from the range's start for every
    /// row of the list (142 ms a page at 100,000 leads).
    fn compares(&self, probe: bool) -> (String, Value) {
        let symbol = self.comparison.symbol();
        let plus = if probe { "+" } else { "" };
        if self.kind.is_ordered() {
            (
                format!("{plus}v.number {symbol} ?"),
                Value::Real(self.value.number.unwrap_or_default()),
            )
        } else {
            (
                format!("v.value {symbol} ?"),
                Value::Text(self.value.text.clone()),
            )
        }
    }
}

impl Tx<'_> {
    /// Narrows `filter` (rows of alias `alias`) to the records passing every test. A test few
    /// records pass is a seek for their ids in the values' index; one that many pass is checked
    /// on each row the listing reads in its own order, which finds a page at once.
    pub(super) fn narrow_by_fields(
        &self,
        filter: &mut Filter,
        alias: &str,
        tests: &[FieldTest],
    ) -> Result<()> {
        for test in tests {
            if test.comparison == Comparison::NotEqual {
                // "Not Villa" includes the records with no value: a check per row.
                filter.and(
                    &format!(
                        "NOT EXISTS (SELECT 1 FROM custom_values v WHERE v.field_id = ? \
                         AND v.record_id = {alias}.id AND v.value = ?)"
                    ),
                    [
                        Value::Integer(test.field.0),
                        Value::Text(test.value.text.clone()),
                    ],
                );
                continue;
            }
            let (compares, value) = test.compares(false);
            let (probes, _) = test.compares(true);
            let values = vec![Value::Integer(test.field.0), value];
            let collect = Clause {
                sql: format!(
                    "{alias}.id IN (SELECT v.record_id FROM custom_values v \
                     WHERE v.field_id = ? AND {compares})"
                ),
                values: values.clone(),
            };
            let walk = Clause {
                sql: format!(
                    "EXISTS (SELECT 1 FROM custom_values v WHERE v.field_id = ? \
                     AND v.record_id = {alias}.id AND {probes})"
                ),
                values: values.clone(),
            };
            let rows = format!("custom_values v WHERE v.field_id = ? AND {compares}");
            let chosen = match self.by_count(&rows, &values, collect, walk)? {
                Narrowing::Few(clause) | Narrowing::Many { walk: clause, .. } => clause,
            };
            filter.and(&chosen.sql, chosen.values);
        }
        Ok(())
    }
}
