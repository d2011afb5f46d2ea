//! `crm capture ...`: web-to-lead forms that a website posts to `crm serve`.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{CaptureForm, CaptureFormId, NewCaptureForm};

use crate::context::Context;
use crate::output::{Record, hint, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Make a form whose posts become leads of a campaign (source Website)
    #[command(
        after_help = "Examples:\n  crm capture add --campaign launch-sprint-2025 --name 'Website form'\n  \
                            crm capture add --campaign launch-sprint-2025 --name 'Pricing page' --auto-assign \\\n      \
                            --allow-origin https://example.com --redirect https://example.com/thanks\n\n\
                      The website posts to https://<server>/capture/<key>; docs/web-form.html is a working form."
    )]
    Add {
        /// Campaign code or name its leads join
        #[arg(long)]
        campaign: String,
        /// What the form is, to recognise it in `crm capture list`
        #[arg(long)]
        name: String,
        /// Give each new lead to the next sales rep in turn
        #[arg(long)]
        auto_assign: bool,
        /// A site whose pages may post it from a browser (repeat for more)
        #[arg(long, value_name = "ORIGIN")]
        allow_origin: Vec<String>,
        /// Where a plain HTML form sends the visitor after posting
        #[arg(long, value_name = "URL")]
        redirect: Option<String>,
        /// Posts one address may make a minute (default 20)
        #[arg(long, value_name = "N")]
        per_ip: Option<u32>,
        /// Posts the form takes a minute in all (default 600)
        #[arg(long, value_name = "N")]
        per_form: Option<u32>,
    },
    /// List the forms with their keys
    #[command(after_help = "Examples:\n  crm capture list\n  crm capture list --output json")]
    List,
    /// Stop a form taking posts
    #[command(after_help = "Example:\n  crm capture disable 2")]
    Disable {
        /// The form's id, from `crm capture list`
        id: CaptureFormId,
    },
}

impl Record for CaptureForm {
    const COLUMNS: &'static [&'static str] = &[
        "id", "name", "campaign", "key", "origins", "redirect", "limits", "disabled",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "key",
        "campaign",
        "auto_assign",
        "allowed_origins",
        "redirect",
        "per_ip_per_minute",
        "per_form_per_minute",
        "created_by",
        "created_at",
        "disabled_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.campaign.clone(),
            self.key.clone(),
            self.allowed_origins.join(" "),
            opt(self.redirect.as_deref()),
            format!(
                "{}/ip, {}/form a minute",
                self.per_ip_per_minute, self.per_form_per_minute
            ),
            self.disabled_at.map(time).unwrap_or_default(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.key.clone(),
            self.campaign.clone(),
            self.auto_assign.to_string(),
            self.allowed_origins.join(" "),
            opt(self.redirect.as_deref()),
            self.per_ip_per_minute.to_string(),
            self.per_form_per_minute.to_string(),
            self.created_by.clone(),
            time(self.created_at),
            self.disabled_at.map(time).unwrap_or_default(),
        ]
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add {
            campaign,
            name,
            auto_assign,
            allow_origin,
            redirect,
            per_ip,
            per_form,
        } => {
            let new = NewCaptureForm {
                name,
                campaign,
                auto_assign,
                allowed_origins: allow_origin,
                redirect,
                per_ip_per_minute: per_ip,
                per_form_per_minute: per_form,
            };
            let form = ctx.crm.add_capture_form(&actor, &new)?;
            hint(&format!(
                "the website posts to /capture/{} on `crm serve`",
                form.key
            ));
            ctx.out.show(&form)
        }
        Command::List => ctx.out.list(&ctx.crm.capture_forms(&actor)?),
        Command::Disable { id } => {
            let form = ctx.crm.disable_capture_form(&actor, id)?;
            ctx.out.done(
                &form,
                &format!("Capture form {id} '{}' disabled", form.name),
            )
        }
    }
}
