//! Logging in and out, and turning a session token back into an actor.

use chrono::{DateTime, Duration, Utc};

use super::Crm;
use crate::auth::{password, token};
use crate::clock::to_text;
use crate::store::{StoredUser, Tx};
use crate::{Actor, EntityKind, Error, Result, SessionToken};

/// Failed logins in a row that lock an account.
pub(crate) const MAX_FAILED_LOGINS: u32 = 5;
/// How long a locked account stays locked.
pub(crate) const LOCKOUT: Duration = Duration::minutes(15);
/// How long a session lasts.
pub(crate) const SESSION_LIFETIME: Duration = Duration::days(7);

pub(super) fn actor_of(stored: &StoredUser) -> Actor {
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

/// What one login attempt came to, decided inside its write transaction.
enum Attempt {
    Opened,
    Refused,
    Disabled(String),
}

impl Crm {
    /// Checks a username and password and opens a session. An unknown user, a wrong password
    /// and a locked account get the same error at the same cost (one argon2 run and one write
    /// each); five failures in a row lock the account for 15 minutes.
    pub fn login(&self, username: &str, password_text: &str) -> Result<(Actor, SessionToken)> {
        let now = self.now();
        let name = username.trim().to_lowercase();
        let stored = self.store.read(|tx| tx.user_by_username(&name))?;
        // Hashing happens outside the write transaction so other writers are not held up.
        let matches = if let Some(stored) = &stored {
            password::verify(password_text, &stored.password_hash)
        } else {
            password::verify_nothing(password_text);
            false
        };
        let token = token::generate()?;
        let digest = token::digest(&token);
        let now_text = to_text(now);
        // Every attempt writes, so when the file cannot be written every login fails with the
        // same error, and a right password is never told apart from a wrong one by it.
        let attempt = self.store.write(|tx| {
            let Some(stored) = &stored else {
                tx.add_unknown_login(&now_text)?;
                return Ok(Attempt::Refused);
            };
            let id = stored.user.id;
            let locked = locked_until(stored, now).is_some();
            if locked || !matches {
                let failures = tx.add_failed_login(id, &now_text)?;
                if !locked && failures >= MAX_FAILED_LOGINS {
                    lock(tx, stored, now)?;
                }
                return Ok(Attempt::Refused);
            }
            if !stored.user.active {
                return Ok(Attempt::Disabled(stored.user.username.clone()));
            }
            tx.clear_failed_logins(id)?;
            tx.delete_expired_sessions(&now_text)?;
            tx.insert_session(id, &digest, &to_text(now + SESSION_LIFETIME), &now_text)?;
            Ok(Attempt::Opened)
        })?;
        match (attempt, stored) {
            (Attempt::Opened, Some(stored)) => Ok((actor_of(&stored), token)),
            (Attempt::Disabled(name), _) => Err(Error::Disabled(name)),
            _ => Err(Error::BadCredentials),
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

    /// Records that the user has seen (or skipped) the TUI walkthrough, in the database and in
    /// the actor the front end holds. The actor is marked even when the write fails, so the
    /// walkthrough is not shown again in this session.
    pub fn mark_onboarded(&self, actor: &mut Actor) -> Result<()> {
        actor.onboarded = true;
        let now = self.now_text();
        self.store.write(|tx| tx.set_onboarded(actor.id, &now))
    }
}

/// Locks the account for [`LOCKOUT`]; the feed (admins read it) names the account, the
/// refusal the user sees does not.
fn lock(tx: &Tx<'_>, stored: &StoredUser, now: DateTime<Utc>) -> Result<()> {
    let now_text = to_text(now);
    tx.lock_user(stored.user.id, &to_text(now + LOCKOUT), &now_text)?;
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
    )
}
