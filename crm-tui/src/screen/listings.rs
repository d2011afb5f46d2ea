//! The [`Listing`] of each entity: its columns, filters, sorts, keys, and the service call.

use std::collections::BTreeSet;

use crm_core::{
    Activity, ActivityQuery, Campaign, CampaignSort, CampaignStatus, Company, CompanyQuery,
    CompanySort, Contact, ContactQuery, ContactSort, Deal, DealId, DealQuery, DealSort, EntityKind,
    Lead, LeadId, LeadQuery, LeadSort, LeadStage, Page, RecordRef, Task, TaskId, TaskQuery,
    TaskStatus, Temperature, Ticket, TicketId, TicketPriority, TicketQuery, TicketStatus, ViewKind,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Constraint;
use ratatui::text::Span;
use ratatui::widgets::Cell;

use super::Ctx;
use super::list::{FilterDef, ListQuery, Listing, PAGE};
use crate::action::{Action, Command};
use crate::popup::form::Form;
use crate::popup::{Choice, Popup, Prompt};
use crate::theme::Theme;
use crate::widget::{compact_money, safe};

fn parsed<T: std::str::FromStr>(value: Option<&str>) -> Option<T> {
    value.and_then(|v| v.parse().ok())
}

fn mine(ctx: &Ctx<'_>, chosen: Option<&str>) -> Option<String> {
    chosen.map(|_| ctx.actor.username().to_owned())
}

fn when(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M").to_string())
}

pub(crate) struct Contacts;

impl Listing for Contacts {
    type Item = Contact;
    const TITLE: &'static str = "Contacts";
    const EMPTY: &'static str = "No contacts yet. Press a to add one.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("name", Constraint::Fill(3)),
        ("company", Constraint::Fill(2)),
        ("email", Constraint::Fill(3)),
        ("phone", Constraint::Length(16)),
        ("owner", Constraint::Length(8)),
    ];
    const SORTS: &'static [&'static str] = &["name", "company", "email", "created", "updated"];
    const FILTERS: &'static [FilterDef] = &[FilterDef {
        key: "m",
        label: "owner",
        options: &["mine"],
    }];
    const KEYS: &'static [(&'static str, &'static str)] =
        &[("a", "add"), ("e", "edit"), ("c", "companies")];
    const VIEWS: Option<ViewKind> = Some(ViewKind::Contacts);

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Contact>> {
        if let Some(name) = &q.view {
            let query = ctx.crm.contact_view(ctx.actor, name)?.paged(
                PAGE,
                after.map(crm_core::ContactId),
                q.search(),
            );
            return ctx.crm.list_contacts(ctx.actor, &query);
        }
        ctx.crm.list_contacts(
            ctx.actor,
            &ContactQuery {
                owner: mine(ctx, q.filter::<Self>(0)),
                search: q.search(),
                sort: parsed(q.sort::<Self>()).unwrap_or(ContactSort::Name),
                descending: q.descending,
                limit: PAGE,
                after: after.map(crm_core::ContactId),
                ..ContactQuery::default()
            },
        )
    }

    fn cells(c: &Contact, _theme: Theme) -> Vec<Cell<'static>> {
        vec![
            Cell::from(c.id.to_string()),
            Cell::from(safe(Some(&c.full_name()))),
            Cell::from(safe(c.company.as_deref())),
            Cell::from(safe(c.email.as_deref())),
            Cell::from(safe(c.phone.as_deref())),
            Cell::from(safe(c.owner.as_deref())),
        ]
    }

    fn id(c: &Contact) -> i64 {
        c.id.0
    }

    fn record(c: &Contact) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Contact, c.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Contact>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('a') => Some(Action::Show(Popup::Form(Form::new_contact()))),
            KeyCode::Char('e') => item.map(|c| Action::Show(Popup::Form(Form::edit_contact(c)))),
            KeyCode::Char('c') => Some(Action::CompanyList),
            _ => None,
        }
    }
}

/// Companies, reached from the contacts list; Enter opens a company's page.
pub(crate) struct Companies;

