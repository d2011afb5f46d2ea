//! Plain data: ids, fixed sets, records and the inputs that create or change them.

mod activity;
mod api_key;
mod campaign;
mod capture;
mod company;
mod contact;
mod deal;
mod duplicate;
mod field;
pub(crate) mod fixed_set;
mod ids;
mod lead;
pub(crate) mod money;
mod page;
mod patch;
mod record_ref;
mod role;
mod ssh_key;
mod task;
mod ticket;
mod user;
mod version;
mod view;
mod webhook;

pub use activity::{Activity, EntityKind};
pub use api_key::{ApiKey, ApiKeyMade, NewApiKey};
pub use campaign::{
    Campaign, CampaignMetrics, CampaignPatch, CampaignSort, CampaignStatus, Channel, NewCampaign,
    Priority, SpendEntry,
};
pub use capture::{CaptureForm, Captured, NewCaptureForm};
pub use company::{
    Company, CompanyContact, CompanyDeal, CompanyLead, CompanyPage, CompanyPatch, CompanyQuery,
    CompanySize, CompanySort, CompanyTicket, NewCompany, Revenue,
};
pub(crate) use contact::person_name;
pub use contact::{Contact, ContactPatch, ContactQuery, ContactSort, NewContact};
pub use deal::{BoardColumn, Deal, DealPatch, DealQuery, DealSort, NewDeal, Stage, StageMove};
pub use duplicate::{DuplicateGroup, DuplicateMember, MatchReason, Merge};
pub use field::{
    Comparison, CustomField, FieldCondition, FieldInput, FieldKind, FieldPatch, FieldValue,
    FieldValues, FieldsOf, NewField, SortChoice,
};
pub use fixed_set::ParseEnumError;
pub use ids::{
    ApiKeyId, BatchId, CampaignId, CaptureFormId, CompanyId, ContactId, DealId, DeliveryId,
    FieldId, LeadId, MergeId, NoteId, OutboxId, SshKeyId, StageId, TaskId, TicketId, UserId,
    WebhookId,
};
pub use lead::{
    Bant, Conversion, Lead, LeadPatch, LeadQuery, LeadSort, LeadSource, LeadStage, NewLead,
    ScorePart, Temperature,
};
pub use money::{Currency, Money, parse_amount};
pub use page::Page;
pub use record_ref::RecordRef;
pub use role::Role;
pub use ssh_key::{AuthorizedKey, SshKey};
pub use task::{
    NewTask, Note, NoteAdded, Task, TaskKind, TaskPatch, TaskQuery, TaskStatus, TaskSummary,
};
pub use ticket::{
    NewTicket, OutboxMessage, OutboxStatus, Resolution, Ticket, TicketPatch, TicketPriority,
    TicketQuery, TicketStatus,
};
pub use user::{NewUser, SessionToken, User, UserPatch};
pub use version::Version;
pub use view::{SavedView, ViewKind};
pub use webhook::{
    Delivery, DeliveryReport, DeliveryStatus, NewWebhook, Webhook, WebhookEvent, WebhookMade,
};
