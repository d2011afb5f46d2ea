//! A record's page: every field, the records linked to it, its notes and comments (with an
//! input to add one), and its activity.

use crm_core::{
    Activity, ActivityQuery, Campaign, CampaignId, Company, CompanyId, Contact, ContactId, Deal,
    DealId, DealQuery, EntityKind, Lead, LeadId, Money, Note, NoteId, RecordRef, Task, TaskId,
    TaskStatus, Ticket, TicketId, TicketQuery, TicketStatus,
};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::listings::{lead_action, ticket_action};
use super::{Ctx, Section};
use crate::action::{Action, Command};
use crate::popup::form::Form;
use crate::popup::{Popup, Prompt};
use crate::theme::Theme;
use crate::widget::fit;
use crate::widget::input::Input;

/// Kinds that have a page.
pub(crate) fn opens(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Contact
            | EntityKind::Lead
            | EntityKind::Deal
            | EntityKind::Ticket
            | EntityKind::Task
            | EntityKind::Campaign
            | EntityKind::Company
    )
}

/// Kinds that take notes.
fn takes_notes(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Contact | EntityKind::Lead | EntityKind::Deal | EntityKind::Ticket
    )
}

/// The record itself, kept for the actions its keys start.
#[derive(Debug, Clone)]
enum Loaded {
    Contact(Contact),
    Lead(Lead),
    Deal(Deal),
    Ticket(Ticket),
    Task(Task),
    Campaign(Campaign),
    Company(Company),
}

/// A line of the linked-records panel; Enter opens it when it names a record.
#[derive(Debug, Clone)]
struct Link {
    text: String,
    record: Option<RecordRef>,
}

