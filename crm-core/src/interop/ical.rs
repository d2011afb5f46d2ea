//! iCalendar (RFC 5545): tasks as to-dos and lead follow-ups as events, so a rep's work shows
//! in any calendar.

use chrono::{DateTime, Utc};

use super::{escape, push_line};
use crate::{Lead, Task, TaskStatus};

/// How long a follow-up event lasts in the calendar.
const FOLLOW_UP: &str = "PT30M";

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A calendar of `tasks` (VTODO) and the next follow-up of each of `leads` that has one
/// (VEVENT). `now` is the DTSTAMP: when the calendar was made.
pub fn calendar(tasks: &[Task], leads: &[Lead], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//crm//crm tasks and follow-ups//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    for task in tasks {
        todo(&mut out, task, now);
    }
    for lead in leads {
        if let Some(at) = lead.next_action_at {
            follow_up(&mut out, lead, at, now);
        }
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

fn todo(out: &mut String, task: &Task, now: DateTime<Utc>) {
    push_line(out, "BEGIN:VTODO");
    push_line(out, &format!("UID:crm-task-{}@crm.invalid", task.id));
    push_line(out, &format!("DTSTAMP:{}", stamp(now)));
    push_line(out, &format!("CREATED:{}", stamp(task.created_at)));
    push_line(out, &format!("LAST-MODIFIED:{}", stamp(task.updated_at)));
    push_line(out, &format!("SUMMARY:{}", escape(&task.title)));
    if let Some(due) = task.due_at {
        push_line(out, &format!("DUE:{}", stamp(due)));
    }
    let status = match task.status {
        TaskStatus::Open => "NEEDS-ACTION",
        TaskStatus::Done => "COMPLETED",
        TaskStatus::Cancelled => "CANCELLED",
    };
    push_line(out, &format!("STATUS:{status}"));
    if let (TaskStatus::Done, Some(at)) = (task.status, task.completed_at) {
        push_line(out, &format!("COMPLETED:{}", stamp(at)));
    }
    push_line(out, &format!("CATEGORIES:{}", task.kind));
    let mut about = Vec::new();
    if let Some(link) = task.link {
        about.push(format!("About {link}"));
    }
    if let Some(assignee) = &task.assignee {
        about.push(format!("assigned to {assignee}"));
    }
    if !about.is_empty() {
        push_line(out, &format!("DESCRIPTION:{}", escape(&about.join(", "))));
    }
    push_line(out, "END:VTODO");
}

fn follow_up(out: &mut String, lead: &Lead, at: DateTime<Utc>, now: DateTime<Utc>) {
    let who = match &lead.company {
        Some(company) => format!("{} ({company})", lead.full_name()),
        None => lead.full_name(),
    };
    push_line(out, "BEGIN:VEVENT");
    push_line(
        out,
        &format!("UID:crm-lead-{}-follow-up@crm.invalid", lead.id),
    );
    push_line(out, &format!("DTSTAMP:{}", stamp(now)));
    push_line(out, &format!("DTSTART:{}", stamp(at)));
    push_line(out, &format!("DURATION:{FOLLOW_UP}"));
    push_line(
        out,
        &format!("SUMMARY:{}", escape(&format!("Follow up with {who}"))),
    );
    push_line(
        out,
        &format!(
            "DESCRIPTION:{}",
            escape(&format!(
                "Lead {}, {}, score {}, campaign {}",
                lead.id, lead.stage, lead.score, lead.campaign
            ))
        ),
    );
    push_line(out, "END:VEVENT");
}
