//! The screens: which one is showing, and the chrome around it (sidebar or tab bar, footer).

pub(crate) mod dashboard;
pub(crate) mod detail;
pub(crate) mod list;
pub(crate) mod listings;
pub(crate) mod login;
pub(crate) mod pipeline;
pub(crate) mod reports;

use crm_core::{Actor, Crm};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::{Constraint, Layout, Rect};

use crate::action::Action;
use crate::theme::Theme;
use list::ListScreen;
use listings::{ActivityFeed, Campaigns, Companies, Contacts, Deals, Leads, Tasks, Tickets};

/// The places in the sidebar, in order; the number key of each is its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Dashboard,
    Contacts,
    Leads,
    Campaigns,
    Pipeline,
    Tickets,
    Tasks,
    Activity,
    Reports,
}

impl Section {
    pub(crate) const ALL: [Section; 9] = [
        Section::Dashboard,
        Section::Contacts,
        Section::Leads,
        Section::Campaigns,
        Section::Pipeline,
        Section::Tickets,
        Section::Tasks,
        Section::Activity,
        Section::Reports,
    ];

    pub(crate) fn title(self) -> &'static str {
        match self {
            Section::Dashboard => "Dashboard",
            Section::Contacts => "Contacts",
            Section::Leads => "Leads",
            Section::Campaigns => "Campaigns",
            Section::Pipeline => "Pipeline",
            Section::Tickets => "Tickets",
            Section::Tasks => "Tasks",
            Section::Activity => "Activity",
            Section::Reports => "Reports",
        }
    }

    /// Four letters for the tab bar of a narrow terminal.
    pub(crate) fn short(self) -> &'static str {
        match self {
            Section::Dashboard => "Home",
            Section::Contacts => "Cont",
            Section::Leads => "Lead",
            Section::Campaigns => "Camp",
            Section::Pipeline => "Pipe",
            Section::Tickets => "Tick",
            Section::Tasks => "Task",
            Section::Activity => "Feed",
            Section::Reports => "Rept",
        }
    }

    /// The number key that opens it (1-9).
    pub(crate) fn key(self) -> char {
        let position = Section::ALL.iter().position(|s| *s == self).unwrap_or(0);
        char::from_digit(u32::try_from(position + 1).unwrap_or(1), 10).unwrap_or('1')
    }

    pub(crate) fn from_key(c: char) -> Option<Section> {
        let n = c.to_digit(10)? as usize;
        Section::ALL.get(n.checked_sub(1)?).copied()
    }
}

/// What the body of the window shows.
pub(crate) enum Screen {
    Login(login::LoginScreen),
    Dashboard(dashboard::DashboardScreen),
    Contacts(ListScreen<Contacts>),
    /// The companies, beside the contacts (`c` switches).
    Companies(ListScreen<Companies>),
    Leads(ListScreen<Leads>),
    Campaigns(ListScreen<Campaigns>),
    Pipeline(pipeline::PipelineScreen),
    /// The pipeline's deals as a list (sorted, filtered, searched); `v` switches.
    Deals(ListScreen<Deals>),
    Tickets(ListScreen<Tickets>),
    Tasks(ListScreen<Tasks>),
    Activity(ListScreen<ActivityFeed>),
    Reports(reports::ReportsScreen),
    Detail(Box<detail::DetailScreen>),
}

/// Everything a screen needs to load its data.
pub(crate) struct Ctx<'a> {
    pub(crate) crm: &'a Crm,
    pub(crate) actor: &'a Actor,
}

impl Screen {
    /// The companies as a list, loaded.
    pub(crate) fn companies(ctx: &Ctx<'_>) -> Screen {
        let mut screen = Screen::Companies(ListScreen::default());
        screen.reload(ctx);
        screen
    }

    /// The deals as a list, loaded.
    pub(crate) fn deals(ctx: &Ctx<'_>) -> Screen {
        let mut screen = Screen::Deals(ListScreen::default());
        screen.reload(ctx);
        screen
    }

