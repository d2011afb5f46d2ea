//! The list screen of each entity, one file each: its columns, filters, sorts, keys, and the
//! service call. What they share is here.

use super::Ctx;

mod activity;
mod campaigns;
mod companies;
mod contacts;
mod deals;
mod leads;
mod tasks;
mod tickets;

pub(crate) use activity::ActivityFeed;
pub(crate) use campaigns::Campaigns;
pub(crate) use companies::Companies;
pub(crate) use contacts::Contacts;
pub(crate) use deals::Deals;
pub(crate) use leads::{Leads, lead_action};
pub(crate) use tasks::Tasks;
pub(crate) use tickets::{Tickets, ticket_action};

fn parsed<T: std::str::FromStr>(value: Option<&str>) -> Option<T> {
    value.and_then(|v| v.parse().ok())
}

fn mine(ctx: &Ctx<'_>, chosen: Option<&str>) -> Option<String> {
    chosen.map(|_| ctx.actor.username().to_owned())
}

fn when(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M").to_string())
}
