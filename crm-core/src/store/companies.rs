//! The `companies` table, the links of contacts, leads and deals to it, and a company's page.

use super::sql::Value;
use super::sql::{Db, OptionalExtension, Row, params};

use super::filter::{Filter, Keyset, contains_pattern};
use super::{TicketScope, Tx, time_at};
use crate::auth::Scope;
use crate::rules::companies::{email_domain, name_key};
use crate::rules::dedupe::Candidate;
use crate::{
    BatchId, Company, CompanyContact, CompanyDeal, CompanyId, CompanyLead, CompanyPage,
    CompanySize, CompanySort, CompanyTicket, ContactId, Currency, DealId, LeadId, Page, Result,
    Revenue, TicketId, UserId,
};

/// Validated values of a company row.
pub(crate) struct CompanyRow {
    pub(crate) name: String,
    pub(crate) domain: Option<String>,
    pub(crate) industry: Option<String>,
    pub(crate) size: Option<CompanySize>,
    pub(crate) phone: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) owner_id: Option<UserId>,
}

impl From<&Company> for CompanyRow {
    fn from(c: &Company) -> Self {
        CompanyRow {
            name: c.name.clone(),
            domain: c.domain.clone(),
            industry: c.industry.clone(),
            size: c.size,
            phone: c.phone.clone(),
            address: c.address.clone(),
            owner_id: c.owner_id,
        }
    }
}

/// Filters of a company listing with names resolved.
pub(crate) struct CompanyFilter<'a> {
    /// Conditions on custom fields.
    pub(crate) fields: Vec<crate::store::FieldTest>,
    pub(crate) search: Option<&'a str>,
    pub(crate) industry: Option<&'a str>,
    pub(crate) owner: Option<UserId>,
    pub(crate) sort: CompanySort,
    /// A custom field to sort by instead of `sort`.
    pub(crate) by_field: Option<crate::store::FieldSort>,
    pub(crate) descending: bool,
    pub(crate) limit: u32,
    pub(crate) after: Option<CompanyId>,
}

/// The counts come from `company_tallies` (migration 0017), kept by triggers.
const SELECT: &str = "SELECT co.*, u.username AS owner_name,
        ifnull(t.contacts, 0) AS contact_count, ifnull(t.leads, 0) AS lead_count,
        ifnull(t.deals, 0) AS deal_count
    FROM companies co LEFT JOIN users u ON u.id = co.owner_id
    LEFT JOIN company_tallies t ON t.company_id = co.id";

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<Company> {
    let size: Option<String> = row.get("size")?;
    Ok(Company {
        fields: crate::FieldValues::default(),
        version: crate::Version(row.get("version")?),
        id: CompanyId(row.get("id")?),
        name: row.get("name")?,
        domain: row.get("domain")?,
        industry: row.get("industry")?,
        size: size.and_then(|s| s.parse().ok()),
        phone: row.get("phone")?,
        address: row.get("address")?,
        owner_id: row.get::<_, Option<i64>>("owner_id")?.map(UserId),
        owner: row.get("owner_name")?,
        contacts: row.get("contact_count")?,
        leads: row.get("lead_count")?,
        deals: row.get("deal_count")?,
        created_at: time_at(row, "created_at")?,
        updated_at: time_at(row, "updated_at")?,
    })
}

fn sort_keys(sort: CompanySort) -> &'static [&'static str] {
    match sort {
        CompanySort::Name => &["{t}.name COLLATE NOCASE"],
        CompanySort::Domain => &["ifnull({t}.domain, '')"],
        CompanySort::Industry => &["ifnull({t}.industry, '') COLLATE NOCASE"],
        CompanySort::Created | CompanySort::Id => &[],
    }
}

