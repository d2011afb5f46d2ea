//! What the duplicate finder reads: every contact or lead the actor may see, with the fields
//! it compares and shows.

use super::sql::OptionalExtension;

use super::Tx;
use super::filter::Filter;
use crate::auth::Scope;
use crate::rules::dedupe::Candidate;
use crate::{EntityKind, Result};

impl Tx<'_> {
    /// The candidates of `kind` (contacts or leads) within `scope`, oldest first, each with
    /// its company; converted leads are left out (they live on as contacts).
    pub(crate) fn duplicate_candidates(
        &self,
        kind: EntityKind,
        scope: Scope,
    ) -> Result<Vec<(Candidate, Option<String>)>> {
        let mut filter = Filter::default();
        filter.scope(scope, "x", "owner_id");
        let table = match kind {
            EntityKind::Lead => {
                filter.and("x.stage <> 'Converted'", []);
                "leads"
            }
            _ => "contacts",
        };
        let sql = format!(
            "SELECT x.id, {}, x.email, x.phone, x.company
             FROM {table} x {} ORDER BY x.id",
            person_name!("x"),
            filter.where_sql()
        );
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map(super::sql::params_from_iter(&filter.args), |r| {
            Ok((
                Candidate {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    email: r.get(2)?,
                    domain: None,
                    phone: r.get(3)?,
                },
                r.get(4)?,
            ))
        })?;
        Ok(rows.collect::<super::sql::SqlResult<_>>()?)
    }

    /// The oldest record of `kind` with this email (any case) or, failing that, this
    /// normalised phone; with the field it matched on.
    pub(crate) fn matching(
        &self,
        kind: EntityKind,
        email: Option<&str>,
        phone_key: Option<&str>,
    ) -> Result<Option<(i64, &'static str)>> {
        let table = super::tables::table_of(kind);
        if let Some(email) = email.filter(|e| !e.is_empty()) {
            let sql = format!(
                "SELECT id FROM {table} WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1"
            );
            if let Some(id) = self
                .prepare_cached(&sql)?
                .query_row([email], |r| r.get(0))
                .optional()?
            {
                return Ok(Some((id, "email")));
            }
        }
        if let Some(phone) = phone_key.filter(|p| !p.is_empty()) {
            let sql = format!("SELECT id FROM {table} WHERE phone_key = ?1 ORDER BY id LIMIT 1");
            if let Some(id) = self
                .prepare_cached(&sql)?
                .query_row([phone], |r| r.get(0))
                .optional()?
            {
                return Ok(Some((id, "phone")));
            }
        }
        Ok(None)
    }
}