#[derive(Debug)]
pub(crate) struct DetailScreen {
    record: RecordRef,
    loaded: Option<Loaded>,
    title: String,
    fields: Vec<(&'static str, String)>,
    links: Vec<(String, Vec<Link>)>,
    notes: Vec<Note>,
    activity: Vec<Activity>,
    /// Cursor over the links, then the notes.
    cursor: usize,
    /// `Some` while a note is being written; it answers `reply_to` when set.
    note: Option<Input>,
    reply_to: Option<NoteId>,
    error: Option<String>,
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or("—").to_string()
}

fn time(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or_else(
        || "—".to_string(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn yes(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

impl DetailScreen {
    pub(crate) fn open(record: RecordRef, ctx: &Ctx<'_>) -> DetailScreen {
        let mut screen = DetailScreen {
            record,
            loaded: None,
            title: format!("{} {}", record.kind, record.id),
            fields: Vec::new(),
            links: Vec::new(),
            notes: Vec::new(),
            activity: Vec::new(),
            cursor: 0,
            note: None,
            reply_to: None,
            error: None,
        };
        screen.reload(ctx);
        screen
    }

    pub(crate) fn record(&self) -> RecordRef {
        self.record
    }

    pub(crate) fn section(&self) -> Option<Section> {
        Some(match self.record.kind {
            EntityKind::Contact | EntityKind::Company => Section::Contacts,
            EntityKind::Lead => Section::Leads,
            EntityKind::Deal => Section::Pipeline,
            EntityKind::Ticket => Section::Tickets,
            EntityKind::Task => Section::Tasks,
            EntityKind::Campaign => Section::Campaigns,
            _ => return None,
        })
    }

    pub(crate) fn reload(&mut self, ctx: &Ctx<'_>) {
        self.links.clear();
        match self.load(ctx) {
            Ok(()) => self.error = None,
            Err(e) => {
                self.loaded = None;
                self.fields.clear();
                self.error = Some(e.to_string());
            }
        }
        self.cursor = self.cursor.min(self.items().saturating_sub(1));
    }

    fn load(&mut self, ctx: &Ctx<'_>) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let id = self.record.id;
        match self.record.kind {
            EntityKind::Contact => self.load_contact(ctx, id)?,
            EntityKind::Lead => self.load_lead(ctx, id)?,
            EntityKind::Deal => self.load_deal(ctx, id)?,
            EntityKind::Ticket => self.load_ticket(ctx, id)?,
            EntityKind::Task => self.load_task(ctx, id)?,
            EntityKind::Campaign => self.load_campaign(ctx, id)?,
            EntityKind::Company => self.load_company(ctx, id)?,
            other => {
                return Err(crm_core::Error::NotFound {
                    entity: "page for",
                    key: other.to_string(),
                });
            }
        }
        self.notes = if takes_notes(self.record.kind) {
            crm.notes(actor, self.record)?
        } else {
            Vec::new()
        };
        self.activity = crm
            .activity(
                actor,
                &ActivityQuery {
                    record: Some(self.record),
                    limit: 20,
                    ..ActivityQuery::default()
                },
            )
            .unwrap_or_default();
        Ok(())
    }

    fn load_contact(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.contact(actor, ContactId(id))?;
        self.title = format!("Contact {} · {}", c.id, c.full_name());
        self.fields = vec![
            ("Name", c.full_name()),
            ("Email", text(c.email.as_deref())),
            ("Phone", text(c.phone.as_deref())),
            ("Company", text(c.company.as_deref())),
            ("Job title", text(c.job_title.as_deref())),
            ("Location", text(c.location.as_deref())),
            ("Tags", c.tags.join(", ")),
            ("Owner", text(c.owner.as_deref())),
            (
                "From lead",
                c.source_lead_id.map_or("—".into(), |l| l.to_string()),
            ),
            ("Email consent", yes(c.consent_email)),
            ("Created", time(Some(c.created_at))),
        ];
        // A support agent may read the contact but not its deals: show what is allowed.
        if let Ok(deals) = crm.list_deals(
            actor,
            &DealQuery {
                contact: Some(c.id),
                limit: 20,
                ..DealQuery::default()
            },
        ) {
            self.links
                .push(("Deals".into(), deals.items.iter().map(deal_link).collect()));
        }
        if let Ok(tickets) = crm.list_tickets(
            actor,
            &TicketQuery {
                contact: Some(c.id),
                include_resolved: true,
                limit: 20,
                ..TicketQuery::default()
            },
        ) {
            self.links.push((
                "Tickets".into(),
                tickets.items.iter().map(ticket_link).collect(),
            ));
        }
        self.company_link(c.company_id, c.company.as_deref());
        if let Some(lead) = c.source_lead_id {
            self.links.push((
                "Converted from".into(),
                vec![Link {
                    text: format!("lead {lead}"),
                    record: Some(RecordRef::new(EntityKind::Lead, lead)),
                }],
            ));
        }
        self.loaded = Some(Loaded::Contact(c));
        Ok(())
    }

    fn load_lead(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let l = crm.lead(actor, LeadId(id))?;
        self.title = format!("Lead {} · {}", l.id, l.full_name());
        let bant = [
            ("B", l.bant.budget),
            ("A", l.bant.authority),
            ("N", l.bant.need),
            ("T", l.bant.timeline),
        ]
        .iter()
        .map(|(k, on)| if *on { (*k).to_string() } else { "·".into() })
        .collect::<String>();
        self.fields = vec![
            ("Name", l.full_name()),
            ("Company", text(l.company.as_deref())),
            ("Job title", text(l.job_title.as_deref())),
            ("Email", text(l.email.as_deref())),
            ("Phone", text(l.phone.as_deref())),
            ("Location", text(l.location.as_deref())),
            ("Industry", text(l.industry.as_deref())),
            ("Campaign", l.campaign.clone()),
            ("Source", l.source.to_string()),
            ("Stage", l.stage.to_string()),
            ("Score", format!("{} ({})", l.score, l.temperature)),
            ("Owner", text(l.owner.as_deref())),
            ("BANT", bant),
            ("Next action", time(l.next_action_at)),
            ("Notes", text(l.notes.as_deref())),
            ("Created", time(Some(l.created_at))),
        ];
        self.links.push((
            "Campaign".into(),
            vec![Link {
                text: l.campaign.clone(),
                record: Some(RecordRef::new(EntityKind::Campaign, l.campaign_id.0)),
            }],
        ));
        self.company_link(l.company_id, l.company.as_deref());
        let tasks = crm.lead_open_tasks(actor, l.id)?;
        self.links.push((
            "Open tasks".into(),
            tasks
                .iter()
                .map(|t| Link {
                    text: format!("{} {} · due {}", t.kind, t.title, time(t.due_at)),
                    record: Some(RecordRef::new(EntityKind::Task, t.id.0)),
                })
                .collect(),
        ));
        if let (Some(contact), Some(deal)) = (l.converted_contact_id, l.deal_id) {
            self.links.push((
                "Converted into".into(),
                vec![
                    Link {
                        text: format!("contact {contact}"),
                        record: Some(RecordRef::new(EntityKind::Contact, contact.0)),
                    },
                    Link {
                        text: format!("deal {deal}"),
                        record: Some(RecordRef::new(EntityKind::Deal, deal.0)),
                    },
                ],
            ));
        }
        self.loaded = Some(Loaded::Lead(l));
        Ok(())
    }

    fn load_deal(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let d = crm.deal(actor, DealId(id))?;
        self.title = format!("Deal {} · {}", d.id, d.title);
        self.fields = vec![
            ("Title", d.title.clone()),
            ("Amount", Money::new(d.amount, d.currency).to_string()),
            ("Stage", d.stage.clone()),
            ("Probability", format!("{}%", d.probability)),
            (
                "Expected close",
                d.expected_close.map_or("—".into(), |d| d.to_string()),
            ),
            ("Contact", text(d.contact.as_deref())),
            ("Company", text(d.company.as_deref())),
            ("Campaign", text(d.campaign.as_deref())),
            ("Owner", text(d.owner.as_deref())),
            ("Closed", time(d.closed_at)),
            ("Lost reason", text(d.lost_reason.as_deref())),
        ];
        let mut links = Vec::new();
        if let Some(c) = d.contact_id {
            links.push(Link {
                text: format!("contact: {}", text(d.contact.as_deref())),
                record: Some(RecordRef::new(EntityKind::Contact, c.0)),
            });
        }
        if let Some(c) = d.company_id {
            links.push(Link {
                text: format!("company: {}", text(d.company.as_deref())),
                record: Some(RecordRef::new(EntityKind::Company, c.0)),
            });
        }
        if let Some(l) = d.lead_id {
            links.push(Link {
                text: format!("from lead {l}"),
                record: Some(RecordRef::new(EntityKind::Lead, l.0)),
            });
        }
        self.links.push(("Linked".into(), links));
        let history = crm.deal_history(actor, d.id)?;
        self.links.push((
            "Stage history".into(),
            history
                .iter()
                .map(|m| Link {
                    text: format!(
                        "{} {} → {} by {}",
                        m.at.format("%Y-%m-%d"),
                        m.from.as_deref().unwrap_or("start"),
                        m.to,
                        m.by.as_deref().unwrap_or("system")
                    ),
                    record: None,
                })
                .collect(),
        ));
        self.loaded = Some(Loaded::Deal(d));
        Ok(())
    }

    fn load_ticket(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let t = crm.ticket(actor, TicketId(id))?;
        self.title = format!("Ticket {} · {}", t.id, t.subject);
        self.fields = vec![
            ("Subject", t.subject.clone()),
            ("Customer", t.contact.clone()),
            ("Email", text(t.contact_email.as_deref())),
            ("Priority", t.priority.to_string()),
            ("Status", t.status.to_string()),
            ("Assignee", text(t.assignee.as_deref())),
            ("Description", text(t.description.as_deref())),
            ("Resolution", text(t.resolution.as_deref())),
            ("Resolved", time(t.resolved_at)),
            ("Opened", time(Some(t.created_at))),
        ];
        self.links.push((
            "Customer".into(),
            vec![Link {
                text: t.contact.clone(),
                record: Some(RecordRef::new(EntityKind::Contact, t.contact_id.0)),
            }],
        ));
        self.loaded = Some(Loaded::Ticket(t));
        Ok(())
    }

    fn load_task(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let t = crm.task(actor, TaskId(id))?;
        self.title = format!("Task {} · {}", t.id, t.title);
        self.fields = vec![
            ("Title", t.title.clone()),
            ("Kind", t.kind.to_string()),
            ("Due", time(t.due_at)),
            ("Status", t.status.to_string()),
            ("Assignee", text(t.assignee.as_deref())),
            ("Created by", text(t.created_by.as_deref())),
            ("Completed", time(t.completed_at)),
        ];
        if let Some(link) = t.link {
            self.links.push((
                "About".into(),
                vec![Link {
                    text: format!("{} {}", link.kind, link.id),
                    record: opens(link.kind).then_some(link),
                }],
            ));
        }
        self.loaded = Some(Loaded::Task(t));
        Ok(())
    }

    fn load_campaign(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let (crm, actor) = (ctx.crm, ctx.actor);
        let c = crm.campaign(actor, &CampaignId(id).to_string())?;
        self.title = format!("Campaign {} · {}", c.code, c.name);
        let m = &c.metrics;
        let money = |minor| Money::new(minor, c.currency).to_string();
        self.fields = vec![
            ("Name", c.name.clone()),
            ("Code", c.code.clone()),
            ("Objective", text(c.objective.as_deref())),
            ("Channel", c.channel.to_string()),
            ("Status", c.status.to_string()),
            ("Priority", c.priority.to_string()),
            ("Owner", text(c.owner.as_deref())),
            (
                "Dates",
                format!(
                    "{} → {}",
                    c.start_date.map_or("—".into(), |d| d.to_string()),
                    c.end_date.map_or("—".into(), |d| d.to_string())
                ),
            ),
            ("Budget", money(c.budget)),
            ("Spend", money(m.actual_spend)),
            (
                "Leads",
                format!(
                    "{} of {} planned ({} hot)",
                    m.generated_leads, c.planned_leads, m.hot_leads
                ),
            ),
            ("Converted", m.converted_leads.to_string()),
            ("Won deals", m.won_deals.to_string()),
            ("Revenue", money(m.revenue_attributed)),
            (
                "ROI",
                m.roi_percent.map_or("—".into(), |r| format!("{r:.1}%")),
            ),
        ];
        self.loaded = Some(Loaded::Campaign(c));
        Ok(())
    }

    /// The company a contact or lead is linked to, as a section of its own.
    fn company_link(&mut self, id: Option<CompanyId>, name: Option<&str>) {
        if let Some(id) = id {
            self.links.push((
                "Company".into(),
                vec![Link {
                    text: text(name),
                    record: Some(RecordRef::new(EntityKind::Company, id.0)),
                }],
            ));
        }
    }

    /// A company's page: its fields, and the contacts, open leads, open deals and tickets under
    /// it that the user may read.
    fn load_company(&mut self, ctx: &Ctx<'_>, id: i64) -> crm_core::Result<()> {
        let page = ctx.crm.company_page(ctx.actor, CompanyId(id))?;
        let c = page.company;
        self.title = format!("Company {} · {}", c.id, c.name);
        let revenue = if page.won_revenue.is_empty() {
            "—".to_string()
        } else {
            page.won_revenue
                .iter()
                .map(|r| format!("{} ({} won)", Money::new(r.amount, r.currency), r.deals))
                .collect::<Vec<_>>()
                .join(", ")
        };
        self.fields = vec![
            ("Name", c.name.clone()),
            ("Domain", text(c.domain.as_deref())),
            ("Industry", text(c.industry.as_deref())),
            ("Size", c.size.map_or("—".into(), |s| s.to_string())),
            ("Phone", text(c.phone.as_deref())),
            ("Address", text(c.address.as_deref())),
            ("Owner", text(c.owner.as_deref())),
            (
                "Records",
                format!(
                    "{} contacts, {} leads, {} deals",
                    c.contacts, c.leads, c.deals
                ),
            ),
            ("Won revenue", revenue),
        ];
        let link = |kind, id, text: String| Link {
            text,
            record: Some(RecordRef::new(kind, id)),
        };
        self.links = vec![
            (
                "Contacts".into(),
                page.contacts
                    .iter()
                    .map(|p| {
                        let title = p
                            .job_title
                            .as_deref()
                            .map_or(String::new(), |t| format!(" · {t}"));
                        link(EntityKind::Contact, p.id.0, format!("{}{title}", p.name))
                    })
                    .collect(),
            ),
            (
                "Open deals".into(),
                page.open_deals
                    .iter()
                    .map(|d| {
                        let value = Money::new(d.amount, d.currency);
                        link(
                            EntityKind::Deal,
                            d.id.0,
                            format!("{} · {} · {value}", d.title, d.stage),
                        )
                    })
                    .collect(),
            ),
            (
                "Open leads".into(),
                page.leads
                    .iter()
                    .map(|l| {
                        link(
                            EntityKind::Lead,
                            l.id.0,
                            format!("{} · {} · {}", l.name, l.stage, l.score),
                        )
                    })
                    .collect(),
            ),
            (
                "Tickets".into(),
                page.tickets
                    .iter()
                    .map(|t| {
                        link(
                            EntityKind::Ticket,
                            t.id.0,
                            format!("{} · {} · {}", t.subject, t.status, t.contact),
                        )
                    })
                    .collect(),
            ),
        ];
        self.loaded = Some(Loaded::Company(c));
        Ok(())
    }

    /// Selectable lines: every link, then every note.
    fn items(&self) -> usize {
        self.links.iter().map(|(_, l)| l.len()).sum::<usize>() + self.notes.len()
    }

    fn link_at(&self, index: usize) -> Option<&Link> {
        self.links.iter().flat_map(|(_, l)| l.iter()).nth(index)
    }

    fn note_at(&self, index: usize) -> Option<&Note> {
        let links = self.links.iter().map(|(_, l)| l.len()).sum::<usize>();
        self.notes.get(index.checked_sub(links)?)
    }

    pub(crate) fn typing(&self) -> bool {
        self.note.is_some()
    }

    /// Starts writing a note (or a comment on the selected note).
    pub(crate) fn start_note(&mut self) {
        if takes_notes(self.record.kind) {
            self.reply_to = self.note_at(self.cursor).map(|n| n.id);
            self.note = Some(Input::default());
        }
    }

    pub(crate) fn note_saved(&mut self) {
        self.note = None;
        self.reply_to = None;
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent) -> Option<Action> {
        if let Some(input) = &mut self.note {
            match key.code {
                KeyCode::Esc => self.note_saved(),
                KeyCode::Enter => {
                    let body = input.value().to_string();
                    return Some(Action::Do(Command::AddNote(
                        self.record,
                        self.reply_to,
                        body,
                    )));
                }
                _ => {
                    input.handle(key);
                }
            }
            return None;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Backspace => return Some(Action::Back),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(self.items().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Enter => {
                return self
                    .link_at(self.cursor)
                    .and_then(|l| l.record)
                    .map(Action::Open);
            }
            KeyCode::Char('i') => self.start_note(),
            _ => return self.record_action(key),
        }
        None
    }

    fn record_action(&self, key: KeyEvent) -> Option<Action> {
        match self.loaded.as_ref()? {
            Loaded::Lead(l) => lead_action(key, l, &[]),
            Loaded::Ticket(t) => {
                if key.code == KeyCode::Char('w') && t.status != TicketStatus::Open {
                    return None;
                }
                ticket_action(key, t)
            }
            Loaded::Deal(d) => match key.code {
                KeyCode::Char('w') if d.closed_at.is_none() => {
                    Some(Action::Show(Popup::confirm_win(d.id, &d.title)))
                }
                KeyCode::Char('e') => Some(Action::Show(Popup::Form(Form::edit_deal(d)))),
                KeyCode::Char('x') if d.closed_at.is_none() => {
                    Some(Action::Show(Popup::Prompt(Prompt::lose(d.id))))
                }
                _ => None,
            },
            Loaded::Contact(c) => match key.code {
                KeyCode::Char('e') => Some(Action::Show(Popup::Form(Form::edit_contact(c)))),
                KeyCode::Char('d') => Some(Action::Show(Popup::Form(Form::new_deal(Some(c.id))))),
                KeyCode::Char('T') => Some(Action::Show(Popup::Form(Form::new_ticket(Some(c.id))))),
                _ => None,
            },
            Loaded::Task(t) => match key.code {
                KeyCode::Char('d') if t.status == TaskStatus::Open => {
                    Some(Action::Do(Command::CompleteTask(t.id)))
                }
                KeyCode::Char('e') => Some(Action::Show(Popup::Form(Form::edit_task(t)))),
                _ => None,
            },
            Loaded::Campaign(c) => (key.code == KeyCode::Char('e') && !c.is_system)
                .then(|| Action::Show(Popup::Form(Form::edit_campaign(c)))),
            Loaded::Company(c) => (key.code == KeyCode::Char('e'))
                .then(|| Action::Show(Popup::Form(Form::edit_company(c)))),
        }
    }

    pub(crate) fn keys(&self) -> Vec<(&'static str, &'static str)> {
        if self.note.is_some() {
            return vec![
                ("type", "write the note"),
                ("Enter", "save"),
                ("Esc", "cancel"),
            ];
        }
        let mut keys = vec![("↑↓", "move"), ("Enter", "open linked"), ("Esc", "back")];
        if takes_notes(self.record.kind) {
            keys.push(("i", "add note / reply"));
        }
        keys.extend_from_slice(match self.loaded {
            Some(Loaded::Lead(_)) => &[
                ("e", "edit"),
                ("#", "score"),
                ("t", "stage"),
                ("n", "nurture"),
                ("c", "convert"),
            ],
            Some(Loaded::Ticket(_)) => &[
                ("e", "edit"),
                ("o", "assign"),
                ("w", "start work"),
                ("v", "resolve"),
            ],
            Some(Loaded::Deal(_)) => &[("e", "edit"), ("w", "won"), ("x", "lost")],
            Some(Loaded::Contact(_)) => &[("e", "edit"), ("d", "new deal"), ("T", "new ticket")],
            Some(Loaded::Task(_)) => &[("e", "edit"), ("d", "done")],
            Some(Loaded::Campaign(_) | Loaded::Company(_)) => &[("e", "edit")],
            None => &[],
        });
        keys
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Span::styled(
                format!(
                    " {} ",
                    fit(&self.title, usize::from(area.width.saturating_sub(4)))
                ),
                theme.title(),
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if let Some(error) = &self.error {
            Paragraph::new(crm_core::text::terminal_safe(error).into_owned())
                .style(theme.bad())
                .wrap(Wrap { trim: true })
                .render(inner, buf);
            return;
        }
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(inner);
        self.draw_fields(left, buf, theme);
        self.draw_side(right, buf, theme);
    }

    fn draw_fields(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let label = 15;
        let width = usize::from(area.width).saturating_sub(label + 1);
        let lines: Vec<Line<'_>> = self
            .fields
            .iter()
            .map(|(name, value)| {
                Line::from(vec![
                    Span::styled(format!("{name:<label$}"), theme.dim()),
                    Span::raw(fit(value, width)),
                ])
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }

    fn draw_side(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let width = usize::from(area.width).saturating_sub(3);
        let mut lines = Vec::new();
        let mut index = 0;
        let mut cursor_line = 0;
        let style = |i: usize| {
            if i == self.cursor && self.note.is_none() {
                theme.selected()
            } else {
                theme.text()
            }
        };
        for (title, links) in &self.links {
            lines.push(Line::from(Span::styled(
                format!("{title} ({})", links.len()),
                theme.heading(),
            )));
            for link in links {
                if index == self.cursor {
                    cursor_line = lines.len();
                }
                lines.push(Line::from(Span::styled(
                    format!("  {}", fit(&link.text, width)),
                    style(index),
                )));
                index += 1;
            }
        }
        if takes_notes(self.record.kind) {
            lines.push(Line::from(Span::styled(
                format!("Notes ({})", self.notes.len()),
                theme.heading(),
            )));
            for note in &self.notes {
                let indent = if note.parent_id.is_some() {
                    "    ↳ "
                } else {
                    "  "
                };
                let who = note.author.as_deref().unwrap_or("system");
                let text = format!(
                    "{indent}{} {who}: {}",
                    note.created_at.format("%m-%d"),
                    note.body
                );
                if index == self.cursor {
                    cursor_line = lines.len();
                }
                lines.push(Line::from(Span::styled(
                    fit(&text, width + 2),
                    style(index),
                )));
                index += 1;
            }
            match &self.note {
                Some(input) => {
                    let (text, _) = input.view(width.saturating_sub(10));
                    let prompt = if self.reply_to.is_some() {
                        "  reply> "
                    } else {
                        "  note> "
                    };
                    lines.push(Line::from(vec![
                        Span::styled(prompt, theme.accent()),
                        Span::raw(text),
                        Span::styled("▏", theme.accent()),
                    ]));
                }
                None => lines.push(Line::from(Span::styled("  i to add a note", theme.dim()))),
            }
        }
        lines.push(Line::from(Span::styled("Activity", theme.heading())));
        for a in &self.activity {
            let text = format!("  {} {}", a.at.format("%m-%d %H:%M"), a.summary);
            lines.push(Line::from(Span::styled(fit(&text, width + 2), theme.dim())));
        }
        // Keep the cursor's line in view.
        let skip = (cursor_line + 3).saturating_sub(usize::from(area.height));
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).render(area, buf);
    }
}

fn deal_link(d: &Deal) -> Link {
    Link {
        text: format!(
            "{} · {} · {}",
            d.title,
            d.stage,
            Money::new(d.amount, d.currency)
        ),
        record: Some(RecordRef::new(EntityKind::Deal, d.id.0)),
    }
}

fn ticket_link(t: &Ticket) -> Link {
    Link {
        text: format!("#{} {} · {}", t.id, t.subject, t.status),
        record: Some(RecordRef::new(EntityKind::Ticket, t.id.0)),
    }
}
