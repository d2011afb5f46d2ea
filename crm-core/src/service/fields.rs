//! Custom fields: admins define them; every service that adds, edits, lists or shows a record
//! of their kind reads and writes their values through here.

use std::collections::HashMap;

use super::{Crm, user_named};
use crate::import::columns::normalise;
use crate::rules::custom_fields::{self as rules, Shape, Stored};
use crate::store::{FieldRow, FieldSort, FieldTest, Readable, Tx};
use crate::{
    Actor, CustomField, Error, FieldCondition, FieldInput, FieldKind, FieldPatch, FieldValue,
    FieldValues, FieldsOf, NewField, Result,
};

/// Whether `key` names a built-in field of the records of `of`, which `--where`, `--field`
/// and CSV headers would confuse a custom field of that key with.
fn is_built_in(of: FieldsOf, key: &str) -> bool {
    const COMMON: &[&str] = &[
        "id",
        "created_at",
        "updated_at",
        "version",
        "owner",
        "notes",
        "fields",
        "email",
        "phone",
        "company",
        "name",
        "status",
        "stage",
    ];
    const PERSON: &[&str] = &[
        "first_name",
        "last_name",
        "job_title",
        "location",
        "tags",
        "consent_email",
        "consent_gdpr",
        "consent_ccpa",
    ];
    const LEAD: &[&str] = &[
        "industry",
        "region",
        "campaign",
        "source",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "score",
        "status_reason",
        "temperature",
        "bant_budget",
        "bant_authority",
        "bant_need",
        "bant_timeline",
        "interested_products",
        "next_action_at",
        "last_contacted_at",
    ];
    const DEAL: &[&str] = &[
        "title",
        "contact",
        "contact_email",
        "amount",
        "currency",
        "probability",
        "expected_close",
        "lost_reason",
    ];
    const COMPANY: &[&str] = &[
        "domain", "industry", "size", "revenue", "website", "address",
    ];
    const TICKET: &[&str] = &[
        "subject",
        "description",
        "priority",
        "assignee",
        "contact",
        "resolution",
    ];
    let own: &[&[&str]] = match of {
        FieldsOf::Contacts => &[PERSON],
        FieldsOf::Leads => &[PERSON, LEAD],
        FieldsOf::Deals => &[DEAL],
        FieldsOf::Companies => &[COMPANY],
        FieldsOf::Tickets => &[TICKET],
    };
    let wanted = normalise(key);
    own.iter()
        .copied()
        .chain([COMMON])
        .flatten()
        .any(|b| normalise(b) == wanted)
}

/// The field `key` of `of`, retired or not.
fn field_named(tx: &Tx<'_>, of: FieldsOf, key: &str) -> Result<CustomField> {
    tx.field_by_key(of, key.trim())?
        .ok_or_else(|| Error::not_found("field", format!("'{}' of {of}", key.trim())))
}

fn shape(field: &CustomField) -> Shape<'_> {
    Shape {
        key: &field.key,
        kind: field.kind,
        choices: &field.choices,
    }
}

/// Refuses a key or label another field of `of` (or a built-in field) has.
fn check_names_free(
    tx: &Tx<'_>,
    of: FieldsOf,
    key: &str,
    label: &str,
    own: Option<&CustomField>,
) -> Result<()> {
    let is_other = |f: &CustomField| own.is_none_or(|o| o.id != f.id);
    if is_built_in(of, key) {
        return Err(Error::invalid(
            "key",
            format!("'{key}' is a built-in field of {of}; choose another key with --key"),
        ));
    }
    if let Some(other) = tx.field_by_key(of, key)?.filter(is_other) {
        return Err(Error::Conflict(format!(
            "{of} already have a field with key '{key}' ('{}')",
            other.label
        )));
    }
    if let Some(other) = tx.field_by_label(of, label)?.filter(is_other) {
        return Err(Error::Conflict(format!(
            "{of} already have a field labelled '{}' (key {})",
            other.label, other.key
        )));
    }
    Ok(())
}

