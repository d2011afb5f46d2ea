//! The window around the screens: the sidebar's places, and where header, sidebar or tab bar,
//! body and footer go.

use ratatui::layout::{Constraint, Layout, Rect};

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
