//! crm-core: everything the CRM knows, with no terminal in sight.
//!
//! Front ends hold one [`Crm`] (the façade over one database file), obtain an [`Actor`] by logging in,
//! and call its service methods. Every method that changes data is one transaction that checks the
//! actor's role, validates, applies the rules, writes, and records an activity row, or changes
//! nothing at all.
#![deny(unreachable_pub)]

mod auth;
mod clock;
mod error;
pub mod import;
pub mod interop;
mod mail;
mod model;
mod rules;
mod seed;
mod service;
mod store;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;
pub mod text;

pub use auth::Actor;
pub use clock::{CLOCK_VARIABLE, Clock};
pub use error::{Error, Result};
pub use mail::{SendReport, SmtpConfig, TlsMode};
pub use model::{
    Activity, ApiKey, ApiKeyId, ApiKeyMade, AuthorizedKey, Bant, BatchId, BoardColumn, Campaign,
    CampaignId, CampaignMetrics, CampaignPatch, CampaignSort, CampaignStatus, CaptureForm,
    CaptureFormId, Captured, Channel, Company, CompanyContact, CompanyDeal, CompanyId, CompanyLead,
    CompanyPage, CompanyPatch, CompanyQuery, CompanySize, CompanySort, CompanyTicket, Comparison,
    Contact, ContactId, ContactPatch, ContactQuery, ContactSort, Conversion, Currency, CustomField,
    Deal, DealId, DealPatch, DealQuery, DealSort, Delivery, DeliveryId, DeliveryReport,
    DeliveryStatus, DuplicateGroup, DuplicateMember, EntityKind, FieldCondition, FieldId,
    FieldInput, FieldKind, FieldPatch, FieldValue, FieldValues, FieldsOf, Lead, LeadId, LeadPatch,
    LeadQuery, LeadSort, LeadSource, LeadStage, MatchReason, Merge, MergeId, Money, NewApiKey,
    NewCampaign, NewCaptureForm, NewCompany, NewContact, NewDeal, NewField, NewLead, NewTask,
    NewTicket, NewUser, NewWebhook, Note, NoteAdded, NoteId, OutboxId, OutboxMessage, OutboxStatus,
    Page, ParseEnumError, Priority, RecordRef, Resolution, Revenue, Role, SavedView, ScorePart,
    SessionToken, SortChoice, SpendEntry, SshKey, SshKeyId, Stage, StageId, StageMove, Task,
    TaskId, TaskKind, TaskPatch, TaskQuery, TaskStatus, TaskSummary, Temperature, Ticket, TicketId,
    TicketPatch, TicketPriority, TicketQuery, TicketStatus, User, UserId, UserPatch, Version,
    ViewKind, Webhook, WebhookEvent, WebhookId, WebhookMade, parse_amount,
};
pub use rules::when::{NotATime, When, start_of_day};
pub use seed::{DEMO_PASSWORD, DemoReport};

/// Whether `--db` names a PostgreSQL database (`postgres://…`, `postgresql://…`) rather than a
/// SQLite file.
pub fn is_database_url(db: &std::path::Path) -> bool {
    db.to_str().is_some_and(store::is_database_url)
}

/// A database as messages name it: a file's path, or a URL without its password.
pub fn shown_database(db: &std::path::Path) -> String {
    match db.to_str().filter(|d| store::is_database_url(d)) {
        Some(url) => store::sql::without_password(url),
        None => db.display().to_string(),
    }
}
pub use service::{
    ActivityQuery, BackupMade, BulkCount, Calendar, CampaignFigures, Check, CheckStatus, Checkup,
    CompanyMerge, ConversionPlan, CopyReport, Crm, Dashboard, DealMove, DeletedContact, Durability,
    Erasure, FieldBreakdown, HONEYPOT, LeadFigures, MarketingReport, MonthFigures, MyWork,
    NurtureReport, NurturedLead, PersonalData, PipelineFigures, Reopen, Restored, SalesReport,
    SearchHit, SearchInterrupt, SkippedLead, StageFigures, TableCopied, TicketReport, VolumeLeads,
    VolumeObserver, VolumeReport,
};
