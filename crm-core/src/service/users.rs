//! User management: admins only, except that everyone may change their own password.

use super::Crm;
use crate::auth::password;
use crate::rules::validate;
use crate::store::{StoredUser, Tx, UserRow};
use crate::{Actor, EntityKind, Error, NewUser, Result, Role, User, UserPatch};

struct ValidUser {
    username: String,
    display_name: String,
    email: Option<String>,
}

fn validate_new(new: &NewUser) -> Result<ValidUser> {
    let username = validate::username(&new.username)?;
    let display_name = validate::optional("display name", new.display_name.as_deref())?
        .unwrap_or_else(|| username.clone());
    let email = validate::email("email", new.email.as_deref())?;
    Ok(ValidUser {
        username,
        display_name,
        email,
    })
}

fn find(tx: &Tx<'_>, username: &str) -> Result<StoredUser> {
    let name = username.trim().to_lowercase();
    tx.user_by_username(&name)?
        .ok_or_else(|| Error::not_found("user", format!("'{}'", username.trim())))
}

impl Crm {
    /// Creates the first admin of an empty database (`crm init`). Refused once any user exists.
    pub fn bootstrap_admin(&self, new: &NewUser, password_text: &str) -> Result<User> {
        let valid = validate_new(new)?;
        validate::password(password_text)?;
        let hash = password::hash(password_text)?;
        let now = self.now_text();
        self.store.write(|tx| {
            if tx.count_users()? > 0 {
                return Err(Error::Conflict(
                    "this database already has users; log in as an admin and use `users add`"
                        .into(),
                ));
            }
            let row = UserRow {
                username: &valid.username,
                display_name: &valid.display_name,
                email: valid.email.as_deref(),
                role: Role::Admin,
                active: true,
            };
            let id = tx.insert_user(&row, &hash, &now)?;
            tx.insert_activity(
                Some(id),
                "created",
                EntityKind::User,
                id.0,
                &format!("{} set up the CRM as its first admin", valid.display_name),
                &now,
            )?;
            Ok(tx
                .user_by_id(id)?
                .ok_or_else(|| Error::not_found("user", id))?
                .user)
        })
    }

    /// True once the database has a first admin (`crm init` has run).
    pub fn has_users(&self) -> Result<bool> {
        Ok(self.store.read(|tx| tx.count_users())? > 0)
    }

    /// Adds a user with a role (admin only).
    pub fn add_user(&self, actor: &Actor, new: &NewUser, password_text: &str) -> Result<User> {
        actor.require_admin("add users")?;
        let valid = validate_new(new)?;
        let role = new
            .role
            .ok_or_else(|| Error::invalid("role", "is required"))?;
        validate::password(password_text)?;
        let hash = password::hash(password_text)?;
        let now = self.now_text();
        self.store.write(|tx| {
            if tx.user_id(&valid.username)?.is_some() {
                return Err(Error::Conflict(format!(
                    "username '{}' is already taken",
                    valid.username
                )));
            }
            let row = UserRow {
                username: &valid.username,
                display_name: &valid.display_name,
                email: valid.email.as_deref(),
                role,
                active: true,
            };
            let id = tx.insert_user(&row, &hash, &now)?;
            tx.insert_activity(
                Some(actor.id),
                "created",
                EntityKind::User,
                id.0,
                &format!(
                    "{} added user '{}' as {role}",
                    actor.display_name, valid.username
                ),
                &now,
            )?;
            Ok(tx
                .user_by_id(id)?
                .ok_or_else(|| Error::not_found("user", id))?
                .user)
        })
    }

    /// Every user, by username (admin only).
    pub fn list_users(&self, actor: &Actor) -> Result<Vec<User>> {
        actor.require_admin("list users")?;
        self.store.read(|tx| tx.list_users())
    }

    /// One user by username (admin only; anyone may look at themselves).
    pub fn user(&self, actor: &Actor, username: &str) -> Result<User> {
        if !username.trim().eq_ignore_ascii_case(&actor.username) {
            actor.require_admin("look at other users")?;
        }
        self.store.read(|tx| Ok(find(tx, username)?.user))
    }

