//! `crm leads ...`: capture, score, assign, nurture and convert leads.

use anyhow::{Result, bail};
use clap::Subcommand;
use crm_core::{Actor, EntityKind, LeadId};

use crate::context::Context;
use crate::flags::OutputFormat;
use crate::ids::read_ids;
use crate::output::{confirm, hint, opt};

mod args;
mod record;

pub(crate) use args::Filters;
use args::{AddArgs, EditArgs, ListArgs, new_lead, patch};
use record::opt_time;

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Capture a lead (General / Unassigned when no campaign is named)
    #[command(
        after_help = "Examples:\n  crm leads add --first-name Aarav --last-name Sharma --email aarav@techverse.in \\\n      \
                            --phone '+91 98765 43120' --source Website --campaign launch-sprint-2025 --stage Contacted --score 45\n  \
                            crm leads add --first-name Priya --campaign webinar-series-q2 --auto-assign\n  \
                            crm leads add --first-name Kiran --field preferred_plan=Growth"
    )]
    Add(Box<AddArgs>),
    /// List active leads (converted ones with --all), filtered, sorted and paged
    #[command(
        after_help = "Examples:\n  crm leads list --hot\n  crm leads list --campaign launch-sprint-2025 --max-score 30\n  \
                            crm leads list --stage Qualified --sort score --output csv\n  crm leads list --all --search sharma\n  \
                            crm leads list --campaign launch-sprint-2025 --hot --save hot-in-launch\n  crm leads list --view hot-in-launch\n  \
                            crm leads list --where preferred_plan=Growth --columns preferred_plan"
    )]
    List(Box<ListArgs>),
    /// Find leads that look like the same person: same email, same phone (by digits), same or
    /// nearly the same name, in any order and spacing
    #[command(
        after_help = "Examples:\n  crm leads dupes\n  crm leads dupes --min-score 90 --output json\n  crm leads dupes --min-score 95 --output ids

Each group is scored by its strongest evidence; the oldest record comes first, the natural one
to keep."
    )]
    Dupes(super::dupes::DupesArgs),
    /// Show every field of a lead and its open tasks
    #[command(after_help = "Example:\n  crm leads show 3")]
    Show {
        /// The lead id
        id: LeadId,
    },
    /// Change fields of a lead, or of many with --ids; an empty value clears an optional field
    #[command(
        after_help = "Examples:\n  crm leads edit 3 --stage Qualified --budget true --need true\n  crm leads edit 4 --stage Lost --reason 'Chose a competitor'\n  crm leads edit 5 --owner asha\n  crm leads list --campaign launch-sprint-2025 --max-score 30 --output ids | crm leads edit --ids - --stage Lost\n\nWith --ids, every lead changes in one transaction: one lead that cannot change and none do."
    )]
    Edit(Box<EditArgs>),
    /// Delete a lead with its tasks and notes (converted leads stay)
    #[command(after_help = "Example:\n  crm leads delete 9 --yes")]
    Delete {
        /// The lead id
        id: LeadId,
        /// Delete without asking for confirmation
        #[arg(long, short)]
        yes: bool,
    },
    /// Set a lead's score (0-100), or compute it with --auto; Hot is above 70
    #[command(after_help = "Examples:\n  crm leads score 3 72\n  crm leads score 3 --auto")]
    Score {
        /// The lead id
        id: LeadId,
        /// The new score, 0 to 100
        #[arg(
            required_unless_present = "auto",
            allow_negative_numbers = true,
            value_parser = crate::flags::parse_score
        )]
        score: Option<i64>,
        /// Compute the score from the rules shown by `crm leads explain`
        #[arg(long, conflicts_with = "score")]
        auto: bool,
    },
    /// Show how the automatic score of a lead is made, rule by rule
    #[command(after_help = "Example:\n  crm leads explain 3")]
    Explain {
        /// The lead id
        id: LeadId,
    },
    /// Give a lead to a user
    #[command(after_help = "Example:\n  crm leads assign 3 --to ravi")]
    Assign {
        /// The lead id
        id: LeadId,
        /// Username of the sales rep to give the lead to
        #[arg(long)]
        to: String,
    },
    /// Give every open lead of one user to another, in one transaction (managers)
    #[command(
        after_help = "Example:\n  crm leads reassign --from asha --to ravi    (asha is leaving: ravi takes her leads)"
    )]
    Reassign {
        /// Whose leads
        #[arg(long)]
        from: String,
        /// Who takes them
        #[arg(long)]
        to: String,
    },
    /// Create a drip of follow-up tasks for leads, assigned to each lead's owner
    #[command(
        after_help = "Examples:\n  crm leads nurture 3 7 12                        (call today, email on day 2, call on day 5)\n  \
                            crm leads nurture 3 --drip 'call:0,email:2,call:5,meeting:9'"
    )]
    Nurture {
        /// The leads to nurture
        #[arg(required = true)]
        ids: Vec<LeadId>,
        /// Steps as KIND:DAY (kinds: call, email, meeting, todo)
        #[arg(long)]
        drip: Option<String>,
    },
    /// Turn a lead into a contact and a deal in the first pipeline stage
    #[command(
        after_help = "Examples:\n  crm leads convert 3\n  crm leads convert 3 --deal-title 'Villa 3BHK' --amount 85,00,000\n  crm leads convert 4 --force   (a Lost lead)"
    )]
    Convert {
        /// The lead id
        id: LeadId,
        /// Title of the new deal (default: company and name)
        #[arg(long)]
        deal_title: Option<String>,
        /// Deal value, e.g. 2,50,000
        #[arg(long)]
        amount: Option<String>,
        /// Convert even a Lost lead
        #[arg(long)]
        force: bool,
    },
}

