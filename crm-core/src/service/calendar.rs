//! `crm export tasks --format ics`: a user's work as a calendar, made in one place for every
//! front end.

use super::Crm;
use crate::{Actor, LeadId, LeadQuery, LeadSort, Result, TaskQuery};

/// A calendar ready to write, and how many items it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// RFC 5545 text.
    pub text: String,
    pub items: usize,
}

impl Crm {
    /// The tasks `tasks` picks (every page, `tasks.limit` at a time) as to-dos and, as events,
    /// the next follow-up of every lead the actor may see (of the leads they own when
    /// `tasks.mine`).
    pub fn calendar(&self, actor: &Actor, tasks: &TaskQuery) -> Result<Calendar> {
        let mut all_tasks = Vec::new();
        let mut query = tasks.clone();
        loop {
            let page = self.list_tasks(actor, &query)?;
            all_tasks.extend(page.items);
            match page.next_after {
                Some(next) => query.after = Some(crate::TaskId(next)),
                None => break,
            }
        }
        let mut leads = Vec::new();
        let mut query = LeadQuery {
            owner: tasks.mine.then(|| actor.username.clone()),
            // Leads with a follow-up come first in this order; the first without one ends it.
            sort: LeadSort::NextAction,
            limit: tasks.limit,
            ..LeadQuery::default()
        };
        loop {
            let page = self.list_leads(actor, &query)?;
            let done = page.items.iter().any(|l| l.next_action_at.is_none());
            leads.extend(
                page.items
                    .into_iter()
                    .filter(|l| l.next_action_at.is_some()),
            );
            match page.next_after {
                Some(next) if !done => query.after = Some(LeadId(next)),
                _ => break,
            }
        }
        Ok(Calendar {
            text: crate::interop::ical::calendar(&all_tasks, &leads, self.now()),
            items: all_tasks.len() + leads.len(),
        })
    }
}
