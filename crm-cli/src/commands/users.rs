//! `crm users ...`: user management for admins.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{NewUser, Role, User, UserPatch};

use crate::context::Context;
use crate::output::{Record, opt, time};
use crate::secret::PasswordSource;

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add a user with a role
    #[command(
        after_help = "Examples:\n  crm users add asha --role sales_rep --display-name 'Asha Verma' --email asha@example.com\n  \
                            printf '%s\\n' \"$PW\" | crm users add john --role support_agent --password-stdin"
    )]
    Add {
        /// The user's username
        username: String,
        /// admin, manager, sales_rep, support_agent or marketer
        #[arg(long)]
        role: Role,
        /// Name shown to others
        #[arg(long)]
        display_name: Option<String>,
        /// Email address (for notifications)
        #[arg(long)]
        email: Option<String>,
        /// Read the password from the first line of stdin instead of prompting
        #[arg(long)]
        password_stdin: bool,
    },
    /// List every user
    #[command(after_help = "Examples:\n  crm users list\n  crm users list --output csv")]
    List,
    /// Show one user
    #[command(after_help = "Example:\n  crm users show asha")]
    Show {
        /// The user's username
        username: String,
    },
    /// Change a user's name, email, role or active flag
    #[command(
        after_help = "Examples:\n  crm users edit asha --role manager\n  crm users edit ravi --email ''     (clears it)"
    )]
    Edit {
        /// The user's username
        username: String,
        /// Name shown to others
        #[arg(long)]
        display_name: Option<String>,
        /// New email; an empty value clears it
        #[arg(long)]
        email: Option<String>,
        /// admin, manager, sales_rep, support_agent or marketer
        #[arg(long)]
        role: Option<Role>,
        /// true or false
        #[arg(long)]
        active: Option<bool>,
    },
    /// Disable a user: they cannot log in and their sessions end
    #[command(after_help = "Example:\n  crm users disable ravi")]
    Disable {
        /// The user's username
        username: String,
    },
    /// Enable a disabled user again
    #[command(after_help = "Example:\n  crm users enable ravi")]
    Enable {
        /// The user's username
        username: String,
    },
    /// Set a password: your own (asks for the current one), or any user's as an admin
    #[command(
        after_help = "Examples:\n  crm users passwd            change your own password\n  \
                            crm users passwd ravi       (admin) set ravi's password\n  \
                            printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | crm users passwd --password-stdin"
    )]
    Passwd {
        /// Whose password (default: your own)
        username: Option<String>,
        /// Read passwords from stdin, one per line (current first when changing your own)
        #[arg(long)]
        password_stdin: bool,
    },
}

impl Record for User {
    const COLUMNS: &'static [&'static str] = &["id", "username", "name", "role", "active", "email"];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "username",
        "display_name",
        "email",
        "role",
        "active",
        "failed_logins",
        "locked_until",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.username.clone(),
            self.display_name.clone(),
            self.role.to_string(),
            if self.active { "yes" } else { "no" }.to_string(),
            opt(self.email.as_deref()),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.username.clone(),
            self.display_name.clone(),
            opt(self.email.as_deref()),
            self.role.to_string(),
            self.active.to_string(),
            self.failed_logins.to_string(),
            self.locked_until
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
            time(self.created_at),
            time(self.updated_at),
        ]
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add {
            username,
            role,
            display_name,
            email,
            password_stdin,
        } => {
            let password = PasswordSource::new(password_stdin)
                .read(&format!("Password for {username}"), true)?;
            let new = NewUser {
                username,
                display_name,
                email,
                role: Some(role),
            };
            ctx.out.show(&ctx.crm.add_user(&actor, &new, &password)?)
        }
        Command::List => ctx.out.list(&ctx.crm.list_users(&actor)?),
        Command::Show { username } => ctx.out.show(&ctx.crm.user(&actor, &username)?),
        Command::Edit {
            username,
            display_name,
            email,
            role,
            active,
        } => {
            let patch = UserPatch {
                display_name,
                email,
                role,
                active,
                ..UserPatch::default()
            };
            let user = ctx.crm.edit_user(&actor, &username, &patch)?;
            if patch.active.is_some() {
                resync_keys(ctx, &actor)?;
            }
            ctx.out.show(&user)
        }
        Command::Disable { username } => set_active(ctx, &actor, &username, false),
        Command::Enable { username } => set_active(ctx, &actor, &username, true),
        Command::Passwd {
            username,
            password_stdin,
        } => {
            let mut source = PasswordSource::new(password_stdin);
            let target = username.unwrap_or_else(|| actor.username().to_owned());
            if target.eq_ignore_ascii_case(actor.username()) {
                let current = source.read("Current password", false)?;
                let new = source.read("New password", true)?;
                ctx.crm.change_own_password(&actor, &current, &new)?;
                ctx.out.done(
                    &serde_json::json!({ "username": target }),
                    "Password changed; log in again",
                )
            } else {
                let new = source.read(&format!("New password for {target}"), true)?;
                ctx.crm.set_password(&actor, &target, &new)?;
                ctx.out.done(
                    &serde_json::json!({ "username": target }),
                    &format!("Password of '{target}' set; their sessions have ended"),
                )
            }
        }
    }
}

fn set_active(ctx: &Context, actor: &crm_core::Actor, username: &str, active: bool) -> Result<()> {
    let patch = UserPatch {
        active: Some(active),
        ..UserPatch::default()
    };
    let user = ctx.crm.edit_user(actor, username, &patch)?;
    resync_keys(ctx, actor)?;
    let state = if active {
        "enabled"
    } else {
        "disabled; their sessions have ended"
    };
    ctx.out
        .done(&user, &format!("User '{}' {state}", user.username))
}

/// On a team server, a disabled user's keys leave `authorized_keys` at once (and an enabled
/// user's come back). Without any key in the database there is no such file to keep.
fn resync_keys(ctx: &Context, actor: &crm_core::Actor) -> Result<()> {
    if ctx.crm.ssh_keys(actor)?.is_empty() {
        return Ok(());
    }
    let path = crate::config::authorized_keys(None)?;
    let lines = super::keys::sync(ctx, &path)?;
    crate::output::hint(&format!("{} holds {lines} key(s) now", path.display()));
    Ok(())
}
