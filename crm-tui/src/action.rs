//! What the screens ask for. Screens turn keys and clicks into these; [`crate::App::update`]
//! applies them by calling crm-core services, in one `match`.

use crm_core::{DealId, LeadId, LeadStage, NoteId, RecordRef, TaskId, TicketId};

use crate::popup::Popup;
use crate::popup::form::Form;
use crate::screen::Section;

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
    Do(Command),
}

/// A change to the data, one service call each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    MoveDeal(DealId, String),
    WinDeal(DealId),
    LoseDeal(DealId, String),
    SetScore(LeadId, String),
    SetStage(LeadId, LeadStage),
    Nurture(Vec<LeadId>),
    Convert(LeadId),
    AssignTicket(TicketId, String),
    StartTicket(TicketId),
    ResolveTicket(TicketId, String),
    /// A note on a record, or a comment answering a note.
    AddNote(RecordRef, Option<NoteId>, String),
    CompleteTask(TaskId),
}