impl Listing for Companies {
    type Item = Company;
    const TITLE: &'static str = "Companies";
    const EMPTY: &'static str = "No companies yet. They appear as contacts and leads name them, or add one with `crm companies add`.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("name", Constraint::Fill(3)),
        ("domain", Constraint::Fill(2)),
        ("industry", Constraint::Fill(2)),
        ("contacts", Constraint::Length(9)),
        ("leads", Constraint::Length(6)),
        ("deals", Constraint::Length(6)),
        ("owner", Constraint::Length(8)),
    ];
    const SORTS: &'static [&'static str] = &["name", "domain", "industry", "created"];
    const FILTERS: &'static [FilterDef] = &[FilterDef {
        key: "m",
        label: "owner",
        options: &["mine"],
    }];
    const KEYS: &'static [(&'static str, &'static str)] = &[("e", "edit"), ("c", "contacts")];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Company>> {
        ctx.crm.list_companies(
            ctx.actor,
            &CompanyQuery {
                search: q.search(),
                owner: mine(ctx, q.filter::<Self>(0)),
                sort: parsed(q.sort::<Self>()).unwrap_or(CompanySort::Name),
                descending: q.descending,
                limit: PAGE,
                after: after.map(crm_core::CompanyId),
                ..CompanyQuery::default()
            },
        )
    }

    fn cells(c: &Company, _theme: Theme) -> Vec<Cell<'static>> {
        vec![
            Cell::from(c.id.to_string()),
            Cell::from(safe(Some(&c.name))),
            Cell::from(safe(c.domain.as_deref())),
            Cell::from(safe(c.industry.as_deref())),
            Cell::from(c.contacts.to_string()),
            Cell::from(c.leads.to_string()),
            Cell::from(c.deals.to_string()),
            Cell::from(safe(c.owner.as_deref())),
        ]
    }

    fn id(c: &Company) -> i64 {
        c.id.0
    }

    fn record(c: &Company) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Company, c.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Company>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('e') => item.map(|c| Action::Show(Popup::Form(Form::edit_company(c)))),
            KeyCode::Char('c') => Some(Action::Go(crate::screen::Section::Contacts)),
            _ => None,
        }
    }
}

pub(crate) struct Leads;

/// The keys every lead view shares (list and detail page).
pub(crate) fn lead_action(key: KeyEvent, lead: &Lead, marked: &[LeadId]) -> Option<Action> {
    let id = lead.id;
    Some(match key.code {
        KeyCode::Char('e') => Action::Show(Popup::Form(Form::edit_lead(lead))),
        KeyCode::Char('#') => Action::Show(Popup::Prompt(Prompt::score(id, lead.score))),
        KeyCode::Char('t') => Action::Show(Popup::Choice(Choice::lead_stage(id, lead.stage))),
        KeyCode::Char('c') => Action::AskConvert(id),
        KeyCode::Char('n') => {
            let ids = if marked.is_empty() {
                vec![id]
            } else {
                marked.to_vec()
            };
            Action::Show(Popup::confirm_nurture(ids))
        }
        _ => return None,
    })
}

