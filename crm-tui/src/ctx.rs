//! What a screen or a form needs to load its data: the service and the acting user.

use crm_core::{Actor, Crm};

/// Everything a screen needs to load its data.
pub(crate) struct Ctx<'a> {
    pub(crate) crm: &'a Crm,
    pub(crate) actor: &'a Actor,
}
