//! `crm contacts ...`: the people a business works with.

use anyhow::Result;
use clap::Subcommand;
use crm_core::{
    Actor, Contact, ContactId, ContactPatch, ContactQuery, ContactSort, EntityKind, NewContact,
};

use crm_core::interop::CsvRow;

use crate::context::Context;
use crate::ids::read_ids;
use crate::output::{Record, confirm, confirm_on_terminal, hint, opt};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add a contact (you own it unless --owner names someone else)
    #[command(
        after_help = "Examples:\n  crm contacts add --first-name Aarav --last-name Sharma --email aarav@techverse.in \\\n      \
                            --phone '+91 98765 43120' --company TechVerse --tag customer --tag vip"
    )]
    Add(AddArgs),
    /// List contacts you may see, filtered, sorted and paged
    #[command(
        after_help = "Examples:\n  crm contacts list\n  crm contacts list --tag vip --sort company\n  \
                            crm contacts list --search sharma --output json\n  \
                            crm contacts list --limit 20 --after 57     (the next page after contact 57)\n  \
                            crm contacts list --tag vip --sort company --save vips\n  crm contacts list --view vips"
    )]
    List(ListArgs),
    /// Find contacts that look like the same person: same email, same phone (by digits), same or
    /// nearly the same name, in any order and spacing
    #[command(
        after_help = "Examples:\n  crm contacts dupes\n  crm contacts dupes --min-score 90 --output json\n  crm contacts dupes --min-score 95 --output ids

Each group is scored by its strongest evidence; the oldest record comes first, the natural one
to keep."
    )]
    Dupes(super::dupes::DupesArgs),
    /// Merge duplicates into one contact: its empty fields are filled from the others, their
    /// deals, tickets, tasks, notes, leads and feed move to it, and they are removed
    #[command(
        after_help = "Examples:\n  crm contacts merge 12 40 57     (keep 12; 40 and 57 go into it)\n  crm merges undo 3               (put them back)\n\nFind candidates with crm contacts dupes. The whole merge is one transaction and is\nrecorded, so crm merges undo ID restores the removed contacts and their links."
    )]
    Merge {
        /// The contact to keep
        keep: ContactId,
        /// The contacts to merge into it
        #[arg(required = true)]
        others: Vec<ContactId>,
    },
    /// Show every field of one contact
    #[command(after_help = "Example:\n  crm contacts show 12")]
    Show {
        /// The contact id
        id: ContactId,
    },
    /// Change fields of a contact; an empty value clears an optional field
    #[command(
        after_help = "Examples:\n  crm contacts edit 12 --job-title CTO --add-tag renewal\n  crm contacts edit 12 --phone ''"
    )]
    Edit(EditArgs),
    /// Delete a contact with its notes and tasks, or many with --ids
    #[command(
        after_help = "Examples:\n  crm contacts delete 12          (asks first on a terminal)\n  crm contacts delete 12 --yes\n  crm contacts list --tag bounced --output ids | crm contacts delete --ids - --yes\n\nWith --ids, every contact goes in one transaction: one that cannot go (linked to a deal or\nticket, or not yours) and none do. Without --yes it asks on the terminal first."
    )]
    Delete {
        /// The contact id (or use --ids)
        #[arg(required_unless_present = "ids")]
        id: Option<ContactId>,
        /// Delete every contact whose id is in this file, one per line (- reads standard input,
        /// as `crm contacts list --output ids` writes it)
        #[arg(long, value_name = "FILE", conflicts_with = "id")]
        ids: Option<String>,
        /// Do not ask for confirmation
        #[arg(long, short)]
        yes: bool,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// First name; may be left out when a last name, email or phone says who the contact is
    #[arg(long)]
    first_name: Option<String>,
    /// Last name
    #[arg(long)]
    last_name: Option<String>,
    /// Email address
    #[arg(long)]
    email: Option<String>,
    /// Phone number, as people write it
    #[arg(long)]
    phone: Option<String>,
    /// Company name
    #[arg(long)]
    company: Option<String>,
    /// Job title
    #[arg(long)]
    job_title: Option<String>,
    /// City or region
    #[arg(long)]
    location: Option<String>,
    /// A tag (repeat, or separate with commas)
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Username of the owner (default: you; others need a manager)
    #[arg(long)]
    owner: Option<String>,
    /// The contact agreed to marketing email
    #[arg(long)]
    consent_email: bool,
    /// GDPR consent recorded
    #[arg(long)]
    consent_gdpr: bool,
    /// CCPA consent recorded
    #[arg(long)]
    consent_ccpa: bool,
    /// Add it even when a contact with the same email or phone (compared by digits) exists
    #[arg(long)]
    allow_duplicate: bool,
    #[command(flatten)]
    pub(crate) custom: crate::flags::FieldArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    filters: Filters,
    #[command(flatten)]
    columns: crate::flags::ColumnsArgs,
    /// Rows per page (1-1000)
    #[arg(long, default_value_t = 50, value_parser = crate::flags::page_limit)]
    limit: u32,
    /// Start after this contact id (printed at the end of the previous page)
    #[arg(long)]
    after: Option<ContactId>,
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
    fn query(self, ctx: &Context, actor: &Actor) -> Result<ContactQuery> {
        let typed = self.filters.query(self.limit, self.after);
        if let Some(name) = &self.view {
            let untouched = ContactQuery {
                limit: self.limit,
                after: self.after,
                ..ContactQuery::default()
            };
            if typed != untouched {
                anyhow::bail!(
                    "invalid view: --view {name} brings its own filters and sort; drop the other flags or save a new view with --save"
                );
            }
            return Ok(ctx
                .crm
                .contact_view(actor, name)?
                .paged(self.limit, self.after, None));
        }
        if let Some(name) = &self.save {
            ctx.crm.save_contact_view(actor, name, &typed)?;
            hint(&format!(
                "saved as your view '{name}': crm contacts list --view {name}"
            ));
        }
        Ok(typed)
    }
}

