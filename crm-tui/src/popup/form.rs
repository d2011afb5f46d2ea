//! Forms to add and edit records. A form checks what it can on its own (required fields,
//! numbers, dates) and shows every problem beside its field; the service checks the rest and its
//! error lands beside the field it names. Nothing is saved until the service accepts the whole.

use std::borrow::Cow;

use chrono::NaiveDate;
use crm_core::{
    CampaignId, CompanyId, ContactId, Currency, DealId, LeadId, RecordRef, TaskId, TicketId,
    Version, When,
};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Reply, dialog};
use crate::ctx::Ctx;
use crate::theme::Theme;
use crate::widget::input::Input;
use crate::widget::{fit, wrap};

mod campaign;
mod company;
mod contact;
mod custom;
mod deal;
mod lead;
mod task;
mod ticket;

pub(crate) const KEYS: &[(&str, &str)] = &[
    ("Tab/↓ ↑", "next / previous field"),
    ("← →", "change a choice"),
    ("Space", "tick a box"),
    ("Enter", "save"),
    ("Esc", "cancel"),
];

const LABEL_WIDTH: usize = 18;

/// Which record the form makes or changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormKind {
    NewContact,
    EditContact(ContactId),
    NewLead,
    EditLead(LeadId),
    NewCampaign,
    EditCampaign(CampaignId),
    NewDeal,
    EditDeal(DealId),
    NewTicket,
    EditTicket(TicketId),
    NewTask,
    EditTask(TaskId),
    EditCompany(CompanyId),
}

#[derive(Debug, Clone)]
enum Value {
    Text(Input),
    Choice {
        options: Vec<String>,
        selected: usize,
    },
    Check(bool),
    /// Any of the options: a box each, the cursor on one.
    Many {
        options: Vec<String>,
        chosen: Vec<bool>,
        cursor: usize,
    },
}

