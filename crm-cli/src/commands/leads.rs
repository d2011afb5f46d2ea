//! `crm leads ...`: capture, score, assign, nurture and convert leads.

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use crm_core::{
    Actor, Bant, EntityKind, Lead, LeadId, LeadPatch, LeadQuery, LeadSort, LeadSource, LeadStage,
    NewLead, ScorePart, Temperature, When,
};

use crate::cli::OutputFormat;
use crate::context::Context;
use crate::ids::read_ids;
use crate::output::{Record, confirm, hint, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Capture a lead (General / Unassigned when no campaign is named)
    #[command(
        after_help = "Examples:\n  crm leads add --first-name Aarav --last-name Sharma --email aarav@techverse.in \\\n      \
                            --phone '+91 98765 43120' --source Website --campaign launch-sprint-2025 --stage Contacted --score 45\n  \
                            crm leads add --first-name Priya --campaign webinar-series-q2 --auto-assign"
    )]
    Add(Box<AddArgs>),
    /// List active leads (converted ones with --all), filtered, sorted and paged
    #[command(
        after_help = "Examples:\n  crm leads list --hot\n  crm leads list --campaign launch-sprint-2025 --max-score 30\n  \
                            crm leads list --stage Qualified --sort score --output csv\n  crm leads list --all --search sharma\n  \
                            crm leads list --campaign launch-sprint-2025 --hot --save hot-in-launch\n  crm leads list --view hot-in-launch"
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
        #[arg(required_unless_present = "auto", allow_negative_numbers = true)]
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

#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// First name
    #[arg(long)]
    first_name: String,
    /// Last name
    #[arg(long)]
    last_name: Option<String>,
    /// Company name
    #[arg(long)]
    company: Option<String>,
    /// Job title
    #[arg(long)]
    job_title: Option<String>,
    /// Email address
    #[arg(long)]
    email: Option<String>,
    /// Phone number, as people write it
    #[arg(long)]
    phone: Option<String>,
    /// City or region
    #[arg(long)]
    location: Option<String>,
    /// Industry
    #[arg(long)]
    industry: Option<String>,
    /// Sales region
    #[arg(long)]
    region: Option<String>,
    /// Campaign id, code or name (default: General / Unassigned)
    #[arg(long)]
    campaign: Option<String>,
    /// Website, Web form, Event, Referral, Webinar, Email, Social, Paid Ads, Cold call, Import, Other
    #[arg(long)]
    source: Option<LeadSource>,
    /// UTM source tag (e.g. google)
    #[arg(long)]
    utm_source: Option<String>,
    /// UTM medium tag (e.g. cpc)
    #[arg(long)]
    utm_medium: Option<String>,
    /// UTM campaign tag
    #[arg(long)]
    utm_campaign: Option<String>,
    /// New, Contacted, Qualified or Lost
    #[arg(long)]
    stage: Option<LeadStage>,
    /// 0 to 100
    #[arg(long, allow_negative_numbers = true)]
    score: Option<i64>,
    /// Why the lead is in its stage
    #[arg(long)]
    reason: Option<String>,
    /// Username of the owner
    #[arg(long, conflicts_with = "auto_assign")]
    owner: Option<String>,
    /// Give the lead to the next active sales rep in turn
    #[arg(long)]
    auto_assign: bool,
    /// Free-text notes
    #[arg(long)]
    notes: Option<String>,
    /// BANT: the lead has budget
    #[arg(long)]
    budget: bool,
    /// BANT: the lead can decide
    #[arg(long)]
    authority: bool,
    /// BANT: the lead has a need
    #[arg(long)]
    need: bool,
    /// BANT: the lead has a timeline
    #[arg(long)]
    timeline: bool,
    /// Products of interest
    #[arg(long)]
    products: Option<String>,
    /// The person agreed to email
    #[arg(long)]
    consent_email: bool,
    /// Consent under the GDPR
    #[arg(long)]
    consent_gdpr: bool,
    /// Consent under the CCPA
    #[arg(long)]
    consent_ccpa: bool,
    /// Add it even when a lead with the same email or phone (compared by digits) exists
    #[arg(long)]
    allow_duplicate: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    filters: Filters,
    /// Rows per page (1-1000)
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Start after this lead id (printed at the end of the previous page)
    #[arg(long)]
    after: Option<LeadId>,
    /// Also save these filters and sort as your view NAME (replacing one of that name)
    #[arg(long, value_name = "NAME", conflicts_with = "view")]
    save: Option<String>,
    /// List with the filters and sort of your saved view NAME (crm views list shows them)
    #[arg(long, value_name = "NAME")]
    view: Option<String>,
}