    /// A section's screen with its data loaded.
    pub(crate) fn open(section: Section, ctx: &Ctx<'_>) -> Screen {
        let mut screen = match section {
            Section::Dashboard => Screen::Dashboard(dashboard::DashboardScreen::default()),
            Section::Contacts => Screen::Contacts(ListScreen::default()),
            Section::Leads => Screen::Leads(ListScreen::default()),
            Section::Campaigns => Screen::Campaigns(ListScreen::default()),
            Section::Pipeline => Screen::Pipeline(pipeline::PipelineScreen::default()),
            Section::Tickets => Screen::Tickets(ListScreen::default()),
            Section::Tasks => Screen::Tasks(ListScreen::default()),
            Section::Activity => Screen::Activity(ListScreen::default()),
            Section::Reports => Screen::Reports(reports::ReportsScreen::default()),
        };
        screen.reload(ctx);
        screen
    }

    /// The sidebar entry to highlight.
    pub(crate) fn section(&self) -> Option<Section> {
        Some(match self {
            Screen::Login(_) => return None,
            Screen::Dashboard(_) => Section::Dashboard,
            Screen::Contacts(_) | Screen::Companies(_) => Section::Contacts,
            Screen::Leads(_) => Section::Leads,
            Screen::Campaigns(_) => Section::Campaigns,
            Screen::Pipeline(_) | Screen::Deals(_) => Section::Pipeline,
            Screen::Tickets(_) => Section::Tickets,
            Screen::Tasks(_) => Section::Tasks,
            Screen::Activity(_) => Section::Activity,
            Screen::Reports(_) => Section::Reports,
            Screen::Detail(d) => return d.section(),
        })
    }

    /// Loads the data again after a change, keeping the cursor where it was.
    pub(crate) fn reload(&mut self, ctx: &Ctx<'_>) {
        match self {
            Screen::Login(_) => {}
            Screen::Dashboard(s) => s.reload(ctx),
            Screen::Contacts(s) => s.reload(ctx),
            Screen::Companies(s) => s.reload(ctx),
            Screen::Leads(s) => s.reload(ctx),
            Screen::Campaigns(s) => s.reload(ctx),
            Screen::Pipeline(s) => s.reload(ctx),
            Screen::Deals(s) => s.reload(ctx),
            Screen::Tickets(s) => s.reload(ctx),
            Screen::Tasks(s) => s.reload(ctx),
            Screen::Activity(s) => s.reload(ctx),
            Screen::Reports(s) => s.reload(ctx),
            Screen::Detail(s) => s.reload(ctx),
        }
    }

    /// Tells a list how many rows its view holds, so page keys and scrolling match the window.
    pub(crate) fn fit(&mut self, body: Rect) {
        match self {
            Screen::Contacts(s) => s.set_view_rows(body),
            Screen::Companies(s) => s.set_view_rows(body),
            Screen::Leads(s) => s.set_view_rows(body),
            Screen::Campaigns(s) => s.set_view_rows(body),
            Screen::Deals(s) => s.set_view_rows(body),
            Screen::Tickets(s) => s.set_view_rows(body),
            Screen::Tasks(s) => s.set_view_rows(body),
            Screen::Activity(s) => s.set_view_rows(body),
            Screen::Login(_)
            | Screen::Dashboard(_)
            | Screen::Pipeline(_)
            | Screen::Reports(_)
            | Screen::Detail(_) => {}
        }
    }

    /// True while the user types into a field of the screen, so letter and number keys are
    /// text rather than commands.
    pub(crate) fn typing(&self) -> bool {
        match self {
            Screen::Login(_) => true,
            Screen::Contacts(s) => s.typing(),
            Screen::Companies(s) => s.typing(),
            Screen::Leads(s) => s.typing(),
            Screen::Campaigns(s) => s.typing(),
            Screen::Deals(s) => s.typing(),
            Screen::Tickets(s) => s.typing(),
            Screen::Tasks(s) => s.typing(),
            Screen::Activity(s) => s.typing(),
            Screen::Detail(s) => s.typing(),
            Screen::Dashboard(_) | Screen::Pipeline(_) | Screen::Reports(_) => false,
        }
    }

