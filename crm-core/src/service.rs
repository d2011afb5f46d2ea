//! Use cases. Each public method is one transaction: check the actor's right, validate, apply the
//! rules, write, and record the activity row, or change nothing.

mod activity;
mod api_keys;
mod calendar;
mod campaigns;
mod capture;
mod companies;
mod contacts;
mod dashboard;
mod deals;
mod duplicates;
mod fields;
mod import;
mod import_batches;
mod leads;
mod maintenance;
mod merges;
mod moving;
mod notes;
mod privacy;
mod records;
mod report;
mod search;
mod session;
mod ssh_keys;
mod tasks;
mod tickets;
mod users;
mod views;
mod volume;
mod webhooks;

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::clock::{self, Clock};
use crate::store::{Store, Tx};
use crate::{Error, Result, UserId};

pub use activity::ActivityQuery;
pub use calendar::Calendar;
pub use capture::HONEYPOT;
pub use companies::CompanyMerge;
pub use contacts::DeletedContact;
pub use dashboard::{Dashboard, LeadFigures, MyWork, PipelineFigures};
pub use deals::DealMove;
pub use fields::FieldBreakdown;
pub(crate) use fields::write_fields;
pub use leads::{ConversionPlan, NurtureReport, NurturedLead, SkippedLead};
pub use maintenance::{BackupMade, Check, CheckStatus, Checkup, Durability, Restored};
pub use moving::{CopyReport, TableCopied};
pub use privacy::{Erasure, PersonalData};
pub use report::{
    CampaignFigures, MarketingReport, MonthFigures, SalesReport, StageFigures, TicketReport,
};
pub use search::{SearchHit, SearchInterrupt};
#[cfg(feature = "testing")]
pub(crate) use volume::Draw;
pub use volume::{VolumeLeads, VolumeObserver, VolumeReport};

/// The façade front ends hold: one database and one clock.
pub struct Crm {
    pub(crate) store: Store,
    clock: Clock,
    /// What was opened, to open it again on another thread ([`Crm::reopen`]).
    location: std::path::PathBuf,
}

impl Crm {
    /// Opens the database at `path`, creating and migrating it when needed. A `postgres://`
    /// or `postgresql://` URL in place of a path opens that PostgreSQL database instead.
    pub fn open(path: &Path) -> Result<Crm> {
        Crm::open_with_clock(path, Clock::System)
    }

    /// As [`Crm::open`], with a chosen clock (tests use a fixed one).
    pub fn open_with_clock(path: &Path, clock: Clock) -> Result<Crm> {
        let store = match path.to_str().filter(|p| crate::store::is_database_url(p)) {
            Some(url) => Store::open_postgres(url)?,
            None => Store::open(path)?,
        };
        Ok(Crm {
            store,
            clock,
            location: path.to_path_buf(),
        })
    }

    /// What opens this CRM's database again, with its clock: a connection of its own for work
    /// on another thread (the TUI searches on one while the user types).
    pub fn reopen(&self) -> Reopen {
        Reopen {
            location: self.location.clone(),
            clock: self.clock,
        }
    }

    /// The current time as this CRM sees it.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn now_text(&self) -> String {
        clock::to_text(self.now())
    }
}

/// A CRM's database and clock, to open again ([`Crm::reopen`]).
#[derive(Debug, Clone)]
pub struct Reopen {
    location: std::path::PathBuf,
    clock: Clock,
}

impl Reopen {
    /// Opens another connection to the same database.
    ///
    /// # Errors
    /// When the database cannot be opened.
    pub fn open(&self) -> Result<Crm> {
        Crm::open_with_clock(&self.location, self.clock)
    }
}

/// The id of the user named `name` (any case), or an error naming `field` and the missing user.
/// What a bulk change did: records changed, and records that already were as asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct BulkCount {
    pub changed: usize,
    pub unchanged: usize,
}

/// The ids of a bulk change in order, each once: a pipeline may well repeat one.
pub(crate) fn distinct<T: Copy + Ord>(ids: &[T]) -> Vec<T> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Resolves an owner username inside the transaction; an empty name means "no owner".
pub(crate) fn owner_named(tx: &Tx<'_>, username: &str) -> Result<Option<UserId>> {
    if username.trim().is_empty() {
        return Ok(None);
    }
    user_named(tx, "owner", username).map(Some)
}

pub(crate) fn user_named(tx: &Tx<'_>, field: &str, name: &str) -> Result<UserId> {
    tx.user_id(&name.trim().to_lowercase())?
        .ok_or_else(|| Error::invalid(field, format!("no user named '{}'", name.trim())))
}
