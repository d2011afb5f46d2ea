//! Custom fields: the facts a business adds to its records, their definitions and values.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::EntityKind;
use super::fixed_set::fixed_set;

fixed_set! {
    /// The records custom fields can be added to, named as their lists are (`crm fields add leads`).
    FieldsOf, "record type" {
        Contacts => "contacts",
        Companies => "companies",
        Leads => "leads",
        Deals => "deals",
        Tickets => "tickets",
    }
}

impl FieldsOf {
    /// The kind of record this names.
    pub fn entity(self) -> EntityKind {
        match self {
            FieldsOf::Contacts => EntityKind::Contact,
            FieldsOf::Companies => EntityKind::Company,
            FieldsOf::Leads => EntityKind::Lead,
            FieldsOf::Deals => EntityKind::Deal,
            FieldsOf::Tickets => EntityKind::Ticket,
        }
    }

    /// The records of `kind`, when they can have custom fields.
    pub fn of(kind: EntityKind) -> Option<FieldsOf> {
        FieldsOf::ALL.iter().copied().find(|f| f.entity() == kind)
    }
}

fixed_set! {
    /// What a custom field holds; each is checked by the rule of the built-in field of its kind.
    FieldKind, "field type" {
        /// One line of text.
        Text => "text",
        /// Text of several lines.
        LongText => "long_text",
        Number => "number",
        /// An amount in the record's currency.
        Money => "money",
        /// A calendar day, written YYYY-MM-DD.
        Date => "date",
        YesNo => "yes_no",
        /// One of the field's choices.
        Choice => "choice",
        /// Any of the field's choices.
        MultiChoice => "multi_choice",
        /// A user of the CRM, by username.
        User => "user",
        Url => "url",
        Email => "email",
        Phone => "phone",
    }
}

impl FieldKind {
    /// Whether the field has a list of choices.
    pub fn has_choices(self) -> bool {
        matches!(self, FieldKind::Choice | FieldKind::MultiChoice)
    }

    /// Whether `<`, `>` and their kin compare its values.
    pub fn is_ordered(self) -> bool {
        matches!(self, FieldKind::Number | FieldKind::Money | FieldKind::Date)
    }
}

/// A custom field as `crm fields list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CustomField {
    pub id: super::FieldId,
    /// The records it belongs to.
    pub of: FieldsOf,
    /// The name typed after `--field`, `--where` and in CSV headers.
    pub key: String,
    /// The name shown to people.
    pub label: String,
    pub kind: FieldKind,
    /// The choices of a choice or multi-choice field, in their order.
    pub choices: Vec<String>,
    /// Every new record of its kind needs a value.
    pub required: bool,
    /// When it was retired: hidden from forms and lists, its values kept until purged.
    pub retired_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CustomField {
    pub fn is_retired(&self) -> bool {
        self.retired_at.is_some()
    }
}

/// A new custom field; `key` is made from the label when absent.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewField {
    pub label: String,
    pub key: Option<String>,
    pub kind: Option<FieldKind>,
    pub choices: Vec<String>,
    pub required: bool,
}

/// Changes to a custom field: None keeps what it is.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FieldPatch {
    pub label: Option<String>,
    pub key: Option<String>,
    /// A new type: refused when a stored value would not convert.
    pub kind: Option<FieldKind>,
    /// The whole new list of choices: refused when a stored value is not among them.
    pub choices: Option<Vec<String>>,
    pub required: Option<bool>,
}

/// Custom values as typed by a person or read from a CSV cell, by field key: the input of
/// `add` and `edit` (`--field key=value`). An empty value clears the field on `edit`.
pub type FieldInput = BTreeMap<String, String>;

/// One field's value on a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValue {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// The value as shown; a multi-choice field's choices are each one item.
    pub values: Vec<String>,
}

impl FieldValue {
    /// The value as one line of text (`Villa`, `Pool, Garden`).
    pub fn text(&self) -> String {
        self.values.join(", ")
    }

    /// The value as JSON: numbers as numbers, yes/no as a boolean, a multi-choice as a list,
    /// the rest (money too, as amounts are elsewhere) as text.
    pub fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        let first = self.values.first().cloned().unwrap_or_default();
        match self.kind {
            FieldKind::MultiChoice => {
                Value::Array(self.values.iter().cloned().map(Value::String).collect())
            }
            FieldKind::Number => first
                .parse::<f64>()
                .ok()
                .and_then(|n| {
                    if n.fract() == 0.0 && n.abs() < 9e15 {
                        #[allow(clippy::cast_possible_truncation)]
                        Some(Value::from(n as i64))
                    } else {
                        serde_json::Number::from_f64(n).map(Value::Number)
                    }
                })
                .unwrap_or(Value::String(first)),
            FieldKind::YesNo => Value::Bool(first == "yes"),
            _ => Value::String(first),
        }
    }
}