/// A long-text field of `of` for an imported column no field takes (`--keep-extra`), labelled
/// as the header and keyed from it, each made unique among the fields `of` has (a second
/// "Notes" is "Notes 2"; a key taken or built in gets `_2`). The caller checked the actor is
/// an admin.
pub(crate) fn add_kept_column(
    tx: &Tx<'_>,
    of: FieldsOf,
    header: &str,
    column: usize,
    now: &str,
) -> Result<CustomField> {
    // A header is anything a file holds: one line of at most 60 characters, or the column's
    // number when nothing is left of it.
    let line: String = header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(54)
        .collect();
    let base_label = if line.is_empty() {
        format!("Column {}", column + 1)
    } else {
        line
    };
    let mut base_key = rules::key_from_label(&base_label);
    if !base_key.starts_with(|c: char| c.is_ascii_lowercase()) {
        base_key = format!("column_{base_key}");
    }
    base_key = base_key.chars().take(54).collect();
    // The key and the label are made free apart: a header named as a built-in field
    // ("Notes" on contacts) keeps its label and gets the key `notes_2`.
    let suffixed = |base: &str, n: usize, sep: &str| {
        if n == 1 {
            base.to_string()
        } else {
            format!("{base}{sep}{n}")
        }
    };
    let mut key = None;
    let mut label = None;
    for n in 1..1000 {
        if key.is_none() {
            let candidate = suffixed(&base_key, n, "_");
            if !is_built_in(of, &candidate) && tx.field_by_key(of, &candidate)?.is_none() {
                key = Some(rules::key(&candidate)?);
            }
        }
        if label.is_none() {
            let candidate = suffixed(&base_label, n, " ");
            if tx.field_by_label(of, &candidate)?.is_none() {
                label = Some(rules::label(&candidate)?);
            }
        }
        if let (Some(key), Some(label)) = (&key, &label) {
            tx.insert_field(
                &FieldRow {
                    of,
                    key,
                    label,
                    kind: FieldKind::LongText,
                    choices: &[],
                    required: false,
                },
                now,
            )?;
            return field_named(tx, of, key);
        }
    }
    Err(Error::Conflict(format!(
        "no free name for a field from column '{header}' of {of}"
    )))
}

impl Crm {
    /// Adds a custom field to the records of `of` (admins).
    pub fn add_field(&self, actor: &Actor, of: FieldsOf, new: &NewField) -> Result<CustomField> {
        actor.require_admin("add custom fields")?;
        let label = rules::label(&new.label)?;
        let key = match new.key.as_deref() {
            Some(k) => rules::key(k)?,
            None => rules::key(&rules::key_from_label(&label)).map_err(|_| {
                Error::invalid(
                    "key",
                    format!("'{label}' makes no key; give one with --key"),
                )
            })?,
        };
        let kind = new.kind.unwrap_or(FieldKind::Text);
        let choices = rules::choices(kind, &new.choices)?;
        let now = self.now_text();
        self.store.write(|tx| {
            check_names_free(tx, of, &key, &label, None)?;
            let id = tx.insert_field(
                &FieldRow {
                    of,
                    key: &key,
                    label: &label,
                    kind,
                    choices: &choices,
                    required: new.required,
                },
                &now,
            )?;
            let field = field_named(tx, of, &key)?;
            debug_assert_eq!(field.id, id);
            Ok(field)
        })
    }

    /// The custom fields of `of` (of every kind with None), retired ones only when asked.
    pub fn fields(
        &self,
        _actor: &Actor,
        of: Option<FieldsOf>,
        with_retired: bool,
    ) -> Result<Vec<CustomField>> {
        let fields = self.store.read(|tx| tx.fields_of(of))?;
        Ok(fields
            .into_iter()
            .filter(|f| with_retired || !f.is_retired())
            .collect())
    }

