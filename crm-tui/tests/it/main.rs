//! Tests of the TUI on real databases: frames drawn on ratatui's `TestBackend`, and flows driven
//! by key and mouse events with the database checked after.
#![allow(clippy::unwrap_used)]

mod flows;
mod forms;
mod frames;
mod hostile;
mod list_flows;
mod support;
