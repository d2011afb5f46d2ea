//! Reading the activity feed. Writing happens inside every other service's transaction.

use chrono::{DateTime, Utc};

use super::Crm;
use crate::clock::to_text;
use crate::store::{FeedFilter, FeedReader};
use crate::{Activity, Actor, EntityKind, Error, RecordRef, Result, Role};

/// Filters of the activity feed.
#[derive(Debug, Clone, Default)]
pub struct ActivityQuery {
    /// Only this user's actions.
    pub user: Option<String>,
    /// Only rows about this record.
    pub record: Option<RecordRef>,
    pub since: Option<DateTime<Utc>>,
    pub limit: u32,
    /// Only rows older than this one (the last id of the previous page).
    pub before: Option<i64>,
    /// Only among the newest this many rows of the whole feed: a bound on the work of a
    /// glance (the dashboard) for a reader who may see few of them.
    pub within_latest: Option<u32>,
}

/// The dashboard's "Recent activity" looks at most this far back in the whole feed: a new rep
/// with nothing to see would otherwise have every row of a million-lead feed read and tested.
pub(crate) const RECENT_WINDOW: u32 = 20_000;

impl Crm {
    /// The newest activity rows. A record's feed is everything about the record (its own
    /// changes, its notes and tasks, the conversion that made it) for anyone who may read
    /// it; otherwise admins and managers read everything, and others what happened to the
    /// records they may read, with their own actions.
    pub fn activity(&self, actor: &Actor, query: &ActivityQuery) -> Result<Vec<Activity>> {
        let limit = if query.limit == 0 {
            50
        } else {
            query.limit.min(1000)
        };
        let since = query.since.map(to_text);
        self.store.read(|tx| {
            let user = match &query.user {
                Some(name) => Some(tx.user_id(&name.trim().to_lowercase())?.ok_or_else(|| {
                    Error::invalid("user", format!("no user named '{}'", name.trim()))
                })?),
                None => None,
            };
            let everything = matches!(actor.role, Role::Admin | Role::Manager);
            let record_rows = match query.record {
                Some(r)
                    if matches!(
                        r.kind,
                        EntityKind::Lead
                            | EntityKind::Contact
                            | EntityKind::Deal
                            | EntityKind::Ticket
                    ) =>
                {
                    Crm::require_readable(tx, actor, r)?;
                    true
                }
                // Every user reads companies, and so their feed.
                Some(r) if r.kind == EntityKind::Company => true,
                _ => false,
            };
            let reader = (!everything && !record_rows).then(|| FeedReader {
                me: actor.id,
                leads: actor.lead_scope(),
                contacts: actor.contact_read_scope(),
                deals: actor.deal_scope(),
                tickets: actor.ticket_scope(),
                campaigns: actor.require_campaign_read().is_ok(),
            });
            tx.activities(&FeedFilter {
                actor: user,
                record: query.record,
                related: true,
                reader: reader.as_ref(),
                since: since.as_deref(),
                before: query.before,
                within_latest: query.within_latest,
                limit,
            })
        })
    }

    /// The newest rows of the feed (see [`Crm::activity`]) among the latest
    /// [`RECENT_WINDOW`] rows of the whole feed.
    pub fn recent_activity(&self, actor: &Actor, limit: u32) -> Result<Vec<Activity>> {
        self.activity(
            actor,
            &ActivityQuery {
                limit,
                within_latest: Some(RECENT_WINDOW),
                ..ActivityQuery::default()
            },
        )
    }
}