    /// Renames a field, changes its type, choices or whether it is required (admins). The
    /// values stay; a change they would not survive is refused, naming the records.
    pub fn edit_field(
        &self,
        actor: &Actor,
        of: FieldsOf,
        key: &str,
        patch: &FieldPatch,
    ) -> Result<CustomField> {
        actor.require_admin("edit custom fields")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let field = field_named(tx, of, key)?;
            let label = patch
                .label
                .as_deref()
                .map_or_else(|| Ok(field.label.clone()), rules::label)?;
            let new_key = patch
                .key
                .as_deref()
                .map_or_else(|| Ok(field.key.clone()), rules::key)?;
            let kind = patch.kind.unwrap_or(field.kind);
            let choices = match &patch.choices {
                Some(c) => rules::choices(kind, c)?,
                None if kind.has_choices() => rules::choices(kind, &field.choices)?,
                None => Vec::new(),
            };
            let required = patch.required.unwrap_or(field.required);
            check_names_free(tx, of, &new_key, &label, Some(&field))?;
            if kind != field.kind || choices != field.choices {
                convert_values(tx, &field, kind, &choices)?;
            }
            if required && !field.required {
                let missing = tx.records_without_field(of, field.id, 6)?;
                if !missing.is_empty() {
                    return Err(Error::Conflict(format!(
                        "field '{}' cannot be required: {} {} no value yet; fill them first",
                        field.key,
                        record_list(of, &missing),
                        if missing.len() == 1 { "has" } else { "have" },
                    )));
                }
            }
            tx.update_field(
                field.id,
                &FieldRow {
                    of,
                    key: &new_key,
                    label: &label,
                    kind,
                    choices: &choices,
                    required,
                },
                &now,
            )?;
            if kind != field.kind {
                // The values were rewritten under the old type; whether search holds them
                // follows the new one.
                tx.refresh_search_of_field(of, field.id)?;
            }
            field_named(tx, of, &new_key)
        })
    }

    /// Retires a field (admins): hidden from forms, lists and exports, its values kept until
    /// [`Crm::purge_field`]; [`Crm::restore_field`] brings it back.
    pub fn retire_field(&self, actor: &Actor, of: FieldsOf, key: &str) -> Result<CustomField> {
        actor.require_admin("retire custom fields")?;
        self.set_retired(of, key, true)
    }

    /// Brings a retired field back with the values it kept (admins).
    pub fn restore_field(&self, actor: &Actor, of: FieldsOf, key: &str) -> Result<CustomField> {
        actor.require_admin("restore custom fields")?;
        self.set_retired(of, key, false)
    }

    /// Retires field `key` of `of`, or brings it back; refused when it already is so.
    fn set_retired(&self, of: FieldsOf, key: &str, retire: bool) -> Result<CustomField> {
        let now = self.now_text();
        self.store.write(|tx| {
            let field = field_named(tx, of, key)?;
            if field.is_retired() == retire {
                let already = if retire { "already" } else { "not" };
                return Err(Error::Conflict(format!(
                    "field '{}' of {of} is {already} retired",
                    field.key
                )));
            }
            tx.set_field_retired(field.id, retire.then_some(now.as_str()), &now)?;
            tx.refresh_search_of_field(of, field.id)?;
            field_named(tx, of, &field.key)
        })
    }

    /// Deletes a retired field and every value it kept (admins); returns how many values went.
    pub fn purge_field(&self, actor: &Actor, of: FieldsOf, key: &str) -> Result<usize> {
        actor.require_admin("purge custom fields")?;
        self.store.write(|tx| {
            let field = field_named(tx, of, key)?;
            if !field.is_retired() {
                return Err(Error::Conflict(format!(
                    "field '{}' of {of} is in use; retire it first (`crm fields retire {of} {}`)",
                    field.key, field.key
                )));
            }
            tx.delete_field(field.id)
        })
    }
}

/// How the records of one kind split by the values of one of their custom fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct FieldBreakdown {
    pub of: FieldsOf,
    pub key: String,
    pub label: String,
    /// (value, records holding it), in the field's order of choices; a multi-choice record
    /// counts under each of its values.
    pub values: Vec<(String, i64)>,
    /// Records with no value.
    pub none: i64,
}

