//! Nurturing leads: a drip of follow-up tasks for each, assigned to its owner.

use chrono::Duration;
use serde::Serialize;

use super::{log, not_converted, workable};
use crate::clock::to_text;
use crate::rules::drip;
use crate::service::Crm;
use crate::store::{LeadRow, LeadTask};
use crate::{Actor, Error, LeadId, LeadStage, Result, TaskId, TaskKind};

/// What a nurture run created, lead by lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NurtureReport {
    pub leads: Vec<NurturedLead>,
    /// Leads left out, with why (Lost, converted): the others are nurtured all the same.
    pub skipped: Vec<SkippedLead>,
}

/// A lead a nurture run left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SkippedLead {
    pub lead_id: LeadId,
    pub name: String,
    pub reason: String,
}

/// The drip tasks of one lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NurturedLead {
    pub lead_id: LeadId,
    pub name: String,
    pub owner: Option<String>,
    pub tasks: Vec<TaskId>,
    /// Email steps left out because the lead has not consented to email.
    pub skipped_email_steps: usize,
    /// Set when the drip did not go to the lead's owner: who that is and why.
    pub instead_of: Option<String>,
}

impl Crm {
    /// Creates a drip of follow-up tasks for each lead, assigned to its owner (or the acting user
    /// when it has none, or when the owner is disabled: tasks never go to someone who cannot log
    /// in), due on the drip's days, and sets each lead's next action. Lost and converted leads
    /// are skipped and reported; the rest are nurtured. One transaction for all leads: an id
    /// that does not exist or may not be worked, and nothing is created.
    pub fn nurture_leads(
        &self,
        actor: &Actor,
        ids: &[LeadId],
        drip_text: Option<&str>,
    ) -> Result<NurtureReport> {
        if ids.is_empty() {
            return Err(Error::invalid("leads", "name at least one lead id"));
        }
        let steps = drip::parse(drip_text.unwrap_or(drip::DEFAULT))?;
        let start = self.now();
        let now = to_text(start);
        self.store.write(|tx| {
            let mut report = NurtureReport {
                leads: Vec::new(),
                skipped: Vec::new(),
            };
            for id in ids {
                let lead = workable(tx, actor, *id, "nurture")?;
                let skip = if not_converted(&lead).is_err() {
                    Some("converted: there is nothing left to nurture")
                } else if lead.stage == LeadStage::Lost {
                    Some("Lost: reopen it to nurture it")
                } else {
                    None
                };
                if let Some(reason) = skip {
                    report.skipped.push(SkippedLead {
                        lead_id: *id,
                        name: lead.full_name(),
                        reason: reason.to_string(),
                    });
                    continue;
                }
                let owner_active = match lead.owner_id {
                    Some(owner) => tx.user_by_id(owner)?.is_some_and(|u| u.user.active),
                    None => false,
                };
                let assignee = if owner_active {
                    lead.owner_id.unwrap_or(actor.id)
                } else {
                    actor.id
                };
                let instead_of =
                    lead.owner.clone().filter(|_| !owner_active).map(|owner| {
                        format!("{owner} is disabled; the drip is {}'s", actor.username)
                    });
                let (tasks, first_due, skipped_email_steps) =
                    drip_tasks(tx, actor, &lead, &steps, assignee, start)?;
                let mut row = LeadRow::from(&lead);
                row.next_action_at = first_due.or(row.next_action_at);
                tx.update_lead(*id, &row, &now)?;
                let left_out = match skipped_email_steps {
                    0 => String::new(),
                    n => format!(" ({n} email steps left out: no email consent)"),
                };
                log(
                    tx,
                    actor,
                    "nurtured",
                    *id,
                    &format!(
                        "{} started a {}-step drip for lead '{}'{left_out}",
                        actor.display_name,
                        steps.len(),
                        lead.full_name()
                    ),
                    &now,
                )?;
                let owner = if owner_active {
                    lead.owner.clone()
                } else {
                    Some(actor.username.clone())
                };
                report.leads.push(NurturedLead {
                    lead_id: *id,
                    name: lead.full_name(),
                    owner,
                    tasks,
                    skipped_email_steps,
                    instead_of,
                });
            }
            Ok(report)
        })
    }
}

/// The drip's tasks for one lead, assigned to `assignee`: their ids, the first one's due time,
/// and how many email steps were left out for want of consent.
fn drip_tasks(
    tx: &crate::store::Tx<'_>,
    actor: &Actor,
    lead: &crate::Lead,
    steps: &[drip::DripStep],
    assignee: crate::UserId,
    start: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<TaskId>, Option<chrono::DateTime<chrono::Utc>>, usize)> {
    let now = to_text(start);
    let id = &lead.id;
    let mut tasks = Vec::new();
    let mut first_due = None;
    let mut skipped_email_steps = 0;
    for (n, step) in steps.iter().enumerate() {
        // No consent, no email: the step is left out, the others keep their
        // numbers so the rep sees the gap.
        if step.kind == TaskKind::Email && !lead.consent_email {
            skipped_email_steps += 1;
            continue;
        }
        // Follow-ups fall due at 09:00 UTC on their day.
        let day = start.date_naive() + Duration::days(i64::from(step.day));
        let due = crate::rules::when::start_of_day(day);
        let due = if step.day == 0 { start.max(due) } else { due };
        first_due.get_or_insert(due);
        let title = format!(
            "{} {} (drip step {} of {})",
            step.kind,
            lead.full_name(),
            n + 1,
            steps.len()
        );
        let task = tx.insert_lead_task(
            &LeadTask {
                title: &title,
                kind: step.kind,
                due_at: &to_text(due),
                assignee: Some(assignee),
                lead: *id,
                drip_step: u32::try_from(n + 1).ok(),
            },
            actor.id,
            &now,
        )?;
        tasks.push(task);
    }
    Ok((tasks, first_due, skipped_email_steps))
}
