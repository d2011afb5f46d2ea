//! `crm init`: create the database and its first admin.

use anyhow::{Result, bail};
use crm_core::NewUser;

use crate::cli::GlobalArgs;
use crate::context::{Context, db_path};
use crate::output::hint;
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
    if path.exists() {
        // Opening would succeed; bootstrap refuses a database that has users, with a clear error.
        hint(&format!("using the existing database {}", path.display()));
    } else if path.is_dir() {
        bail!(
            "{} is a directory; pass a file path with --db",
            path.display()
        );
    }
    let password =
        PasswordSource::new(args.password_stdin).read("Password for the new admin", true)?;
    let ctx = Context::open_at(global, path)?;
    let user = ctx.crm.bootstrap_admin(
        &NewUser {
            username: args.username.clone(),
            display_name: args.display_name.clone(),
            email: args.email.clone(),
            role: None,
        },
        &password,
    )?;
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