impl Listing for Leads {
    type Item = Lead;
    const TITLE: &'static str = "Leads";
    const EMPTY: &'static str =
        "No leads yet. Press a to add one, or import a CSV with `crm import leads`.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("name", Constraint::Fill(3)),
        ("company", Constraint::Fill(2)),
        ("campaign", Constraint::Fill(2)),
        ("stage", Constraint::Length(10)),
        ("score", Constraint::Length(10)),
        ("owner", Constraint::Length(8)),
    ];
    const SORTS: &'static [&'static str] = &[
        "created",
        "score",
        "name",
        "company",
        "stage",
        "next-action",
    ];
    const FILTERS: &'static [FilterDef] = &[
        FilterDef {
            key: "f",
            label: "stage",
            options: crm_core::LeadStage::NAMES,
        },
        FilterDef {
            key: "h",
            label: "heat",
            options: crm_core::Temperature::NAMES,
        },
        FilterDef {
            key: "m",
            label: "owner",
            options: &["mine"],
        },
    ];
    const KEYS: &'static [(&'static str, &'static str)] = &[
        ("a", "add"),
        ("e", "edit"),
        ("#", "score"),
        ("t", "stage"),
        ("n", "nurture"),
        ("c", "convert"),
    ];
    const MARKABLE: bool = true;
    const VIEWS: Option<ViewKind> = Some(ViewKind::Leads);

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Lead>> {
        if let Some(name) = &q.view {
            let query =
                ctx.crm
                    .lead_view(ctx.actor, name)?
                    .paged(PAGE, after.map(LeadId), q.search());
            return ctx.crm.list_leads(ctx.actor, &query);
        }
        let stage: Option<LeadStage> = parsed(q.filter::<Self>(0));
        let sort = parsed(q.sort::<Self>()).unwrap_or(LeadSort::Created);
        // Newest and best first unless reversed; names and stages read A-Z.
        let natural_descending = matches!(sort, LeadSort::Created | LeadSort::Score);
        ctx.crm.list_leads(
            ctx.actor,
            &LeadQuery {
                stage,
                temperature: parsed::<Temperature>(q.filter::<Self>(1)),
                owner: mine(ctx, q.filter::<Self>(2)),
                search: q.search(),
                include_converted: stage == Some(LeadStage::Converted),
                sort,
                descending: natural_descending != q.descending,
                limit: PAGE,
                after: after.map(LeadId),
                ..LeadQuery::default()
            },
        )
    }

    fn cells(l: &Lead, theme: Theme) -> Vec<Cell<'static>> {
        vec![
            Cell::from(l.id.to_string()),
            Cell::from(safe(Some(&l.full_name()))),
            Cell::from(safe(l.company.as_deref())),
            Cell::from(safe(Some(&l.campaign))),
            Cell::from(l.stage.to_string()),
            Cell::from(Span::styled(
                format!("{:>3} {}", l.score, l.temperature),
                theme.temperature(l.temperature),
            )),
            Cell::from(safe(l.owner.as_deref())),
        ]
    }

    fn id(l: &Lead) -> i64 {
        l.id.0
    }

    fn record(l: &Lead) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Lead, l.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Lead>, marked: &BTreeSet<i64>) -> Option<Action> {
        if key.code == KeyCode::Char('a') {
            return Some(Action::Show(Popup::Form(Form::new_lead())));
        }
        let marked: Vec<LeadId> = marked.iter().copied().map(LeadId).collect();
        lead_action(key, item?, &marked)
    }
}

pub(crate) struct Campaigns;

impl Listing for Campaigns {
    type Item = Campaign;
    const TITLE: &'static str = "Campaigns";
    const EMPTY: &'static str = "No campaigns yet. Press a to add one.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("code", Constraint::Fill(2)),
        ("name", Constraint::Fill(3)),
        ("channel", Constraint::Length(9)),
        ("status", Constraint::Length(9)),
        ("leads", Constraint::Length(6)),
        ("hot", Constraint::Length(4)),
        ("spend", Constraint::Length(11)),
        ("ROI", Constraint::Length(7)),
    ];
    const SORTS: &'static [&'static str] = &[
        "leads", "name", "start", "budget", "spend", "revenue", "roi",
    ];
    const FILTERS: &'static [FilterDef] = &[FilterDef {
        key: "f",
        label: "status",
        options: crm_core::CampaignStatus::NAMES,
    }];
    const KEYS: &'static [(&'static str, &'static str)] = &[("a", "add"), ("e", "edit")];

    /// Campaigns are few (tens, not millions), so the service returns them all and the search
    /// and status filter apply here.
    fn fetch(
        ctx: &Ctx<'_>,
        q: &ListQuery,
        _after: Option<i64>,
    ) -> crm_core::Result<Page<Campaign>> {
        let sort = parsed(q.sort::<Self>()).unwrap_or(CampaignSort::Leads);
        let natural_descending = !matches!(sort, CampaignSort::Name | CampaignSort::Start);
        let status: Option<CampaignStatus> = parsed(q.filter::<Self>(0));
        let needle = q.search().map(|s| s.to_lowercase());
        let items = ctx
            .crm
            .list_campaigns(ctx.actor, sort, natural_descending != q.descending)?
            .into_iter()
            .filter(|c| status.is_none_or(|s| c.status == s))
            .filter(|c| {
                needle.as_ref().is_none_or(|n| {
                    c.name.to_lowercase().contains(n) || c.code.to_lowercase().contains(n)
                })
            })
            .collect();
        Ok(Page {
            items,
            next_after: None,
        })
    }

    fn cells(c: &Campaign, _theme: Theme) -> Vec<Cell<'static>> {
        let currency = c.currency.to_string();
        vec![
            Cell::from(safe(Some(&c.code))),
            Cell::from(safe(Some(&c.name))),
            Cell::from(c.channel.to_string()),
            Cell::from(c.status.to_string()),
            Cell::from(c.metrics.generated_leads.to_string()),
            Cell::from(c.metrics.hot_leads.to_string()),
            Cell::from(compact_money(c.metrics.actual_spend, &currency)),
            Cell::from(
                c.metrics
                    .roi_percent
                    .map_or_else(|| "—".to_string(), |r| format!("{r:.0}%")),
            ),
        ]
    }

    fn id(c: &Campaign) -> i64 {
        c.id.0
    }

    fn record(c: &Campaign) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Campaign, c.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Campaign>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('a') => Some(Action::Show(Popup::Form(Form::new_campaign()))),
            KeyCode::Char('e') => item
                .filter(|c| !c.is_system)
                .map(|c| Action::Show(Popup::Form(Form::edit_campaign(c)))),
            _ => None,
        }
    }
}

