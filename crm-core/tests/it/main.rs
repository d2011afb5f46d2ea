//! Service tests of crm-core against real SQLite files in a temporary directory.

mod auth;
mod contacts;
mod env;
mod users;
