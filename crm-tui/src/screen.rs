//! The screens: what each one does, and the one list of them.

pub(crate) mod dashboard;
pub(crate) mod detail;
pub(crate) mod list;
pub(crate) mod listings;
pub(crate) mod login;
pub(crate) mod pipeline;
pub(crate) mod reports;

use crm_core::RecordRef;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;

use crate::action::Action;
pub(crate) use crate::chrome::Section;
pub(crate) use crate::ctx::Ctx;
use crate::theme::Theme;
use list::ListScreen;
use listings::{ActivityFeed, Campaigns, Companies, Contacts, Deals, Leads, Tasks, Tickets};

/// What every screen does. [`Screen`] is whichever one is showing and hands each call to it
/// (it derefs to this trait), so a new screen is its own file with this impl plus one line in
/// [`screens!`] below.
pub(crate) trait Body {
    /// The sidebar entry to highlight.
    fn section(&self) -> Option<Section>;

    /// Loads the data again after a change, keeping the cursor where it was.
    fn reload(&mut self, _ctx: &Ctx<'_>) {}

    /// Tells a list how many rows its view holds, so page keys and scrolling match the window.
    fn fit(&mut self, _body: Rect) {}

    /// True while the user types into a field of the screen, so letter and number keys are
    /// text rather than commands.
    fn typing(&self) -> bool {
        false
    }

    /// Lists take `/` for their own incremental search; elsewhere it opens the global search.
    fn filters_itself(&self) -> bool {
        false
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &Ctx<'_>) -> Option<Action>;

    /// A click, drag or wheel turn inside the body area `body`.
    fn handle_mouse(&mut self, _mouse: MouseEvent, _body: Rect, _ctx: &Ctx<'_>) -> Option<Action> {
        None
    }

    /// The keys of this screen: (key, what it does). The footer shows the first few, the help
    /// overlay all of them.
    fn keys(&self) -> Vec<(&'static str, &'static str)>;

    fn draw(&self, area: Rect, buf: &mut Buffer, theme: Theme);

    /// The record under the cursor: the selected row, card, or the page's own record.
    fn focus(&self) -> Option<RecordRef> {
        None
    }
}

/// The one list of screens: each line is a variant of [`Screen`] and the type that draws it.
macro_rules! screens {
    ($($(#[$doc:meta])* $variant:ident($ty:ty),)+) => {
        /// What the body of the window shows.
        pub(crate) enum Screen {
            $($(#[$doc])* $variant($ty),)+
        }

        impl std::ops::Deref for Screen {
            type Target = dyn Body;

            fn deref(&self) -> &(dyn Body + 'static) {
                match self {
                    $(Screen::$variant(s) => s,)+
                }
            }
        }

        impl std::ops::DerefMut for Screen {
            fn deref_mut(&mut self) -> &mut (dyn Body + 'static) {
                match self {
                    $(Screen::$variant(s) => s,)+
                }
            }
        }
    };
}

screens! {
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
}