/// What `list` and `export` select, and in which order.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Filters {
    /// Only contacts owned by this username
    #[arg(long)]
    owner: Option<String>,
    /// Company contains this text (any case)
    #[arg(long)]
    company: Option<String>,
    /// Has this tag
    #[arg(long)]
    tag: Option<String>,
    /// Words of the name, email, company, job title, phone or a custom text or choice field
    /// start with these words, any case ("red" finds Kavya Reddy, "+91 99" her phone), as
    /// `crm search` matches
    #[arg(long)]
    search: Option<String>,
    /// name, company, email, created, updated or id, or a custom field's key (records without a value last)
    #[arg(long, default_value = "name", value_parser = crate::flags::sort_choice::<ContactSort>)]
    sort: crm_core::SortChoice<ContactSort>,
    /// Reverse the order
    #[arg(long)]
    desc: bool,
    #[command(flatten)]
    pub(crate) custom_where: crate::flags::WhereArgs,
}

impl Filters {
    pub(crate) fn query(self, limit: u32, after: Option<ContactId>) -> ContactQuery {
        let (sort, sort_field) = self.sort.split(ContactSort::Name);
        ContactQuery {
            wheres: self.custom_where.conditions,
            owner: self.owner,
            company: self.company,
            tag: self.tag,
            search: self.search,
            sort,
            sort_field,
            descending: self.desc,
            limit,
            after,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct EditArgs {
    /// The contact id
    id: ContactId,
    /// First name
    #[arg(long)]
    first_name: Option<String>,
    /// Last name
    #[arg(long)]
    last_name: Option<String>,
    /// Email address
    #[arg(long)]
    email: Option<String>,
    /// Phone number, as people write it
    #[arg(long)]
    phone: Option<String>,
    /// Company name
    #[arg(long)]
    company: Option<String>,
    /// Job title
    #[arg(long)]
    job_title: Option<String>,
    /// City or region
    #[arg(long)]
    location: Option<String>,
    /// Add a tag (repeatable)
    #[arg(long = "add-tag")]
    add_tags: Vec<String>,
    /// Remove a tag (repeatable)
    #[arg(long = "remove-tag")]
    remove_tags: Vec<String>,
    /// Username of the new owner ('' for none)
    #[arg(long)]
    owner: Option<String>,
    /// true or false
    #[arg(long)]
    consent_email: Option<bool>,
    /// true or false
    #[arg(long)]
    consent_gdpr: Option<bool>,
    /// true or false
    #[arg(long)]
    consent_ccpa: Option<bool>,
    /// Refuse the change when the contact is no longer at this version (as `show` printed it):
    /// a script never writes over a change someone made since it read the record
    #[arg(long, value_name = "N")]
    if_version: Option<crm_core::Version>,
    #[command(flatten)]
    pub(crate) custom: crate::flags::FieldArgs,
}

impl Record for Contact {
    const COLUMNS: &'static [&'static str] =
        &["id", "name", "company", "email", "phone", "owner", "tags"];
    const FIELDS: &'static [&'static str] = <Self as CsvRow>::FIELDS;

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.full_name(),
            opt(self.company.as_deref()),
            opt(self.email.as_deref()),
            opt(self.phone.as_deref()),
            opt(self.owner.as_deref()),
            self.tags.join(", "),
        ]
    }

    fn custom(&self) -> Option<&crm_core::FieldValues> {
        Some(&self.fields)
    }

    fn fields(&self) -> Vec<String> {
        CsvRow::fields(self)
    }
}