impl Value {
    /// The value as the services take it.
    fn text(&self) -> String {
        match self {
            Value::Text(input) => input.value().trim().to_string(),
            Value::Choice { options, selected } => {
                options.get(*selected).cloned().unwrap_or_default()
            }
            Value::Check(on) => on.to_string(),
            Value::Many {
                options, chosen, ..
            } => options
                .iter()
                .zip(chosen)
                .filter(|(_, on)| **on)
                .map(|(o, _)| o.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

#[derive(Debug, Clone)]
struct Field {
    /// The field's name as the services spell it in errors ("first name").
    key: &'static str,
    label: Cow<'static, str>,
    /// The custom field it fills (`key` is then "custom").
    custom: Option<custom::Custom>,
    value: Value,
    /// What it held when the form opened: an edit sends only what changed.
    original: String,
    required: bool,
    error: Option<String>,
}

impl Field {
    fn text(key: &'static str, label: &'static str, value: &str) -> Field {
        Field {
            key,
            label: Cow::Borrowed(label),
            custom: None,
            value: Value::Text(Input::new(value)),
            original: value.to_string(),
            required: false,
            error: None,
        }
    }

    fn required(mut self) -> Field {
        self.required = true;
        self
    }

    fn choice(
        key: &'static str,
        label: &'static str,
        options: Vec<String>,
        current: &str,
    ) -> Field {
        let selected = options.iter().position(|o| o == current).unwrap_or(0);
        Field {
            key,
            label: Cow::Borrowed(label),
            custom: None,
            // Options loaded later keep the current value here until `prepare` finds it.
            original: options
                .get(selected)
                .cloned()
                .unwrap_or_else(|| current.to_string()),
            value: Value::Choice { options, selected },
            required: false,
            error: None,
        }
    }

    fn check(key: &'static str, label: &'static str, on: bool) -> Field {
        Field {
            key,
            label: Cow::Borrowed(label),
            custom: None,
            value: Value::Check(on),
            original: on.to_string(),
            required: false,
            error: None,
        }
    }

    fn current(&self) -> String {
        self.value.text()
    }
}

impl Field {
    /// The spans that draw the field's value after its label.
    fn value_spans(&self, focused: bool, value_width: usize, theme: Theme) -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        match &self.value {
            Value::Text(input) => {
                let (text, _) = input.view(value_width);
                let style = if focused {
                    theme.selected()
                } else {
                    theme.dim()
                };
                // An empty custom input says what it takes (a date's form, a number).
                let hint = self.custom.as_ref().map(custom::Custom::hint);
                match hint {
                    Some(hint) if text.is_empty() => spans.push(Span::styled(
                        format!("{:<value_width$}", fit(&hint, value_width)),
                        theme.dim(),
                    )),
                    _ => spans.push(Span::styled(format!("{text:<value_width$}"), style)),
                }
            }
            Value::Choice { options, selected } => {
                let value = match options.get(*selected).map(String::as_str) {
                    None => "—",
                    Some("") if self.custom.is_some() => "not set",
                    Some("") => "nobody yet",
                    Some(value) => value,
                };
                let style = if focused {
                    theme.selected()
                } else {
                    theme.text()
                };
                spans.push(Span::styled(format!("◀ {value} ▶"), style));
            }
            Value::Check(on) => {
                let style = if focused {
                    theme.selected()
                } else {
                    theme.text()
                };
                spans.push(Span::styled(if *on { "[x]" } else { "[ ]" }, style));
            }
            Value::Many {
                options,
                chosen,
                cursor,
            } => {
                for (index, (option, on)) in options.iter().zip(chosen).enumerate() {
                    let style = if focused && index == *cursor {
                        theme.selected()
                    } else {
                        theme.text()
                    };
                    let mark = if *on { "[x]" } else { "[ ]" };
                    spans.push(Span::styled(format!("{mark} {option}"), style));
                    spans.push(Span::raw("  "));
                }
            }
        }
        spans
    }
}

/// The three consent boxes of a person (email, GDPR, CCPA), as a contact and a lead hold them.
fn consent_fields(held: Option<[bool; 3]>) -> [Field; 3] {
    let [email, gdpr, ccpa] = held.unwrap_or_default();
    [
        Field::check("consent email", "Email consent", email),
        Field::check("consent gdpr", "GDPR consent", gdpr),
        Field::check("consent ccpa", "CCPA consent", ccpa),
    ]
}

fn names<T: ToString>(all: &[T]) -> Vec<String> {
    all.iter().map(ToString::to_string).collect()
}

fn opt(text: Option<&str>) -> &str {
    text.unwrap_or("")
}

#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub(crate) kind: FormKind,
    title: String,
    fields: Vec<Field>,
    focus: usize,
    /// An error no field owns (a permission, a conflict).
    general: Option<String>,
    /// The version of the record an edit form opened on: the save is refused when someone
    /// saved it since, instead of silently undoing their change.
    version: Option<Version>,
    /// The last save was refused for that reason: Ctrl-R reloads the record.
    stale: bool,
    /// The custom values of the record an edit form opened on.
    held: crm_core::FieldValues,
}

impl Form {
    fn new(kind: FormKind, title: &str, fields: Vec<Field>) -> Form {
        Form {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            general: None,
            version: None,
            stale: false,
            held: crm_core::FieldValues::default(),
        }
    }

    /// An edit form of the record as it is at `version`.
    fn at_version(mut self, version: Version) -> Form {
        self.version = Some(version);
        self
    }

    /// An edit form of a record holding these custom values.
    fn holding(mut self, values: &crm_core::FieldValues) -> Form {
        self.held = values.clone();
        self
    }

    /// The same form on the record as it is now, for a save refused as stale.
    pub(crate) fn reloaded(&self, ctx: &Ctx<'_>) -> crm_core::Result<Form> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let mut form = match self.kind {
            FormKind::EditContact(id) => Form::edit_contact(&crm.contact(actor, id)?),
            FormKind::EditLead(id) => Form::edit_lead(&crm.lead(actor, id)?),
            FormKind::EditCampaign(id) => {
                Form::edit_campaign(&crm.campaign(actor, &id.to_string())?)
            }
            FormKind::EditDeal(id) => Form::edit_deal(&crm.deal(actor, id)?),
            FormKind::EditTicket(id) => Form::edit_ticket(&crm.ticket(actor, id)?),
            FormKind::EditTask(id) => Form::edit_task(&crm.task(actor, id)?),
            FormKind::EditCompany(id) => Form::edit_company(&crm.company(actor, id)?),
            _ => return Ok(self.clone()),
        };
        form.prepare(ctx);
        form.general = Some(format!(
            "Reloaded as saved now (version {}); make your change again",
            form.version.map_or_else(String::new, |v| v.to_string())
        ));
        Ok(form)
    }

    /// Fills choices that come from the database (campaigns, pipeline stages) and adds the
    /// record's custom fields.
    pub(crate) fn prepare(&mut self, ctx: &Ctx<'_>) {
        self.add_custom(ctx);
        for field in &mut self.fields {
            let Value::Choice { options, selected } = &mut field.value else {
                continue;
            };
            if !options.is_empty() {
                continue;
            }
            // (value, other name that selects it): a lead names its campaign, the form lists codes.
            let loaded: Vec<(String, String)> = match field.key {
                "campaign" => ctx
                    .crm
                    .list_campaigns(ctx.actor, crm_core::CampaignSort::Name, false)
                    .map(|mut all| {
                        // The built-in General campaign first: it is the default.
                        all.sort_by_key(|c| !c.is_system);
                        all.into_iter().map(|c| (c.code, c.name)).collect()
                    })
                    .unwrap_or_default(),
                "stage" => ctx
                    .crm
                    .stages(false)
                    .map(|all| {
                        all.into_iter()
                            .filter(|s| !s.is_won && !s.is_lost)
                            .map(|s| (s.name.clone(), s.name))
                            .collect()
                    })
                    .unwrap_or_default(),
                "assignee" => std::iter::once((String::new(), String::new()))
                    .chain(
                        ctx.crm
                            .ticket_assignees(ctx.actor)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|u| (u.username, u.display_name)),
                    )
                    .collect(),
                _ => Vec::new(),
            };
            *selected = loaded
                .iter()
                .position(|(value, name)| *value == field.original || *name == field.original)
                .unwrap_or(0);
            *options = loaded.into_iter().map(|(value, _)| value).collect();
            field.original = options.get(*selected).cloned().unwrap_or_default();
        }
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Reply> {
        let last = self.fields.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc => return Some(Reply::Close),
            KeyCode::Char('r') if self.stale && key.modifiers.contains(KeyModifiers::CONTROL) => {
                return Some(Reply::Reload(self.clone()));
            }
            KeyCode::Enter => return self.check().then(|| Reply::Submit(self.clone())),
            KeyCode::Char('s') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return self.check().then(|| Reply::Submit(self.clone()));
            }
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1).min(last),
            KeyCode::BackTab | KeyCode::Up => self.focus = self.focus.saturating_sub(1),
            _ => {
                let field = self.fields.get_mut(self.focus)?;
                match &mut field.value {
                    Value::Text(input) => {
                        input.handle(key);
                    }
                    Value::Choice { options, selected } => match key.code {
                        KeyCode::Right | KeyCode::Char(' ') if !options.is_empty() => {
                            *selected = (*selected + 1) % options.len();
                        }
                        KeyCode::Left if !options.is_empty() => {
                            *selected = (*selected + options.len() - 1) % options.len();
                        }
                        _ => {}
                    },
                    Value::Check(on) => {
                        if matches!(
                            key.code,
                            KeyCode::Char(' ' | 'x') | KeyCode::Left | KeyCode::Right
                        ) {
                            *on = !*on;
                        }
                    }
                    Value::Many {
                        options,
                        chosen,
                        cursor,
                    } => match key.code {
                        KeyCode::Right if !options.is_empty() => {
                            *cursor = (*cursor + 1) % options.len();
                        }
                        KeyCode::Left if !options.is_empty() => {
                            *cursor = (*cursor + options.len() - 1) % options.len();
                        }
                        KeyCode::Char(' ' | 'x') => {
                            if let Some(on) = chosen.get_mut(*cursor) {
                                *on = !*on;
                            }
                        }
                        _ => {}
                    },
                }
                field.error = None;
            }
        }
        None
    }

    /// The form's own checks; marks every failing field. True when the service may be called.
    fn check(&mut self) -> bool {
        self.general = None;
        for field in &mut self.fields {
            let value = field.current();
            field.error = if field.required && value.is_empty() {
                Some("required".into())
            } else if let Some(custom) = &field.custom {
                custom.problem(&value)
            } else {
                local_problem(field.key, &value)
            };
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
            return false;
        }
        true
    }

    /// Puts a service error beside the field it names, or above the fields.
    pub(crate) fn show_error(&mut self, error: &crm_core::Error) {
        if let crm_core::Error::Stale { by, at, .. } = error {
            self.stale = true;
            self.general = Some(format!(
                "Changed by {by} at {at} since you opened it: nothing was saved. \
                 Ctrl-R reloads it (your changes here are dropped), Esc cancels."
            ));
            return;
        }
        self.stale = false;
        if let crm_core::Error::Invalid { field, reason } = error {
            let wanted = field.replace('_', " ");
            if let Some(index) = self.fields.iter().position(|f| {
                f.key == wanted
                    || f.label.eq_ignore_ascii_case(&wanted)
                    || f.custom.as_ref().is_some_and(|c| c.key == *field)
            }) {
                self.fields[index].error = Some(reason.clone());
                self.focus = index;
                return;
            }
        }
        if let crm_core::Error::Duplicate { .. } = error
            && let Some(index) = self.fields.iter().position(|f| f.key == "allow duplicate")
        {
            self.focus = index;
            self.fields[index].error = Some("tick to add it anyway".into());
            self.general = Some(error.to_string());
            return;
        }
        self.general = Some(error.to_string());
    }

    fn get(&self, key: &str) -> Option<String> {
        let value = self.fields.iter().find(|f| f.key == key)?.current();
        (!value.is_empty()).then_some(value)
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).as_deref() == Some("true")
    }

    /// The value when it differs from what the form opened with (an edit sends only changes).
    fn changed(&self, key: &str) -> Option<String> {
        let field = self.fields.iter().find(|f| f.key == key)?;
        let value = field.current();
        (value != field.original).then_some(value)
    }

    fn changed_flag(&self, key: &str) -> Option<bool> {
        self.changed(key).map(|v| v == "true")
    }

    /// Saves through the service. Returns the message for the footer and the record saved.
    pub(crate) fn save(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        match self.kind {
            FormKind::NewContact => self.save_new_contact(ctx),
            FormKind::EditContact(id) => self.save_edit_contact(ctx, id),
            FormKind::NewLead => self.save_new_lead(ctx),
            FormKind::EditLead(id) => self.save_edit_lead(ctx, id),
            FormKind::NewCampaign => self.save_new_campaign(ctx),
            FormKind::EditCampaign(id) => self.save_edit_campaign(ctx, id),
            FormKind::NewDeal => self.save_new_deal(ctx),
            FormKind::EditDeal(id) => self.save_edit_deal(ctx, id),
            FormKind::EditTask(id) => self.save_edit_task(ctx, id),
            FormKind::NewTicket => self.save_new_ticket(ctx),
            FormKind::EditTicket(id) => self.save_edit_ticket(ctx, id),
            FormKind::NewTask => self.save_new_task(ctx),
            FormKind::EditCompany(id) => self.save_edit_company(ctx, id),
        }
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        // The dialog is 72 wide with its border: 70 for the text.
        let general = self
            .general
            .as_deref()
            .map(|text| wrap(text, 70))
            .unwrap_or_default();
        let rows = self.fields.len()
            + self.fields.iter().filter(|f| f.error.is_some()).count()
            + general.len().max(1)
            + 2;
        let height = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2);
        let inner = dialog(area, 72, height, &self.title, buf, theme);
        let value_width = usize::from(inner.width).saturating_sub(LABEL_WIDTH + 3);
        let mut lines: Vec<Line> = general
            .into_iter()
            .map(|line| {
                Line::from(Span::styled(
                    fit(&line, usize::from(inner.width)),
                    theme.bad(),
                ))
            })
            .collect();
        let mut focus_line = 0;
        for (index, field) in self.fields.iter().enumerate() {
            let focused = index == self.focus;
            if focused {
                focus_line = lines.len();
            }
            let marker = if field.required { "*" } else { " " };
            let label_style = if focused {
                theme.accent()
            } else {
                theme.text()
            };
            let mut spans = vec![Span::styled(
                format!("{:>w$}{marker} ", field.label, w = LABEL_WIDTH),
                label_style,
            )];
            spans.extend(field.value_spans(focused, value_width, theme));
            lines.push(Line::from(spans));
            if let Some(error) = &field.error {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(LABEL_WIDTH + 2)),
                    Span::styled(format!("↳ {}", fit(error, value_width)), theme.bad()),
                ]));
            }
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "* required · Tab next field · Enter save · Esc cancel",
            theme.dim(),
        )));
        // Keep the focused field in view when the form is taller than the terminal.
        let visible = usize::from(inner.height);
        let skip = (focus_line + 2).saturating_sub(visible);
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).render(inner, buf);
    }

    #[cfg(test)]
    fn set(&mut self, key: &str, text: &str) {
        if let Some(field) = self.fields.iter_mut().find(|f| f.key == key)
            && let Value::Text(input) = &mut field.value
        {
            *input = Input::new(text);
        }
    }

    #[cfg(test)]
    fn error(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.key == key)?.error.as_deref()
    }
}

