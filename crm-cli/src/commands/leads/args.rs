//! The arguments of `crm leads add`, `list` and `edit`, and the service input each becomes.

use anyhow::Result;
use chrono::{DateTime, Utc};
use crm_core::{
    Actor, Bant, LeadId, LeadPatch, LeadQuery, LeadSort, LeadSource, LeadStage, NewLead,
    Temperature, When,
};

use crate::context::Context;
use crate::output::hint;

#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// First name; may be left out when a last name, email or phone says who the lead is
    #[arg(long)]
    pub(super) first_name: Option<String>,
    /// Last name
    #[arg(long)]
    pub(super) last_name: Option<String>,
    /// Company name
    #[arg(long)]
    pub(super) company: Option<String>,
    /// Job title
    #[arg(long)]
    pub(super) job_title: Option<String>,
    /// Email address
    #[arg(long)]
    pub(super) email: Option<String>,
    /// Phone number, as people write it
    #[arg(long)]
    pub(super) phone: Option<String>,
    /// City or region
    #[arg(long)]
    pub(super) location: Option<String>,
    /// Industry
    #[arg(long)]
    pub(super) industry: Option<String>,
    /// Sales region
    #[arg(long)]
    pub(super) region: Option<String>,
    /// Campaign id, code or name (default: General / Unassigned)
    #[arg(long)]
    pub(super) campaign: Option<String>,
    /// Website, Web form, Event, Referral, Webinar, Email, Social, Paid Ads, Cold call, Import, Other
    #[arg(long)]
    pub(super) source: Option<LeadSource>,
    /// UTM source tag (e.g. google)
    #[arg(long)]
    pub(super) utm_source: Option<String>,
    /// UTM medium tag (e.g. cpc)
    #[arg(long)]
    pub(super) utm_medium: Option<String>,
    /// UTM campaign tag
    #[arg(long)]
    pub(super) utm_campaign: Option<String>,
    /// New, Contacted, Qualified or Lost
    #[arg(long)]
    pub(super) stage: Option<LeadStage>,
    /// 0 to 100
    #[arg(long, allow_negative_numbers = true, value_parser = crate::flags::parse_score)]
    pub(super) score: Option<i64>,
    /// Why the lead is in its stage
    #[arg(long)]
    pub(super) reason: Option<String>,
    /// Username of the owner
    #[arg(long, conflicts_with = "auto_assign")]
    pub(super) owner: Option<String>,
    /// Give the lead to the next active sales rep in turn
    #[arg(long)]
    pub(super) auto_assign: bool,
    /// Free-text notes
    #[arg(long)]
    pub(super) notes: Option<String>,
    /// BANT: the lead has budget
    #[arg(long)]
    pub(super) budget: bool,
    /// BANT: the lead can decide
    #[arg(long)]
    pub(super) authority: bool,
    /// BANT: the lead has a need
    #[arg(long)]
    pub(super) need: bool,
    /// BANT: the lead has a timeline
    #[arg(long)]
    pub(super) timeline: bool,
    /// Products of interest
    #[arg(long)]
    pub(super) products: Option<String>,
    /// The person agreed to email
    #[arg(long)]
    pub(super) consent_email: bool,
    /// Consent under the GDPR
    #[arg(long)]
    pub(super) consent_gdpr: bool,
    /// Consent under the CCPA
    #[arg(long)]
    pub(super) consent_ccpa: bool,
    /// Add it even when a lead with the same email or phone (compared by digits) exists
    #[arg(long)]
    pub(super) allow_duplicate: bool,
    #[command(flatten)]
    pub(crate) custom: crate::flags::FieldArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pub(super) filters: Filters,
    #[command(flatten)]
    pub(super) columns: crate::flags::ColumnsArgs,
    /// Rows per page (1-1000)
    #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
    pub(super) limit: u32,
    /// Start after this lead id (printed at the end of the previous page)
    #[arg(long)]
    pub(super) after: Option<LeadId>,
    /// Also save these filters and sort as your view NAME (replacing one of that name)
    #[arg(long, value_name = "NAME", conflicts_with = "view")]
    pub(super) save: Option<String>,
    /// List with the filters and sort of your saved view NAME (crm views list shows them)
    #[arg(long, value_name = "NAME")]
    pub(super) view: Option<String>,
}

