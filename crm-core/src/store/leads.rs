//! The `leads` table, the round-robin cursor, and the records a conversion creates.

use super::sql::Value;
use super::sql::{OptionalExtension, Row, params};

use super::filter::{Filter, Keyset};
use super::{Tx, enum_at, opt_time_at, time_at};
use crate::auth::Scope;
use crate::clock::to_text;
use crate::rules::scoring;
use crate::{
    Bant, CampaignId, CompanyId, ContactId, DealId, Lead, LeadId, LeadSort, LeadSource, LeadStage,
    Page, Result, Temperature, UserId,
};

/// Validated values of a lead row (everything a user may set).
#[derive(Clone)]
pub(crate) struct LeadRow {
    pub(crate) first_name: String,
    pub(crate) last_name: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) company_id: Option<CompanyId>,
    pub(crate) job_title: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) industry: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) campaign_id: CampaignId,
    pub(crate) source: LeadSource,
    pub(crate) utm_source: Option<String>,
    pub(crate) utm_medium: Option<String>,
    pub(crate) utm_campaign: Option<String>,
    pub(crate) stage: LeadStage,
    pub(crate) score: u8,
    pub(crate) status_reason: Option<String>,
    pub(crate) owner_id: Option<UserId>,
    pub(crate) notes: Option<String>,
    pub(crate) last_contacted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub(crate) next_action_at: Option<chrono::DateTime<chrono::Utc>>,
    pub(crate) bant: Bant,
    pub(crate) interested_products: Option<String>,
    pub(crate) consent_email: bool,
    pub(crate) consent_gdpr: bool,
    pub(crate) consent_ccpa: bool,
}

impl From<&Lead> for LeadRow {
    fn from(l: &Lead) -> Self {
        LeadRow {
            first_name: l.first_name.clone(),
            last_name: l.last_name.clone(),
            company: l.company.clone(),
            company_id: l.company_id,
            job_title: l.job_title.clone(),
            email: l.email.clone(),
            phone: l.phone.clone(),
            location: l.location.clone(),
            industry: l.industry.clone(),
            region: l.region.clone(),
            campaign_id: l.campaign_id,
            source: l.source,
            utm_source: l.utm_source.clone(),
            utm_medium: l.utm_medium.clone(),
            utm_campaign: l.utm_campaign.clone(),
            stage: l.stage,
            score: l.score,
            status_reason: l.status_reason.clone(),
            owner_id: l.owner_id,
            notes: l.notes.clone(),
            last_contacted_at: l.last_contacted_at,
            next_action_at: l.next_action_at,
            bant: l.bant,
            interested_products: l.interested_products.clone(),
            consent_email: l.consent_email,
            consent_gdpr: l.consent_gdpr,
            consent_ccpa: l.consent_ccpa,
        }
    }
}

/// Filters of a lead listing with names resolved to ids.
pub(crate) struct LeadFilter<'a> {
    pub(crate) scope: Scope,
    pub(crate) stage: Option<LeadStage>,
    pub(crate) temperature: Option<Temperature>,
    pub(crate) campaign: Option<CampaignId>,
    pub(crate) owner: Option<UserId>,
    pub(crate) source: Option<LeadSource>,
    pub(crate) min_score: Option<i64>,
    pub(crate) max_score: Option<i64>,
    pub(crate) search: Option<&'a str>,
    /// Conditions on custom fields.
    pub(crate) fields: Vec<crate::store::FieldTest>,
    pub(crate) include_converted: bool,
    pub(crate) sort: LeadSort,
    /// A custom field to sort by instead of `sort`.
    pub(crate) by_field: Option<crate::store::FieldSort>,
    pub(crate) descending: bool,
    pub(crate) limit: u32,
    pub(crate) after: Option<LeadId>,
}

