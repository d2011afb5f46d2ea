//! `crm companies ...`: the organisations contacts work for and deals are won from.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{
    Actor, Company, CompanyContact, CompanyDeal, CompanyId, CompanyLead, CompanyPage, CompanyPatch,
    CompanyQuery, CompanySort, CompanyTicket, EntityKind, Money, NewCompany,
};

use crate::context::Context;
use crate::flags::OutputFormat;
use crate::output::{Record, confirm, hint, opt, time};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add a company (you own it unless --owner names someone else)
    #[command(
        after_help = "Examples:\n  crm companies add 'TechVerse Solutions Pvt Ltd' --domain techverse.in --industry Software --size 51-200\n  crm companies add Acme --phone '+1 555 0100' --address '1 Main St, Springfield'

Contacts and leads link to companies on their own: their company text finds the company by
name (case, punctuation and suffixes such as Pvt Ltd, Inc or LLC aside), or a new one is made;
with no company text, a business email's domain finds it."
    )]
    Add(AddArgs),
    /// List companies, filtered, sorted and paged
    #[command(
        after_help = "Examples:\n  crm companies list\n  crm companies list --industry software --sort domain\n  crm companies list --search acme --output json"
    )]
    List(ListArgs),
    /// The company page: its fields, contacts, open leads, open deals, won revenue and tickets
    #[command(
        after_help = "Examples:\n  crm companies show 3\n  crm companies show 'techverse solutions'\n  crm companies show 3 --output json

Under the company you see the records you may read: a sales rep sees their own contacts,
leads and deals (and the revenue of those deals)."
    )]
    Show {
        /// Company id or name
        company: String,
    },
    /// Change fields of a company; an empty value clears an optional field
    #[command(
        after_help = "Examples:\n  crm companies edit 3 --industry Fintech --size 201-500\n  crm companies edit acme --domain acme.com --owner asha"
    )]
    Edit(EditArgs),
    /// Delete a company that nothing links to any more
    #[command(
        after_help = "Examples:\n  crm companies delete 7 --yes\n\nRefused while contacts, leads or deals link to it: merge it into another company instead."
    )]
    Delete {
        /// Company id or name
        company: String,
        /// Do not ask for confirmation
        #[arg(long, short)]
        yes: bool,
    },
    /// Find companies that look like one: same domain, same phone, same or nearly the same name
    /// once case, punctuation and legal suffixes are set aside
    #[command(
        after_help = "Examples:\n  crm companies dupes\n  crm companies dupes --min-score 100 --output json\n\nMerge a group with: crm companies merge KEEP OTHER..."
    )]
    Dupes(super::dupes::DupesArgs),
    /// Merge duplicate companies into one: their contacts, leads and deals move to it, its
    /// empty fields are filled from them, and they are removed
    #[command(
        after_help = "Example:\n  crm companies merge 3 8 11     (keep 3; 8 and 11 go into it)"
    )]
    Merge {
        /// The company to keep
        keep: CompanyId,
        /// The companies to merge into it
        #[arg(required = true)]
        others: Vec<CompanyId>,
    },
}

/// What `add` and `edit` both set; in `edit` an empty value ('') clears a field.
#[derive(Debug, clap::Args)]
pub(crate) struct Fields {
    /// Web domain, e.g. acme.com (a URL is fine: https://www.acme.com/ is stored as acme.com)
    #[arg(long)]
    domain: Option<String>,
    /// Industry
    #[arg(long)]
    industry: Option<String>,
    /// Head count: 1-10, 11-50, 51-200, 201-500, 501-1000 or 1000+
    #[arg(long)]
    size: Option<String>,
    /// Phone number, as people write it
    #[arg(long)]
    phone: Option<String>,
    /// Postal address
    #[arg(long)]
    address: Option<String>,
    /// Username of the owner (add: default you; giving it to others needs a manager)
    #[arg(long)]
    owner: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// The company's name
    name: String,
    #[command(flatten)]
    fields: Fields,
    /// Add it even when a company with the same name or domain exists
    #[arg(long)]
    allow_duplicate: bool,
    #[command(flatten)]
    pub(crate) custom: crate::flags::FieldArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    columns: crate::flags::ColumnsArgs,
    /// Name or domain contains this text (any case)
    #[arg(long)]
    search: Option<String>,
    /// Industry contains this text (any case)
    #[arg(long)]
    industry: Option<String>,
    /// Only companies owned by this username
    #[arg(long)]
    owner: Option<String>,
    /// name, domain, industry, created or id, or a custom field's key (records without a value last)
    #[arg(long, default_value = "name", value_parser = crate::flags::sort_choice::<CompanySort>)]
    sort: crm_core::SortChoice<CompanySort>,
    /// Reverse the order
    #[arg(long)]
    desc: bool,
    /// Rows per page (1-1000)
    #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
    limit: u32,
    /// Start after this company id (printed at the end of the previous page)
    #[arg(long)]
    after: Option<CompanyId>,
    #[command(flatten)]
    pub(crate) custom_where: crate::flags::WhereArgs,
}

