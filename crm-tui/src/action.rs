//! What the screens ask for. Screens turn keys and clicks into these; [`crate::App::update`]
//! applies them by calling crm-core services, in one `match`.

use crm_core::{LeadId, RecordRef};

use crate::chrome::Section;
pub(crate) use crate::command::Command;
use crate::popup::form::Form;
use crate::popup::{Popup, Reply};

#[derive(Debug, Clone)]
pub(crate) enum Action {
    Quit,
    Go(Section),
    /// Back to the screen before a detail page.
    Back,
    Open(RecordRef),
    /// The pipeline's deals as a sortable list instead of the board.
    DealList,
    /// The companies as a list, beside the contacts.
    CompanyList,
    Login {
        username: String,
        password: String,
    },
    Show(Popup),
    ClosePopup,
    /// The walkthrough was finished or skipped: remember it for this user.
    Onboarded,
    /// Show what converting this lead creates, and ask.
    AskConvert(LeadId),
    /// Run the global search for this text.
    Search(String),
    /// Save a form through its service; errors go back beside the fields.
    Submit(Form),
    /// The form again on the record as saved now.
    Reload(Form),
    Do(Command),
}

impl From<Reply> for Action {
    fn from(reply: Reply) -> Action {
        match reply {
            Reply::Close => Action::ClosePopup,
            Reply::Do(command) => Action::Do(command),
            Reply::Submit(form) => Action::Submit(form),
            Reply::Reload(form) => Action::Reload(form),
            Reply::Search(text) => Action::Search(text),
            Reply::Open(record) => Action::Open(record),
            Reply::Onboarded => Action::Onboarded,
            Reply::Go(section) => Action::Go(section),
        }
    }
}
