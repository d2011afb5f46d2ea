//! The state of the TUI and the one place where actions change it ([`App::update`]).

use std::fmt::Write as _;
use std::time::Duration;

use crm_core::{Actor, Crm, RecordRef, SessionToken};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::action::{Action, Command};
use crate::chrome::{Chrome, Section, TAB_WIDTH};
use crate::ctx::Ctx;
use crate::keymap;
use crate::popup::Popup;
use crate::popup::form::Form;
use crate::screen::Screen;
use crate::screen::detail::{self, DetailScreen};
use crate::screen::login::LoginScreen;
use crate::search_worker::{SEARCH_LIMIT, SearchWorker};
use crate::theme::Theme;
use crate::widget::fit;

/// How the TUI starts: with a login screen, or for a user who already has a session.
pub enum Start {
    Login {
        /// Filled into the username field.
        username: Option<String>,
        /// A line under the form (the demo users, for example).
        notice: Option<String>,
    },
    Session(Actor),
}

pub struct App<'a> {
    crm: &'a Crm,
    actor: Option<Actor>,
    /// A session this TUI opened at its login screen; ended when the TUI closes.
    token: Option<SessionToken>,
    screen: Screen,
    /// Screens under the detail pages opened from them, for Esc.
    history: Vec<Screen>,
    popup: Option<Popup>,
    /// The footer message and whether it reports a failure.
    message: Option<(String, bool)>,
    theme: Theme,
    area: Rect,
    quit: bool,
    /// The search popup's searches, on a thread of their own (started with the first one).
    searcher: Option<SearchWorker>,
    /// The number of the newest search asked for: only its results are shown.
    search_generation: u64,
}

impl<'a> App<'a> {
    pub fn new(crm: &'a Crm, start: Start, theme: Theme) -> App<'a> {
        let mut app = App {
            crm,
            actor: None,
            token: None,
            screen: Screen::Login(LoginScreen::default()),
            history: Vec::new(),
            popup: None,
            message: None,
            theme,
            area: Rect::new(0, 0, 80, 24),
            quit: false,
            searcher: None,
            search_generation: 0,
        };
        match start {
            Start::Login { username, notice } => {
                app.screen = Screen::Login(LoginScreen::new(username.as_deref(), notice));
            }
            Start::Session(actor) => app.enter(actor),
        }
        app
    }

    /// The user is in: the dashboard first, and the walkthrough on their first visit.
    fn enter(&mut self, actor: Actor) {
        if !actor.onboarded() {
            self.popup = Some(Popup::Walkthrough(0));
        }
        self.actor = Some(actor);
        self.go(Section::Dashboard);
    }

    /// True once the user asked to leave.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The logged-in user, if any.
    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    /// The footer's message, if one is showing.
    pub fn message(&self) -> Option<&str> {
        self.message.as_ref().map(|(m, _)| m.as_str())
    }

    /// The sidebar section showing, if logged in.
    pub fn section(&self) -> Option<&'static str> {
        self.screen.section().map(Section::title)
    }

    /// The record under the cursor: the selected row, card, or the page's own record.
    pub fn focus(&self) -> Option<RecordRef> {
        self.screen.focus()
    }

    /// True while a dialog is open.
    pub fn has_popup(&self) -> bool {
        self.popup.is_some()
    }

    /// Ends the session this TUI opened, if it opened one.
    pub fn finish(self) {
        if let Some(token) = &self.token {
            // The session would expire on its own; failing to end it early is not worth an error.
            let _ = self.crm.logout(token);
        }
    }

    /// The terminal's size changed (or is first known).
    pub fn resize(&mut self, width: u16, height: u16) {
        self.area = Rect::new(0, 0, width, height);
        self.fit_screen();
    }

    fn fit_screen(&mut self) {
        let body = Chrome::of(self.area, self.actor.is_some()).body;
        self.screen.fit(body);
    }

