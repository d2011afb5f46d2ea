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
    assert_eq!(
        crm_core::testing::count(&path, "SELECT count(*) FROM schema_migrations"),
        1,
        "one migration, applied once"
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
