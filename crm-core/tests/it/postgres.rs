//! What only the PostgreSQL engine does: migrating under a lock, its own `doctor`, and saying
//! which PostgreSQL tools back it up. Everything else runs on both engines through
//! `on_both_engines!` in the other files.

use std::path::PathBuf;

use crm_core::testing::postgres;
use crm_core::{Crm, Error};

use crate::env::Env;

#[test]
fn servers_starting_at_once_migrate_the_database_once() {
    let Some(url) = postgres::empty_database("servers_starting_at_once") else {
        return;
    };
    let path = PathBuf::from(&url);
    let opened: Vec<_> = std::thread::scope(|s| {
        let starts: Vec<_> = (0..4).map(|_| s.spawn(|| Crm::open(&path))).collect();
        starts.into_iter().map(|t| t.join().unwrap()).collect()
    });
    for crm in &opened {
        crm.as_ref().expect("every server opens the database");
        crm.as_ref().unwrap().ready().expect("and finds it current");
    }
    // Each of the migrations of migrations/postgres/ (seven so far), applied once.
    assert_eq!(
        crm_core::testing::count(
            &path,
            "SELECT count(*) * 1000 + count(DISTINCT version) FROM schema_migrations"
        ),
        7_007,
        "every migration applied once"
    );
    assert_eq!(
        crm_core::testing::count(&path, "SELECT count(*) FROM pipeline_stages"),
        6,
        "its rows made once"
    );
}

#[test]
fn doctor_checks_a_postgres_database_and_finds_a_wrong_tally() {
    let Some(env) = Env::postgres("doctor_checks_a_postgres_database") else {
        return;
    };
    env.crm
        .add_lead(
            &env.admin,
            &crm_core::NewLead {
                first_name: "Priya".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let checkup = Crm::doctor(&env.path).unwrap();
    assert!(checkup.healthy(), "{checkup:?}");
    let names: Vec<&str> = checkup.checks.iter().map(|c| c.name).collect();
    for check in ["schema", "search index", "lead tallies", "admins"] {
        assert!(names.contains(&check), "{check} in {names:?}");
    }

    crm_core::testing::execute(&env.path, "UPDATE lead_tallies SET n = n + 1");
    let checkup = Crm::doctor(&env.path).unwrap();
    assert!(!checkup.healthy());
    let tallies = checkup
        .checks
        .iter()
        .find(|c| c.name == "lead tallies")
        .unwrap();
    assert!(tallies.detail.contains("disagree"), "{}", tallies.detail);

    crm_core::testing::execute(&env.path, "DELETE FROM search_index");
    let checkup = Crm::doctor(&env.path).unwrap();
    let search = checkup
        .checks
        .iter()
        .find(|c| c.name == "search index")
        .unwrap();
    assert_eq!(
        search.detail,
        "1 records missing from the search index, 0 entries without a record"
    );
}

#[test]
fn backup_and_restore_name_the_postgres_tools_without_the_password() {
    let Some(env) = Env::postgres("backup_and_restore_name_the_postgres_tools") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("crm.db");
    let Err(Error::Conflict(said)) = env.crm.backup(&env.admin, &dest, false) else {
        panic!("a backup of a PostgreSQL database is refused");
    };
    let url = env.path.to_str().unwrap();
    assert!(
        said.contains(&format!("pg_dump --format=custom --file=crm.dump '{url}'")),
        "{said}"
    );
    assert!(!dest.exists(), "no file is made");
    let mut crm = env.at(crate::env::start());
    let Err(Error::Conflict(said)) = crm.restore(&env.admin, &dest) else {
        panic!("a restore into a PostgreSQL database is refused");
    };
    assert!(said.contains("pg_restore --clean"), "{said}");
}

#[test]
fn a_crm_copied_to_postgres_and_back_is_the_same_row_for_row() {
    let Some(url) = postgres::empty_database("a_crm_copied_to_postgres_and_back") else {
        return;
    };
    let original = Env::demo(false);
    let on_postgres = PathBuf::from(&url);
    let mut heard = Vec::new();
    let there = original
        .crm
        .copy_to(&original.admin, &on_postgres, &mut |table, done, total| {
            heard.push((table.to_string(), done, total));
        })
        .unwrap();
    assert!(there.rows() > 100, "{there:?}");
    let leads = heard.iter().rev().find(|(t, _, _)| t == "leads").unwrap();
    assert_eq!(leads.1, leads.2, "the progress reaches each table's total");
    assert!(Crm::doctor(&on_postgres).unwrap().healthy());

    let postgres_crm = Crm::open(&on_postgres).unwrap();
    let (admin, _) = postgres_crm
        .login("admin", crm_core::DEMO_PASSWORD)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let back = dir.path().join("back.db");
    let again = postgres_crm
        .copy_to(&admin, &back, &mut |_, _, _| {})
        .unwrap();
    assert!(Crm::doctor(&back).unwrap().healthy());

    // Every row of every table as it was, but the feed, which now also says who copied it
    // (twice), the session of the login on PostgreSQL, and the pages of FTS5's
    // index (the same entries, laid out by the order they were written in) with its format
    // version (5 once an entry was deleted under secure-delete, as a custom value's entry
    // is written again; a copy writes each entry once).
    let skip = [
        "activities",
        "sessions",
        "sqlite_sequence",
        "search_index_config",
        "search_index_data",
        "search_index_idx",
        "search_titles_data",
        "search_titles_idx",
    ];
    assert_eq!(
        crm_core::testing::dump_except(&back, &skip),
        crm_core::testing::dump_except(&original.path, &skip)
    );
    let feed =
        |path: &std::path::Path| crm_core::testing::count(path, "SELECT count(*) FROM activities");
    assert_eq!(feed(&back), feed(&original.path) + 2);
    // The report counts what each table holds, before the copy's own feed row.
    for copied in &again.tables {
        let now =
            crm_core::testing::count(&back, &format!("SELECT count(*) FROM \"{}\"", copied.table));
        let own = i64::from(copied.table == "activities");
        assert_eq!(now, copied.rows + own, "{}", copied.table);
    }
}

#[test]
fn a_copy_into_a_database_that_holds_a_crm_or_by_a_non_admin_is_refused() {
    let Some(env) = Env::postgres("a_copy_into_a_database_that_holds_a_crm") else {
        return;
    };
    let source = Env::new();
    source
        .crm
        .add_contact(
            &source.admin,
            &crm_core::NewContact {
                first_name: "Asha".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let before = env.dump();
    let said = source
        .crm
        .copy_to(&source.admin, &env.path, &mut |_, _, _| {})
        .unwrap_err();
    assert_eq!(
        said.to_string(),
        "the target already holds a CRM; copy into an empty database"
    );
    assert_eq!(env.dump(), before, "nothing written");
    let rep = source.user("asha", crm_core::Role::SalesRep);
    let empty = postgres::empty_database("a_copy_by_a_non_admin").unwrap();
    assert!(matches!(
        source
            .crm
            .copy_to(&rep, &PathBuf::from(empty), &mut |_, _, _| {}),
        Err(Error::Forbidden(_))
    ));
}