impl ListArgs {
    /// The query to run: the saved view's (with only --after added), or the one the flags
    /// spell out, saved first when --save asks for it.
    pub(super) fn query(self, ctx: &Context, actor: &Actor) -> Result<LeadQuery> {
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
    pub(super) stage: Option<LeadStage>,
    /// Hot, Warm or Cold
    #[arg(long)]
    pub(super) temperature: Option<Temperature>,
    /// Only Hot leads (score above 70)
    #[arg(long, conflicts_with = "temperature")]
    pub(super) hot: bool,
    /// Campaign id, code or name
    #[arg(long)]
    pub(super) campaign: Option<String>,
    /// Only leads of this owner (username)
    #[arg(long)]
    pub(super) owner: Option<String>,
    /// Only leads from this source (Website, Web form, Event, Referral, ...)
    #[arg(long)]
    pub(super) source: Option<LeadSource>,
    /// Only leads scoring at least this (0-100)
    #[arg(long)]
    pub(super) min_score: Option<i64>,
    /// Only leads scoring at most this (0-100)
    #[arg(long)]
    pub(super) max_score: Option<i64>,
    /// Words of the name, email, company, job title, phone or a custom text or choice field
    /// start with these words, any case ("aar sh" finds Aarav Sharma, "+91 98" his phone), as
    /// `crm search` matches
    #[arg(long)]
    pub(super) search: Option<String>,
    /// Include converted leads
    #[arg(long)]
    pub(super) all: bool,
    /// name, score, stage, company, created, updated, next-action or id, or a custom field's key (records without a value last)
    #[arg(long, default_value = "created", value_parser = crate::flags::sort_choice::<LeadSort>)]
    pub(super) sort: crm_core::SortChoice<LeadSort>,
    /// Oldest/lowest first (the default is newest/highest first)
    #[arg(long)]
    pub(super) asc: bool,
    #[command(flatten)]
    pub(crate) custom_where: crate::flags::WhereArgs,
}

impl Filters {
    pub(crate) fn query(self, limit: u32, after: Option<LeadId>) -> LeadQuery {
        let (sort, sort_field) = self.sort.split(LeadSort::Created);
        LeadQuery {
            wheres: self.custom_where.conditions,
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
            sort,
            sort_field,
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
    pub(super) id: Option<LeadId>,
    /// Edit every lead whose id is in this file, one per line (- reads standard input, as
    /// `crm leads list --output ids` writes it)
    #[arg(long, value_name = "FILE", conflicts_with = "id")]
    pub(super) ids: Option<String>,
    /// Give the leads to this user (as `crm leads assign`)
    #[arg(long, value_name = "USER")]
    pub(super) owner: Option<String>,
    /// First name
    #[arg(long)]
    pub(super) first_name: Option<String>,
    /// Last name
    #[arg(long)]
    pub(super) last_name: Option<String>,
    /// Company name
    #[arg(long)]
    pub(super) company: Option<String>,
    /// Job title
    #[arg(long)]
    pub(super) job_title: Option<String>,
    /// Email address
    #[arg(long)]
    pub(super) email: Option<String>,
    /// Phone number, as people write it
    #[arg(long)]
    pub(super) phone: Option<String>,
    /// City or region
    #[arg(long)]
    pub(super) location: Option<String>,
    /// Industry
    #[arg(long)]
    pub(super) industry: Option<String>,
    /// Sales region
    #[arg(long)]
    pub(super) region: Option<String>,
    /// Campaign id, code or name ('' for General / Unassigned)
    #[arg(long)]
    pub(super) campaign: Option<String>,
    /// Where the lead came from (Website, Web form, Event, Referral, ...)
    #[arg(long)]
    pub(super) source: Option<LeadSource>,
    /// UTM source tag (e.g. google)
    #[arg(long)]
    pub(super) utm_source: Option<String>,
    /// UTM medium tag (e.g. cpc)
    #[arg(long)]
    pub(super) utm_medium: Option<String>,
    /// UTM campaign tag
    #[arg(long)]
    pub(super) utm_campaign: Option<String>,
    /// New, Contacted, Qualified or Lost (Lost cancels open drip tasks)
    #[arg(long)]
    pub(super) stage: Option<LeadStage>,
    /// 0 to 100 (or use `crm leads score`)
    #[arg(long, allow_negative_numbers = true)]
    pub(super) score: Option<i64>,
    /// Why the lead is at its stage (the status reason)
    #[arg(long)]
    pub(super) reason: Option<String>,
    /// Free-text notes
    #[arg(long)]
    pub(super) notes: Option<String>,
    /// When the lead was last contacted: a time, a date (09:00 UTC), 'now' or 'today'
    #[arg(long)]
    pub(super) last_contacted: Option<When>,
    /// When to act next: a time, a date (09:00 UTC), 'now', 'today' or 'tomorrow'
    #[arg(long)]
    pub(super) next_action: Option<When>,
    /// BANT budget: true or false
    #[arg(long)]
    pub(super) budget: Option<bool>,
    /// BANT authority: true or false
    #[arg(long)]
    pub(super) authority: Option<bool>,
    /// BANT need: true or false
    #[arg(long)]
    pub(super) need: Option<bool>,
    /// BANT timeline: true or false
    #[arg(long)]
    pub(super) timeline: Option<bool>,
    /// Products they are interested in
    #[arg(long)]
    pub(super) products: Option<String>,
    /// The person agreed to email
    #[arg(long)]
    pub(super) consent_email: Option<bool>,
    /// Consent under the GDPR
    #[arg(long)]
    pub(super) consent_gdpr: Option<bool>,
    /// Consent under the CCPA
    #[arg(long)]
    pub(super) consent_ccpa: Option<bool>,
    /// Refuse the change when the lead is no longer at this version (as `show` printed it):
    /// a script never writes over a change someone made since it read the record
    #[arg(long, value_name = "N", conflicts_with = "ids")]
    pub(super) if_version: Option<crm_core::Version>,
    #[command(flatten)]
    pub(crate) custom: crate::flags::FieldArgs,
}

pub(super) fn new_lead(a: AddArgs) -> Result<NewLead> {
    Ok(NewLead {
        fields: a.custom.input()?,
        first_name: a.first_name.unwrap_or_default(),
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
    })
}

pub(super) fn patch(a: EditArgs, now: DateTime<Utc>) -> Result<LeadPatch> {
    Ok(LeadPatch {
        fields: a.custom.input()?,
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
        if_version: a.if_version,
    })
}