/// Problems the form can see without the database.
fn local_problem(key: &str, value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    match key {
        "score" | "probability" => match value.parse::<i64>() {
            Ok(n) if (0..=100).contains(&n) => None,
            _ => Some(format!("'{value}' is not a whole number from 0 to 100")),
        },
        "planned leads" | "contact" => value
            .parse::<u64>()
            .is_err()
            .then(|| format!("'{value}' is not a whole number")),
        "start date" | "end date" | "expected close" => date(value)
            .is_none()
            .then(|| format!("'{value}' is not a date like 2026-04-30")),
        "due" => value.parse::<When>().err().map(|e| e.to_string()),
        "budget" | "expected spend" | "amount" => {
            crm_core::parse_amount(key, value).err().map(|e| match e {
                crm_core::Error::Invalid { reason, .. } => reason,
                other => other.to_string(),
            })
        }
        "currency" => value.parse::<Currency>().err().map(|e| e.to_string()),
        "about" => value.parse::<RecordRef>().err().map(|e| e.to_string()),
        _ => None,
    }
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A due time as typed, read by crm-core's one rule for times ([`When`]), with "now" from the
/// service clock.
fn due(text: &str, ctx: &Ctx<'_>) -> Option<chrono::DateTime<chrono::Utc>> {
    text.parse::<When>().ok().map(|w| w.at(ctx.crm.now()))
}

fn tags(text: Option<String>) -> Vec<String> {
    text.map(|t| {
        t.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// Tags added and removed since the form opened.
fn tag_changes(form: &Form, key: &str) -> (Vec<String>, Vec<String>) {
    let Some(field) = form.fields.iter().find(|f| f.key == key) else {
        return (Vec::new(), Vec::new());
    };
    let before = tags(Some(field.original.clone()));
    let after = tags(Some(field.current()));
    (
        after
            .iter()
            .filter(|t| !before.contains(t))
            .cloned()
            .collect(),
        before
            .iter()
            .filter(|t| !after.contains(t))
            .cloned()
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_local_problem_shows_at_once_beside_its_field() {
        let mut form = Form::new_campaign();
        form.set("budget", "lots");
        form.set("start date", "30/04/2026");
        form.set("planned leads", "-3");
        assert!(!form.check());
        assert_eq!(form.error("name"), Some("required"));
        assert!(form.error("budget").unwrap().contains("not an amount"));
        assert!(form.error("start date").unwrap().contains("not a date"));
        assert!(form.error("planned leads").is_some());
        assert_eq!(form.focus, 0, "the cursor goes to the first problem");
    }

    #[test]
    fn a_service_error_lands_beside_the_field_it_names() {
        let mut form = Form::new_contact();
        form.show_error(&crm_core::Error::Invalid {
            field: "email".into(),
            reason: "'x@' is not an email address".into(),
        });
        assert_eq!(form.error("email"), Some("'x@' is not an email address"));
        assert_eq!(form.fields[form.focus].key, "email");
    }

    #[test]
    fn due_times_follow_the_cores_rule_for_times() {
        for typed in ["2026-04-30", "2026-04-30 14:30", "tomorrow", "today", "now"] {
            assert_eq!(local_problem("due", typed), None, "{typed}");
        }
        let problem = local_problem("due", "soon").unwrap();
        assert!(problem.contains("is not a time like"), "{problem}");
    }
}