/// The oldest company whose name matches `key` or, failing that, whose domain is `domain`.
fn find(
    conn: Db<'_>,
    key: Option<&str>,
    domain: Option<&str>,
) -> super::sql::SqlResult<Option<i64>> {
    if let Some(key) = key {
        let found = conn
            .prepare_cached("SELECT id FROM companies WHERE name_key = ?1 ORDER BY id LIMIT 1")?
            .query_row([key], |r| r.get(0))
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    match domain {
        Some(domain) => conn
            .prepare_cached("SELECT id FROM companies WHERE domain = ?1 ORDER BY id LIMIT 1")?
            .query_row([domain], |r| r.get(0))
            .optional(),
        None => Ok(None),
    }
}

/// Inserts a company; `batch` stamps it as made by that import (the migration that backfills
/// companies runs before the stamp column exists, and passes none).
fn insert(
    conn: Db<'_>,
    row: &CompanyRow,
    now: &str,
    batch: Option<i64>,
) -> super::sql::SqlResult<i64> {
    let key = name_key(&row.name).unwrap_or_else(|| row.name.to_lowercase());
    let id = conn.insert(
        "INSERT INTO companies (name, name_key, domain, industry, size, phone, address, owner_id,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            row.name,
            key,
            row.domain,
            row.industry,
            row.size.map(CompanySize::as_str),
            row.phone,
            row.address,
            row.owner_id.map(|o| o.0),
            now
        ],
    )?;
    if let Some(batch) = batch {
        conn.prepare_cached("UPDATE companies SET import_batch = ?2 WHERE id = ?1")?
            .execute([id, batch])?;
    }
    Ok(id)
}

/// The company a contact or lead with this free-text `company` and `email` belongs to. The
/// text, when there is one, decides: the company whose name matches, else a new company named
/// as typed (owned by `owner`, with the email's business domain and a lead's industry). A
/// domain never overrides what a user typed (a stale address would link silently to the wrong
/// company); two companies on one domain are found by `crm companies dupes` instead. Without
/// text, the company with the email's business domain, if any.
pub(crate) fn link(
    conn: Db<'_>,
    company: Option<&str>,
    email: Option<&str>,
    industry: Option<&str>,
    owner: Option<i64>,
    now: &str,
    batch: Option<i64>,
) -> super::sql::SqlResult<Option<i64>> {
    let domain = email.and_then(email_domain);
    let Some((name, key)) = company.and_then(|c| Some((c.trim(), name_key(c)?))) else {
        return find(conn, None, domain.as_deref());
    };
    if let Some(id) = find(conn, Some(&key), None)? {
        if let Some(industry) = industry {
            // A company made from a contact learns its industry from the first lead that has one.
            conn.prepare_cached(
                "UPDATE companies SET industry = ?2, updated_at = ?3
                 WHERE id = ?1 AND industry IS NULL",
            )?
            .execute(params![id, industry, now])?;
        }
        return Ok(Some(id));
    }
    let row = CompanyRow {
        name: name.to_string(),
        domain,
        industry: industry.map(str::to_string),
        size: None,
        phone: None,
        address: None,
        owner_id: owner.map(UserId),
    };
    insert(conn, &row, now, batch).map(Some)
}

/// A contact or lead as the backfill reads it.
struct Unlinked {
    id: i64,
    company: Option<String>,
    email: Option<String>,
    industry: Option<String>,
    owner: Option<i64>,
    created_at: String,
}