pub(crate) struct Tickets;

/// The keys every ticket view shares (queue and detail page).
pub(crate) fn ticket_action(key: KeyEvent, ticket: &Ticket) -> Option<Action> {
    let id: TicketId = ticket.id;
    Some(match key.code {
        KeyCode::Char('o') => Action::Show(Popup::Prompt(Prompt::assign_ticket(id))),
        KeyCode::Char('e') => Action::Show(Popup::Form(Form::edit_ticket(ticket))),
        KeyCode::Char('w') => Action::Do(Command::StartTicket(id)),
        KeyCode::Char('v') => Action::Show(Popup::Prompt(Prompt::resolve(id))),
        _ => return None,
    })
}

impl Listing for Tickets {
    type Item = Ticket;
    const TITLE: &'static str = "Tickets";
    const EMPTY: &'static str = "The queue is empty. Press a to open a ticket.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("subject", Constraint::Fill(4)),
        ("customer", Constraint::Fill(2)),
        ("priority", Constraint::Length(8)),
        ("status", Constraint::Length(11)),
        ("assignee", Constraint::Length(9)),
    ];
    const FILTERS: &'static [FilterDef] = &[
        FilterDef {
            key: "f",
            label: "status",
            options: crm_core::TicketStatus::NAMES,
        },
        FilterDef {
            key: "p",
            label: "priority",
            options: &["Urgent", "High", "Medium", "Low"],
        },
        FilterDef {
            key: "m",
            label: "assignee",
            options: &["mine"],
        },
    ];
    const KEYS: &'static [(&'static str, &'static str)] = &[
        ("a", "new ticket"),
        ("e", "edit"),
        ("o", "assign"),
        ("w", "start work"),
        ("v", "resolve"),
    ];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Ticket>> {
        ctx.crm.list_tickets(
            ctx.actor,
            &TicketQuery {
                status: parsed::<TicketStatus>(q.filter::<Self>(0)),
                priority: parsed::<TicketPriority>(q.filter::<Self>(1)),
                assignee: mine(ctx, q.filter::<Self>(2)),
                search: q.search(),
                limit: PAGE,
                after: after.map(TicketId),
                ..TicketQuery::default()
            },
        )
    }

    fn cells(t: &Ticket, theme: Theme) -> Vec<Cell<'static>> {
        let priority = match t.priority {
            TicketPriority::Urgent => theme.bad(),
            TicketPriority::High => theme.warn(),
            _ => theme.text(),
        };
        vec![
            Cell::from(t.id.to_string()),
            Cell::from(safe(Some(&t.subject))),
            Cell::from(safe(Some(&t.contact))),
            Cell::from(Span::styled(t.priority.to_string(), priority)),
            Cell::from(t.status.to_string()),
            Cell::from(safe(t.assignee.as_deref())),
        ]
    }

    fn id(t: &Ticket) -> i64 {
        t.id.0
    }

    fn record(t: &Ticket) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Ticket, t.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Ticket>, _: &BTreeSet<i64>) -> Option<Action> {
        if key.code == KeyCode::Char('a') {
            return Some(Action::Show(Popup::Form(Form::new_ticket(None))));
        }
        ticket_action(key, item?)
    }
}