    pub fn handle_event(&mut self, event: &Event) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(*key),
            Event::Mouse(mouse) => self.handle_mouse(*mouse),
            Event::Resize(w, h) => self.resize(*w, *h),
            _ => {}
        }
    }

    /// A key press with no modifiers, for tests and scripts.
    pub fn press(&mut self, code: KeyCode) {
        self.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    /// Types `text` one key at a time.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        self.message = None;
        let action = if let Some(popup) = &mut self.popup {
            let typing = popup.typing();
            keymap::global(key, true, None)
                .filter(|a| !typing || matches!(a, Action::Quit))
                .or_else(|| popup.handle_key(key).map(Action::from))
        } else {
            let typing = self.screen.typing();
            let logged_in = self.actor.is_some();
            let global = if logged_in {
                keymap::global(key, typing, self.screen.section())
            } else {
                None
            };
            global.or_else(|| {
                let Some(actor) = &self.actor else {
                    // Before login only the login screen takes keys, and it reads no data.
                    return match &mut self.screen {
                        Screen::Login(login) => login.handle_key(key),
                        _ => None,
                    };
                };
                let own = self.screen.handle_key(
                    key,
                    &Ctx {
                        crm: self.crm,
                        actor,
                    },
                );
                // `/` is a list's own search; elsewhere it opens the global search.
                if own.is_none()
                    && key.code == KeyCode::Char('/')
                    && !typing
                    && logged_in
                    && !self.screen.filters_itself()
                {
                    return Some(Action::Show(Popup::Search(
                        crate::popup::search::SearchPopup::default(),
                    )));
                }
                own
            })
        };
        if let Some(action) = action {
            self.update(action);
        }
    }

    fn handle_mouse(&mut self, mouse: MouseEvent) {
        if self.popup.is_some() || self.actor.is_none() {
            return;
        }
        let chrome = Chrome::of(self.area, true);
        if matches!(
            mouse.kind,
            ratatui::crossterm::event::MouseEventKind::Down(_)
        ) && let Some(section) = chrome.section_at(mouse.column, mouse.row)
        {
            self.update(Action::Go(section));
            return;
        }
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let ctx = Ctx {
            crm: self.crm,
            actor: &actor,
        };
        if let Some(action) = self.screen.handle_mouse(mouse, chrome.body, &ctx) {
            self.update(action);
        }
    }

    fn go(&mut self, section: Section) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        self.history.clear();
        self.screen = Screen::open(
            section,
            &Ctx {
                crm: self.crm,
                actor: &actor,
            },
        );
        self.fit_screen();
    }

    fn reload(&mut self) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        self.screen.reload(&Ctx {
            crm: self.crm,
            actor: &actor,
        });
    }

    fn say(&mut self, message: impl Into<String>, failed: bool) {
        self.message = Some((message.into(), failed));
    }

    /// Applies one action. Every change to the data goes through a crm-core service here.
    pub(crate) fn update(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Go(section) => {
                // The walkthrough may show a screen behind it; other dialogs close.
                if !matches!(self.popup, Some(Popup::Walkthrough(_))) {
                    self.popup = None;
                }
                self.go(section);
            }
            Action::Back => {
                if let Some(mut previous) = self.history.pop() {
                    if let Some(actor) = self.actor.clone() {
                        previous.reload(&Ctx {
                            crm: self.crm,
                            actor: &actor,
                        });
                    }
                    self.screen = previous;
                    self.fit_screen();
                }
            }
            Action::Open(record) => self.open(record),
            list @ (Action::DealList | Action::CompanyList) => {
                let Some(actor) = self.actor.clone() else {
                    return;
                };
                self.history.clear();
                let ctx = Ctx {
                    crm: self.crm,
                    actor: &actor,
                };
                self.screen = if matches!(list, Action::DealList) {
                    Screen::deals(&ctx)
                } else {
                    Screen::companies(&ctx)
                };
                self.fit_screen();
            }
            Action::Login { username, password } => self.login(&username, &password),
            Action::Show(popup) => self.show(popup),
            Action::ClosePopup => self.popup = None,
            Action::Onboarded => self.onboarded(),
            Action::AskConvert(id) => {
                let Some(actor) = self.actor.clone() else {
                    return;
                };
                match self.crm.conversion_plan(&actor, id) {
                    Ok(plan) => self.popup = Some(Popup::convert(&plan)),
                    Err(err) => self.say(err.to_string(), true),
                }
            }
            Action::Search(text) => self.search(&text),
            Action::Submit(form) => self.submit(&form),
            Action::Reload(form) => self.reload_form(&form),
            Action::Do(command) => self.run(&command),
        }
    }

    fn login(&mut self, username: &str, password: &str) {
        match self.crm.login(username, password) {
            Ok((actor, token)) => {
                self.token = Some(token);
                let name = actor.display_name().to_owned();
                self.enter(actor);
                self.say(format!("Welcome, {name}"), false);
            }
            Err(err) => {
                if let Screen::Login(login) = &mut self.screen {
                    login.failed(&err);
                }
            }
        }
    }

    fn show(&mut self, mut popup: Popup) {
        if let Some(actor) = self.actor.clone() {
            let ctx = Ctx {
                crm: self.crm,
                actor: &actor,
            };
            match &mut popup {
                Popup::Form(form) => form.prepare(&ctx),
                Popup::Choice(choice) => choice.prepare(&ctx),
                _ => {}
            }
        }
        self.popup = Some(popup);
    }

    fn onboarded(&mut self) {
        self.popup = None;
        if let Some(actor) = &mut self.actor
            && let Err(err) = self.crm.mark_onboarded(actor)
        {
            self.message = Some((err.to_string(), true));
        }
        if self.screen.section() != Some(Section::Dashboard) {
            self.go(Section::Dashboard);
        }
    }

    /// Asks for the search popup's results for `text`: from the search thread, which answers
    /// while the user goes on typing ([`App::tick`] shows them); in line when it cannot start.
    fn search(&mut self, text: &str) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let Some(Popup::Search(search)) = &mut self.popup else {
            return;
        };
        self.search_generation += 1;
        if text.trim().is_empty() {
            search.set_results(Ok(Vec::new()));
            return;
        }
        if self.searcher.is_none() {
            self.searcher = SearchWorker::start(self.crm);
        }
        match &self.searcher {
            Some(worker) => {
                search.searching();
                worker.search(self.search_generation, actor, text.to_string());
            }
            None => search.set_results(self.crm.search(&actor, text, &[], SEARCH_LIMIT)),
        }
    }

    /// Shows the search results that have arrived since the last look; true when the screen
    /// changed. The event loop calls it while no key is pressed.
    pub fn tick(&mut self) -> bool {
        let Some(worker) = &self.searcher else {
            return false;
        };
        let mut changed = false;
        for answer in worker.arrived() {
            if answer.generation == self.search_generation
                && let Some(Popup::Search(search)) = &mut self.popup
            {
                search.set_results(answer.result);
                changed = true;
            }
        }
        changed
    }

    /// Waits (up to ten seconds) for the results of the newest search and shows them: for
    /// tests and benchmarks, which look at what they typed.
    pub fn settle(&mut self) {
        let Some(worker) = &self.searcher else {
            return;
        };
        if let Some(answer) = worker.wait_for(self.search_generation, Duration::from_secs(10))
            && let Some(Popup::Search(search)) = &mut self.popup
        {
            search.set_results(answer.result);
        }
    }

    fn submit(&mut self, form: &crate::popup::form::Form) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        match form.save(&Ctx {
            crm: self.crm,
            actor: &actor,
        }) {
            Ok((message, _record)) => {
                self.popup = None;
                self.reload();
                self.say(message, false);
            }
            Err(err) => {
                if let Some(Popup::Form(open)) = &mut self.popup {
                    open.show_error(&err);
                }
            }
        }
    }

    fn reload_form(&mut self, form: &Form) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let ctx = Ctx {
            crm: self.crm,
            actor: &actor,
        };
        match form.reloaded(&ctx) {
            Ok(fresh) => self.popup = Some(Popup::Form(fresh)),
            Err(err) => {
                self.popup = None;
                self.say(err.to_string(), true);
            }
        }
    }

    fn open(&mut self, record: RecordRef) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        self.popup = None;
        if !detail::opens(record.kind) {
            self.say(format!("{} records have no page", record.kind), true);
            return;
        }
        let page = DetailScreen::open(
            record,
            &Ctx {
                crm: self.crm,
                actor: &actor,
            },
        );
        let previous = std::mem::replace(&mut self.screen, Screen::Detail(Box::new(page)));
        self.history.push(previous);
    }

    /// Runs a change through its service. On success the dialog closes, the screen reloads
    /// and the footer says what happened; on failure the dialog (or the footer) shows why.
    fn run(&mut self, command: &Command) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let crm = self.crm;
        let result: crm_core::Result<String> = match command {
            Command::MoveDeal(id, stage) => crm
                .move_deal(&actor, *id, stage)
                .map(|m| format!("Deal {id} moved to {}", m.deal.stage)),
            Command::WinDeal(id) => crm.win_deal(&actor, *id).map(|m| format!("Deal {id} won: {}", m.deal.title)),
            Command::LoseDeal(id, reason) => crm.lose_deal(&actor, *id, reason).map(|_| format!("Deal {id} marked lost")),
            Command::SetScore(id, text) => text
                .trim()
                .parse::<i64>()
                .map_err(|_| crm_core::Error::Invalid {
                    field: "score".into(),
                    reason: format!("'{}' is not a whole number from 0 to 100", text.trim()),
                })
                .and_then(|score| crm.set_lead_score(&actor, *id, score))
                .map(|l| format!("Lead {id} scored {} ({})", l.score, l.temperature)),
            Command::SetStage(id, stage) => crm
                .edit_lead(&actor, *id, &crm_core::LeadPatch { stage: Some(*stage), ..crm_core::LeadPatch::default() })
                .map(|l| format!("Lead {id} is now {}", l.stage)),
            Command::Nurture(ids) => crm.nurture_leads(&actor, ids, None).map(|r| {
                let tasks: usize = r.leads.iter().map(|l| l.tasks.len()).sum();
                let skipped: usize = r.leads.iter().map(|l| l.skipped_email_steps).sum();
                let mut text = format!("Nurture started: {tasks} follow-up tasks for {} leads", r.leads.len());
                if skipped > 0 {
                    let _ = write!(text, "; {skipped} email steps left out (no email consent)");
                }
                for lead in r.leads.iter().filter_map(|l| l.instead_of.as_ref().map(|why| (l.lead_id, why))) {
                    let _ = write!(text, "; lead {}: {}", lead.0, lead.1);
                }
                for s in &r.skipped {
                    let _ = write!(text, "; lead {} skipped ({})", s.lead_id, s.reason);
                }
                text
            }),
            Command::Convert(id) => crm.convert_lead(&actor, *id, None, None, true).map(|c| {
                format!("Lead {id} converted: contact {}, deal {} '{}'", c.contact_id, c.deal_id, c.deal_title)
            }),
            Command::AssignTicket(id, user) => crm
                .assign_ticket(&actor, *id, user.trim())
                .map(|t| format!("Ticket {id} assigned to {}", t.assignee.unwrap_or_default())),
            Command::StartTicket(id) => crm.start_ticket(&actor, *id).map(|_| format!("Ticket {id} is in progress")),
            Command::ResolveTicket(id, text) => crm.resolve_ticket(&actor, *id, text).map(|r| match r.email {
                Some(_) => format!("Ticket {id} resolved; the resolution email to the customer is queued in the outbox"),
                None => format!("Ticket {id} resolved; the customer has no email address, so no email was queued"),
            }),
            Command::AddNote(record, parent, body) => crm.add_note(&actor, Some(*record), *parent, body).map(|added| {
                let mut text = String::from(if parent.is_some() { "Reply added" } else { "Note added" });
                for (user, task) in &added.mention_tasks {
                    let _ = write!(text, "; task {task} for @{user}");
                }
                for (name, why) in &added.unmatched_mentions {
                    let _ = write!(text, "; @{name} made no task ({why})");
                }
                text
            }),
            Command::CompleteTask(id) => crm.set_task_done(&actor, *id, true).map(|_| format!("Task {id} done")),
        };
        match result {
            Ok(message) => {
                self.popup = None;
                if let Screen::Detail(page) = &mut self.screen {
                    page.note_saved();
                }
                self.reload();
                self.say(message, false);
            }
            Err(err) => {
                let shown = self.popup.as_mut().is_some_and(|p| p.show_error(&err));
                if !shown {
                    self.popup = None;
                    self.say(err.to_string(), true);
                }
            }
        }
    }

    fn draw_header(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let mut spans = vec![Span::styled(" CRM ", theme.selected())];
        if let Some(actor) = &self.actor {
            spans.push(Span::styled(
                format!(" {} ({}) ", fit(actor.display_name(), 24), actor.role()),
                theme.accent(),
            ));
            if let Some(section) = self.screen.section() {
                spans.push(Span::styled(
                    format!("› {}", section.title()),
                    theme.heading(),
                ));
            }
        }
        Line::from(spans).render(area, buf);
    }

    fn draw_navigation(&self, chrome: &Chrome, buf: &mut Buffer) {
        let theme = self.theme;
        let current = self.screen.section();
        if let Some(side) = chrome.sidebar {
            let lines: Vec<Line<'_>> = Section::ALL
                .iter()
                .map(|s| {
                    let style = if Some(*s) == current {
                        theme.selected()
                    } else {
                        theme.text()
                    };
                    Line::from(Span::styled(
                        format!(" {} {:<11}", s.key(), s.title()),
                        style,
                    ))
                })
                .collect();
            Paragraph::new(lines)
                .block(
                    Block::default()
                        .borders(Borders::RIGHT)
                        .border_style(theme.border()),
                )
                .render(side, buf);
        }
        if let Some(tabs) = chrome.tabs {
            let spans: Vec<Span<'_>> = Section::ALL
                .iter()
                .map(|s| {
                    let style = if Some(*s) == current {
                        theme.selected()
                    } else {
                        theme.dim()
                    };
                    let label = format!("{} {}", s.key(), s.short());
                    Span::styled(format!("{label:<w$}", w = usize::from(TAB_WIDTH)), style)
                })
                .collect();
            Line::from(spans).render(tabs, buf);
        }
    }

    fn draw_footer(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let mut spans = Vec::new();
        let mut room = usize::from(area.width);
        if let Some((message, failed)) = &self.message {
            let text = fit(message, room.saturating_sub(2));
            room = room.saturating_sub(text.chars().count() + 3);
            spans.push(Span::styled(
                format!(" {text} "),
                if *failed { theme.bad() } else { theme.good() },
            ));
            spans.push(Span::raw(" "));
        }
        let keys = if let Some(popup) = &self.popup {
            popup.keys()
        } else {
            let mut keys = self.screen.keys();
            if self.actor.is_some() {
                keys.push(("?", "help"));
                keys.push(("q", "quit"));
            }
            keys
        };
        for (key, what) in keys {
            let width = key.chars().count() + what.chars().count() + 3;
            if width > room {
                break;
            }
            room -= width;
            spans.push(Span::styled(format!(" {key}"), theme.accent()));
            spans.push(Span::styled(format!(" {what} "), theme.dim()));
        }
        Line::from(spans).render(area, buf);
    }
}

impl Widget for &App<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let chrome = Chrome::of(area, self.actor.is_some());
        self.draw_header(chrome.header, buf);
        self.draw_navigation(&chrome, buf);
        self.screen.draw(chrome.body, buf, self.theme);
        self.draw_footer(chrome.footer, buf);
        if let Some(popup) = &self.popup {
            let help = self.screen.keys();
            popup.draw(area, buf, self.theme, &help);
        }
    }
}
