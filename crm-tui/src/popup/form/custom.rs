//! The custom fields of a form's record: an input of the right kind for each (a choice list
//! for choices and yes/no, a box per option for multi-choice, text with a hint of the form it
//! takes for the rest), checked here where the form is plain and by the service as the CLI's
//! are.

use std::borrow::Cow;

use crm_core::{CustomField, FieldInput, FieldKind, FieldsOf};

use super::{Field, Form, FormKind, Value};
use crate::ctx::Ctx;
use crate::widget::input::Input;

impl FormKind {
    /// The records whose custom fields the form shows, if they have any.
    fn custom_of(self) -> Option<FieldsOf> {
        match self {
            FormKind::NewContact | FormKind::EditContact(_) => Some(FieldsOf::Contacts),
            FormKind::NewLead | FormKind::EditLead(_) => Some(FieldsOf::Leads),
            FormKind::NewDeal | FormKind::EditDeal(_) => Some(FieldsOf::Deals),
            FormKind::NewTicket | FormKind::EditTicket(_) => Some(FieldsOf::Tickets),
            FormKind::EditCompany(_) => Some(FieldsOf::Companies),
            _ => None,
        }
    }
}

/// The custom field a form input fills.
#[derive(Debug, Clone)]
pub(super) struct Custom {
    pub(super) key: String,
    kind: FieldKind,
}

impl Custom {
    /// What an empty text input of this kind shows: the form its value takes.
    pub(super) fn hint(&self) -> String {
        match self.kind {
            FieldKind::Date => "YYYY-MM-DD".into(),
            FieldKind::Number => "a number".into(),
            FieldKind::Money => "an amount: 75000, 50L, 2Cr, 10k".into(),
            FieldKind::User => "a username".into(),
            FieldKind::Url => "https://…".into(),
            FieldKind::Email => "name@example.com".into(),
            FieldKind::Phone => "+91 98765 43210".into(),
            _ => String::new(),
        }
    }

    /// A problem the form sees before the service does: a date or a number that is not one.
    /// The service checks every kind again (amounts with their shorthand, 50L, among them).
    pub(super) fn problem(&self, value: &str) -> Option<String> {
        if value.is_empty() {
            return None;
        }
        match self.kind {
            FieldKind::Date => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .is_err()
                .then(|| format!("'{value}' is not a date like 2026-04-30")),
            FieldKind::Number => value
                .replace(',', "")
                .parse::<f64>()
                .is_err()
                .then(|| format!("'{value}' is not a number")),
            _ => None,
        }
    }
}

/// A form input for `field` holding `current`.
fn input_for(field: &CustomField, current: &str) -> Field {
    let label = Cow::Owned(field.label.clone());
    let options = match field.kind {
        FieldKind::Choice => Some(field.choices.clone()),
        FieldKind::YesNo => Some(vec!["yes".into(), "no".into()]),
        _ => None,
    };
    let value = match options {
        // The first option, blank, leaves the field empty.
        Some(choices) => {
            let options: Vec<String> = std::iter::once(String::new()).chain(choices).collect();
            let selected = options.iter().position(|o| o == current).unwrap_or(0);
            Value::Choice { options, selected }
        }
        None if field.kind == FieldKind::MultiChoice => {
            let held: Vec<&str> = current.split(',').map(str::trim).collect();
            Value::Many {
                chosen: field
                    .choices
                    .iter()
                    .map(|c| held.contains(&c.as_str()))
                    .collect(),
                options: field.choices.clone(),
                cursor: 0,
            }
        }
        None => Value::Text(Input::new(current)),
    };
    // As the input spells it, so an untouched input is not a change.
    let original = value.text();
    Field {
        key: "custom",
        label,
        custom: Some(Custom {
            key: field.key.clone(),
            kind: field.kind,
        }),
        value,
        original,
        required: field.required,
        error: None,
    }
}

impl Form {
    /// Adds an input for each custom field of the form's record, holding the record's values
    /// on an edit form (as it opened on them); once, however often the form is prepared.
    pub(super) fn add_custom(&mut self, ctx: &Ctx<'_>) {
        let Some(of) = self.kind.custom_of() else {
            return;
        };
        if self.fields.iter().any(|f| f.custom.is_some()) {
            return;
        }
        let Ok(fields) = ctx.crm.fields(ctx.actor, Some(of), false) else {
            return;
        };
        if fields.is_empty() {
            return;
        }
        for field in &fields {
            let current = self
                .held
                .get(&field.key)
                .map(crm_core::FieldValue::text)
                .unwrap_or_default();
            self.fields.push(input_for(field, &current));
        }
    }

    /// The custom values to save: every filled field of a new record; the changed ones of an
    /// edited record, a field emptied as "" (which clears it).
    pub(super) fn custom_input(&self) -> FieldInput {
        // An edit form opened on a record at its version.
        let edit = self.version.is_some();
        self.fields
            .iter()
            .filter_map(|f| Some((f.custom.as_ref()?.key.clone(), f.current(), f)))
            .filter(|(_, value, f)| {
                if edit {
                    *value != f.original
                } else {
                    !value.is_empty()
                }
            })
            .map(|(key, value, _)| (key, value))
            .collect()
    }
}