impl Crm {
    /// The records of `of` the actor may read, counted by the values of the choice, yes/no or
    /// user field `key` (`crm report by leads property_type`).
    pub fn field_breakdown(
        &self,
        actor: &Actor,
        of: FieldsOf,
        key: &str,
    ) -> Result<FieldBreakdown> {
        let scope = match of {
            FieldsOf::Leads => Readable::Owned(actor.lead_scope()),
            FieldsOf::Deals => Readable::Owned(actor.deal_scope()),
            FieldsOf::Contacts => Readable::Owned(actor.contact_read_scope()),
            FieldsOf::Companies => Readable::Owned(crate::auth::Scope::All),
            FieldsOf::Tickets => match actor.ticket_scope() {
                crate::store::TicketScope::Nothing => {
                    return Err(Error::Forbidden(format!(
                        "{} '{}' may not read tickets (needs role admin, manager, \
                         support_agent or sales_rep)",
                        actor.role, actor.username
                    )));
                }
                scope => Readable::Tickets(scope),
            },
        };
        self.store.read(|tx| {
            let field = field_named(tx, of, key)?;
            if !matches!(
                field.kind,
                FieldKind::Choice | FieldKind::MultiChoice | FieldKind::YesNo | FieldKind::User
            ) {
                return Err(Error::invalid(
                    "by",
                    format!(
                        "'{}' is a {} field; a report groups by a choice, multi_choice, yes_no \
                         or user field",
                        field.key, field.kind
                    ),
                ));
            }
            let (mut values, none) = tx.field_breakdown(of, field.id, scope)?;
            let order = |v: &str| {
                field
                    .choices
                    .iter()
                    .position(|c| c == v)
                    .unwrap_or(usize::MAX)
            };
            values.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)).then_with(|| a.0.cmp(&b.0)));
            // Choices no record holds are shown at zero.
            for choice in &field.choices {
                if !values.iter().any(|(v, _)| v == choice) {
                    let at = values
                        .iter()
                        .position(|(v, _)| order(v) > order(choice))
                        .unwrap_or(values.len());
                    values.insert(at, (choice.clone(), 0));
                }
            }
            Ok(FieldBreakdown {
                of,
                key: field.key,
                label: field.label,
                values,
                none,
            })
        })
    }
}

/// "leads 3, 7 and 9" (with "and more" past five).
fn record_list(of: FieldsOf, ids: &[i64]) -> String {
    let shown: Vec<String> = ids.iter().take(5).map(ToString::to_string).collect();
    let more = if ids.len() > 5 { " and more" } else { "" };
    format!("{of} {}{more}", shown.join(", "))
}

/// Rewrites a field's stored values for a new type or choices; refuses, naming the records,
/// when any would not convert.
fn convert_values(
    tx: &Tx<'_>,
    field: &CustomField,
    kind: FieldKind,
    choices: &[String],
) -> Result<()> {
    let target = Shape {
        key: &field.key,
        kind,
        choices,
    };
    let mut by_record: Vec<(i64, Vec<String>)> = Vec::new();
    for (record, value) in tx.values_of_field(field.id)? {
        match by_record.last_mut() {
            Some((r, values)) if *r == record => values.push(value),
            _ => by_record.push((record, vec![value])),
        }
    }
    let mut converted = Vec::with_capacity(by_record.len());
    let mut refused: Vec<(i64, String)> = Vec::new();
    for (record, values) in by_record {
        if values.len() > 1 && kind != FieldKind::MultiChoice {
            refused.push((record, values.join(", ")));
            continue;
        }
        let mut stored = Vec::new();
        for value in &values {
            match rules::values(&target, value) {
                Ok(v) => stored.extend(v),
                Err(_) => refused.push((record, value.clone())),
            }
        }
        converted.push((record, stored));
    }
    if let Some((_, first)) = refused.first() {
        let ids: Vec<i64> = refused.iter().map(|(r, _)| *r).collect();
        return Err(Error::Conflict(format!(
            "field '{}' cannot become {kind}{}: {} {} a value that would not convert ('{first}')",
            field.key,
            if kind.has_choices() {
                " with those choices"
            } else {
                ""
            },
            record_list(field.of, &ids),
            if ids.len() == 1 { "holds" } else { "hold" },
        )));
    }
    for (record, stored) in converted {
        tx.put_values(field.id, record, &stored)?;
    }
    Ok(())
}

/// Gives record `keep` of `of` the values of `other` in every field `keep` has none of (all
/// of a multi-choice's), as a merge does before `other` goes with its values; returns the
/// fields it filled.
pub(crate) fn take_missing_values(
    tx: &Tx<'_>,
    of: FieldsOf,
    keep: i64,
    other: i64,
) -> Result<Vec<i64>> {
    let held: Vec<i64> = tx.raw_values(of, keep)?.iter().map(|v| v.field).collect();
    let missing: Vec<crate::store::RawValue> = tx
        .raw_values(of, other)?
        .into_iter()
        .filter(|v| !held.contains(&v.field))
        .collect();
    tx.restore_values(keep, &missing)?;
    let mut filled: Vec<i64> = missing.iter().map(|v| v.field).collect();
    filled.dedup();
    Ok(filled)
}

/// Custom values checked against their fields, ready to be written to a record.
#[derive(Default)]
pub(crate) struct CheckedValues {
    values: Vec<(crate::FieldId, Vec<Stored>)>,
    /// For a record just made, which holds no values to replace.
    creating: bool,
}

