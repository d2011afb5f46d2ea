//! Tests of the TUI on real databases.
#![allow(clippy::unwrap_used)]

mod frames;