pub(crate) fn run(ctx: &Context, command: Command) -> Result<()> {
    let actor = ctx.actor()?;
    match command {
        Command::Add(a) => {
            let new = NewContact {
                fields: a.custom.input()?,
                first_name: a.first_name.unwrap_or_default(),
                last_name: a.last_name,
                email: a.email,
                phone: a.phone,
                company: a.company,
                job_title: a.job_title,
                location: a.location,
                tags: a.tags,
                owner: a.owner,
                consent_email: a.consent_email,
                consent_gdpr: a.consent_gdpr,
                consent_ccpa: a.consent_ccpa,
                allow_duplicate: a.allow_duplicate,
            };
            let added = ctx
                .crm
                .add_contact(&actor, &new)
                .map_err(super::with_duplicate_hint)?;
            ctx.out.show(&added)
        }
        Command::Merge { keep, others } => {
            let merge = ctx.crm.merge_contacts(&actor, keep, &others)?;
            ctx.out
                .done(&merge, &super::merges::merged_sentence(&merge))
        }
        Command::Dupes(a) => super::dupes::run(ctx, &actor, EntityKind::Contact, &a),
        Command::List(a) => {
            let columns = a
                .columns
                .keys(&ctx.crm, &actor, crm_core::FieldsOf::Contacts)?;
            let query = a.query(ctx, &actor)?;
            let page = ctx.crm.list_contacts(&actor, &query)?;
            ctx.out.list_with(&page.items, &columns)?;
            if let Some(next) = page.next_after {
                hint(&format!(
                    "more contacts: add --after {next} for the next page"
                ));
            }
            Ok(())
        }
        Command::Show { id } => ctx.out.show(&ctx.crm.contact(&actor, id)?),
        Command::Edit(a) => {
            let patch = ContactPatch {
                fields: a.custom.input()?,
                first_name: a.first_name,
                last_name: a.last_name,
                email: a.email,
                phone: a.phone,
                company: a.company,
                job_title: a.job_title,
                location: a.location,
                add_tags: a.add_tags,
                remove_tags: a.remove_tags,
                owner: a.owner,
                consent_email: a.consent_email,
                consent_gdpr: a.consent_gdpr,
                consent_ccpa: a.consent_ccpa,
                if_version: a.if_version,
            };
            ctx.out.show(&ctx.crm.edit_contact(&actor, a.id, &patch)?)
        }
        Command::Delete { id, ids, yes } => match (id, ids) {
            (Some(id), _) => delete_one(ctx, &actor, id, yes),
            (None, Some(source)) => delete_many(ctx, &actor, &source, yes),
            (None, None) => unreachable!("clap requires an id or --ids"),
        },
    }
}

fn delete_one(ctx: &Context, actor: &Actor, id: ContactId, yes: bool) -> Result<()> {
    let seen = if yes {
        None
    } else {
        let contact = ctx.crm.contact(actor, id)?;
        confirm(
            &format!(
                "Delete contact {id} '{}' with its notes and tasks?",
                contact.full_name()
            ),
            "delete",
        )?;
        Some(contact.version)
    };
    let deleted = ctx.crm.delete_contact(actor, id, seen)?;
    ctx.out.done(
        &deleted,
        &format!(
            "Deleted contact {} '{}' ({} notes, {} tasks removed with it)",
            deleted.id, deleted.name, deleted.notes, deleted.tasks
        ),
    )
}

/// Every contact of `--ids` in one transaction. The question goes to the terminal, since
/// standard input may be carrying the ids.
fn delete_many(ctx: &Context, actor: &Actor, source: &str, yes: bool) -> Result<()> {
    let ids: Vec<ContactId> = read_ids(source, EntityKind::Contact)?
        .into_iter()
        .map(ContactId)
        .collect();
    if !yes {
        let n = ids.iter().collect::<std::collections::BTreeSet<_>>().len();
        confirm_on_terminal(
            &format!("Delete {n} contact(s) with their notes and tasks?"),
            "delete",
        )?;
    }
    let deleted = ctx.crm.delete_contacts(actor, &ids)?;
    let (notes, tasks) = deleted
        .iter()
        .fold((0, 0), |(n, t), d| (n + d.notes, t + d.tasks));
    ctx.out.done(
        &deleted,
        &format!(
            "{} contact(s) deleted ({notes} notes, {tasks} tasks removed with them)",
            deleted.len()
        ),
    )
}
