//! Reading the activity feed. Writing happens inside every other service's transaction.

use chrono::{DateTime, Utc};

use super::Crm;
use crate::clock::to_text;
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
}

impl Crm {
    /// The newest activity rows: everything for admins and managers; for others, their own
    /// actions, or everything about one record they may read.
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
            let only = if everything || record_rows {
                user
            } else {
                if user.is_some_and(|u| u != actor.id) {
                    return Err(Error::Forbidden(format!(
                        "{} '{}' may not read other users' activity (needs role admin or manager)",
                        actor.role, actor.username
                    )));
                }
                Some(actor.id)
            };
            tx.activities(only, query.record, since.as_deref(), query.before, limit)
        })
    }

    /// The newest rows of the feed (see [`Crm::activity`]).
    pub fn recent_activity(&self, actor: &Actor, limit: u32) -> Result<Vec<Activity>> {
        self.activity(
            actor,
            &ActivityQuery {
                limit,
                ..ActivityQuery::default()
            },
        )
    }
}