    /// Changes a user's name, email, role or active flag (admin only). A role change or a
    /// deactivation ends the user's sessions; the last active admin cannot be demoted or disabled.
    pub fn edit_user(&self, actor: &Actor, username: &str, patch: &UserPatch) -> Result<User> {
        actor.require_admin("edit users")?;
        let display_name = match &patch.display_name {
            Some(name) => Some(validate::required("display name", name)?),
            None => None,
        };
        let email = match &patch.email {
            Some(email) => Some(validate::email("email", Some(email))?),
            None => None,
        };
        let now = self.now_text();
        self.store.write(|tx| {
            let current = find(tx, username)?.user;
            super::records::require_version(
                tx,
                crate::RecordRef::new(EntityKind::User, current.id.0),
                current.version,
                patch.if_version,
            )?;
            let role = patch.role.unwrap_or(current.role);
            let active = patch.active.unwrap_or(current.active);
            let was_admin = current.role == Role::Admin && current.active;
            let stays_admin = role == Role::Admin && active;
            if was_admin && !stays_admin && tx.count_active_admins()? <= 1 {
                return Err(Error::Conflict(format!(
                    "'{}' is the last active admin; make another admin first",
                    current.username
                )));
            }
            let new_email = email.clone().unwrap_or_else(|| current.email.clone());
            let row = UserRow {
                username: &current.username,
                display_name: display_name.as_deref().unwrap_or(&current.display_name),
                email: new_email.as_deref(),
                role,
                active,
            };
            tx.update_user(current.id, &row, &now)?;
            let mut changes = Vec::new();
            if role != current.role {
                changes.push(format!("role {} -> {role}", current.role));
            }
            if active != current.active {
                changes.push(if active {
                    "enabled".to_string()
                } else {
                    "disabled".to_string()
                });
            }
            if row.display_name != current.display_name || row.email != current.email.as_deref() {
                changes.push("details".to_string());
            }
            // A session must not outlive the rights it was opened with.
            if role != current.role || !active {
                tx.delete_sessions_of(current.id)?;
            }
            let verb = if !active && current.active {
                "disabled"
            } else {
                "updated"
            };
            let what = if changes.is_empty() {
                "nothing".to_string()
            } else {
                changes.join(", ")
            };
            tx.insert_activity(
                Some(actor.id),
                verb,
                EntityKind::User,
                current.id.0,
                &format!(
                    "{} changed user '{}': {what}",
                    actor.display_name, current.username
                ),
                &now,
            )?;
            Ok(tx
                .user_by_id(current.id)?
                .ok_or_else(|| Error::not_found("user", current.id))?
                .user)
        })
    }

    /// Sets another user's password (admin only); the user's sessions end.
    pub fn set_password(&self, actor: &Actor, username: &str, new_password: &str) -> Result<()> {
        actor.require_admin("set other users' passwords")?;
        self.store_password(actor, username, new_password)
    }

    /// Changes one's own password after checking the current one; one's sessions end.
    pub fn change_own_password(
        &self,
        actor: &Actor,
        current: &str,
        new_password: &str,
    ) -> Result<()> {
        let stored = self.store.read(|tx| find(tx, &actor.username))?;
        if !password::verify(current, &stored.password_hash) {
            return Err(Error::invalid("current password", "is wrong"));
        }
        self.store_password(actor, &actor.username, new_password)
    }

    fn store_password(&self, actor: &Actor, username: &str, new_password: &str) -> Result<()> {
        validate::password(new_password)?;
        let hash = password::hash(new_password)?;
        let now = self.now_text();
        self.store.write(|tx| {
            let user = find(tx, username)?.user;
            tx.set_password_hash(user.id, &hash, &now)?;
            tx.delete_sessions_of(user.id)?;
            tx.insert_activity(
                Some(actor.id),
                "password",
                EntityKind::User,
                user.id.0,
                &format!(
                    "{} changed the password of '{}'",
                    actor.display_name, user.username
                ),
                &now,
            )
        })
    }
}