/// One lead (shown after), or every lead of `--ids` in one transaction (counted after).
fn edit(ctx: &Context, actor: &Actor, args: EditArgs) -> Result<()> {
    let (id, ids) = (args.id, args.ids.clone());
    let patch = patch(args, ctx.crm.now())?;
    match (id, ids) {
        (Some(id), _) => ctx.out.show(&ctx.crm.edit_lead(actor, id, &patch)?),
        (None, Some(source)) => {
            let ids: Vec<LeadId> = read_ids(&source, EntityKind::Lead)?
                .into_iter()
                .map(LeadId)
                .collect();
            let changed = ctx.crm.edit_leads(actor, &ids, &patch)?;
            ctx.out.done(
                &serde_json::json!({ "changed": changed }),
                &format!("{changed} lead(s) changed"),
            )
        }
        (None, None) => unreachable!("clap requires an id or --ids"),
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add(a) => {
            let added = ctx
                .crm
                .add_lead(&actor, &new_lead(*a)?)
                .map_err(super::with_duplicate_hint)?;
            ctx.out.show(&added)
        }
        Command::List(a) => list(ctx, &actor, *a),
        Command::Dupes(a) => super::dupes::run(ctx, &actor, EntityKind::Lead, &a),
        Command::Show { id } => show(ctx, &actor, id),
        Command::Edit(a) => edit(ctx, &actor, *a),
        Command::Delete { id, yes } => {
            let seen = if yes {
                None
            } else {
                let lead = ctx.crm.lead(&actor, id)?;
                confirm(
                    &format!(
                        "Delete lead {id} '{}' with its tasks and notes?",
                        lead.full_name()
                    ),
                    "delete",
                )?;
                Some(lead.version)
            };
            let lead = ctx.crm.delete_lead(&actor, id, seen)?;
            ctx.out
                .done(&lead, &format!("Deleted lead {id} '{}'", lead.full_name()))
        }
        Command::Score { id, score, auto } => {
            let lead = match (score, auto) {
                (_, true) => ctx.crm.auto_score_lead(&actor, id)?,
                (Some(score), false) => ctx.crm.set_lead_score(&actor, id, score)?,
                (None, false) => bail!("give a score from 0 to 100, or --auto"),
            };
            ctx.out.done(
                &lead,
                &format!(
                    "Lead {id} '{}' now scores {} ({})",
                    lead.full_name(),
                    lead.score,
                    lead.temperature
                ),
            )
        }
        Command::Explain { id } => explain(ctx, &actor, id),
        Command::Reassign { from, to } => {
            let moved = ctx.crm.reassign_leads(&actor, &from, &to)?;
            ctx.out.done(
                &serde_json::json!({ "reassigned": moved, "from": from, "to": to }),
                &format!("{moved} open lead(s) of {from} are now {to}'s"),
            )
        }
        Command::Assign { id, to } => {
            let lead = ctx.crm.assign_lead(&actor, id, &to)?;
            ctx.out.done(
                &lead,
                &format!(
                    "Lead {id} '{}' is now {}'s",
                    lead.full_name(),
                    opt(lead.owner.as_deref())
                ),
            )
        }
        Command::Nurture { ids, drip } => nurture(ctx, &actor, &ids, drip.as_deref()),
        Command::Convert {
            id,
            deal_title,
            amount,
            force,
        } => {
            let c = ctx.crm.convert_lead(
                &actor,
                id,
                deal_title.as_deref(),
                amount.as_deref(),
                force,
            )?;
            let contact = if c.reused_contact {
                "linked to existing contact"
            } else {
                "created contact"
            };
            ctx.out.done(
                &c,
                &format!(
                    "Converted lead {id}: {contact} {} and deal {} '{}'",
                    c.contact_id, c.deal_id, c.deal_title
                ),
            )
        }
    }
}