/// A record's custom values, in the fields' order; serialised as an object by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldValues(pub Vec<FieldValue>);

impl FieldValues {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of field `key`, if the record has one.
    pub fn get(&self, key: &str) -> Option<&FieldValue> {
        self.0.iter().find(|v| v.key == key)
    }
}

impl Serialize for FieldValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for value in &self.0 {
            map.serialize_entry(&value.key, &value.json())?;
        }
        map.end()
    }
}

impl schemars::JsonSchema for FieldValues {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FieldValues".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "Custom field values by field key",
        })
    }
}

/// How a list condition on a custom field compares (`--where 'budget>=50L'`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparison {
    /// The operator as written in a condition.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Equal => "=",
            Comparison::NotEqual => "!=",
            Comparison::Less => "<",
            Comparison::LessOrEqual => "<=",
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => ">=",
        }
    }
}

/// One condition of a list on a custom field, as typed: `property_type=Villa`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct FieldCondition {
    pub key: String,
    pub comparison: Comparison,
    pub value: String,
}

impl std::fmt::Display for FieldCondition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.key, self.comparison.symbol(), self.value)
    }
}

impl std::str::FromStr for FieldCondition {
    type Err = crate::Error;

    /// `key=value`, `key!=value`, `key>=value`, `key<=value`, `key>value`, `key<value`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let at = text.find(['=', '!', '<', '>']).ok_or_else(|| {
            crate::Error::invalid(
                "where",
                format!(
                    "'{text}' has no comparison; write it as field=value, field!=value, \
                     field>=value or field<=value"
                ),
            )
        })?;
        let (key, rest) = text.split_at(at);
        let (comparison, value) = [
            ("!=", Comparison::NotEqual),
            ("<=", Comparison::LessOrEqual),
            (">=", Comparison::GreaterOrEqual),
            ("=", Comparison::Equal),
            ("<", Comparison::Less),
            (">", Comparison::Greater),
        ]
        .into_iter()
        .find_map(|(symbol, c)| rest.strip_prefix(symbol).map(|v| (c, v)))
        .ok_or_else(|| {
            crate::Error::invalid(
                "where",
                format!("'{text}' has no comparison it understands"),
            )
        })?;
        let key = key.trim();
        if key.is_empty() {
            return Err(crate::Error::invalid(
                "where",
                format!("'{text}' names no field before '{}'", comparison.symbol()),
            ));
        }
        Ok(FieldCondition {
            key: key.to_string(),
            comparison,
            value: value.trim().to_string(),
        })
    }
}

/// The order a listing is asked for: one of the kind's own orders (`S`, such as
/// [`super::LeadSort`]) or a custom field's key, as typed after `--sort` or in the API's
/// `sort=`. The kind's own names win: a custom field's key never names a built-in field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortChoice<S> {
    Own(S),
    Field(String),
}

impl<S: Copy> SortChoice<S> {
    /// The kind's own order to use (`fallback` when a field is chosen) and the field's key.
    pub fn split(&self, fallback: S) -> (S, Option<String>) {
        match self {
            SortChoice::Own(sort) => (*sort, None),
            SortChoice::Field(key) => (fallback, Some(key.clone())),
        }
    }
}

impl<S> std::str::FromStr for SortChoice<S>
where
    S: std::str::FromStr<Err = super::ParseEnumError>,
{
    type Err = crate::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.parse::<S>() {
            Ok(sort) => Ok(SortChoice::Own(sort)),
            Err(own) => crate::rules::custom_fields::key(text)
                .map(SortChoice::Field)
                .map_err(|_| {
                    crate::Error::invalid(
                        "sort",
                        format!(
                            "unknown sort '{}' (expected one of: {}, or a custom field's key)",
                            own.value,
                            own.valid.join(", ")
                        ),
                    )
                }),
        }
    }
}

impl<S: std::fmt::Display> std::fmt::Display for SortChoice<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SortChoice::Own(sort) => sort.fmt(f),
            SortChoice::Field(key) => f.write_str(key),
        }
    }
}
