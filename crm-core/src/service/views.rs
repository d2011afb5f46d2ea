//! Saved views: each user's named filters and sort for the lead and contact lists.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Crm;
use crate::{Actor, ContactQuery, Error, LeadQuery, Result, SavedView, ViewKind};

/// A view name: a word a user can type after `--view`.
fn view_name(name: &str) -> Result<String> {
    let name = name.trim();
    let ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(Error::invalid(
            "view",
            format!("'{name}' is not a view name; use 1 to 64 letters, digits, - _ or ."),
        ))
    }
}

impl Crm {
    /// Saves `query` (its filters, sort and page size; never its position) as the actor's
    /// lead view `name`, replacing one of that name.
    pub fn save_lead_view(&self, actor: &Actor, name: &str, query: &LeadQuery) -> Result<()> {
        let query = LeadQuery {
            after: None,
            ..query.clone()
        };
        self.save_view(actor, ViewKind::Leads, name, &query)
    }

    /// The actor's lead view `name`.
    pub fn lead_view(&self, actor: &Actor, name: &str) -> Result<LeadQuery> {
        self.load_view(actor, ViewKind::Leads, name)
    }

    pub fn save_contact_view(&self, actor: &Actor, name: &str, query: &ContactQuery) -> Result<()> {
        let query = ContactQuery {
            after: None,
            ..query.clone()
        };
        self.save_view(actor, ViewKind::Contacts, name, &query)
    }

    pub fn contact_view(&self, actor: &Actor, name: &str) -> Result<ContactQuery> {
        self.load_view(actor, ViewKind::Contacts, name)
    }

    /// The actor's views, by kind and name.
    pub fn views(&self, actor: &Actor) -> Result<Vec<SavedView>> {
        self.store.read(|tx| tx.views_of(actor.id))
    }

    /// Deletes the actor's view `name` of `kind`.
    pub fn delete_view(&self, actor: &Actor, kind: ViewKind, name: &str) -> Result<()> {
        let name = view_name(name)?;
        self.store.write(|tx| {
            if tx.delete_view(actor.id, kind, &name)? {
                Ok(())
            } else {
                Err(Error::not_found("view", format!("'{name}' of {kind}")))
            }
        })
    }

    fn save_view(
        &self,
        actor: &Actor,
        kind: ViewKind,
        name: &str,
        query: &impl Serialize,
    ) -> Result<()> {
        let name = view_name(name)?;
        let text = serde_json::to_string(query)
            .map_err(|e| Error::invalid("view", format!("cannot be saved: {e}")))?;
        let now = self.now_text();
        self.store
            .write(|tx| tx.put_view(actor.id, kind, &name, &text, &now))
    }

    fn load_view<T: DeserializeOwned>(
        &self,
        actor: &Actor,
        kind: ViewKind,
        name: &str,
    ) -> Result<T> {
        let name = view_name(name)?;
        let text = self
            .store
            .read(|tx| tx.view_query(actor.id, kind, &name))?
            .ok_or_else(|| Error::not_found("view", format!("'{name}' of {kind}")))?;
        serde_json::from_str(&text)
            .map_err(|e| Error::invalid("view", format!("'{name}' cannot be read: {e}")))
    }
}
