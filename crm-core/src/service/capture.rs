//! Web-to-lead: forms on a website post leads into a campaign without a login. A post is read
//! as one row of a lead import (the same column names and aliases), and a visitor sets only
//! what a visitor may: who they are and what they want, never the stage, score or owner.

use super::Crm;
use crate::auth::token;
use crate::import::ImportKind;
use crate::import::cells::{self, Cells};
use crate::import::columns;
use crate::rules::validate;
use crate::store::{FormRow, StoredForm, Tx};
use crate::{
    Actor, CaptureForm, CaptureFormId, Captured, EntityKind, Error, LeadSource, NewCaptureForm,
    Result,
};

/// The hidden field of a form that people leave empty and form-filling bots do not.
pub const HONEYPOT: &str = "_trap";
/// Lead fields a visitor does not set: the form, its campaign and the CRM's rules do.
const NOT_FROM_VISITORS: [&str; 6] = [
    "campaign",
    "source",
    "stage",
    "score",
    "owner",
    "status_reason",
];
const DEFAULT_PER_IP: u32 = 20;
const DEFAULT_PER_FORM: u32 = 600;

/// An origin as a browser sends it: scheme, host and maybe a port, nothing after.
fn origin(text: &str) -> Result<String> {
    let text = text.trim().trim_end_matches('/');
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::invalid(
                "allow-origin",
                format!("'{text}' does not start with https:// or http://"),
            )
        })?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ', '@']) {
        return Err(Error::invalid(
            "allow-origin",
            format!("'{text}' is not an origin like https://example.com (no path)"),
        ));
    }
    Ok(text.to_lowercase())
}

fn redirect(text: &str) -> Result<String> {
    let text = text.trim();
    let valid = (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
        && text.len() <= 2000;
    if valid {
        Ok(text.to_string())
    } else {
        Err(Error::invalid(
            "redirect",
            format!("'{text}' is not an http(s) address"),
        ))
    }
}

fn rate(field: &str, value: Option<u32>, default: u32) -> Result<u32> {
    match value.unwrap_or(default) {
        n @ 1..=100_000 => Ok(n),
        n => Err(Error::invalid(
            field,
            format!("{n} is outside 1..=100000 a minute"),
        )),
    }
}

fn enabled(stored: Option<StoredForm>, key: &str) -> Result<StoredForm> {
    stored
        .filter(|s| s.form.disabled_at.is_none())
        .ok_or_else(|| Error::not_found("capture form", format!("'{key}'")))
}

impl Crm {
    /// Makes a form that posts leads into `new.campaign`. Admins, managers and marketers.
    pub fn add_capture_form(&self, actor: &Actor, new: &NewCaptureForm) -> Result<CaptureForm> {
        actor.require_campaign_write("add capture forms")?;
        let name = validate::required("name", &new.name)?;
        let origins = new
            .allowed_origins
            .iter()
            .map(|o| origin(o))
            .collect::<Result<Vec<_>>>()?;
        let redirect = new.redirect.as_deref().map(redirect).transpose()?;
        let per_ip = rate("per-ip", new.per_ip_per_minute, DEFAULT_PER_IP)?;
        let per_form = rate("per-form", new.per_form_per_minute, DEFAULT_PER_FORM)?;
        let key = token::generate_with("cf_")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let campaign = Crm::campaign_id(tx, &new.campaign)?;
            let id = tx.insert_capture_form(
                &FormRow {
                    name: &name,
                    key: &key,
                    campaign,
                    auto_assign: new.auto_assign,
                    allowed_origins: &origins,
                    redirect: redirect.as_deref(),
                    per_ip_per_minute: per_ip,
                    per_form_per_minute: per_form,
                    created_by: actor.id,
                },
                &now,
            )?;
            let form = tx
                .capture_form(id)?
                .ok_or_else(|| Error::not_found("capture form", id))?
                .form;
            tx.insert_activity(
                Some(actor.id),
                "created",
                EntityKind::Campaign,
                campaign.0,
                &format!(
                    "{} made capture form {id} '{name}' for campaign {}",
                    actor.display_name, form.campaign
                ),
                &now,
            )?;
            Ok(form)
        })
    }

    /// Every capture form, newest first. Admins, managers and marketers.
    pub fn capture_forms(&self, actor: &Actor) -> Result<Vec<CaptureForm>> {
        actor.require_campaign_write("list capture forms")?;
        self.store.read(|tx| tx.capture_forms())
    }

    /// Stops a form taking posts. Admins, managers and marketers.
    pub fn disable_capture_form(&self, actor: &Actor, id: CaptureFormId) -> Result<CaptureForm> {
        actor.require_campaign_write("disable capture forms")?;
        let now = self.now_text();
        self.store.write(|tx| {
            if !tx.disable_capture_form(id, &now)? {
                return Err(match tx.capture_form(id)? {
                    Some(_) => Error::Conflict(format!("capture form {id} was already disabled")),
                    None => Error::not_found("capture form", id),
                });
            }
            let form = tx
                .capture_form(id)?
                .ok_or_else(|| Error::not_found("capture form", id))?;
            tx.insert_activity(
                Some(actor.id),
                "disabled",
                EntityKind::Campaign,
                form.campaign_id.0,
                &format!(
                    "{} disabled capture form {id} '{}'",
                    actor.display_name, form.form.name
                ),
                &now,
            )?;
            Ok(form.form)
        })
    }

    /// The enabled form with this public key: what the server needs before it reads a post
    /// (its origins and limits). No login: the key is in the website's HTML.
    pub fn capture_form_by_key(&self, key: &str) -> Result<CaptureForm> {
        self.store
            .read(|tx| enabled(tx.capture_form_by_key(key)?, key).map(|s| s.form))
    }

    /// Takes one post of form `key`: `fields` are its names and values as posted. A new
    /// address becomes a lead of the form's campaign (source Website, scored, assigned as the
    /// form says, recorded as made by the form's owner); a lead's address adds the post to
    /// that lead's history; an erased address or a filled honeypot keeps nothing.
    pub fn capture_lead(&self, key: &str, fields: &[(String, String)]) -> Result<Captured> {
        let now = self.now_text();
        self.store.write(|tx| capture(tx, key, fields, &now))
    }

    /// Takes many posts (of any forms) in one transaction, each as `capture_lead` would, and
    /// answers each: a server under a burst of posts writes them with one commit instead of
    /// one each. A post refused for what it holds (a bad email, a disabled form) is answered
    /// so and changes nothing, because every refusal comes before that post writes. Only a
    /// database error (or any failure that is not a refusal) fails the whole call, with nothing
    /// written; the caller then takes the posts one at a time.
    pub fn capture_leads(
        &self,
        posts: &[(String, Vec<(String, String)>)],
    ) -> Result<Vec<Result<Captured>>> {
        let now = self.now_text();
        self.store.write(|tx| {
            posts
                .iter()
                .map(|(key, fields)| match capture(tx, key, fields, &now) {
                    // Refusals come before a post writes; anything else may come after, and
                    // must not be committed with the others.
                    Err(
                        err @ (Error::Invalid { .. }
                        | Error::NotFound { .. }
                        | Error::Conflict(_)
                        | Error::Duplicate { .. }),
                    ) => Ok(Err(err)),
                    Err(err) => Err(err),
                    Ok(captured) => Ok(Ok(captured)),
                })
                .collect()
        })
    }
}

