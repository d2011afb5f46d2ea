//! `crm init`: create the database and its first admin.

use anyhow::{Result, bail};
use crm_core::NewUser;

use crate::context::{Context, db_path};
use crate::flags::GlobalArgs;
use crate::secret::PasswordSource;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  crm init --username admin --email admin@example.com\n  \
                        printf '%s\\n' \"$ADMIN_PASSWORD\" | crm --db ./team.db init --username admin --password-stdin"
)]
pub(crate) struct Args {
    /// Username of the first admin
    #[arg(long, short)]
    username: String,
    /// Name shown in the activity feed (default: the username)
    #[arg(long)]
    display_name: Option<String>,
    /// Email of the admin
    #[arg(long)]
    email: Option<String>,
    /// Read the password from the first line of stdin instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

pub(crate) fn run(global: &GlobalArgs, args: &Args) -> Result<()> {
    let path = db_path(global, "crm.db")?;
    if path.is_dir() {
        bail!(
            "{} is a directory; pass a file path with --db",
            path.display()
        );
    }
    // A PostgreSQL database is made by its server; it may hold a CRM already.
    let existed = crm_core::is_database_url(&path) || path.exists();
    if existed && Context::open_at(global, path.clone())?.crm.has_users()? {
        // Refuse before asking for a password that could not be used.
        bail!(
            "{} already has users; log in as an admin and use `crm users add`",
            path.display()
        );
    }
    let password =
        PasswordSource::new(args.password_stdin).read("Password for the new admin", true)?;
    let ctx = Context::open_at(global, path)?;
    let result = ctx.crm.bootstrap_admin(
        &NewUser {
            username: args.username.clone(),
            display_name: args.display_name.clone(),
            email: args.email.clone(),
            role: None,
        },
        &password,
    );
    let user = match result {
        Ok(user) => user,
        Err(err) => {
            if !existed {
                // Leave no half-made database behind for a refused init.
                let db = ctx.db_path.clone();
                drop(ctx);
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                }
            }
            return Err(err.into());
        }
    };
    ctx.out.done(
        &user,
        &format!(
            "Created {} with admin '{}'. Next: crm login {}",
            ctx.db_path.display(),
            user.username,
            user.username
        ),
    )
}
