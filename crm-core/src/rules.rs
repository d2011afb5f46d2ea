//! Pure rules: no I/O, no database, easy to test exhaustively.

pub(crate) mod companies;
pub(crate) mod custom_fields;
pub(crate) mod dedupe;
pub(crate) mod drip;
pub(crate) mod mentions;
pub(crate) mod metrics;
pub(crate) mod normalise;
pub(crate) mod resolution_mail;
pub(crate) mod round_robin;
pub(crate) mod scoring;
pub(crate) mod search_query;
pub(crate) mod ssh_key;
pub(crate) mod validate;
pub(crate) mod webhook;
pub(crate) mod when;
