//! Logging in and out, and turning a session token back into an actor.

use chrono::{DateTime, Duration, Utc};

use super::Crm;
use crate::auth::{password, token};
use crate::clock::to_text;
use crate::store::StoredUser;
use crate::{Actor, EntityKind, Error, Result, SessionToken};

/// Failed logins in a row that lock an account.
pub(crate) const MAX_FAILED_LOGINS: u32 = 5;
/// How long a locked account stays locked.
pub(crate) const LOCKOUT: Duration = Duration::minutes(15);
/// How long a session lasts.
pub(crate) const SESSION_LIFETIME: Duration = Duration::days(7);

fn actor_of(stored: &StoredUser) -> Actor {
    Actor {
        id: stored.user.id,
        username: stored.user.username.clone(),
        display_name: stored.user.display_name.clone(),
        role: stored.user.role,
        onboarded: stored.onboarded,
    }
}

fn locked_until(stored: &StoredUser, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    stored.user.locked_until.filter(|until| *until > now)
}

impl Crm {
    /// Checks a username and password and opens a session. An unknown user and a wrong password
    /// get the same error; five failures in a row lock the account for 15 minutes.
    pub fn login(&self, username: &str, password_text: &str) -> Result<(Actor, SessionToken)> {
        let now = self.now();
        let name = username.trim().to_lowercase();
        let Some(stored) = self.store.read(|tx| tx.user_by_username(&name))? else {
            password::verify_nothing(password_text);
            return Err(Error::BadCredentials);
        };
        if let Some(until) = locked_until(&stored, now) {
            return Err(locked(&stored, until));
        }
        // Hashing happens outside the write transaction so other writers are not held up.
        if !password::verify(password_text, &stored.password_hash) {
            return Err(self.record_failed_login(&stored));
        }
        if !stored.user.active {
            return Err(Error::Disabled(stored.user.username));
        }
        let token = token::generate()?;
        let digest = token::digest(&token);
        let now_text = to_text(now);
        self.store.write(|tx| {
            tx.clear_failed_logins(stored.user.id)?;
            tx.delete_expired_sessions(&now_text)?;
            tx.insert_session(
                stored.user.id,
                &digest,
                &to_text(now + SESSION_LIFETIME),
                &now_text,
            )
        })?;
        Ok((actor_of(&stored), token))
    }

    fn record_failed_login(&self, stored: &StoredUser) -> Error {
        let now = self.now();
        let now_text = to_text(now);
        let until = now + LOCKOUT;
        let outcome = self.store.write(|tx| {
            let failures = tx.add_failed_login(stored.user.id, &now_text)?;
            if failures < MAX_FAILED_LOGINS {
                return Ok(false);
            }
            tx.lock_user(stored.user.id, &to_text(until), &now_text)?;
            tx.insert_activity(
                None,
                "locked",
                EntityKind::User,
                stored.user.id.0,
                &format!(
                    "Account '{}' locked for {} minutes after {MAX_FAILED_LOGINS} failed logins",
                    stored.user.username,
                    LOCKOUT.num_minutes()
                ),
                &now_text,
            )?;
            Ok(true)
        });
        match outcome {
            Ok(true) => locked(stored, until),
            Ok(false) => Error::BadCredentials,
            Err(e) => e,
        }
    }

    /// The actor behind a session token, if the session is live and the user still active.
    pub fn authenticate(&self, token: &SessionToken) -> Result<Actor> {
        let now = self.now_text();
        let digest = token::digest(token);
        self.store.read(|tx| {
            let user = tx.session_user(&digest, &now)?.ok_or(Error::NotLoggedIn)?;
            match tx.user_by_id(user)? {
                Some(stored) if stored.user.active => Ok(actor_of(&stored)),
                _ => Err(Error::NotLoggedIn),
            }
        })
    }

    /// The actor for a username, without a password: only for crm-core's own loaders (demo seeds).
    pub(crate) fn actor_named(&self, username: &str) -> Result<Actor> {
        self.store.read(|tx| {
            tx.user_by_username(username)?
                .map(|stored| actor_of(&stored))
                .ok_or_else(|| Error::not_found("user", username))
        })
    }

    /// Ends the session of `token`. Returns false when there was none.
    pub fn logout(&self, token: &SessionToken) -> Result<bool> {
        let digest = token::digest(token);
        self.store.write(|tx| tx.delete_session(&digest))
    }

    /// Records that the user has seen (or skipped) the TUI walkthrough.
    pub fn mark_onboarded(&self, actor: &Actor) -> Result<()> {
        let now = self.now_text();
        self.store.write(|tx| tx.set_onboarded(actor.id, &now))
    }
}

fn locked(stored: &StoredUser, until: DateTime<Utc>) -> Error {
    Error::Locked {
        username: stored.user.username.clone(),
        until: until.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}