impl CheckedValues {
    /// Writes the values to record `record`.
    pub(crate) fn write(&self, tx: &Tx<'_>, record: i64) -> Result<()> {
        for (field, stored) in &self.values {
            if self.creating {
                tx.insert_values(*field, record, stored)?;
            } else {
                tx.put_values(*field, record, stored)?;
            }
        }
        Ok(())
    }
}

/// Checks the custom values `input` (by key) against `fields`, the fields of `of`. A new
/// record (`creating`) needs a value for every required field; an empty value clears one,
/// which a required field refuses.
pub(crate) fn check_values(
    tx: &Tx<'_>,
    of: FieldsOf,
    fields: &[CustomField],
    input: &FieldInput,
    creating: bool,
) -> Result<CheckedValues> {
    let mut checked = Vec::with_capacity(input.len());
    for (key, text) in input {
        let field = fields
            .iter()
            .find(|f| f.key == key.trim() && !f.is_retired())
            .ok_or_else(|| unknown_field("field", of, key, fields))?;
        let stored = stored_values(tx, field, text)?;
        if stored.is_empty() && field.required {
            return Err(Error::invalid(&field.key, "is required"));
        }
        checked.push((field.id, stored));
    }
    if creating
        && let Some(missing) = fields
            .iter()
            .find(|f| f.required && !f.is_retired() && !input.contains_key(&f.key))
    {
        return Err(Error::invalid(
            &missing.key,
            format!("is required (--field '{}=…')", missing.key),
        ));
    }
    Ok(CheckedValues {
        values: checked,
        creating,
    })
}

/// Checks and writes the custom values `input` of record `record` of `of`, as
/// [`check_values`] checks them.
pub(crate) fn write_fields(
    tx: &Tx<'_>,
    of: FieldsOf,
    record: i64,
    input: &FieldInput,
    creating: bool,
) -> Result<()> {
    if input.is_empty() && !creating {
        return Ok(());
    }
    let fields = tx.fields_of(Some(of))?;
    check_values(tx, of, &fields, input, creating)?.write(tx, record)
}

/// An error of `name` (the input that named it) for a key that is no field of `of` in use,
/// listing those there are.
fn unknown_field(name: &str, of: FieldsOf, key: &str, fields: &[CustomField]) -> Error {
    let known: Vec<&str> = fields
        .iter()
        .filter(|f| !f.is_retired())
        .map(|f| f.key.as_str())
        .collect();
    let hint = if known.is_empty() {
        format!("{of} have no custom fields; an admin adds them with `crm fields add {of}`")
    } else {
        format!("{of} have: {}", known.join(", "))
    };
    Error::invalid(name, format!("no field '{}' ({hint})", key.trim()))
}

/// The values `text` stores in `field`, a user field's user checked to exist.
fn stored_values(tx: &Tx<'_>, field: &CustomField, text: &str) -> Result<Vec<Stored>> {
    let stored = rules::values(&shape(field), text)?;
    if field.kind == FieldKind::User {
        for value in &stored {
            user_named(tx, &field.key, &value.text)?;
        }
    }
    Ok(stored)
}

/// The custom values of the records `records` of `of`, by record: of the fields in use, or
/// of retired ones too (`with_retired`, for a person's copy of their data).
fn values_for(
    tx: &Tx<'_>,
    of: FieldsOf,
    records: &[i64],
    with_retired: bool,
) -> Result<HashMap<i64, FieldValues>> {
    let fields: Vec<CustomField> = tx
        .fields_of(Some(of))?
        .into_iter()
        .filter(|f| with_retired || !f.is_retired())
        .collect();
    let ids: Vec<crate::FieldId> = fields.iter().map(|f| f.id).collect();
    let mut by_record: HashMap<i64, FieldValues> = HashMap::new();
    for row in tx.values_on(&ids, records)? {
        let Some(field) = fields.iter().find(|f| f.id == row.field) else {
            continue;
        };
        let values = &mut by_record.entry(row.record).or_default().0;
        match values.iter_mut().find(|v| v.key == field.key) {
            Some(v) => v.values.push(row.value),
            None => values.push(FieldValue {
                key: field.key.clone(),
                label: field.label.clone(),
                kind: field.kind,
                values: vec![row.value],
            }),
        }
    }
    // In the fields' order, as forms and `show` list them.
    for values in by_record.values_mut() {
        values
            .0
            .sort_by_key(|v| fields.iter().position(|f| f.key == v.key));
        for v in &mut values.0 {
            if let Some(field) = fields.iter().find(|f| f.key == v.key)
                && field.kind == FieldKind::MultiChoice
            {
                v.values
                    .sort_by_key(|c| field.choices.iter().position(|x| x == c));
            }
        }
    }
    Ok(by_record)
}