select!(col, "FROM leads l
    JOIN campaigns c ON c.id = l.campaign_id
    LEFT JOIN users o ON o.id = l.owner_id
    LEFT JOIN users cb ON cb.id = l.created_by", {
        id: "l.id",
        first_name: "l.first_name",
        last_name: "l.last_name",
        company: "l.company",
        job_title: "l.job_title",
        email: "l.email",
        phone: "l.phone",
        location: "l.location",
        industry: "l.industry",
        region: "l.region",
        campaign_id: "l.campaign_id",
        source: "l.source",
        utm_source: "l.utm_source",
        utm_medium: "l.utm_medium",
        utm_campaign: "l.utm_campaign",
        stage: "l.stage",
        score: "l.score",
        status_reason: "l.status_reason",
        owner_id: "l.owner_id",
        notes: "l.notes",
        last_contacted_at: "l.last_contacted_at",
        next_action_at: "l.next_action_at",
        bant_budget: "l.bant_budget",
        bant_authority: "l.bant_authority",
        bant_need: "l.bant_need",
        bant_timeline: "l.bant_timeline",
        interested_products: "l.interested_products",
        consent_email: "l.consent_email",
        consent_gdpr: "l.consent_gdpr",
        consent_ccpa: "l.consent_ccpa",
        converted_contact_id: "l.converted_contact_id",
        deal_id: "l.deal_id",
        closed_at: "l.closed_at",
        created_at: "l.created_at",
        updated_at: "l.updated_at",
        version: "l.version",
        company_id: "l.company_id",
        campaign_name: "c.name",
        owner_name: "o.username",
        creator_name: "cb.username",
    }
);
use col::SELECT;

fn from_row(row: &Row<'_>) -> super::sql::SqlResult<Lead> {
    let score: u8 = row.get(col::score)?;
    Ok(Lead {
        fields: crate::FieldValues::default(),
        version: crate::Version(row.get(col::version)?),
        id: LeadId(row.get(col::id)?),
        first_name: row.get(col::first_name)?,
        last_name: row.get(col::last_name)?,
        company: row.get(col::company)?,
        company_id: row.get::<_, Option<i64>>(col::company_id)?.map(CompanyId),
        job_title: row.get(col::job_title)?,
        email: row.get(col::email)?,
        phone: row.get(col::phone)?,
        location: row.get(col::location)?,
        industry: row.get(col::industry)?,
        region: row.get(col::region)?,
        campaign_id: CampaignId(row.get(col::campaign_id)?),
        campaign: row.get(col::campaign_name)?,
        source: enum_at(row, col::source)?,
        utm_source: row.get(col::utm_source)?,
        utm_medium: row.get(col::utm_medium)?,
        utm_campaign: row.get(col::utm_campaign)?,
        stage: enum_at(row, col::stage)?,
        score,
        temperature: scoring::temperature(score),
        status_reason: row.get(col::status_reason)?,
        owner_id: row.get::<_, Option<i64>>(col::owner_id)?.map(UserId),
        owner: row.get(col::owner_name)?,
        created_by: row.get(col::creator_name)?,
        notes: row.get(col::notes)?,
        last_contacted_at: opt_time_at(row, col::last_contacted_at)?,
        next_action_at: opt_time_at(row, col::next_action_at)?,
        bant: Bant {
            budget: row.get(col::bant_budget)?,
            authority: row.get(col::bant_authority)?,
            need: row.get(col::bant_need)?,
            timeline: row.get(col::bant_timeline)?,
        },
        interested_products: row.get(col::interested_products)?,
        consent_email: row.get(col::consent_email)?,
        consent_gdpr: row.get(col::consent_gdpr)?,
        consent_ccpa: row.get(col::consent_ccpa)?,
        converted_contact_id: row
            .get::<_, Option<i64>>(col::converted_contact_id)?
            .map(ContactId),
        deal_id: row.get::<_, Option<i64>>(col::deal_id)?.map(DealId),
        closed_at: opt_time_at(row, col::closed_at)?,
        created_at: time_at(row, col::created_at)?,
        updated_at: time_at(row, col::updated_at)?,
    })
}

fn sort_keys(sort: LeadSort) -> &'static [&'static str] {
    match sort {
        LeadSort::Name => &[
            "{t}.first_name COLLATE NOCASE",
            "ifnull({t}.last_name, '') COLLATE NOCASE",
        ],
        LeadSort::Score => &["{t}.score"],
        LeadSort::Stage => &["{t}.stage"],
        LeadSort::Company => &["ifnull({t}.company, '') COLLATE NOCASE"],
        // Ids are handed out in creation order, so the id is the creation order; unlike
        // created_at it has no ties (an import gives a million rows one timestamp), which
        // keeps every page after a keyset cursor an index seek.
        LeadSort::Created | LeadSort::Id => &[],
        LeadSort::Updated => &["{t}.updated_at"],
        LeadSort::NextAction => &["ifnull({t}.next_action_at, '9999')"],
    }
}

