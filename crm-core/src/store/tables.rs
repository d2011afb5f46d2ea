//! Which table holds each kind of record: the one place where a service's [`EntityKind`]
//! becomes a table name, so services never spell one.

use super::Tx;
use crate::import::ImportKind;
use crate::{EntityKind, Result};

/// The table that holds records of `kind`.
pub(super) fn table_of(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::User => "users",
        EntityKind::Contact => "contacts",
        EntityKind::Campaign => "campaigns",
        EntityKind::Lead => "leads",
        EntityKind::Deal => "deals",
        EntityKind::Ticket => "tickets",
        EntityKind::Task => "tasks",
        EntityKind::Note => "notes",
        EntityKind::Stage => "pipeline_stages",
        EntityKind::Company => "companies",
    }
}

/// The table an import of `kind` writes to.
pub(super) fn import_table(kind: ImportKind) -> &'static str {
    table_of(kind.entity())
}

impl Tx<'_> {
    /// The highest id a record of `kind` has now (0 for none): rows inserted after this in the
    /// same write transaction have higher ones.
    pub(crate) fn highest_id(&self, kind: EntityKind) -> Result<i64> {
        let table = table_of(kind);
        Ok(self.query_row(
            &format!("SELECT ifnull(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_names_a_table_the_schema_has() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("crm.db")).unwrap();
        for &kind in EntityKind::ALL {
            let table = table_of(kind);
            let exists: bool = store
                .read(|tx| {
                    Ok(tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                        [table],
                        |r| r.get(0),
                    )?)
                })
                .unwrap();
            assert!(exists, "{kind} -> {table}");
        }
    }
}