/// Links the contacts, leads and deals that existed before companies did, with the same rule as
/// every write since: the hook of migration 0013. A company made here is dated by the first
/// record that named it.
pub(super) fn backfill(conn: Db<'_>) -> super::sql::SqlResult<()> {
    // In slices by id, so a million-row table is not held in memory at once.
    const SLICE: i64 = 10_000;
    for (table, industry) in [("contacts", "NULL"), ("leads", "industry")] {
        let mut read = conn.prepare(&format!(
            "SELECT id, company, email, {industry}, owner_id, created_at FROM {table}
             WHERE id > ?1 ORDER BY id LIMIT ?2"
        ))?;
        let mut set = conn.prepare(&format!("UPDATE {table} SET company_id = ?2 WHERE id = ?1"))?;
        let mut after = 0;
        loop {
            let rows: Vec<Unlinked> = read
                .query_map([after, SLICE], |r| {
                    Ok(Unlinked {
                        id: r.get(0)?,
                        company: r.get(1)?,
                        email: r.get(2)?,
                        industry: r.get(3)?,
                        owner: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                })?
                .collect::<super::sql::SqlResult<_>>()?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            for row in rows {
                let (company, email) = (row.company.as_deref(), row.email.as_deref());
                let industry = row.industry.as_deref();
                if let Some(company_id) = link(
                    conn,
                    company,
                    email,
                    industry,
                    row.owner,
                    &row.created_at,
                    None,
                )? {
                    set.execute([row.id, company_id])?;
                }
            }
            after = last;
        }
    }
    conn.execute_batch(
        "UPDATE deals SET company_id = coalesce(
            (SELECT company_id FROM contacts c WHERE c.id = deals.contact_id),
            (SELECT company_id FROM leads l WHERE l.id = deals.lead_id))",
    )
}

impl Tx<'_> {
    /// See [`link`].
    pub(crate) fn link_company(
        &self,
        company: Option<&str>,
        email: Option<&str>,
        industry: Option<&str>,
        owner: Option<UserId>,
        now: &str,
    ) -> Result<Option<CompanyId>> {
        Ok(link(
            self.conn(),
            company,
            email,
            industry,
            owner.map(|o| o.0),
            now,
            self.stamp(),
        )?
        .map(CompanyId))
    }

    /// The oldest company named like `name` (see `name_key`) or with this domain; with the
    /// field that matched.
    pub(crate) fn company_matching(
        &self,
        name: Option<&str>,
        domain: Option<&str>,
    ) -> Result<Option<(CompanyId, &'static str)>> {
        if let Some(id) = find(self.conn(), name.and_then(name_key).as_deref(), None)? {
            return Ok(Some((CompanyId(id), "name")));
        }
        Ok(find(self.conn(), None, domain)?.map(|id| (CompanyId(id), "domain")))
    }

    pub(crate) fn insert_company(&self, row: &CompanyRow, now: &str) -> Result<CompanyId> {
        Ok(CompanyId(insert(self.conn(), row, now, self.stamp())?))
    }

    pub(crate) fn update_company(&self, id: CompanyId, row: &CompanyRow, now: &str) -> Result<()> {
        let key = name_key(&row.name).unwrap_or_else(|| row.name.to_lowercase());
        self.execute(
            "UPDATE companies SET name = ?2, name_key = ?3, domain = ?4, industry = ?5, size = ?6,
                phone = ?7, address = ?8, owner_id = ?9, updated_at = ?10
             WHERE id = ?1",
            params![
                id.0,
                row.name,
                key,
                row.domain,
                row.industry,
                row.size.map(CompanySize::as_str),
                row.phone,
                row.address,
                row.owner_id.map(|o| o.0),
                now
            ],
        )?;
        Ok(())
    }

    pub(crate) fn company(&self, id: CompanyId) -> Result<Option<Company>> {
        let sql = format!("{SELECT} WHERE co.id = ?1");
        Ok(self.query_row(&sql, [id.0], from_row).optional()?)
    }

    pub(crate) fn list_companies(&self, f: &CompanyFilter<'_>) -> Result<Page<Company>> {
        let mut filter = Filter::default();
        if let Some(search) = f.search {
            let pattern = contains_pattern(search);
            filter.and(
                "(lower(co.name) LIKE ? ESCAPE '\\' OR lower(co.domain) LIKE ? ESCAPE '\\')",
                [pattern.clone(), pattern],
            );
        }
        if let Some(industry) = f.industry {
            filter.and(
                "lower(co.industry) LIKE ? ESCAPE '\\'",
                [contains_pattern(industry)],
            );
        }
        if let Some(owner) = f.owner {
            filter.and("co.owner_id = ?", [Value::Integer(owner.0)]);
        }
        self.narrow_by_fields(&mut filter, "co", &f.fields)?;
        let keyset = Keyset::new(
            "companies",
            "co",
            &crate::store::FieldSort::keys_or(f.by_field, sort_keys(f.sort), f.descending),
            f.descending,
            f.after.map(|a| a.0),
        );
        self.page_of(SELECT, &filter, &keyset, f.limit, from_row, |c| c.id.0)
    }

    pub(crate) fn delete_company(&self, id: CompanyId) -> Result<()> {
        self.execute("DELETE FROM companies WHERE id = ?1", [id.0])?;
        Ok(())
    }

    /// Moves every contact, lead and deal of `from` to `to`; how many moved.
    pub(crate) fn move_company_links(&self, from: CompanyId, to: CompanyId) -> Result<usize> {
        let mut moved = 0;
        for table in ["contacts", "leads", "deals"] {
            moved += self.execute(
                &format!("UPDATE {table} SET company_id = ?2 WHERE company_id = ?1"),
                [from.0, to.0],
            )?;
        }
        Ok(moved)
    }

    /// A contact's deals that were with its old company follow it to the new one.
    pub(crate) fn move_contact_deals(
        &self,
        contact: ContactId,
        from: Option<CompanyId>,
        to: Option<CompanyId>,
    ) -> Result<()> {
        self.execute(
            "UPDATE deals SET company_id = ?3 WHERE contact_id = ?1 AND company_id IS NOT DISTINCT FROM ?2",
            params![contact.0, from.map(|c| c.0), to.map(|c| c.0)],
        )?;
        Ok(())
    }

    /// The company of a contact, for a deal that names the contact but no company.
    pub(crate) fn contact_company(&self, contact: ContactId) -> Result<Option<CompanyId>> {
        Ok(self
            .query_row(
                "SELECT company_id FROM contacts WHERE id = ?1",
                [contact.0],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten()
            .map(CompanyId))
    }

    /// Removes the companies with ids in `first..=last` that nothing links to any more.
    /// Removes the companies import `batch` created that nothing links to any more.
    pub(crate) fn delete_unlinked_companies(&self, batch: BatchId) -> Result<usize> {
        Ok(self.execute(
            "DELETE FROM companies WHERE import_batch = ?1
               AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.company_id = companies.id)
               AND NOT EXISTS (SELECT 1 FROM leads x WHERE x.company_id = companies.id)
               AND NOT EXISTS (SELECT 1 FROM deals x WHERE x.company_id = companies.id)",
            [batch.0],
        )?)
    }

    /// Every company for the duplicate finder, oldest first, with its industry to show.
    pub(crate) fn company_candidates(&self) -> Result<Vec<(Candidate, Option<String>)>> {
        let mut stmt =
            self.prepare("SELECT id, name, domain, phone, industry FROM companies ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                Candidate {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    email: None,
                    domain: r.get(2)?,
                    phone: r.get(3)?,
                },
                r.get(4)?,
            ))
        })?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn company_contacts(
        &self,
        id: CompanyId,
        scope: Scope,
    ) -> Result<Vec<CompanyContact>> {
        let mut filter = Filter::default();
        filter.and("x.company_id = ?", [Value::Integer(id.0)]);
        filter.scope_for_page(scope, "x", "owner_id");
        self.all_of(
            concat!(
                "SELECT x.id, ",
                person_name!("x"),
                ", x.job_title, x.email, x.phone, u.username
                 FROM contacts x LEFT JOIN users u ON u.id = x.owner_id"
            ),
            &filter,
            &format!("ORDER BY x.first_name COLLATE NOCASE, ifnull(x.last_name, '') COLLATE NOCASE, x.id LIMIT {}", CompanyPage::SECTION),
            |r| {
                Ok(CompanyContact {
                    id: ContactId(r.get(0)?),
                    name: r.get(1)?,
                    job_title: r.get(2)?,
                    email: r.get(3)?,
                    phone: r.get(4)?,
                    owner: r.get(5)?,
                })
            },
        )
    }

    /// The company's open leads: not lost, not converted (a converted lead lives on as a
    /// contact).
    pub(crate) fn company_leads(&self, id: CompanyId, scope: Scope) -> Result<Vec<CompanyLead>> {
        let mut filter = Filter::default();
        filter.and("x.company_id = ?", [Value::Integer(id.0)]);
        filter.and("x.stage <> 'Converted' AND x.stage <> 'Lost'", []);
        filter.scope_for_page(scope, "x", "owner_id");
        self.all_of(
            concat!(
                "SELECT x.id, ",
                person_name!("x"),
                ", x.stage, x.score, u.username
                 FROM leads x LEFT JOIN users u ON u.id = x.owner_id"
            ),
            &filter,
            &format!("ORDER BY x.score DESC, x.id LIMIT {}", CompanyPage::SECTION),
            |r| {
                Ok(CompanyLead {
                    id: LeadId(r.get(0)?),
                    name: r.get(1)?,
                    stage: r.get(2)?,
                    score: r.get(3)?,
                    owner: r.get(4)?,
                })
            },
        )
    }

    pub(crate) fn company_open_deals(
        &self,
        id: CompanyId,
        scope: Scope,
    ) -> Result<Vec<CompanyDeal>> {
        let mut filter = Filter::default();
        filter.and("x.company_id = ?", [Value::Integer(id.0)]);
        filter.and("s.is_won = 0 AND s.is_lost = 0", []);
        filter.scope_for_page(scope, "x", "owner_id");
        self.all_of(
            "SELECT x.id, x.title, s.name, x.amount, x.currency, u.username
             FROM deals x JOIN pipeline_stages s ON s.id = x.stage_id
             LEFT JOIN users u ON u.id = x.owner_id",
            &filter,
            &format!(
                "ORDER BY s.position, x.amount DESC, x.id LIMIT {}",
                CompanyPage::SECTION
            ),
            |r| {
                let currency: String = r.get(4)?;
                Ok(CompanyDeal {
                    id: DealId(r.get(0)?),
                    title: r.get(1)?,
                    stage: r.get(2)?,
                    amount: r.get(3)?,
                    currency: currency.parse().unwrap_or_default(),
                    owner: r.get(5)?,
                })
            },
        )
    }

    /// The sum of the company's won deals per currency.
    pub(crate) fn company_won_revenue(&self, id: CompanyId, scope: Scope) -> Result<Vec<Revenue>> {
        let mut filter = Filter::default();
        filter.and("x.company_id = ?", [Value::Integer(id.0)]);
        filter.and("s.is_won = 1", []);
        filter.scope_for_page(scope, "x", "owner_id");
        self.all_of(
            "SELECT x.currency, sum(x.amount), count(*)
             FROM deals x JOIN pipeline_stages s ON s.id = x.stage_id",
            &filter,
            "GROUP BY x.currency ORDER BY sum(x.amount) DESC",
            |r| {
                let currency: String = r.get(0)?;
                Ok(Revenue {
                    currency: currency.parse::<Currency>().unwrap_or_default(),
                    amount: r.get(1)?,
                    deals: r.get(2)?,
                })
            },
        )
    }

    /// Tickets raised by the company's contacts, newest first.
    pub(crate) fn company_tickets(
        &self,
        id: CompanyId,
        scope: TicketScope,
    ) -> Result<Vec<CompanyTicket>> {
        let mut filter = Filter::default();
        filter.and("c.company_id = ?", [Value::Integer(id.0)]);
        super::tickets::scope_filter_for_page(&mut filter, scope);
        self.all_of(
            concat!(
                "SELECT t.id, t.subject, t.status, t.priority, ",
                person_name!("c"),
                " FROM tickets t JOIN contacts c ON c.id = t.contact_id"
            ),
            &filter,
            &format!("ORDER BY t.id DESC LIMIT {}", CompanyPage::SECTION),
            |r| {
                Ok(CompanyTicket {
                    id: TicketId(r.get(0)?),
                    subject: r.get(1)?,
                    status: r.get(2)?,
                    priority: r.get(3)?,
                    contact: r.get(4)?,
                })
            },
        )
    }
}
