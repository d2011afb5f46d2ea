//! The custom fields of a form's record: an input of the right kind for each (a choice list
//! for choices and yes/no, text for the rest, checked by the service as the CLI's are).

use std::borrow::Cow;

use crm_core::{CustomField, FieldInput, FieldKind, FieldValues, FieldsOf};

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

    fn is_edit(self) -> bool {
        matches!(
            self,
            FormKind::EditContact(_)
                | FormKind::EditLead(_)
                | FormKind::EditDeal(_)
                | FormKind::EditTicket(_)
                | FormKind::EditCompany(_)
                | FormKind::EditCampaign(_)
                | FormKind::EditTask(_)
        )
    }

    /// The custom values of the record an edit form changes.
    fn held_values(self, ctx: &Ctx<'_>) -> crm_core::Result<FieldValues> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        Ok(match self {
            FormKind::EditContact(id) => crm.contact(actor, id)?.fields,
            FormKind::EditLead(id) => crm.lead(actor, id)?.fields,
            FormKind::EditDeal(id) => crm.deal(actor, id)?.fields,
            FormKind::EditTicket(id) => crm.ticket(actor, id)?.fields,
            FormKind::EditCompany(id) => crm.company(actor, id)?.fields,
            _ => FieldValues::default(),
        })
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
        None => Value::Text(Input::new(current)),
    };
    Field {
        key: "custom",
        label,
        custom: Some(field.key.clone()),
        value,
        original: current.to_string(),
        required: field.required,
        error: None,
    }
}

impl Form {
    /// Adds an input for each custom field of the form's record, holding the record's values
    /// on an edit form; once, however often the form is prepared.
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
        let held = self.kind.held_values(ctx).unwrap_or_default();
        for field in &fields {
            let current = held.get(&field.key).map(|v| v.text()).unwrap_or_default();
            self.fields.push(input_for(field, &current));
        }
    }

    /// The custom values to save: every filled field of a new record; the changed ones of an
    /// edited record, a field emptied as "" (which clears it).
    pub(super) fn custom_input(&self) -> FieldInput {
        let edit = self.kind.is_edit();
        self.fields
            .iter()
            .filter_map(|f| Some((f.custom.clone()?, f.current(), f)))
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