impl ListArgs {
    fn query(&self) -> CompanyQuery {
        let (sort, sort_field) = self.sort.split(CompanySort::Name);
        CompanyQuery {
            wheres: self.custom_where.conditions.clone(),
            search: self.search.clone(),
            industry: self.industry.clone(),
            owner: self.owner.clone(),
            sort,
            sort_field,
            descending: self.desc,
            limit: self.limit,
            after: self.after,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct EditArgs {
    /// Company id or name
    company: String,
    /// A new name
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    fields: Fields,
    /// Refuse the change when the company is no longer at this version (as `show` printed it):
    /// a script never writes over a change someone made since it read the record
    #[arg(long, value_name = "N")]
    if_version: Option<crm_core::Version>,
    #[command(flatten)]
    pub(crate) custom: crate::flags::FieldArgs,
}

impl Record for Company {
    const COLUMNS: &'static [&'static str] = &[
        "id", "name", "domain", "industry", "size", "contacts", "leads", "deals", "owner",
    ];
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "domain",
        "industry",
        "size",
        "phone",
        "address",
        "owner",
        "contacts",
        "leads",
        "deals",
        "created_at",
        "updated_at",
        "version",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            opt(self.domain.as_deref()),
            opt(self.industry.as_deref()),
            self.size.map(|s| s.to_string()).unwrap_or_default(),
            self.contacts.to_string(),
            self.leads.to_string(),
            self.deals.to_string(),
            opt(self.owner.as_deref()),
        ]
    }

    fn custom(&self) -> Option<&crm_core::FieldValues> {
        Some(&self.fields)
    }

    fn fields(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            opt(self.domain.as_deref()),
            opt(self.industry.as_deref()),
            self.size.map(|s| s.to_string()).unwrap_or_default(),
            opt(self.phone.as_deref()),
            opt(self.address.as_deref()),
            opt(self.owner.as_deref()),
            self.contacts.to_string(),
            self.leads.to_string(),
            self.deals.to_string(),
            time(self.created_at),
            time(self.updated_at),
            self.version.to_string(),
        ]
    }
}

/// Rows of the page's sections print as compact tables; their fields are their cells.
macro_rules! section_record {
    ($type:ty, [$($column:literal),+], |$it:ident| $cells:expr) => {
        impl Record for $type {
            const COLUMNS: &'static [&'static str] = &[$($column),+];
            const FIELDS: &'static [&'static str] = &[$($column),+];

            fn cells(&self) -> Vec<String> {
                let $it = self;
                $cells
            }

            fn fields(&self) -> Vec<String> {
                self.cells()
            }
        }
    };
}

section_record!(
    CompanyContact,
    ["id", "name", "job_title", "email", "phone", "owner"],
    |c| vec![
        c.id.to_string(),
        c.name.clone(),
        opt(c.job_title.as_deref()),
        opt(c.email.as_deref()),
        opt(c.phone.as_deref()),
        opt(c.owner.as_deref()),
    ]
);
section_record!(
    CompanyLead,
    ["id", "name", "stage", "score", "owner"],
    |l| vec![
        l.id.to_string(),
        l.name.clone(),
        l.stage.clone(),
        l.score.to_string(),
        opt(l.owner.as_deref()),
    ]
);
section_record!(
    CompanyDeal,
    ["id", "title", "stage", "amount", "owner"],
    |d| vec![
        d.id.to_string(),
        d.title.clone(),
        d.stage.clone(),
        Money::new(d.amount, d.currency).to_string(),
        opt(d.owner.as_deref()),
    ]
);
section_record!(
    CompanyTicket,
    ["id", "subject", "status", "priority", "contact"],
    |t| vec![
        t.id.to_string(),
        t.subject.clone(),
        t.status.clone(),
        t.priority.clone(),
        t.contact.clone(),
    ]
);