impl ListArgs {
    /// The query to run: the saved view's (with only --after added), or the one the flags
    /// spell out, saved first when --save asks for it.
    fn query(self, ctx: &Context, actor: &Actor) -> Result<LeadQuery> {
        let typed = self.filters.query(self.limit, self.after);
        if let Some(name) = &self.view {
            let untouched = LeadQuery {
                limit: self.limit,
                after: self.after,
                ..LeadQuery::default()
            };
            if typed != untouched {
                anyhow::bail!(
                    "invalid view: --view {name} brings its own filters and sort; drop the other flags or save a new view with --save"
                );
            }
            return Ok(ctx
                .crm
                .lead_view(actor, name)?
                .paged(self.limit, self.after, None));
        }
        if let Some(name) = &self.save {
            ctx.crm.save_lead_view(actor, name, &typed)?;
            hint(&format!(
                "saved as your view '{name}': crm leads list --view {name}"
            ));
        }
        Ok(typed)
    }
}

/// What `list` and `export` select, and in which order.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Filters {
    /// Only leads at this stage: New, Contacted, Qualified, Lost or Converted
    #[arg(long)]
    stage: Option<LeadStage>,
    /// Hot, Warm or Cold
    #[arg(long)]
    temperature: Option<Temperature>,
    /// Only Hot leads (score above 70)
    #[arg(long, conflicts_with = "temperature")]
    hot: bool,
    /// Campaign id, code or name
    #[arg(long)]
    campaign: Option<String>,
    /// Only leads of this owner (username)
    #[arg(long)]
    owner: Option<String>,
    /// Only leads from this source (Website, Web form, Event, Referral, ...)
    #[arg(long)]
    source: Option<LeadSource>,
    /// Only leads scoring at least this (0-100)
    #[arg(long)]
    min_score: Option<i64>,
    /// Only leads scoring at most this (0-100)
    #[arg(long)]
    max_score: Option<i64>,
    /// Name, email, phone or company contains this text
    #[arg(long)]
    search: Option<String>,
    /// Include converted leads
    #[arg(long)]
    all: bool,
    /// name, score, stage, company, created, updated, next-action or id
    #[arg(long, default_value = "created")]
    sort: LeadSort,
    /// Oldest/lowest first (the default is newest/highest first)
    #[arg(long)]
    asc: bool,
}