    /// Lists take `/` for their own incremental search; elsewhere it opens the global search.
    pub(crate) fn filters_itself(&self) -> bool {
        matches!(
            self,
            Screen::Contacts(_)
                | Screen::Companies(_)
                | Screen::Leads(_)
                | Screen::Campaigns(_)
                | Screen::Deals(_)
                | Screen::Tickets(_)
                | Screen::Tasks(_)
                | Screen::Activity(_)
        )
    }

    pub(crate) fn handle_key(&mut self, key: KeyEvent, ctx: &Ctx<'_>) -> Option<Action> {
        match self {
            Screen::Login(s) => s.handle_key(key),
            Screen::Dashboard(_) => dashboard::DashboardScreen::handle_key(key),
            Screen::Contacts(s) => s.handle_key(key, ctx),
            Screen::Companies(s) => s.handle_key(key, ctx),
            Screen::Leads(s) => s.handle_key(key, ctx),
            Screen::Campaigns(s) => s.handle_key(key, ctx),
            Screen::Pipeline(s) => s.handle_key(key),
            Screen::Deals(s) => s.handle_key(key, ctx),
            Screen::Tickets(s) => s.handle_key(key, ctx),
            Screen::Tasks(s) => s.handle_key(key, ctx),
            Screen::Activity(s) => s.handle_key(key, ctx),
            Screen::Reports(s) => s.handle_key(key),
            Screen::Detail(s) => s.handle_key(key),
        }
    }

    /// A click, drag or wheel turn inside the body area `body`.
    pub(crate) fn handle_mouse(
        &mut self,
        mouse: MouseEvent,
        body: Rect,
        ctx: &Ctx<'_>,
    ) -> Option<Action> {
        match self {
            Screen::Contacts(s) => s.handle_mouse(mouse, body, ctx),
            Screen::Companies(s) => s.handle_mouse(mouse, body, ctx),
            Screen::Leads(s) => s.handle_mouse(mouse, body, ctx),
            Screen::Campaigns(s) => s.handle_mouse(mouse, body, ctx),
            Screen::Deals(s) => s.handle_mouse(mouse, body, ctx),
            Screen::Tickets(s) => s.handle_mouse(mouse, body, ctx),
            Screen::Tasks(s) => s.handle_mouse(mouse, body, ctx),
            Screen::Activity(s) => s.handle_mouse(mouse, body, ctx),
            Screen::Pipeline(s) => s.handle_mouse(mouse, body),
            Screen::Login(_) | Screen::Dashboard(_) | Screen::Reports(_) | Screen::Detail(_) => {
                None
            }
        }
    }

    /// The keys of this screen: (key, what it does). The footer shows the first few, the help
    /// overlay all of them.
    pub(crate) fn keys(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Screen::Login(_) => login::KEYS.to_vec(),
            Screen::Dashboard(_) => dashboard::KEYS.to_vec(),
            Screen::Contacts(s) => s.keys(),
            Screen::Companies(s) => s.keys(),
            Screen::Leads(s) => s.keys(),
            Screen::Campaigns(s) => s.keys(),
            Screen::Pipeline(_) => pipeline::KEYS.to_vec(),
            Screen::Deals(s) => s.keys(),
            Screen::Tickets(s) => s.keys(),
            Screen::Tasks(s) => s.keys(),
            Screen::Activity(s) => s.keys(),
            Screen::Reports(_) => reports::KEYS.to_vec(),
            Screen::Detail(s) => s.keys(),
        }
    }

    pub(crate) fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        match self {
            Screen::Login(s) => s.draw(area, buf, theme),
            Screen::Dashboard(s) => s.draw(area, buf, theme),
            Screen::Contacts(s) => s.draw(area, buf, theme),
            Screen::Companies(s) => s.draw(area, buf, theme),
            Screen::Leads(s) => s.draw(area, buf, theme),
            Screen::Campaigns(s) => s.draw(area, buf, theme),
            Screen::Pipeline(s) => s.draw(area, buf, theme),
            Screen::Deals(s) => s.draw(area, buf, theme),
            Screen::Tickets(s) => s.draw(area, buf, theme),
            Screen::Tasks(s) => s.draw(area, buf, theme),
            Screen::Activity(s) => s.draw(area, buf, theme),
            Screen::Reports(s) => s.draw(area, buf, theme),
            Screen::Detail(s) => s.draw(area, buf, theme),
        }
    }
}