/// The company page for people: the company's fields, then one section per kind of record.
fn show_page(ctx: &Context, page: &CompanyPage) -> Result<()> {
    if ctx.out.format() != OutputFormat::Table {
        return match ctx.out.format() {
            OutputFormat::Json => ctx.out.json(page),
            _ => ctx.out.show(&page.company),
        };
    }
    ctx.out.show(&page.company)?;
    let revenue = if page.won_revenue.is_empty() {
        "none yet".to_string()
    } else {
        page.won_revenue
            .iter()
            .map(|r| {
                format!(
                    "{} from {} deal(s)",
                    Money::new(r.amount, r.currency),
                    r.deals
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    ctx.out.text(&format!("\nWon revenue: {revenue}"))?;
    section(ctx, "Contacts", &page.contacts)?;
    section(ctx, "Open leads", &page.leads)?;
    section(ctx, "Open deals", &page.open_deals)?;
    section(ctx, "Tickets", &page.tickets)
}

fn section<T: Record>(ctx: &Context, title: &str, items: &[T]) -> Result<()> {
    let shown = if items.len() >= CompanyPage::SECTION {
        format!("the first {}", items.len())
    } else {
        items.len().to_string()
    };
    ctx.out.text(&format!("\n{title} ({shown}):"))?;
    if items.is_empty() {
        return ctx.out.text("  none you can see");
    }
    ctx.out.list(items)
}

fn find(ctx: &Context, actor: &Actor, text: &str) -> Result<CompanyId> {
    Ok(ctx.crm.find_company(actor, text)?)
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add(a) => {
            let f = a.fields;
            let new = NewCompany {
                fields: a.custom.input()?,
                name: a.name,
                domain: f.domain,
                industry: f.industry,
                size: f.size,
                phone: f.phone,
                address: f.address,
                owner: f.owner,
                allow_duplicate: a.allow_duplicate,
            };
            let added = ctx
                .crm
                .add_company(&actor, &new)
                .map_err(super::with_duplicate_hint)?;
            ctx.out.show(&added)
        }
        Command::List(a) => {
            let columns = a
                .columns
                .keys(&ctx.crm, &actor, crm_core::FieldsOf::Companies)?;
            let page = ctx.crm.list_companies(&actor, &a.query())?;
            ctx.out.list_with(&page.items, &columns)?;
            if let Some(next) = page.next_after {
                hint(&format!(
                    "more companies: add --after {next} for the next page"
                ));
            }
            Ok(())
        }
        Command::Show { company } => {
            let id = find(ctx, &actor, &company)?;
            show_page(ctx, &ctx.crm.company_page(&actor, id)?)
        }
        Command::Edit(a) => {
            let id = find(ctx, &actor, &a.company)?;
            let f = a.fields;
            let patch = CompanyPatch {
                fields: a.custom.input()?,
                name: a.name,
                domain: f.domain,
                industry: f.industry,
                size: f.size,
                phone: f.phone,
                address: f.address,
                owner: f.owner,
                if_version: a.if_version,
            };
            ctx.out.show(&ctx.crm.edit_company(&actor, id, &patch)?)
        }
        Command::Delete { company, yes } => {
            let id = find(ctx, &actor, &company)?;
            let seen = if yes {
                None
            } else {
                let found = ctx.crm.company(&actor, id)?;
                confirm(&format!("Delete company {id} '{}'?", found.name), "delete")?;
                Some(found.version)
            };
            let deleted = ctx.crm.delete_company(&actor, id, seen)?;
            ctx.out.done(
                &deleted,
                &format!("Deleted company {id} '{}'", deleted.name),
            )
        }
        Command::Dupes(a) => super::dupes::run(ctx, &actor, EntityKind::Company, &a),
        Command::Merge { keep, others } => {
            let merge = ctx.crm.merge_companies(&actor, keep, &others)?;
            ctx.out.done(
                &merge,
                &format!(
                    "Merged {} into company {} '{}': {} contact(s), lead(s) and deal(s) moved",
                    merge
                        .removed
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    merge.kept.id,
                    merge.kept.name,
                    merge.moved
                ),
            )
        }
    }
}