impl Filters {
    pub(crate) fn query(self, limit: u32, after: Option<LeadId>) -> LeadQuery {
        LeadQuery {
            stage: self.stage,
            temperature: if self.hot {
                Some(Temperature::Hot)
            } else {
                self.temperature
            },
            campaign: self.campaign,
            owner: self.owner,
            source: self.source,
            min_score: self.min_score,
            max_score: self.max_score,
            search: self.search,
            include_converted: self.all,
            sort: self.sort,
            descending: !self.asc,
            limit,
            after,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct EditArgs {
    /// The lead id (or use --ids)
    #[arg(required_unless_present = "ids")]
    id: Option<LeadId>,
    /// Edit every lead whose id is in this file, one per line (- reads standard input, as
    /// `crm leads list --output ids` writes it)
    #[arg(long, value_name = "FILE", conflicts_with = "id")]
    ids: Option<String>,
    /// Give the leads to this user (as `crm leads assign`)
    #[arg(long, value_name = "USER")]
    owner: Option<String>,
    /// First name
    #[arg(long)]
    first_name: Option<String>,
    /// Last name
    #[arg(long)]
    last_name: Option<String>,
    /// Company name
    #[arg(long)]
    company: Option<String>,
    /// Job title
    #[arg(long)]
    job_title: Option<String>,
    /// Email address
    #[arg(long)]
    email: Option<String>,
    /// Phone number, as people write it
    #[arg(long)]
    phone: Option<String>,
    /// City or region
    #[arg(long)]
    location: Option<String>,
    /// Industry
    #[arg(long)]
    industry: Option<String>,
    /// Sales region
    #[arg(long)]
    region: Option<String>,
    /// Campaign id, code or name ('' for General / Unassigned)
    #[arg(long)]
    campaign: Option<String>,
    /// Where the lead came from (Website, Web form, Event, Referral, ...)
    #[arg(long)]
    source: Option<LeadSource>,
    /// UTM source tag (e.g. google)
    #[arg(long)]
    utm_source: Option<String>,
    /// UTM medium tag (e.g. cpc)
    #[arg(long)]
    utm_medium: Option<String>,
    /// UTM campaign tag
    #[arg(long)]
    utm_campaign: Option<String>,
    /// New, Contacted, Qualified or Lost (Lost cancels open drip tasks)
    #[arg(long)]
    stage: Option<LeadStage>,
    /// 0 to 100 (or use `crm leads score`)
    #[arg(long, allow_negative_numbers = true)]
    score: Option<i64>,
    /// Why the lead is at its stage (the status reason)
    #[arg(long)]
    reason: Option<String>,
    /// Free-text notes
    #[arg(long)]
    notes: Option<String>,
    /// When the lead was last contacted: a time, a date (09:00 UTC), 'now' or 'today'
    #[arg(long)]
    last_contacted: Option<When>,
    /// When to act next: a time, a date (09:00 UTC), 'now', 'today' or 'tomorrow'
    #[arg(long)]
    next_action: Option<When>,
    /// BANT budget: true or false
    #[arg(long)]
    budget: Option<bool>,
    /// BANT authority: true or false
    #[arg(long)]
    authority: Option<bool>,
    /// BANT need: true or false
    #[arg(long)]
    need: Option<bool>,
    /// BANT timeline: true or false
    #[arg(long)]
    timeline: Option<bool>,
    /// Products they are interested in
    #[arg(long)]
    products: Option<String>,
    /// The person agreed to email
    #[arg(long)]
    consent_email: Option<bool>,
    /// Consent under the GDPR
    #[arg(long)]
    consent_gdpr: Option<bool>,
    /// Consent under the CCPA
    #[arg(long)]
    consent_ccpa: Option<bool>,
}

fn opt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_default()
}

fn yes(b: bool) -> String {
    b.to_string()
}

impl Record for Lead {
    const COLUMNS: &'static [&'static str] = &[
        "id", "name", "company", "campaign", "source", "stage", "score", "temp", "owner",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "first_name",
        "last_name",
        "company",
        "job_title",
        "email",
        "phone",
        "location",
        "industry",
        "region",
        "campaign",
        "source",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "stage",
        "score",
        "temperature",
        "status_reason",
        "owner",
        "created_by",
        "notes",
        "last_contacted_at",
        "next_action_at",
        "bant_budget",
        "bant_authority",
        "bant_need",
        "bant_timeline",
        "interested_products",
        "consent_email",
        "consent_gdpr",
        "consent_ccpa",
        "converted_contact_id",
        "deal_id",
        "closed_at",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.full_name(),
            opt(self.company.as_deref()),
            self.campaign.clone(),
            self.source.to_string(),
            self.stage.to_string(),
            self.score.to_string(),
            self.temperature.to_string(),
            opt(self.owner.as_deref()),
        ]
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.first_name.clone(),
            opt(self.last_name.as_deref()),
            opt(self.company.as_deref()),
            opt(self.job_title.as_deref()),
            opt(self.email.as_deref()),
            opt(self.phone.as_deref()),
            opt(self.location.as_deref()),
            opt(self.industry.as_deref()),
            opt(self.region.as_deref()),
            self.campaign.clone(),
            self.source.to_string(),
            opt(self.utm_source.as_deref()),
            opt(self.utm_medium.as_deref()),
            opt(self.utm_campaign.as_deref()),
            self.stage.to_string(),
            self.score.to_string(),
            self.temperature.to_string(),
            opt(self.status_reason.as_deref()),
            opt(self.owner.as_deref()),
            opt(self.created_by.as_deref()),
            opt(self.notes.as_deref()),
            opt_time(self.last_contacted_at),
            opt_time(self.next_action_at),
            yes(self.bant.budget),
            yes(self.bant.authority),
            yes(self.bant.need),
            yes(self.bant.timeline),
            opt(self.interested_products.as_deref()),
            yes(self.consent_email),
            yes(self.consent_gdpr),
            yes(self.consent_ccpa),
            self.converted_contact_id
                .map(|c| c.to_string())
                .unwrap_or_default(),
            self.deal_id.map(|d| d.to_string()).unwrap_or_default(),
            opt_time(self.closed_at),
            time(self.created_at),
            time(self.updated_at),
        ]
    }
}

