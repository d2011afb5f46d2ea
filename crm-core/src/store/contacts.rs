//! The `contacts` and `contact_tags` tables.

use super::sql::Value;
use super::sql::{OptionalExtension, Row, params};

use super::filter::{Filter, Keyset, contains_pattern};
use super::{Tx, time_at};
use crate::auth::Scope;
use crate::{CompanyId, Contact, ContactId, ContactSort, Page, Result, UserId};

/// Validated values of a contact row.
pub(crate) struct ContactRow {
    pub(crate) first_name: String,
    pub(crate) last_name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) company_id: Option<CompanyId>,
    pub(crate) job_title: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) owner_id: Option<UserId>,
    pub(crate) consent_email: bool,
    pub(crate) consent_gdpr: bool,
    pub(crate) consent_ccpa: bool,
}

impl From<Contact> for ContactRow {
    fn from(c: Contact) -> Self {
        ContactRow {
            first_name: c.first_name,
            last_name: c.last_name,
            email: c.email,
            phone: c.phone,
            company: c.company,
            company_id: c.company_id,
            job_title: c.job_title,
            location: c.location,
            tags: c.tags,
            owner_id: c.owner_id,
            consent_email: c.consent_email,
            consent_gdpr: c.consent_gdpr,
            consent_ccpa: c.consent_ccpa,
        }
    }
}

/// Filters of a listing, with names already resolved to ids.
pub(crate) struct ContactFilter<'a> {
    /// Conditions on custom fields.
    pub(crate) fields: Vec<crate::store::FieldTest>,
    pub(crate) scope: Scope,
    pub(crate) owner: Option<UserId>,
    pub(crate) company: Option<&'a str>,
    pub(crate) tag: Option<&'a str>,
    pub(crate) search: Option<&'a str>,
    pub(crate) sort: ContactSort,
    /// A custom field to sort by instead of `sort`.
    pub(crate) by_field: Option<crate::store::FieldSort>,
    pub(crate) descending: bool,
    pub(crate) limit: u32,
    pub(crate) after: Option<ContactId>,
}

/// What still points at a contact, and decides whether it may be deleted.
pub(crate) struct ContactLinks {
    pub(crate) deals: i64,
    pub(crate) tickets: i64,
    pub(crate) notes: i64,
    pub(crate) tasks: i64,
    pub(crate) converted_leads: i64,
}

const SELECT: &str =
    "SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.company, c.company_id, c.job_title,
        c.location, c.owner_id, u.username AS owner, c.source_lead_id, c.consent_email,
        c.consent_gdpr, c.consent_ccpa, c.created_at, c.updated_at, c.version,
        (SELECT group_concat(tag, ',') FROM
            (SELECT tag FROM contact_tags t WHERE t.contact_id = c.id ORDER BY tag) AS sorted) AS tags
    FROM contacts c LEFT JOIN users u ON u.id = c.owner_id";