/// One post of form `key`, inside the caller's transaction. Every refusal comes before the
/// first write.
fn capture(tx: &Tx<'_>, key: &str, fields: &[(String, String)], now: &str) -> Result<Captured> {
    let stored = enabled(tx.capture_form_by_key(key)?, key)?;
    let honeypot = fields
        .iter()
        .any(|(name, value)| name == HONEYPOT && !value.trim().is_empty());
    if honeypot {
        return Ok(Captured::Dropped);
    }
    let fields: Vec<&(String, String)> =
        fields.iter().filter(|(name, _)| name != HONEYPOT).collect();
    let headers: Vec<String> = fields.iter().map(|(name, _)| name.clone()).collect();
    let values: Vec<String> = fields.iter().map(|(_, value)| value.clone()).collect();
    let mut map = columns::map(ImportKind::Leads, &headers, &[], true)?;
    map.fields
        .retain(|(field, _)| !NOT_FROM_VISITORS.contains(field));
    let row = Cells {
        map: &map,
        values: &values,
        synonyms: &crate::import::values::ValueMap::default(),
    };
    let mut new = cells::new_lead(&row, stored.form.auto_assign)?;
    new.campaign = Some(stored.form.campaign.clone());
    new.source = Some(LeadSource::Website);
    if super::privacy::is_suppressed(tx, new.email.as_deref())? {
        return Ok(Captured::Dropped);
    }
    let email = new.email.as_deref().map(str::trim);
    if let Some((id, _)) =
        super::duplicates::existing(tx, EntityKind::Lead, email, new.phone.as_deref())?
    {
        again(tx, &stored, id, new.notes.as_deref(), now)?;
        return Ok(Captured::AddedToExisting(crate::LeadId(id)));
    }
    let owner = owner(tx, &stored)?;
    let id = super::leads::create_lead(tx, &owner, &new, now)?;
    Ok(Captured::Added(id))
}

/// The form's owner, as whom its leads are made; a disabled owner stops the form.
fn owner(tx: &Tx<'_>, stored: &StoredForm) -> Result<Actor> {
    match tx.user_by_id(stored.created_by)? {
        Some(user) if user.user.active => Ok(super::session::actor_of(&user)),
        _ => Err(Error::Conflict(format!(
            "capture form '{}' belongs to a disabled user; an admin must make a new one",
            stored.form.name
        ))),
    }
}

/// A post for an address that is a lead already: one line in the lead's history.
fn again(
    tx: &Tx<'_>,
    stored: &StoredForm,
    lead: i64,
    message: Option<&str>,
    now: &str,
) -> Result<()> {
    let mut summary = format!("posted capture form '{}' again", stored.form.name);
    if let Some(message) = message.map(str::trim).filter(|m| !m.is_empty()) {
        let short: String = message.chars().take(200).collect();
        summary = format!("{summary}: {short}");
    }
    tx.insert_activity(
        Some(stored.created_by),
        "captured",
        EntityKind::Lead,
        lead,
        &summary,
        now,
    )?;
    Ok(())
}
