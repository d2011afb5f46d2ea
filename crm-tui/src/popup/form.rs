//! Forms to add and edit records. A form checks what it can on its own (required fields,
//! numbers, dates) and shows every problem beside its field; the service checks the rest and its
//! error lands beside the field it names. Nothing is saved until the service accepts the whole.

use chrono::NaiveDate;
use crm_core::{
    Campaign, CampaignId, CampaignPatch, Channel, Company, CompanyId, CompanyPatch, CompanySize,
    Contact, ContactId, ContactPatch, Currency, Deal, DealId, DealPatch, EntityKind, Lead, LeadId,
    LeadPatch, LeadSource, NewCampaign, NewContact, NewDeal, NewLead, NewTask, NewTicket, Priority,
    RecordRef, Task, TaskId, TaskKind, TaskPatch, Ticket, TicketId, TicketPatch, TicketPriority,
    When,
};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::dialog;
use crate::action::Action;
use crate::screen::Ctx;
use crate::theme::Theme;
use crate::widget::fit;
use crate::widget::input::Input;

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
}

#[derive(Debug, Clone)]
struct Field {
    /// The field's name as the services spell it in errors ("first name").
    key: &'static str,
    label: &'static str,
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
            label,
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
            label,
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
            label,
            value: Value::Check(on),
            original: on.to_string(),
            required: false,
            error: None,
        }
    }

    fn current(&self) -> String {
        match &self.value {
            Value::Text(input) => input.value().trim().to_string(),
            Value::Choice { options, selected } => {
                options.get(*selected).cloned().unwrap_or_default()
            }
            Value::Check(on) => on.to_string(),
        }
    }
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
}

impl Form {
    fn new(kind: FormKind, title: &str, fields: Vec<Field>) -> Form {
        Form {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            general: None,
        }
    }

    pub(crate) fn new_contact() -> Form {
        Form::new(FormKind::NewContact, "New contact", contact_fields(None))
    }

    pub(crate) fn edit_contact(c: &Contact) -> Form {
        Form::new(
            FormKind::EditContact(c.id),
            &format!("Edit contact {}", c.id),
            contact_fields(Some(c)),
        )
    }

    pub(crate) fn edit_company(c: &Company) -> Form {
        // The first choice is "no size".
        let mut sizes = vec![String::new()];
        sizes.extend(names(CompanySize::ALL));
        Form::new(
            FormKind::EditCompany(c.id),
            &format!("Edit company {}", c.id),
            vec![
                Field::text("name", "Name", &c.name).required(),
                Field::text("domain", "Domain", opt(c.domain.as_deref())),
                Field::text("industry", "Industry", opt(c.industry.as_deref())),
                Field::choice(
                    "size",
                    "Size",
                    sizes,
                    &c.size.map(|s| s.to_string()).unwrap_or_default(),
                ),
                Field::text("phone", "Phone", opt(c.phone.as_deref())),
                Field::text("address", "Address", opt(c.address.as_deref())),
                Field::text("owner", "Owner (username)", opt(c.owner.as_deref())),
            ],
        )
    }

    pub(crate) fn new_lead() -> Form {
        Form::new(FormKind::NewLead, "New lead", lead_fields(None))
    }

    pub(crate) fn edit_lead(l: &Lead) -> Form {
        Form::new(
            FormKind::EditLead(l.id),
            &format!("Edit lead {}", l.id),
            lead_fields(Some(l)),
        )
    }

    pub(crate) fn new_campaign() -> Form {
        Form::new(FormKind::NewCampaign, "New campaign", campaign_fields(None))
    }

    pub(crate) fn edit_campaign(c: &Campaign) -> Form {
        Form::new(
            FormKind::EditCampaign(c.id),
            &format!("Edit campaign {}", c.code),
            campaign_fields(Some(c)),
        )
    }

