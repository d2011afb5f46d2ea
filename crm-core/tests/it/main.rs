//! Service tests of crm-core against real SQLite files in a temporary directory.
#![allow(clippy::unwrap_used)]

mod access;
mod auth;
mod batches;
mod bulk_import;
mod campaigns;
mod capture_batch;
mod companies;
mod company_upkeep;
mod concurrency;
mod contacts;
mod conversion;
mod custom_fields;
mod dashboard;
mod deals;
mod duplicates;
mod env;
mod full_disk;
mod hostile_text;
mod ids;
mod import;
mod leads;
mod linking;
mod maintenance;
mod moving_in;
mod plans;
mod postgres;
mod privacy;
mod search;
mod seeds;
mod tasks_notes;
mod tickets;
mod users;
mod versions;
mod webhooks;