impl Record for ScorePart {
    const COLUMNS: &'static [&'static str] = &["rule", "points", "why"];
    const FIELDS: &'static [&'static str] = &["rule", "points", "why"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.rule.to_string(),
            self.points.to_string(),
            self.reason.clone(),
        ]
    }

    fn fields(&self) -> Vec<String> {
        self.cells()
    }
}

fn new_lead(a: AddArgs) -> NewLead {
    NewLead {
        first_name: a.first_name,
        last_name: a.last_name,
        company: a.company,
        job_title: a.job_title,
        email: a.email,
        phone: a.phone,
        location: a.location,
        industry: a.industry,
        region: a.region,
        campaign: a.campaign,
        source: a.source,
        utm_source: a.utm_source,
        utm_medium: a.utm_medium,
        utm_campaign: a.utm_campaign,
        stage: a.stage,
        score: a.score,
        status_reason: a.reason,
        owner: a.owner,
        auto_assign: a.auto_assign,
        notes: a.notes,
        bant: Bant {
            budget: a.budget,
            authority: a.authority,
            need: a.need,
            timeline: a.timeline,
        },
        interested_products: a.products,
        consent_email: a.consent_email,
        consent_gdpr: a.consent_gdpr,
        consent_ccpa: a.consent_ccpa,
        allow_duplicate: a.allow_duplicate,
    }
}

/// One lead (shown after), or every lead of `--ids` in one transaction (counted after).
fn edit(ctx: &Context, actor: &Actor, args: EditArgs) -> Result<()> {
    let (id, ids) = (args.id, args.ids.clone());
    let patch = patch(args, ctx.crm.now());
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

fn patch(a: EditArgs, now: DateTime<Utc>) -> LeadPatch {
    LeadPatch {
        first_name: a.first_name,
        last_name: a.last_name,
        company: a.company,
        job_title: a.job_title,
        email: a.email,
        phone: a.phone,
        location: a.location,
        industry: a.industry,
        region: a.region,
        campaign: a.campaign,
        source: a.source,
        utm_source: a.utm_source,
        utm_medium: a.utm_medium,
        utm_campaign: a.utm_campaign,
        stage: a.stage,
        score: a.score,
        status_reason: a.reason,
        notes: a.notes,
        last_contacted_at: a.last_contacted.map(|w| Some(w.at(now))),
        next_action_at: a.next_action.map(|w| Some(w.at(now))),
        bant_budget: a.budget,
        bant_authority: a.authority,
        bant_need: a.need,
        bant_timeline: a.timeline,
        interested_products: a.products,
        consent_email: a.consent_email,
        consent_gdpr: a.consent_gdpr,
        consent_ccpa: a.consent_ccpa,
        owner: a.owner,
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add(a) => {
            let added = ctx
                .crm
                .add_lead(&actor, &new_lead(*a))
                .map_err(super::with_duplicate_hint)?;
            ctx.out.show(&added)
        }
        Command::List(a) => list(ctx, &actor, *a),
        Command::Dupes(a) => super::dupes::run(ctx, &actor, EntityKind::Lead, &a),
        Command::Show { id } => show(ctx, &actor, id),
        Command::Edit(a) => edit(ctx, &actor, *a),
        Command::Delete { id, yes } => {
            if !yes {
                let lead = ctx.crm.lead(&actor, id)?;
                confirm(
                    &format!(
                        "Delete lead {id} '{}' with its tasks and notes?",
                        lead.full_name()
                    ),
                    "delete",
                )?;
            }
            let lead = ctx.crm.delete_lead(&actor, id)?;
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
            format!(
                "  lead {} {}: {} task(s) for {}{left_out}",
                l.lead_id,
                l.name,
                l.tasks.len(),
                opt(l.owner.as_deref())
            )
        })
        .collect();
    ctx.out.done(
        &report,
        &format!("Created {tasks} follow-up task(s):\n{}", lines.join("\n")),
    )
}

fn list(ctx: &Context, actor: &Actor, a: ListArgs) -> Result<()> {
    let query = a.query(ctx, actor)?;
    let page = ctx.crm.list_leads(actor, &query)?;
    ctx.out.list(&page.items)?;
    if let Some(next) = page.next_after {
        hint(&format!("more leads: add --after {next} for the next page"));
    }
    Ok(())
}