/// As [`SELECT`] for a listing, without the tags: a page's rows are sorted with every column
/// read, and a search's page may sort thousands to keep fifty; the page's own tags are read
/// after ([`Tx::fill_tags`]).
const LIST_SELECT: &str =
    "SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.company, c.company_id, c.job_title,
        c.location, c.owner_id, u.username AS owner, c.source_lead_id, c.consent_email,
        c.consent_gdpr, c.consent_ccpa, c.created_at, c.updated_at, c.version, NULL AS tags
    FROM contacts c LEFT JOIN users u ON u.id = c.owner_id";

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<Contact> {
    let tags: Option<String> = row.get("tags")?;
    Ok(Contact {
        fields: crate::FieldValues::default(),
        version: crate::Version(row.get("version")?),
        id: ContactId(row.get("id")?),
        first_name: row.get("first_name")?,
        last_name: row.get("last_name")?,
        email: row.get("email")?,
        phone: row.get("phone")?,
        company: row.get("company")?,
        company_id: row.get::<_, Option<i64>>("company_id")?.map(CompanyId),
        job_title: row.get("job_title")?,
        location: row.get("location")?,
        tags: tags
            .map(|t| t.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        owner_id: row.get::<_, Option<i64>>("owner_id")?.map(UserId),
        owner: row.get("owner")?,
        source_lead_id: row.get("source_lead_id")?,
        consent_email: row.get("consent_email")?,
        consent_gdpr: row.get("consent_gdpr")?,
        consent_ccpa: row.get("consent_ccpa")?,
        created_at: time_at(row, "created_at")?,
        updated_at: time_at(row, "updated_at")?,
    })
}

/// The ORDER BY key of each sort, as expressions over the table alias `{t}`. Text keys compare
/// without case and treat a missing value as empty, so keyset paging never skips NULL rows.
fn sort_keys(sort: ContactSort) -> &'static [&'static str] {
    match sort {
        ContactSort::Name => &[
            "{t}.first_name COLLATE NOCASE",
            "ifnull({t}.last_name, '') COLLATE NOCASE",
        ],
        ContactSort::Company => &["ifnull({t}.company, '') COLLATE NOCASE"],
        ContactSort::Email => &["ifnull({t}.email, '') COLLATE NOCASE"],
        // Ids are handed out in creation order, so the id is the creation order; unlike
        // created_at it has no ties (an import gives a million rows one timestamp), which
        // keeps every page after a keyset cursor an index seek.
        ContactSort::Created | ContactSort::Id => &[],
        ContactSort::Updated => &["{t}.updated_at"],
    }
}