pub(crate) struct Tasks;

impl Listing for Tasks {
    type Item = Task;
    const TITLE: &'static str = "Tasks";
    const EMPTY: &'static str = "No tasks. Press a to add one.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("kind", Constraint::Length(7)),
        ("title", Constraint::Fill(4)),
        ("due", Constraint::Length(16)),
        ("assignee", Constraint::Length(9)),
        ("about", Constraint::Length(12)),
        ("status", Constraint::Length(9)),
    ];
    const FILTERS: &'static [FilterDef] = &[
        FilterDef {
            key: "f",
            label: "show",
            options: &["open", "overdue", "today", "done"],
        },
        FilterDef {
            key: "m",
            label: "assignee",
            options: &["mine"],
        },
    ];
    const KEYS: &'static [(&'static str, &'static str)] =
        &[("a", "add"), ("e", "edit"), ("d", "done")];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Task>> {
        let show = q.filter::<Self>(0);
        ctx.crm.list_tasks(
            ctx.actor,
            &TaskQuery {
                mine: q.filter::<Self>(1).is_some(),
                status: match show {
                    Some("open") => Some(TaskStatus::Open),
                    Some("done") => Some(TaskStatus::Done),
                    _ => None,
                },
                overdue: show == Some("overdue"),
                due_today: show == Some("today"),
                search: q.search(),
                limit: PAGE,
                after: after.map(TaskId),
                ..TaskQuery::default()
            },
        )
    }

    fn cells(t: &Task, theme: Theme) -> Vec<Cell<'static>> {
        let status = if t.status == TaskStatus::Done {
            theme.good()
        } else {
            theme.text()
        };
        vec![
            Cell::from(t.id.to_string()),
            Cell::from(t.kind.to_string()),
            Cell::from(safe(Some(&t.title))),
            Cell::from(when(t.due_at)),
            Cell::from(safe(t.assignee.as_deref())),
            Cell::from(
                t.link
                    .map_or_else(String::new, |l| format!("{} {}", l.kind, l.id)),
            ),
            Cell::from(Span::styled(t.status.to_string(), status)),
        ]
    }

    fn id(t: &Task) -> i64 {
        t.id.0
    }

    fn record(t: &Task) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Task, t.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Task>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('a') => Some(Action::Show(Popup::Form(Form::new_task(None)))),
            KeyCode::Char('e') => item.map(|t| Action::Show(Popup::Form(Form::edit_task(t)))),
            KeyCode::Char('d') => item
                .filter(|t| t.status == TaskStatus::Open)
                .map(|t| Action::Do(Command::CompleteTask(t.id))),
            _ => None,
        }
    }
}

pub(crate) struct ActivityFeed;

impl Listing for ActivityFeed {
    type Item = Activity;
    const TITLE: &'static str = "Activity";
    const EMPTY: &'static str = "Nothing has happened yet.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("when", Constraint::Length(16)),
        ("who", Constraint::Length(8)),
        ("what", Constraint::Length(14)),
        ("", Constraint::Fill(1)),
    ];
    const FILTERS: &'static [FilterDef] = &[FilterDef {
        key: "m",
        label: "who",
        options: &["mine"],
    }];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Activity>> {
        let rows = ctx.crm.activity(
            ctx.actor,
            &ActivityQuery {
                user: mine(ctx, q.filter::<Self>(0)),
                limit: PAGE,
                before: after,
                ..ActivityQuery::default()
            },
        )?;
        let next_after = (rows.len() == PAGE as usize)
            .then(|| rows.last().map(|a| a.id))
            .flatten();
        let needle = q.search().map(|s| s.to_lowercase());
        let items = rows
            .into_iter()
            .filter(|a| {
                needle
                    .as_ref()
                    .is_none_or(|n| a.summary.to_lowercase().contains(n))
            })
            .collect();
        Ok(Page { items, next_after })
    }

    fn cells(a: &Activity, theme: Theme) -> Vec<Cell<'static>> {
        vec![
            Cell::from(Span::styled(
                a.at.format("%Y-%m-%d %H:%M").to_string(),
                theme.dim(),
            )),
            Cell::from(safe(Some(a.actor.as_deref().unwrap_or("system")))),
            Cell::from(format!("{} {}", a.verb, a.entity)),
            Cell::from(safe(Some(&a.summary))),
        ]
    }

    fn id(a: &Activity) -> i64 {
        a.id
    }

    fn record(a: &Activity) -> Option<RecordRef> {
        crate::screen::detail::opens(a.entity).then(|| RecordRef::new(a.entity, a.entity_id))
    }
}