    pub(crate) fn new_deal(contact: Option<ContactId>) -> Form {
        let contact = contact.map(|c| c.to_string()).unwrap_or_default();
        Form::new(
            FormKind::NewDeal,
            "New deal",
            vec![
                Field::text("title", "Title", "").required(),
                Field::text("contact", "Contact id", &contact),
                Field::text("amount", "Amount", ""),
                Field::text("currency", "Currency", "INR"),
                Field::choice("stage", "Stage", Vec::new(), ""),
                Field::text("expected close", "Expected close", ""),
                Field::text("owner", "Owner (username)", ""),
            ],
        )
    }

    pub(crate) fn edit_deal(d: &Deal) -> Form {
        Form::new(
            FormKind::EditDeal(d.id),
            &format!("Edit deal {}", d.id),
            vec![
                Field::text("title", "Title", &d.title).required(),
                Field::text(
                    "contact",
                    "Contact id",
                    &d.contact_id.map(|c| c.to_string()).unwrap_or_default(),
                ),
                Field::text(
                    "amount",
                    "Amount",
                    &crm_core::Money::new(d.amount, d.currency).plain(),
                ),
                Field::text("currency", "Currency", d.currency.as_str()),
                Field::text("probability", "Probability (%)", &d.probability.to_string()),
                Field::text(
                    "expected close",
                    "Expected close",
                    &d.expected_close.map(|d| d.to_string()).unwrap_or_default(),
                ),
                Field::text("owner", "Owner (username)", opt(d.owner.as_deref())),
            ],
        )
    }

    pub(crate) fn edit_task(t: &Task) -> Form {
        Form::new(
            FormKind::EditTask(t.id),
            &format!("Edit task {}", t.id),
            vec![
                Field::text("title", "Title", &t.title).required(),
                Field::choice("kind", "Kind", names(TaskKind::ALL), t.kind.as_str()),
                Field::text(
                    "due",
                    "Due (YYYY-MM-DD [HH:MM])",
                    &t.due_at
                        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default(),
                ),
                Field::text(
                    "assignee",
                    "Assignee (username)",
                    opt(t.assignee.as_deref()),
                ),
            ],
        )
    }

    pub(crate) fn new_ticket(contact: Option<ContactId>) -> Form {
        let contact = contact.map(|c| c.to_string()).unwrap_or_default();
        Form::new(
            FormKind::NewTicket,
            "New ticket",
            vec![
                Field::text("subject", "Subject", "").required(),
                Field::text("contact", "Customer contact id", &contact).required(),
                Field::choice("priority", "Priority", names(TicketPriority::ALL), "Medium"),
                Field::text("description", "Description", ""),
                Field::text("assignee", "Assignee (username)", ""),
            ],
        )
    }

    pub(crate) fn edit_ticket(t: &Ticket) -> Form {
        Form::new(
            FormKind::EditTicket(t.id),
            &format!("Edit ticket {}", t.id),
            vec![
                Field::text("subject", "Subject", &t.subject).required(),
                Field::choice(
                    "priority",
                    "Priority",
                    names(TicketPriority::ALL),
                    t.priority.as_str(),
                ),
                Field::text("description", "Description", opt(t.description.as_deref())),
            ],
        )
    }

    pub(crate) fn new_task(about: Option<RecordRef>) -> Form {
        let about = about
            .map(|r| format!("{}:{}", r.kind, r.id))
            .unwrap_or_default();
        Form::new(
            FormKind::NewTask,
            "New task",
            vec![
                Field::text("title", "Title", "").required(),
                Field::choice("kind", "Kind", names(TaskKind::ALL), "todo"),
                Field::text("due", "Due (YYYY-MM-DD [HH:MM])", ""),
                Field::text("assignee", "Assignee (username)", ""),
                Field::text("about", "About (e.g. lead:3)", &about),
            ],
        )
    }

