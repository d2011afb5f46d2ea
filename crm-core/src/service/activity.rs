//! Reading the activity feed. Writing happens inside every other service's transaction.

use super::Crm;
use crate::{Activity, Actor, Result, Role};

impl Crm {
    /// The newest activity rows: everything for admins and managers, one's own actions otherwise.
    pub fn recent_activity(&self, actor: &Actor, limit: u32) -> Result<Vec<Activity>> {
        let only = match actor.role {
            Role::Admin | Role::Manager => None,
            _ => Some(actor.id),
        };
        self.store
            .read(|tx| tx.recent_activities(only, limit.clamp(1, 1000)))
    }
}