pub(crate) struct Deals;

impl Listing for Deals {
    type Item = Deal;
    const TITLE: &'static str = "Deals";
    const EMPTY: &'static str = "No deals yet. Press a to add one, or convert a lead.";
    const COLUMNS: &'static [(&'static str, Constraint)] = &[
        ("id", Constraint::Length(5)),
        ("title", Constraint::Fill(4)),
        ("contact", Constraint::Fill(2)),
        ("stage", Constraint::Length(12)),
        ("amount", Constraint::Length(14)),
        ("close by", Constraint::Length(10)),
        ("owner", Constraint::Length(8)),
    ];
    const SORTS: &'static [&'static str] =
        &["updated", "amount", "expected-close", "title", "created"];
    const FILTERS: &'static [FilterDef] = &[
        FilterDef {
            key: "f",
            label: "stage",
            options: &[
                "open",
                "New",
                "Qualified",
                "Proposal",
                "Negotiation",
                "Won",
                "Lost",
            ],
        },
        FilterDef {
            key: "m",
            label: "owner",
            options: &["mine"],
        },
    ];
    const KEYS: &'static [(&'static str, &'static str)] =
        &[("a", "add"), ("e", "edit"), ("v", "board")];

    fn fetch(ctx: &Ctx<'_>, q: &ListQuery, after: Option<i64>) -> crm_core::Result<Page<Deal>> {
        let stage = q.filter::<Self>(0);
        let sort = parsed(q.sort::<Self>()).unwrap_or(DealSort::Updated);
        let natural_descending = matches!(
            sort,
            DealSort::Updated | DealSort::Amount | DealSort::Created
        );
        ctx.crm.list_deals(
            ctx.actor,
            &DealQuery {
                stage: stage.filter(|s| *s != "open").map(str::to_string),
                open_only: stage == Some("open"),
                owner: mine(ctx, q.filter::<Self>(1)),
                search: q.search(),
                sort,
                descending: natural_descending != q.descending,
                limit: PAGE,
                after: after.map(DealId),
                ..DealQuery::default()
            },
        )
    }

    fn cells(d: &Deal, theme: Theme) -> Vec<Cell<'static>> {
        let stage = if d.closed_at.is_some() && d.lost_reason.is_none() {
            theme.good()
        } else if d.lost_reason.is_some() {
            theme.bad()
        } else {
            theme.text()
        };
        vec![
            Cell::from(d.id.to_string()),
            Cell::from(safe(Some(&d.title))),
            Cell::from(safe(d.contact.as_deref())),
            Cell::from(Span::styled(safe(Some(&d.stage)), stage)),
            Cell::from(compact_money(d.amount, d.currency.as_str())),
            Cell::from(d.expected_close.map_or_else(String::new, |c| c.to_string())),
            Cell::from(safe(d.owner.as_deref())),
        ]
    }

    fn id(d: &Deal) -> i64 {
        d.id.0
    }

    fn record(d: &Deal) -> Option<RecordRef> {
        Some(RecordRef::new(EntityKind::Deal, d.id.0))
    }

    fn action(key: KeyEvent, item: Option<&Deal>, _: &BTreeSet<i64>) -> Option<Action> {
        match key.code {
            KeyCode::Char('a') => Some(Action::Show(Popup::Form(Form::new_deal(None)))),
            KeyCode::Char('e') => item.map(|d| Action::Show(Popup::Form(Form::edit_deal(d)))),
            KeyCode::Char('v') => Some(Action::Go(crate::screen::Section::Pipeline)),
            _ => None,
        }
    }
}