fn opt_text(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    t.map(to_text)
}

impl Tx<'_> {
    /// The leads of one owner that are not converted, oldest first.
    pub(crate) fn open_lead_ids_of(&self, owner: UserId) -> Result<Vec<LeadId>> {
        let mut stmt = self.prepare(
            "SELECT id FROM leads WHERE owner_id = ?1 AND stage <> 'Converted' ORDER BY id",
        )?;
        let rows = stmt.query_map([owner.0], |r| r.get(0).map(LeadId))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn insert_lead(
        &self,
        row: &LeadRow,
        created_by: UserId,
        now: &str,
    ) -> Result<LeadId> {
        // One statement with every column: an insert followed by an update would index the row
        // (and its search entry) twice.
        let id = self.insert(
            "INSERT INTO leads (first_name, last_name, company, job_title, email, phone, location,
                industry, region, campaign_id, source, utm_source, utm_medium, utm_campaign, stage,
                score, status_reason, owner_id, notes, last_contacted_at, next_action_at,
                bant_budget, bant_authority, bant_need, bant_timeline, interested_products,
                consent_email, consent_gdpr, consent_ccpa, created_by, created_at, updated_at, company_id,
                import_batch)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?31, ?32, ?33)",
            params![
            row.first_name,
            row.last_name,
            row.company,
            row.job_title,
            row.email,
            row.phone,
            row.location,
            row.industry,
            row.region,
            row.campaign_id.0,
            row.source.as_str(),
            row.utm_source,
            row.utm_medium,
            row.utm_campaign,
            row.stage.as_str(),
            row.score,
            row.status_reason,
            row.owner_id.map(|o| o.0),
            row.notes,
            opt_text(row.last_contacted_at),
            opt_text(row.next_action_at),
            row.bant.budget,
            row.bant.authority,
            row.bant.need,
            row.bant.timeline,
            row.interested_products,
            row.consent_email,
            row.consent_gdpr,
            row.consent_ccpa,
            created_by.0,
            now,
            row.company_id.map(|c| c.0),
            self.stamp()
        ],
        )?;
        Ok(LeadId(id))
    }

    pub(crate) fn update_lead(&self, id: LeadId, row: &LeadRow, now: &str) -> Result<()> {
        self.prepare_cached(
            "UPDATE leads SET first_name = ?2, last_name = ?3, company = ?4, job_title = ?5, email = ?6,
                phone = ?7, location = ?8, industry = ?9, region = ?10, campaign_id = ?11, source = ?12,
                utm_source = ?13, utm_medium = ?14, utm_campaign = ?15, stage = ?16, score = ?17,
                status_reason = ?18, owner_id = ?19, notes = ?20, last_contacted_at = ?21,
                next_action_at = ?22, bant_budget = ?23, bant_authority = ?24, bant_need = ?25,
                bant_timeline = ?26, interested_products = ?27, consent_email = ?28,
                consent_gdpr = ?29, consent_ccpa = ?30, updated_at = ?31, company_id = ?32
             WHERE id = ?1",
        )?
        .execute(params![
                id.0, row.first_name, row.last_name, row.company, row.job_title, row.email, row.phone,
                row.location, row.industry, row.region, row.campaign_id.0, row.source.as_str(),
                row.utm_source, row.utm_medium, row.utm_campaign, row.stage.as_str(), row.score,
                row.status_reason, row.owner_id.map(|o| o.0), row.notes,
                opt_text(row.last_contacted_at), opt_text(row.next_action_at), row.bant.budget,
                row.bant.authority, row.bant.need, row.bant.timeline, row.interested_products,
                row.consent_email, row.consent_gdpr, row.consent_ccpa, now, row.company_id.map(|c| c.0)
            ])?;
        Ok(())
    }

    pub(crate) fn lead(&self, id: LeadId) -> Result<Option<Lead>> {
        let sql = format!("{SELECT} WHERE l.id = ?1");
        Ok(self
            .prepare_cached(&sql)?
            .query_row([id.0], from_row)
            .optional()?)
    }

    pub(crate) fn lead_in_scope(&self, id: LeadId, scope: Scope) -> Result<bool> {
        self.in_scope("leads", id.0, scope)
    }

    pub(crate) fn list_leads(&self, f: &LeadFilter<'_>) -> Result<Page<Lead>> {
        let mut filter = Filter::default();
        // Filters of few distinct values (stage, temperature, source, owner) are kept out of
        // index choice with a unary `+`: reading the sort's index and skipping rows finds a page
        // far sooner than collecting every matching row and sorting them. Campaign stays
        // indexable: a campaign may hold a handful of a million leads.
        filter.scope_for_page(f.scope, "l", "owner_id");
        if !f.include_converted && f.stage != Some(LeadStage::Converted) {
            filter.and("l.stage <> 'Converted'", []);
        }
        if let Some(stage) = f.stage {
            filter.and("+l.stage = ?", [Value::Text(stage.as_str().into())]);
        }
        if let Some(t) = f.temperature {
            let (lo, hi) = scoring::score_range(t);
            filter.and(
                "+l.score BETWEEN ? AND ?",
                [Value::Integer(lo.into()), Value::Integer(hi.into())],
            );
        }
        if let Some(c) = f.campaign {
            filter.and("l.campaign_id = ?", [Value::Integer(c.0)]);
        }
        if let Some(o) = f.owner {
            filter.and("+l.owner_id = ?", [Value::Integer(o.0)]);
        }
        if let Some(s) = f.source {
            filter.and("+l.source = ?", [Value::Text(s.as_str().into())]);
        }
        if let Some(min) = f.min_score {
            filter.and("+l.score >= ?", [Value::Integer(min)]);
        }
        if let Some(max) = f.max_score {
            filter.and("+l.score <= ?", [Value::Integer(max)]);
        }
        self.narrow_by_fields(&mut filter, "l", &f.fields)?;

        let search = f
            .search
            .map(|text| self.search_narrowing("l", crate::EntityKind::Lead, text))
            .transpose()?;
        let keyset = Keyset::new(
            "leads",
            "l",
            &crate::store::FieldSort::keys_or(f.by_field, sort_keys(f.sort), f.descending),
            f.descending,
            f.after.map(|a| a.0),
        );
        self.searched_page_of(SELECT, &filter, search, &keyset, f.limit, from_row, |l| {
            l.id.0
        })
    }

    pub(crate) fn delete_lead(&self, id: LeadId) -> Result<()> {
        self.execute("DELETE FROM leads WHERE id = ?1", [id.0])?;
        Ok(())
    }

    /// Active sales reps in id order: the round-robin pool.
    // The round-robin statements are cached: an import with --auto-assign runs them once a row,
    // and compiling them each time made it 1.35x the same import without.
    pub(crate) fn active_sales_reps(&self) -> Result<Vec<UserId>> {
        let mut stmt = self.prepare_cached(
            "SELECT id FROM users WHERE role = 'sales_rep' AND active = 1 ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0).map(UserId))?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    pub(crate) fn assignment_cursor(&self) -> Result<Option<UserId>> {
        Ok(self
            .prepare_cached("SELECT last_user_id FROM assignment_cursor WHERE id = 1")?
            .query_row([], |r| r.get::<_, Option<i64>>(0))
            .optional()?
            .flatten()
            .map(UserId))
    }

    pub(crate) fn set_assignment_cursor(&self, user: UserId, now: &str) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO assignment_cursor (id, last_user_id, created_at, updated_at) VALUES (1, ?1, ?2, ?2)
             ON CONFLICT (id) DO UPDATE SET last_user_id = excluded.last_user_id, updated_at = excluded.updated_at",
        )?
        .execute(params![user.0, now])?;
        Ok(())
    }

    pub(crate) fn mark_converted(
        &self,
        id: LeadId,
        contact: ContactId,
        deal: DealId,
        now: &str,
    ) -> Result<()> {
        self.execute(
            "UPDATE leads SET stage = 'Converted', converted_contact_id = ?2, deal_id = ?3,
                closed_at = ?4, next_action_at = NULL, updated_at = ?4
             WHERE id = ?1",
            params![id.0, contact.0, deal.0, now],
        )?;
        Ok(())
    }
}