    /// Fills choices that come from the database (campaigns, pipeline stages).
    pub(crate) fn prepare(&mut self, ctx: &Ctx<'_>) {
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

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Action> {
        let last = self.fields.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc => return Some(Action::ClosePopup),
            KeyCode::Enter => return self.check().then(|| Action::Submit(self.clone())),
            KeyCode::Char('s') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return self.check().then(|| Action::Submit(self.clone()));
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
        if let crm_core::Error::Invalid { field, reason } = error {
            let wanted = field.replace('_', " ");
            if let Some(index) = self
                .fields
                .iter()
                .position(|f| f.key == wanted || f.label.eq_ignore_ascii_case(&wanted))
            {
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

    fn save_edit_company(
        &self,
        ctx: &Ctx<'_>,
        id: CompanyId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let c = ctx.crm.edit_company(
            ctx.actor,
            id,
            &CompanyPatch {
                name: self.changed("name"),
                domain: self.changed("domain"),
                industry: self.changed("industry"),
                size: self.changed("size"),
                phone: self.changed("phone"),
                address: self.changed("address"),
                owner: self.changed("owner"),
            },
        )?;
        Ok((
            format!("Company {} saved", c.id),
            RecordRef::new(EntityKind::Company, c.id.0),
        ))
    }

    fn save_new_contact(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.add_contact(
            actor,
            &NewContact {
                first_name: self.get("first name").unwrap_or_default(),
                last_name: self.get("last name"),
                email: self.get("email"),
                phone: self.get("phone"),
                company: self.get("company"),
                job_title: self.get("job title"),
                location: self.get("location"),
                tags: tags(self.get("tags")),
                owner: self.get("owner"),
                consent_email: self.flag("consent email"),
                allow_duplicate: self.flag("allow duplicate"),
                ..NewContact::default()
            },
        )?;
        Ok((
            format!("Contact {} added: {}", c.id, c.full_name()),
            RecordRef::new(EntityKind::Contact, c.id.0),
        ))
    }

    fn save_edit_contact(
        &self,
        ctx: &Ctx<'_>,
        id: ContactId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let (add_tags, remove_tags) = tag_changes(self, "tags");
        let c = crm.edit_contact(
            actor,
            id,
            &ContactPatch {
                first_name: self.changed("first name"),
                last_name: self.changed("last name"),
                email: self.changed("email"),
                phone: self.changed("phone"),
                company: self.changed("company"),
                job_title: self.changed("job title"),
                location: self.changed("location"),
                add_tags,
                remove_tags,
                owner: self.changed("owner"),
                consent_email: self.changed_flag("consent email"),
                ..ContactPatch::default()
            },
        )?;
        Ok((
            format!("Contact {} saved", c.id),
            RecordRef::new(EntityKind::Contact, c.id.0),
        ))
    }

    fn save_new_lead(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let l = crm.add_lead(
            actor,
            &NewLead {
                first_name: self.get("first name").unwrap_or_default(),
                last_name: self.get("last name"),
                email: self.get("email"),
                phone: self.get("phone"),
                company: self.get("company"),
                job_title: self.get("job title"),
                campaign: self.get("campaign"),
                source: self.get("source").and_then(|s| s.parse().ok()),
                score: self.get("score").and_then(|s| s.parse().ok()),
                owner: self.get("owner"),
                auto_assign: self.flag("auto assign"),
                notes: self.get("notes"),
                allow_duplicate: self.flag("allow duplicate"),
                ..NewLead::default()
            },
        )?;
        let owner = l
            .owner
            .as_deref()
            .map(|o| format!(", owner {o}"))
            .unwrap_or_default();
        Ok((
            format!("Lead {} added: {}{owner}", l.id, l.full_name()),
            RecordRef::new(EntityKind::Lead, l.id.0),
        ))
    }

    fn save_edit_lead(&self, ctx: &Ctx<'_>, id: LeadId) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let l = crm.edit_lead(
            actor,
            id,
            &LeadPatch {
                first_name: self.changed("first name"),
                last_name: self.changed("last name"),
                email: self.changed("email"),
                phone: self.changed("phone"),
                company: self.changed("company"),
                job_title: self.changed("job title"),
                campaign: self.changed("campaign"),
                source: self.changed("source").and_then(|s| s.parse().ok()),
                score: self.changed("score").and_then(|s| s.parse().ok()),
                notes: self.changed("notes"),
                // One transaction with the edit: a refused assignment keeps the edit out too.
                owner: self.changed("owner").filter(|o| !o.is_empty()),
                ..LeadPatch::default()
            },
        )?;
        Ok((
            format!("Lead {} saved", l.id),
            RecordRef::new(EntityKind::Lead, l.id.0),
        ))
    }

    fn save_new_campaign(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.add_campaign(
            actor,
            &NewCampaign {
                name: self.get("name").unwrap_or_default(),
                code: self.get("code"),
                objective: self.get("objective"),
                channel: self.get("channel").and_then(|s| s.parse().ok()),
                owner: self.get("owner"),
                currency: self.get("currency").and_then(|s| s.parse().ok()),
                budget: self.get("budget"),
                expected_spend: self.get("expected spend"),
                planned_leads: self.get("planned leads").and_then(|s| s.parse().ok()),
                start_date: self.get("start date").and_then(|s| date(&s)),
                end_date: self.get("end date").and_then(|s| date(&s)),
                status: self.get("status").and_then(|s| s.parse().ok()),
                priority: self.get("priority").and_then(|s| s.parse().ok()),
                description: self.get("description"),
                ..NewCampaign::default()
            },
        )?;
        Ok((
            format!("Campaign {} added", c.code),
            RecordRef::new(EntityKind::Campaign, c.id.0),
        ))
    }

    fn save_edit_campaign(
        &self,
        ctx: &Ctx<'_>,
        id: CampaignId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.edit_campaign(
            actor,
            &id.to_string(),
            &CampaignPatch {
                name: self.changed("name"),
                code: self.changed("code"),
                objective: self.changed("objective"),
                channel: self.changed("channel").and_then(|s| s.parse().ok()),
                owner: self.changed("owner"),
                currency: self.changed("currency").and_then(|s| s.parse().ok()),
                budget: self.changed("budget"),
                expected_spend: self.changed("expected spend"),
                planned_leads: self.changed("planned leads").and_then(|s| s.parse().ok()),
                start_date: self.changed("start date").map(|s| date(&s)),
                end_date: self.changed("end date").map(|s| date(&s)),
                status: self.changed("status").and_then(|s| s.parse().ok()),
                priority: self.changed("priority").and_then(|s| s.parse().ok()),
                description: self.changed("description"),
                ..CampaignPatch::default()
            },
        )?;
        Ok((
            format!("Campaign {} saved", c.code),
            RecordRef::new(EntityKind::Campaign, c.id.0),
        ))
    }

    fn save_new_deal(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let d = crm.add_deal(
            actor,
            &NewDeal {
                title: self.get("title").unwrap_or_default(),
                contact: self
                    .get("contact")
                    .and_then(|s| s.parse().ok())
                    .map(ContactId),
                amount: self.get("amount"),
                currency: self
                    .get("currency")
                    .and_then(|s| s.parse::<Currency>().ok()),
                stage: self.get("stage"),
                expected_close: self.get("expected close").and_then(|s| date(&s)),
                owner: self.get("owner"),
                ..NewDeal::default()
            },
        )?;
        Ok((
            format!("Deal {} added: {}", d.id, d.title),
            RecordRef::new(EntityKind::Deal, d.id.0),
        ))
    }

    fn save_edit_deal(&self, ctx: &Ctx<'_>, id: DealId) -> crm_core::Result<(String, RecordRef)> {
        let d = ctx.crm.edit_deal(
            ctx.actor,
            id,
            &DealPatch {
                title: self.changed("title"),
                contact: self
                    .changed("contact")
                    .map(|s| s.parse().ok().map(ContactId)),
                amount: self.changed("amount"),
                currency: self.changed("currency").and_then(|s| s.parse().ok()),
                probability: self.changed("probability").and_then(|s| s.parse().ok()),
                expected_close: self.changed("expected close").map(|s| date(&s)),
                owner: self.changed("owner"),
                ..DealPatch::default()
            },
        )?;
        Ok((
            format!("Deal {} saved", d.id),
            RecordRef::new(EntityKind::Deal, d.id.0),
        ))
    }

    fn save_edit_task(&self, ctx: &Ctx<'_>, id: TaskId) -> crm_core::Result<(String, RecordRef)> {
        let t = ctx.crm.edit_task(
            ctx.actor,
            id,
            &TaskPatch {
                title: self.changed("title"),
                kind: self.changed("kind").and_then(|s| s.parse().ok()),
                due_at: self.changed("due").map(|s| due(&s, ctx)),
                assignee: self.changed("assignee"),
            },
        )?;
        Ok((
            format!("Task {} saved", t.id),
            RecordRef::new(EntityKind::Task, t.id.0),
        ))
    }

    fn save_edit_ticket(
        &self,
        ctx: &Ctx<'_>,
        id: TicketId,
    ) -> crm_core::Result<(String, RecordRef)> {
        let t = ctx.crm.edit_ticket(
            ctx.actor,
            id,
            &TicketPatch {
                subject: self.changed("subject"),
                description: self.changed("description"),
                priority: self.changed("priority").and_then(|s| s.parse().ok()),
            },
        )?;
        Ok((
            format!("Ticket {} saved", t.id),
            RecordRef::new(EntityKind::Ticket, t.id.0),
        ))
    }

    fn save_new_ticket(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let t = crm.add_ticket(
            actor,
            &NewTicket {
                subject: self.get("subject").unwrap_or_default(),
                contact: ContactId(
                    self.get("contact")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0),
                ),
                priority: self.get("priority").and_then(|s| s.parse().ok()),
                description: self.get("description"),
                assignee: self.get("assignee"),
            },
        )?;
        Ok((
            format!("Ticket {} opened", t.id),
            RecordRef::new(EntityKind::Ticket, t.id.0),
        ))
    }

    fn save_new_task(&self, ctx: &Ctx<'_>) -> crm_core::Result<(String, RecordRef)> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let t = crm.add_task(
            actor,
            &NewTask {
                title: self.get("title").unwrap_or_default(),
                kind: self.get("kind").and_then(|s| s.parse().ok()),
                due_at: self.get("due").and_then(|s| due(&s, ctx)),
                assignee: self.get("assignee"),
                link: self.get("about").and_then(|s| s.parse().ok()),
            },
        )?;
        Ok((
            format!("Task {} added", t.id),
            RecordRef::new(EntityKind::Task, t.id.0),
        ))
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let rows = self.fields.len() + self.fields.iter().filter(|f| f.error.is_some()).count() + 3;
        let height = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2);
        let inner = dialog(area, 72, height, &self.title, buf, theme);
        let value_width = usize::from(inner.width).saturating_sub(LABEL_WIDTH + 3);
        let mut lines = Vec::new();
        if let Some(general) = &self.general {
            lines.push(Line::from(Span::styled(
                fit(general, usize::from(inner.width)),
                theme.bad(),
            )));
        }
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
            match &field.value {
                Value::Text(input) => {
                    let (text, _) = input.view(value_width);
                    let style = if focused {
                        theme.selected()
                    } else {
                        theme.dim()
                    };
                    spans.push(Span::styled(format!("{text:<value_width$}"), style));
                }
                Value::Choice { options, selected } => {
                    let value = options.get(*selected).map_or("—", String::as_str);
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
            }
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

fn contact_fields(c: Option<&Contact>) -> Vec<Field> {
    let mut fields = vec![
        Field::text("first name", "First name", c.map_or("", |c| &c.first_name)).required(),
        Field::text(
            "last name",
            "Last name",
            opt(c.and_then(|c| c.last_name.as_deref())),
        ),
        Field::text("email", "Email", opt(c.and_then(|c| c.email.as_deref()))),
        Field::text("phone", "Phone", opt(c.and_then(|c| c.phone.as_deref()))),
        Field::text(
            "company",
            "Company",
            opt(c.and_then(|c| c.company.as_deref())),
        ),
        Field::text(
            "job title",
            "Job title",
            opt(c.and_then(|c| c.job_title.as_deref())),
        ),
        Field::text(
            "location",
            "Location",
            opt(c.and_then(|c| c.location.as_deref())),
        ),
        Field::text(
            "tags",
            "Tags (comma)",
            &c.map(|c| c.tags.join(", ")).unwrap_or_default(),
        ),
        Field::text(
            "owner",
            "Owner (username)",
            opt(c.and_then(|c| c.owner.as_deref())),
        ),
        Field::check(
            "consent email",
            "Email consent",
            c.is_some_and(|c| c.consent_email),
        ),
    ];
    if c.is_none() {
        // Ticked after the service named a contact with the same email or phone.
        fields.push(Field::check("allow duplicate", "Add if duplicate", false));
    }
    fields
}

fn lead_fields(l: Option<&Lead>) -> Vec<Field> {
    let mut fields = vec![
        Field::text("first name", "First name", l.map_or("", |l| &l.first_name)).required(),
        Field::text(
            "last name",
            "Last name",
            opt(l.and_then(|l| l.last_name.as_deref())),
        ),
        Field::text("email", "Email", opt(l.and_then(|l| l.email.as_deref()))),
        Field::text("phone", "Phone", opt(l.and_then(|l| l.phone.as_deref()))),
        Field::text(
            "company",
            "Company",
            opt(l.and_then(|l| l.company.as_deref())),
        ),
        Field::text(
            "job title",
            "Job title",
            opt(l.and_then(|l| l.job_title.as_deref())),
        ),
        // Options come from the database in `prepare`.
        Field::choice(
            "campaign",
            "Campaign",
            Vec::new(),
            l.map_or("", |l| &l.campaign),
        ),
        Field::choice(
            "source",
            "Source",
            names(LeadSource::ALL),
            &l.map_or("Website".into(), |l| l.source.to_string()),
        ),
        Field::text(
            "score",
            "Score (0-100)",
            &l.map(|l| l.score.to_string()).unwrap_or_default(),
        ),
        Field::text(
            "owner",
            "Owner (username)",
            opt(l.and_then(|l| l.owner.as_deref())),
        ),
    ];
    if l.is_none() {
        fields.push(Field::check("auto assign", "Auto-assign sales rep", false));
    }
    fields.push(Field::text(
        "notes",
        "Notes",
        opt(l.and_then(|l| l.notes.as_deref())),
    ));
    if l.is_none() {
        fields.push(Field::check("allow duplicate", "Add if duplicate", false));
    }
    fields
}

fn campaign_fields(c: Option<&Campaign>) -> Vec<Field> {
    let money = |minor: i64| crm_core::Money::new(minor, Currency::default()).plain();
    let date_text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        Field::text("name", "Name", c.map_or("", |c| &c.name)).required(),
        Field::text("code", "Code (optional)", c.map_or("", |c| &c.code)),
        Field::text(
            "objective",
            "Objective",
            opt(c.and_then(|c| c.objective.as_deref())),
        ),
        Field::choice(
            "channel",
            "Channel",
            names(Channel::ALL),
            &c.map_or("Email".into(), |c| c.channel.to_string()),
        ),
        Field::text(
            "owner",
            "Owner (username)",
            opt(c.and_then(|c| c.owner.as_deref())),
        ),
        Field::text(
            "currency",
            "Currency",
            &c.map_or("INR".into(), |c| c.currency.to_string()),
        ),
        Field::text(
            "budget",
            "Budget",
            &c.map(|c| money(c.budget)).unwrap_or_default(),
        ),
        Field::text(
            "expected spend",
            "Expected spend",
            &c.map(|c| money(c.expected_spend)).unwrap_or_default(),
        ),
        Field::text(
            "planned leads",
            "Planned leads",
            &c.map(|c| c.planned_leads.to_string()).unwrap_or_default(),
        ),
        Field::text(
            "start date",
            "Start (YYYY-MM-DD)",
            &date_text(c.and_then(|c| c.start_date)),
        ),
        Field::text(
            "end date",
            "End (YYYY-MM-DD)",
            &date_text(c.and_then(|c| c.end_date)),
        ),
        Field::choice(
            "status",
            "Status",
            names(crm_core::CampaignStatus::ALL),
            &c.map_or("Planned".into(), |c| c.status.to_string()),
        ),
        Field::choice(
            "priority",
            "Priority",
            names(Priority::ALL),
            &c.map_or("Medium".into(), |c| c.priority.to_string()),
        ),
        Field::text(
            "description",
            "Description",
            opt(c.and_then(|c| c.description.as_deref())),
        ),
    ]
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