impl Tx<'_> {
    /// The oldest contact with this email (any case), for duplicate checks.
    /// The first contact with this email (any case) in the scope.
    pub(crate) fn contact_id_by_email(
        &self,
        email: &str,
        scope: Scope,
    ) -> Result<Option<ContactId>> {
        let mut filter = Filter::default();
        filter.and(
            "x.email = ? COLLATE NOCASE",
            [Value::Text(email.to_string())],
        );
        filter.scope(scope, "x", "owner_id");
        let sql = format!(
            "SELECT x.id FROM contacts x {} ORDER BY x.id LIMIT 1",
            filter.where_sql()
        );
        Ok(self
            .prepare_cached(&sql)?
            .query_row(super::sql::params_from_iter(&filter.args), |r| r.get(0))
            .optional()?
            .map(ContactId))
    }

    pub(crate) fn insert_contact(&self, row: &ContactRow, now: &str) -> Result<ContactId> {
        let id = ContactId(self.insert(
            "INSERT INTO contacts (first_name, last_name, email, phone, company, job_title, location,
                owner_id, consent_email, consent_gdpr, consent_ccpa, created_at, updated_at, company_id,
                import_batch)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14)",
            params![
                row.first_name, row.last_name, row.email, row.phone, row.company, row.job_title,
                row.location, row.owner_id.map(|o| o.0), row.consent_email, row.consent_gdpr,
                row.consent_ccpa, now, row.company_id.map(|c| c.0), self.stamp()
            ],
        )?);
        self.replace_tags(id, &row.tags)?;
        Ok(id)
    }

    pub(crate) fn update_contact(&self, id: ContactId, row: &ContactRow, now: &str) -> Result<()> {
        self.execute(
            "UPDATE contacts SET first_name = ?2, last_name = ?3, email = ?4, phone = ?5, company = ?6,
                job_title = ?7, location = ?8, owner_id = ?9, consent_email = ?10, consent_gdpr = ?11,
                consent_ccpa = ?12, updated_at = ?13, company_id = ?14
             WHERE id = ?1",
            params![
                id.0, row.first_name, row.last_name, row.email, row.phone, row.company, row.job_title,
                row.location, row.owner_id.map(|o| o.0), row.consent_email, row.consent_gdpr,
                row.consent_ccpa, now, row.company_id.map(|c| c.0)
            ],
        )?;
        self.replace_tags(id, &row.tags)
    }

    pub(crate) fn replace_tags(&self, id: ContactId, tags: &[String]) -> Result<()> {
        self.execute("DELETE FROM contact_tags WHERE contact_id = ?1", [id.0])?;
        let mut stmt = self.prepare_cached(
            "INSERT INTO contact_tags (contact_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?;
        for tag in tags {
            stmt.execute(params![id.0, tag])?;
        }
        Ok(())
    }

    pub(crate) fn contact(&self, id: ContactId) -> Result<Option<Contact>> {
        let sql = format!("{SELECT} WHERE c.id = ?1");
        Ok(self.query_row(&sql, [id.0], from_row).optional()?)
    }

    /// True when the contact exists and lies in `scope`.
    pub(crate) fn contact_in_scope(&self, id: ContactId, scope: Scope) -> Result<bool> {
        self.in_scope("contacts", id.0, scope)
    }

    pub(crate) fn list_contacts(&self, f: &ContactFilter<'_>) -> Result<Page<Contact>> {
        let mut filter = Filter::default();
        filter.scope_for_page(f.scope, "c", "owner_id");
        if let Some(owner) = f.owner {
            filter.and("+c.owner_id = ?", [Value::Integer(owner.0)]);
        }
        if let Some(company) = f.company {
            filter.and(
                "lower(c.company) LIKE ? ESCAPE '\\'",
                [contains_pattern(company)],
            );
        }
        if let Some(tag) = f.tag {
            filter.and(
                "EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = ?)",
                [Value::Text(tag.to_string())],
            );
        }
        self.narrow_by_fields(&mut filter, "c", &f.fields)?;

        let search = f
            .search
            .map(|text| self.search_narrowing("c", crate::EntityKind::Contact, text))
            .transpose()?;
        let keyset = Keyset::new(
            "contacts",
            "c",
            &crate::store::FieldSort::keys_or(f.by_field, sort_keys(f.sort), f.descending),
            f.descending,
            f.after.map(|a| a.0),
        );
        let mut page = self.searched_page_of(
            LIST_SELECT,
            &filter,
            search,
            &keyset,
            f.limit,
            from_row,
            |c| c.id.0,
        )?;
        self.fill_tags(&mut page.items)?;
        Ok(page)
    }

    /// Reads each contact's tags, in order.
    fn fill_tags(&self, contacts: &mut [Contact]) -> Result<()> {
        let mut stmt =
            self.prepare_cached("SELECT tag FROM contact_tags WHERE contact_id = ?1 ORDER BY tag")?;
        for contact in contacts {
            let tags = stmt.query_map([contact.id.0], |r| r.get::<_, String>(0))?;
            contact.tags = tags.collect::<super::sql::SqlResult<_>>()?;
        }
        Ok(())
    }

    pub(crate) fn contact_links(&self, id: ContactId) -> Result<ContactLinks> {
        Ok(self.query_row(
            "SELECT (SELECT count(*) FROM deals WHERE contact_id = ?1),
                    (SELECT count(*) FROM tickets WHERE contact_id = ?1),
                    (SELECT count(*) FROM notes WHERE contact_id = ?1),
                    (SELECT count(*) FROM tasks WHERE contact_id = ?1),
                    (SELECT count(*) FROM leads WHERE converted_contact_id = ?1)",
            [id.0],
            |r| {
                Ok(ContactLinks {
                    deals: r.get(0)?,
                    tickets: r.get(1)?,
                    notes: r.get(2)?,
                    tasks: r.get(3)?,
                    converted_leads: r.get(4)?,
                })
            },
        )?)
    }

    /// Records which lead a contact came from, unless it already came from one.
    pub(crate) fn set_contact_source_lead(&self, id: ContactId, lead: crate::LeadId) -> Result<()> {
        self.execute(
            "UPDATE contacts SET source_lead_id = ?2 WHERE id = ?1 AND source_lead_id IS NULL",
            params![id.0, lead.0],
        )?;
        Ok(())
    }

    /// Deletes the contact with its tags, notes and tasks (the foreign keys cascade).
    pub(crate) fn delete_contact(&self, id: ContactId) -> Result<()> {
        self.execute("DELETE FROM contacts WHERE id = ?1", [id.0])?;
        Ok(())
    }
}
