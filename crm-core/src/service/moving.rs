//! `crm migrate`: the whole CRM copied into an empty database of either engine, in one
//! transaction on the target, checked by counting every table on both sides.

use std::path::Path;

use serde::Serialize;

use super::Crm;
use crate::auth::Actor;
use crate::store::same_columns;
use crate::{EntityKind, Error, Result};

/// One table copied: its rows on the source and, after the copy, on the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TableCopied {
    pub table: String,
    pub rows: i64,
}

/// What a copy did, table by table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CopyReport {
    pub tables: Vec<TableCopied>,
}

impl CopyReport {
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

impl Crm {
    /// Copies this whole CRM into the database at `to` (a file or a `postgres://` URL), which
    /// must hold no CRM yet (admins). Every row of every table goes over a page at a time, ids
    /// as they are, in one transaction on the target: a failure leaves it as it was. The
    /// tallies and search entries are made there by its own triggers. `progress` hears each
    /// table's rows copied so far and its total. The target's feed records the copy.
    pub fn copy_to(
        &self,
        actor: &Actor,
        to: &Path,
        progress: &mut dyn FnMut(&str, i64, i64),
    ) -> Result<CopyReport> {
        actor.require_admin("copy the database")?;
        let target = Crm::open_with_clock(to, self.clock)?;
        if target.has_users()? {
            return Err(Error::Conflict(
                "the target already holds a CRM; copy into an empty database".into(),
            ));
        }
        let now = self.now_text();
        self.store.read(|from| {
            let tables = from.copied_tables()?;
            let totals = tables
                .iter()
                .map(|t| from.row_count(t))
                .collect::<Result<Vec<_>>>()?;
            target.store.write(|into| {
                let theirs = into.copied_tables()?;
                if let Some(missing) = tables.iter().find(|t| !theirs.contains(t)) {
                    return Err(Error::Conflict(format!(
                        "the target has no table {missing}: both must be this crm's schema"
                    )));
                }
                into.prepare_copy_target(&theirs)?;
                let tallies = into.defer_tallies()?;
                let mut report = CopyReport { tables: Vec::new() };
                for (table, total) in tables.iter().zip(&totals) {
                    let columns = from.stored_columns(table)?;
                    same_columns(table, &columns, &into.stored_columns(table)?)?;
                    let mut done = 0;
                    from.read_pages(table, &columns, &mut |page| {
                        into.insert_rows(table, &columns, page)?;
                        done += i64::try_from(page.len()).unwrap_or(0);
                        progress(table, done, *total);
                        Ok(())
                    })?;
                    let copied = into.row_count(table)?;
                    if copied != *total {
                        return Err(Error::Conflict(format!(
                            "{table}: {total} rows on the source but {copied} on the target"
                        )));
                    }
                    report.tables.push(TableCopied {
                        table: table.clone(),
                        rows: copied,
                    });
                }
                if let Some(tallies) = tallies {
                    into.catch_up_tallies(tallies)?;
                }
                into.finish_copy_target(&theirs)?;
                into.insert_activity(
                    Some(actor.id),
                    "copied",
                    EntityKind::User,
                    actor.id.0,
                    &format!(
                        "{} copied the whole CRM here ({} rows)",
                        actor.display_name,
                        report.rows()
                    ),
                    &now,
                )?;
                Ok(report)
            })
        })
    }
}
