//! The schema, as numbered SQL files in `migrations/`, embedded at build time and applied on open.
//! The version lives in SQLite's `user_version`.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::error::DbError;
use crate::{Error, Result};

/// Every migration in order. A fn, not a const, because a migration with a Rust hook (0013's
/// backfill) holds a closure.
fn all() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("../../../migrations/0001_schema.sql")),
        M::up(include_str!("../../../migrations/0002_outbox_claims.sql")),
        M::up(include_str!(
            "../../../migrations/0003_activity_is_append_only.sql"
        )),
        M::up(include_str!("../../../migrations/0004_search.sql")),
        M::up(include_str!("../../../migrations/0005_list_indexes.sql")),
        M::up(include_str!("../../../migrations/0006_lead_tallies.sql")),
        M::up(include_str!("../../../migrations/0007_privacy.sql")),
        M::up(include_str!(
            "../../../migrations/0008_search_only_on_change.sql"
        )),
        M::up(include_str!("../../../migrations/0009_duplicate_keys.sql")),
        M::up(include_str!("../../../migrations/0010_merges.sql")),
        M::up(include_str!("../../../migrations/0011_import_batches.sql")),
        M::up(include_str!("../../../migrations/0012_saved_views.sql")),
        M::up_with_hook(
            include_str!("../../../migrations/0013_companies.sql"),
            |tx: &rusqlite::Transaction<'_>| {
                super::companies::backfill(super::sql::Db::Sqlite(tx)).map_err(|e| match e {
                    super::sql::SqlError::Sqlite(e) => e.into(),
                    other => rusqlite_migration::HookError::Hook(other.to_string()),
                })
            },
        ),
        M::up(include_str!("../../../migrations/0014_deal_tallies.sql")),
        M::up(include_str!("../../../migrations/0015_search_by_kind.sql")),
        M::up(include_str!(
            "../../../migrations/0016_won_since_covering.sql"
        )),
        M::up(include_str!("../../../migrations/0017_company_tallies.sql")),
        M::up(include_str!(
            "../../../migrations/0018_company_page_indexes.sql"
        )),
        M::up(include_str!(
            "../../../migrations/0019_lead_search_entries.sql"
        )),
        M::up(include_str!(
            "../../../migrations/0020_search_titles_by_kind.sql"
        )),
        M::up(include_str!("../../../migrations/0021_board_indexes.sql")),
        M::up_with_hook(
            include_str!("../../../migrations/0022_ids_never_reused.sql"),
            |tx: &rusqlite::Transaction<'_>| Ok(super::autoincrement::rebuild_all(tx)?),
        ),
        M::up(include_str!("../../../migrations/0023_login_failures.sql")),
        M::up(include_str!(
            "../../../migrations/0024_import_batch_stamps.sql"
        )),
        M::up(include_str!("../../../migrations/0025_api_keys.sql")),
        M::up(include_str!("../../../migrations/0026_capture_forms.sql")),
        M::up(include_str!("../../../migrations/0027_record_versions.sql")),
        M::up(include_str!("../../../migrations/0028_webhooks.sql")),
        M::up(include_str!("../../../migrations/0029_user_versions.sql")),
        M::up(include_str!("../../../migrations/0030_ssh_keys.sql")),
        M::up(include_str!(
            "../../../migrations/0031_search_prefixes_and_titles.sql"
        )),
        M::up(include_str!("../../../migrations/0032_custom_fields.sql")),
        M::up(include_str!(
            "../../../migrations/0033_custom_values_in_search.sql"
        )),
        M::up_with_hook(
            include_str!("../../../migrations/0034_people_without_first_names.sql"),
            |tx: &rusqlite::Transaction<'_>| {
                Ok(super::table_rebuild::people_without_first_names(tx)?)
            },
        ),
        M::up(include_str!(
            "../../../migrations/0035_open_tasks_by_assignee.sql"
        )),
    ]
}

fn migrations() -> Migrations<'static> {
    Migrations::new(all())
}

/// Brings the database to the latest schema. Foreign keys are off while migrations run (0022
/// drops and renames tables that others point at, which SQLite's procedure for it needs; it
/// checks the keys itself before it commits) and on again after.
pub(super) fn apply(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if usize::try_from(version).is_ok_and(|v| v >= count()) {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let applied = migrations()
        .to_latest(conn)
        .map_err(|e| Error::Database(DbError::new(e, false)));
    conn.pragma_update(None, "foreign_keys", "ON")?;
    applied
}

/// Brings a new database to schema `version` only: the schema a file of that version must
/// have (`maintenance::schema_differences`), and for tests of what a later migration does to
/// rows written before it.
pub(crate) fn apply_up_to(conn: &mut Connection, version: usize) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    migrations()
        .to_version(conn, version)
        .map_err(|e| Error::Database(DbError::new(e, false)))
}

/// The schema version this build writes.
pub(super) fn count() -> usize {
    all().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn fresh_schema_has_general_campaign_and_default_stages() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        apply(&mut conn).unwrap();
        let general: (String, i64) = conn
            .query_row(
                "SELECT name, is_system FROM campaigns WHERE code = 'general'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(general, ("General / Unassigned".to_string(), 1));
        let mut stmt = conn
            .prepare("SELECT name FROM pipeline_stages ORDER BY position")
            .unwrap();
        let stages: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            stages,
            ["New", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
        );
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(usize::try_from(version).unwrap(), count());
    }

    #[test]
    fn check_constraints_refuse_bad_enum_and_range_values() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn).unwrap();
        let now = "2026-01-01T00:00:00Z";
        let lead = |score: i64, stage: &str| {
            conn.execute(
                "INSERT INTO leads (first_name, campaign_id, stage, score, created_at, updated_at)
                 VALUES ('A', 1, ?1, ?2, ?3, ?3)",
                rusqlite::params![stage, score, now],
            )
        };
        assert!(lead(50, "New").is_ok());
        assert!(lead(101, "New").is_err(), "score above 100");
        assert!(lead(-1, "New").is_err(), "negative score");
        assert!(lead(50, "Maybe").is_err(), "unknown stage");
        let spend = conn.execute(
            "INSERT INTO campaign_spend (campaign_id, spent_on, amount, created_at, updated_at)
             VALUES (1, '2026-01-01', -5, ?1, ?1)",
            [now],
        );
        assert!(spend.is_err(), "negative money");
        let role = conn.execute(
            "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
             VALUES ('x', 'X', 'boss', '$argon2id$v=19$x', ?1, ?1)",
            [now],
        );
        assert!(role.is_err(), "unknown role");
    }
}
