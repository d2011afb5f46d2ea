//! End-to-end tests of the real `crm` binary on real database files.
#![allow(clippy::unwrap_used)]

mod bad_input;
mod batches;
mod bulk;
mod capture;
mod clock;
mod collaboration;
mod companies;
mod crash;
mod duplicates;
mod env;
mod flow;
mod hostile_text;
mod interop;
mod maintenance;
mod malformed;
mod marketing;
mod openapi;
mod pipeline;
mod postgres;
mod postgres_servers;
mod secrets;
mod serve;
mod serve_access;
mod serve_edges;
mod serve_hostile;
mod serve_transfer;
mod serve_versions;
mod serve_webhooks;
mod serve_work;
mod ssh;
mod support;
mod transfer;
mod tui;
mod views;
