//! API keys: admins make them for integrations; the server takes them as bearer tokens.

use chrono::Duration;

use super::Crm;
use crate::auth::token;
use crate::rules::validate;
use crate::{
    Actor, ApiKey, ApiKeyId, ApiKeyMade, EntityKind, Error, NewApiKey, Result, SessionToken,
};

/// What every API key starts with, so a bearer token says which kind it is (sessions start
/// `crm_`).
const PREFIX: &str = "crmk_";
/// A key's last use is written at most this often: every request reads its key, and a write
/// each time would make every API call a writer.
const TOUCH_EVERY: Duration = Duration::minutes(1);

impl Crm {
    /// Makes a key acting as `new.user`; the secret is in the answer only. Admins only.
    pub fn add_api_key(&self, actor: &Actor, new: &NewApiKey) -> Result<ApiKeyMade> {
        actor.require_admin("add API keys")?;
        let name = validate::required("name", &new.name)?;
        if name.chars().count() > 100 {
            return Err(Error::invalid("name", "is longer than 100 characters"));
        }
        let now = self.now();
        if new.expires_at.is_some_and(|at| at <= now) {
            return Err(Error::invalid("expires", "is not in the future"));
        }
        let secret = token::generate_with(PREFIX)?;
        let digest = token::digest(&SessionToken(secret.clone()));
        let hint: String = secret.chars().take(PREFIX.len() + 6).collect();
        let now_text = self.now_text();
        let expires = new.expires_at.map(crate::clock::to_text);
        self.store.write(|tx| {
            let user = super::user_named(tx, "user", &new.user)?;
            let active = tx.user_by_id(user)?.is_some_and(|u| u.user.active);
            if !active {
                return Err(Error::invalid(
                    "user",
                    format!("'{}' is disabled; enable them first", new.user.trim()),
                ));
            }
            let id = tx.insert_api_key(
                user,
                &name,
                &digest,
                &hint,
                expires.as_deref(),
                actor.id,
                &now_text,
            )?;
            let key = tx
                .api_key(id)?
                .ok_or_else(|| Error::not_found("API key", id))?;
            tx.insert_activity(
                Some(actor.id),
                "created",
                EntityKind::User,
                user.0,
                &format!(
                    "{} made API key {id} '{name}' acting as {}",
                    actor.display_name, key.user
                ),
                &now_text,
            )?;
            Ok(ApiKeyMade {
                key,
                secret: secret.clone(),
            })
        })
    }

    /// Every key, newest first (never their secrets). Admins only.
    pub fn api_keys(&self, actor: &Actor) -> Result<Vec<ApiKey>> {
        actor.require_admin("list API keys")?;
        self.store.read(|tx| tx.api_keys())
    }

    /// Stops a key from working, at once and for good. Admins only.
    pub fn revoke_api_key(&self, actor: &Actor, id: ApiKeyId) -> Result<ApiKey> {
        actor.require_admin("revoke API keys")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let key = tx
                .api_key(id)?
                .ok_or_else(|| Error::not_found("API key", id))?;
            if !tx.revoke_api_key(id, &now)? {
                return Err(Error::Conflict(format!("API key {id} was already revoked")));
            }
            let user = super::user_named(tx, "user", &key.user)?;
            tx.insert_activity(
                Some(actor.id),
                "revoked",
                EntityKind::User,
                user.0,
                &format!("{} revoked API key {id} '{}'", actor.display_name, key.name),
                &now,
            )?;
            tx.api_key(id)?
                .ok_or_else(|| Error::not_found("API key", id))
        })
    }

    /// The actor behind a bearer token: an API key (`crmk_…`) that is live and whose user is
    /// active, or else a session token as `crm login` and `POST /sessions` give them.
    pub fn authenticate_bearer(&self, bearer: &str) -> Result<Actor> {
        let bearer = SessionToken(bearer.trim().to_string());
        if !bearer.0.starts_with(PREFIX) {
            return self.authenticate(&bearer);
        }
        let digest = token::digest(&bearer);
        let now = self.now();
        let now_text = self.now_text();
        let (actor, key) = self.store.read(|tx| {
            let key = tx
                .live_api_key(&digest, &now_text)?
                .ok_or(Error::NotLoggedIn)?;
            match tx.user_by_id(key.user)? {
                Some(stored) if stored.user.active => Ok((super::session::actor_of(&stored), key)),
                _ => Err(Error::NotLoggedIn),
            }
        })?;
        let stale = key.last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY);
        if stale {
            // Best effort: a busy database must not refuse the request the key made.
            let _ = self.store.write(|tx| tx.touch_api_key(key.id, &now_text));
        }
        Ok(actor)
    }
}