fn show(ctx: &Context, actor: &Actor, id: LeadId) -> Result<()> {
    let lead = ctx.crm.lead(actor, id)?;
    ctx.out.show(&lead)?;
    if ctx.out.format() == OutputFormat::Table {
        let tasks = ctx.crm.lead_open_tasks(actor, id)?;
        if !tasks.is_empty() {
            ctx.out.text("\nOpen tasks:")?;
            let rows = tasks
                .into_iter()
                .map(|t| {
                    vec![
                        t.id.to_string(),
                        t.kind.to_string(),
                        opt_time(t.due_at),
                        t.title,
                        opt(t.assignee.as_deref()),
                    ]
                })
                .collect();
            ctx.out
                .rows(&["task", "kind", "due", "title", "assignee"], rows)?;
        }
    }
    Ok(())
}

fn explain(ctx: &Context, actor: &Actor, id: LeadId) -> Result<()> {
    let (lead, parts) = ctx.crm.explain_lead_score(actor, id)?;
    if ctx.out.format() == OutputFormat::Json {
        return ctx.out.json(
            &serde_json::json!({ "lead_id": id, "current_score": lead.score, "rules": parts }),
        );
    }
    ctx.out.list(&parts)?;
    if ctx.out.format() == OutputFormat::Table {
        let total: u32 = parts.iter().map(|p| u32::from(p.points)).sum();
        ctx.out.text(&format!(
            "Automatic score {} (current score {}, {}); set it with: crm leads score {id} --auto",
            total.min(100),
            lead.score,
            lead.temperature
        ))?;
    }
    Ok(())
}

fn nurture(ctx: &Context, actor: &Actor, ids: &[LeadId], drip: Option<&str>) -> Result<()> {
    let report = ctx.crm.nurture_leads(actor, ids, drip)?;
    let tasks: usize = report.leads.iter().map(|l| l.tasks.len()).sum();
    let lines: Vec<String> = report
        .leads
        .iter()
        .map(|l| {
            let left_out = match l.skipped_email_steps {
                0 => String::new(),
                n => format!(" ({n} email step(s) left out: no email consent)"),
            };
            let instead = l
                .instead_of
                .as_deref()
                .map(|why| format!(" ({why})"))
                .unwrap_or_default();
            format!(
                "  lead {} {}: {} task(s) for {}{instead}{left_out}",
                l.lead_id,
                l.name,
                l.tasks.len(),
                opt(l.owner.as_deref())
            )
        })
        .chain(
            report
                .skipped
                .iter()
                .map(|s| format!("  lead {} {}: skipped, {}", s.lead_id, s.name, s.reason)),
        )
        .collect();
    ctx.out.done(
        &report,
        &format!("Created {tasks} follow-up task(s):\n{}", lines.join("\n")),
    )
}

fn list(ctx: &Context, actor: &Actor, a: ListArgs) -> Result<()> {
    let columns = a.columns.keys(&ctx.crm, actor, crm_core::FieldsOf::Leads)?;
    let query = a.query(ctx, actor)?;
    let page = ctx.crm.list_leads(actor, &query)?;
    ctx.out.list_with(&page.items, &columns)?;
    if let Some(next) = page.next_after {
        hint(&format!("more leads: add --after {next} for the next page"));
    }
    Ok(())
}
