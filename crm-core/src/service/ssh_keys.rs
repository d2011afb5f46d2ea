//! A team on one server over OpenSSH: admins give each user's public keys to the CRM, the
//! service account's `authorized_keys` is written from them, and a key that sshd accepted logs
//! its user in without a password (the key proved who they are).

use super::Crm;
use crate::rules::ssh_key;
use crate::store::KeyRow;
use crate::{Actor, AuthorizedKey, EntityKind, Error, Result, SshKey};

impl Crm {
    /// Gives `username` the OpenSSH public key on `line` (admins). Refused: a key type that is
    /// weak or unknown, a private key, a key another user has.
    pub fn add_ssh_key(&self, actor: &Actor, username: &str, line: &str) -> Result<SshKey> {
        actor.require_admin("add SSH keys")?;
        let key = ssh_key::parse(line)?;
        let now = self.now_text();
        self.store.write(|tx| {
            let user = tx
                .user_by_username(&username.trim().to_lowercase())?
                .ok_or_else(|| Error::not_found("user", username.trim()))?
                .user;
            if let Some(existing) = tx.ssh_key(&key.fingerprint)? {
                return Err(Error::Conflict(format!(
                    "key {} is {}'s already; one key belongs to one user",
                    key.fingerprint, existing.user
                )));
            }
            tx.insert_ssh_key(
                &KeyRow {
                    user: user.id,
                    algorithm: &key.algorithm,
                    key_data: &key.blob,
                    comment: &key.comment,
                    fingerprint: &key.fingerprint,
                    by: actor.id,
                },
                &now,
            )?;
            tx.insert_activity(
                Some(actor.id),
                "key added",
                EntityKind::User,
                user.id.0,
                &format!(
                    "{} gave {} the SSH key {}",
                    actor.display_name, user.username, key.fingerprint
                ),
                &now,
            )?;
            tx.ssh_key(&key.fingerprint)?
                .ok_or_else(|| Error::not_found("key", &key.fingerprint))
        })
    }

    /// Every key, by user (admins).
    pub fn ssh_keys(&self, actor: &Actor) -> Result<Vec<SshKey>> {
        actor.require_admin("list SSH keys")?;
        self.store.read(|tx| tx.ssh_keys())
    }

    /// Takes a key away (admins); the user's other keys stay.
    pub fn remove_ssh_key(&self, actor: &Actor, fingerprint: &str) -> Result<SshKey> {
        actor.require_admin("remove SSH keys")?;
        let now = self.now_text();
        self.store.write(|tx| {
            let key = tx
                .ssh_key(fingerprint.trim())?
                .ok_or_else(|| Error::not_found("key", fingerprint.trim()))?;
            tx.delete_ssh_key(key.id)?;
            let user = tx
                .user_by_username(&key.user)?
                .ok_or_else(|| Error::not_found("user", &key.user))?;
            tx.insert_activity(
                Some(actor.id),
                "key removed",
                EntityKind::User,
                user.user.id.0,
                &format!(
                    "{} took the SSH key {} from {}",
                    actor.display_name, key.fingerprint, key.user
                ),
                &now,
            )?;
            Ok(key)
        })
    }

    /// The lines `authorized_keys` must hold: the keys of active users. What writes the file
    /// asks for them after every change of keys or users, so a disabled user's keys go.
    pub fn authorized_keys(&self) -> Result<Vec<AuthorizedKey>> {
        self.store.read(|tx| tx.authorized_keys())
    }

    /// Logs in `username` by the key sshd accepted (`crm shell`): no password, no session (the
    /// SSH connection is the session). Refused when the key is no longer theirs, or the user
    /// is disabled or locked out; recorded in the feed with the key and the client's address.
    pub fn key_login(&self, username: &str, fingerprint: &str, client: &str) -> Result<Actor> {
        let now = self.now();
        let now_text = self.now_text();
        self.store.write(|tx| {
            let key = tx
                .ssh_key(fingerprint.trim())?
                .filter(|k| k.user.eq_ignore_ascii_case(username.trim()))
                .ok_or(Error::BadCredentials)?;
            let stored = tx
                .user_by_username(&key.user)?
                .ok_or(Error::BadCredentials)?;
            if !stored.user.active {
                return Err(Error::Disabled(stored.user.username));
            }
            if stored.user.locked_until.is_some_and(|until| until > now) {
                return Err(Error::BadCredentials);
            }
            let client = crate::text::one_line(client);
            let client: String = client.chars().take(64).collect();
            tx.insert_activity(
                Some(stored.user.id),
                "logged in",
                EntityKind::User,
                stored.user.id.0,
                &format!(
                    "{} logged in over SSH with key {} from {client}",
                    stored.user.username, key.fingerprint
                ),
                &now_text,
            )?;
            Ok(super::session::actor_of(&stored))
        })
    }
}
