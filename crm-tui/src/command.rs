//! The changes to the data a screen or a dialog asks for, one service call each.

use crm_core::{DealId, LeadId, LeadStage, NoteId, RecordRef, TaskId, TicketId};

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
