//! `crm apikeys ...`: keys for integrations that call `crm serve` (admins).

use anyhow::Result;
use clap::Subcommand;
use crm_core::{ApiKey, ApiKeyId, NewApiKey, When};

use crate::context::Context;
use crate::output::{Record, hint, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Make a key acting as a user; it is printed once and stored only as a hash
    #[command(
        after_help = "Examples:\n  crm apikeys add --user asha --name 'website form'\n  \
                            crm apikeys add --user billing --name 'billing sync' --expires 2027-06-30\n\n\
                      Send it as `Authorization: Bearer <key>` to `crm serve`."
    )]
    Add {
        /// The user the key acts as (its rights are that user's)
        #[arg(long)]
        user: String,
        /// What the key is for, to recognise it in `crm apikeys list`
        #[arg(long)]
        name: String,
        /// When it stops working: a date (09:00 UTC that day) or a time like 2027-06-30T18:00:00Z
        #[arg(long)]
        expires: Option<When>,
    },
    /// List every key: name, owner, when made and last used (never the key)
    #[command(after_help = "Examples:\n  crm apikeys list\n  crm apikeys list --output json")]
    List,
    /// Stop a key from working, at once
    #[command(after_help = "Example:\n  crm apikeys revoke 3")]
    Revoke {
        /// The key's id, from `crm apikeys list`
        id: ApiKeyId,
    },
}

fn opt_time(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(time).unwrap_or_default()
}

impl Record for ApiKey {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "user",
        "key",
        "created",
        "last used",
        "expires",
        "revoked",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "user",
        "hint",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.user.clone(),
            format!("{}…", self.hint),
            time(self.created_at),
            opt_time(self.last_used_at),
            opt_time(self.expires_at),
            opt_time(self.revoked_at),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.user.clone(),
            self.hint.clone(),
            time(self.created_at),
            opt_time(self.last_used_at),
            opt_time(self.expires_at),
            opt_time(self.revoked_at),
        ]
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add {
            user,
            name,
            expires,
        } => {
            let new = NewApiKey {
                user,
                name,
                expires_at: expires.map(|w| w.at(ctx.crm.now())),
            };
            let made = ctx.crm.add_api_key(&actor, &new)?;
            hint("the key is shown this once; store it now (only its hash is kept)");
            ctx.out.done(&made, &made.secret)
        }
        Command::List => ctx.out.list(&ctx.crm.api_keys(&actor)?),
        Command::Revoke { id } => {
            let key = ctx.crm.revoke_api_key(&actor, id)?;
            ctx.out
                .done(&key, &format!("API key {id} '{}' revoked", key.name))
        }
    }
}