/// Fills the custom values of each item of a page of records of `of`.
pub(crate) fn fill<T>(
    tx: &Tx<'_>,
    of: FieldsOf,
    items: &mut [T],
    id: impl Fn(&T) -> i64,
    slot: impl Fn(&mut T) -> &mut FieldValues,
) -> Result<()> {
    fill_from(tx, of, items, id, slot, false)
}

/// As [`fill`], with the values of retired fields too: a person's copy of their data holds
/// everything kept about them.
pub(crate) fn fill_with_retired<T>(
    tx: &Tx<'_>,
    of: FieldsOf,
    items: &mut [T],
    id: impl Fn(&T) -> i64,
    slot: impl Fn(&mut T) -> &mut FieldValues,
) -> Result<()> {
    fill_from(tx, of, items, id, slot, true)
}

fn fill_from<T>(
    tx: &Tx<'_>,
    of: FieldsOf,
    items: &mut [T],
    id: impl Fn(&T) -> i64,
    slot: impl Fn(&mut T) -> &mut FieldValues,
    with_retired: bool,
) -> Result<()> {
    let ids: Vec<i64> = items.iter().map(&id).collect();
    let mut values = values_for(tx, of, &ids, with_retired)?;
    for item in items {
        if let Some(v) = values.remove(&id(item)) {
            *slot(item) = v;
        }
    }
    Ok(())
}

/// `record` with its custom values.
pub(crate) fn with_values<T>(
    tx: &Tx<'_>,
    of: FieldsOf,
    record: T,
    id: impl Fn(&T) -> i64,
    slot: impl Fn(&mut T) -> &mut FieldValues,
) -> Result<T> {
    let mut one = [record];
    fill(tx, of, &mut one, id, slot)?;
    let [record] = one;
    Ok(record)
}

/// The list conditions `conditions` on custom fields of `of`, each resolved to its field and
/// checked as a value of it.
pub(crate) fn field_tests(
    tx: &Tx<'_>,
    of: FieldsOf,
    conditions: &[FieldCondition],
) -> Result<Vec<FieldTest>> {
    if conditions.is_empty() {
        return Ok(Vec::new());
    }
    let fields = tx.fields_of(Some(of))?;
    conditions
        .iter()
        .map(|c| {
            let field = fields
                .iter()
                .find(|f| f.key == c.key && !f.is_retired())
                .ok_or_else(|| unknown_field("where", of, &c.key, &fields))?;
            let ordering = !matches!(
                c.comparison,
                crate::Comparison::Equal | crate::Comparison::NotEqual
            );
            if ordering && !field.kind.is_ordered() {
                return Err(Error::invalid(
                    "where",
                    format!(
                        "'{c}': a {} field is compared with = or != only; < and > are for \
                         number, money and date fields",
                        field.kind
                    ),
                ));
            }
            let value = rules::compared(&shape(field), &c.value).map_err(|e| match e {
                Error::Invalid { reason, .. } => {
                    Error::invalid("where", format!("'{c}': {reason}"))
                }
                other => other,
            })?;
            Ok(FieldTest {
                field: field.id,
                kind: field.kind,
                comparison: c.comparison,
                value,
            })
        })
        .collect()
}

/// The custom field a listing of `of` is sorted by, from the key a query names.
pub(crate) fn field_sort(
    tx: &Tx<'_>,
    of: FieldsOf,
    key: Option<&str>,
) -> Result<Option<FieldSort>> {
    let Some(key) = key else {
        return Ok(None);
    };
    let fields = tx.fields_of(Some(of))?;
    let field = fields
        .iter()
        .find(|f| f.key == key.trim() && !f.is_retired())
        .ok_or_else(|| unknown_field("sort", of, key.trim(), &fields))?;
    Ok(Some(FieldSort {
        field: field.id,
        kind: field.kind,
    }))
}