/// Where the parts of the window go. Drawing and mouse hit-testing both use this, so a click
/// lands on what was drawn there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chrome {
    pub(crate) header: Rect,
    /// The sidebar on a wide terminal.
    pub(crate) sidebar: Option<Rect>,
    /// The one-line tab bar that replaces the sidebar on a narrow terminal.
    pub(crate) tabs: Option<Rect>,
    pub(crate) body: Rect,
    pub(crate) footer: Rect,
}

/// Below this width the sidebar folds into a tab bar.
pub(crate) const SIDEBAR_FROM_WIDTH: u16 = 100;
const SIDEBAR_WIDTH: u16 = 16;

impl Chrome {
    pub(crate) fn of(area: Rect, with_navigation: bool) -> Chrome {
        let [header, middle, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        if !with_navigation {
            return Chrome {
                header,
                sidebar: None,
                tabs: None,
                body: middle,
                footer,
            };
        }
        if area.width >= SIDEBAR_FROM_WIDTH {
            let [sidebar, body] =
                Layout::horizontal([Constraint::Length(SIDEBAR_WIDTH), Constraint::Min(1)])
                    .areas(middle);
            Chrome {
                header,
                sidebar: Some(sidebar),
                tabs: None,
                body,
                footer,
            }
        } else {
            let [tabs, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(middle);
            Chrome {
                header,
                sidebar: None,
                tabs: Some(tabs),
                body,
                footer,
            }
        }
    }

    /// The section drawn at column `x`, row `y`, if any.
    pub(crate) fn section_at(&self, x: u16, y: u16) -> Option<Section> {
        if let Some(side) = self.sidebar {
            // One entry per row from the top.
            let row = y.checked_sub(side.y)?;
            return (x >= side.x && x < side.x + side.width)
                .then(|| Section::ALL.get(row as usize).copied())
                .flatten();
        }
        let tabs = self.tabs?;
        if y != tabs.y {
            return None;
        }
        let index = x.checked_sub(tabs.x)? / TAB_WIDTH;
        Section::ALL.get(index as usize).copied()
    }
}

/// Cells per tab in the narrow tab bar: "1 Home " plus a gap.
pub(crate) const TAB_WIDTH: u16 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_keys_and_sections_agree() {
        for s in Section::ALL {
            assert_eq!(Section::from_key(s.key()), Some(s));
        }
        assert_eq!(Section::from_key('0'), None);
    }

    #[test]
    fn clicks_find_the_section_drawn_there() {
        let wide = Chrome::of(Rect::new(0, 0, 160, 48), true);
        assert_eq!(wide.section_at(3, 1), Some(Section::Dashboard));
        assert_eq!(wide.section_at(3, 5), Some(Section::Pipeline));
        assert_eq!(wide.section_at(40, 6), None);
        let narrow = Chrome::of(Rect::new(0, 0, 80, 24), true);
        assert!(narrow.sidebar.is_none());
        assert_eq!(narrow.section_at(0, 1), Some(Section::Dashboard));
        assert_eq!(
            narrow.section_at(TAB_WIDTH * 4 + 2, 1),
            Some(Section::Pipeline)
        );
    }
}
