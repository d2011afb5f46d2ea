//! Backup, restore and doctor on real database files.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crm_core::testing::{count, dump, execute};
use crm_core::{CheckStatus, Clock, Crm, Error, NewLead, Role};

use crate::env::{Env, start};

fn failed_checks(path: &Path) -> Vec<&'static str> {
    Crm::doctor(path)
        .unwrap()
        .checks
        .into_iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .map(|c| c.name)
        .collect()
}

fn lead(first: &str) -> NewLead {
    NewLead {
        first_name: first.into(),
        ..NewLead::default()
    }
}

#[test]
fn a_fresh_demo_passes_every_check() {
    let env = Env::demo(false);
    let checkup = Crm::doctor(&env.path).unwrap();
    let names: Vec<_> = checkup.checks.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "file",
            "permissions",
            "integrity",
            "foreign keys",
            "schema",
            "search index",
            "lead tallies",
            "deal tallies",
            "company tallies",
            "sessions",
            "admins"
        ]
    );
    assert!(checkup.healthy(), "{checkup:?}");
    assert!(checkup.checks.iter().all(|c| c.status == CheckStatus::Ok));
}

#[test]
fn doctor_names_each_planted_problem() {
    let env = Env::demo(false);
    // Each of these is something the services never do; planted behind their back.
    execute(
        &env.path,
        "PRAGMA foreign_keys = OFF;
         UPDATE contacts SET owner_id = 999999 WHERE id = (SELECT min(id) FROM contacts);",
    );
    assert_eq!(failed_checks(&env.path), ["foreign keys"]);
    execute(
        &env.path,
        "DELETE FROM search_index WHERE rowid = (SELECT min(id) + 2 * 1099511627776 FROM leads)",
    );
    execute(
        &env.path,
        "UPDATE lead_tallies SET n = n + 1 WHERE n > 0 AND campaign_id = (SELECT min(campaign_id) FROM lead_tallies WHERE n > 0)",
    );
    execute(
        &env.path,
        "INSERT INTO deal_tallies VALUES ((SELECT min(id) FROM pipeline_stages), 999, 0, 'INR', 1, 100)",
    );
    assert_eq!(
        failed_checks(&env.path),
        [
            "foreign keys",
            "search index",
            "lead tallies",
            "deal tallies"
        ]
    );
    let searched = Crm::doctor(&env.path).unwrap();
    let detail = &searched
        .checks
        .iter()
        .find(|c| c.name == "search index")
        .unwrap()
        .detail;
    assert_eq!(
        detail,
        "1 records missing from the search index, 0 entries without a record"
    );
}

#[test]
fn doctor_fails_sessions_of_disabled_users_missing_admins_and_a_newer_schema() {
    let env = Env::new();
    // A disabled user whose session was left behind (the service ends it; this is a raw edit).
    execute(
        &env.path,
        "UPDATE users SET active = 0 WHERE username = 'root'",
    );
    assert_eq!(failed_checks(&env.path), ["sessions", "admins"]);
    execute(&env.path, "PRAGMA user_version = 99");
    assert_eq!(failed_checks(&env.path), ["schema", "sessions", "admins"]);
}

#[cfg(unix)]
#[test]
fn the_database_file_is_private_and_doctor_fails_when_it_is_not() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let mode = std::fs::metadata(&env.path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    std::fs::set_permissions(&env.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(failed_checks(&env.path), ["permissions"]);
}

/// A front end asks before opening whether the file will be migrated (a long wait at a million
/// records) and from which version; a current, new or missing file will not be.
#[test]
fn a_pending_upgrade_is_known_before_the_open_that_does_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    assert_eq!(Crm::pending_upgrade(&path).unwrap(), None, "no file yet");
    crm_core::testing::create_at_version(&path, 19);
    let (from, to) = Crm::pending_upgrade(&path).unwrap().expect("an upgrade");
    assert_eq!(from, 19);
    assert!(to > 19, "{to}");
    assert_eq!(
        Crm::pending_upgrade(&path).unwrap(),
        Some((19, to)),
        "asking changes nothing"
    );
    Crm::open(&path).unwrap();
    assert_eq!(Crm::pending_upgrade(&path).unwrap(), None);
    let current = Env::new();
    assert_eq!(Crm::pending_upgrade(&current.path).unwrap(), None);
}

#[test]
fn doctor_on_a_file_that_is_not_a_crm_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "just some text, not SQLite at all".repeat(200)).unwrap();
    let checkup = Crm::doctor(&junk).unwrap();
    assert_eq!(checkup.checks.len(), 1);
    assert_eq!(checkup.checks[0].status, CheckStatus::Failed);
    assert!(checkup.checks[0].detail.contains("not a database"));
    let other = dir.path().join("other.db");
    execute(&other, "CREATE TABLE t (x)");
    let checkup = Crm::doctor(&other).unwrap();
    assert_eq!(
        checkup.checks[0].detail,
        "invalid database: this SQLite file is not a CRM database (it has no users table)"
    );
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_one_consistent_snapshot() {
    let env = Env::new();
    let backup = env.path.with_file_name("backup.db");
    let before = count(&env.path, "SELECT count(*) FROM leads");
    let stop = AtomicBool::new(false);
    let (path, admin) = (env.path.clone(), env.admin.clone());
    let written = std::thread::scope(|s| {
        let stop = &stop;
        let writer = s.spawn(move || {
            let crm = Crm::open_with_clock(&path, Clock::Fixed(start())).unwrap();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) || n < 50 {
                crm.add_lead(&admin, &lead(&format!("Writer {n}"))).unwrap();
                n += 1;
            }
            n
        });
        // Let the writer get going, then copy in the middle of its stream of commits.
        while count(&env.path, "SELECT count(*) FROM leads") < 20 {
            std::thread::yield_now();
        }
        let bytes = env.crm.backup(&env.admin, &backup, false).unwrap().bytes;
        assert!(bytes > 0);
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap()
    });
    let in_backup = count(&backup, "SELECT count(*) FROM leads");
    let after = count(&env.path, "SELECT count(*) FROM leads");
    assert!(
        before + 20 <= in_backup && in_backup < after,
        "{before} <= {in_backup} < {after}"
    );
    assert_eq!(after, before + written);
    // Every lead in the copy has its activity row and its search entry: no half commit.
    assert_eq!(
        count(
            &backup,
            "SELECT count(*) FROM activities WHERE entity_type = 'lead' AND verb = 'created'"
        ),
        in_backup
    );
    assert!(Crm::doctor(&backup).unwrap().healthy());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a backup holds password hashes too");
    }
    assert!(
        !backup.with_file_name("backup.db-wal").exists(),
        "a backup is one file"
    );
}

#[test]
fn backup_refuses_an_existing_file_the_database_itself_and_non_admins() {
    let env = Env::new();
    let rep = env.user("asha", Role::SalesRep);
    let backup = env.path.with_file_name("backup.db");
    let err = env.crm.backup(&rep, &backup, false).unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    assert!(!backup.exists());
    env.crm.backup(&env.admin, &backup, false).unwrap();
    let err = env.crm.backup(&env.admin, &backup, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "invalid file: {} exists; pass --force to replace it",
            backup.display()
        )
    );
    env.crm.backup(&env.admin, &backup, true).unwrap();
    let before = dump(&env.path);
    let err = env.crm.backup(&env.admin, &env.path, true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid file: that is the database itself; give another file name"
    );
    assert_eq!(dump(&env.path), before);
}

/// Every table except the ones a restore itself writes (its activity row, the ended sessions).
fn content(path: &Path) -> String {
    dump(path)
        .lines()
        .filter(|l| !l.starts_with("sessions:") && !l.starts_with("activities:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn restore_brings_back_exactly_the_backup_and_ends_every_session() {
    let mut env = Env::demo(false);
    let backup = env.path.with_file_name("backup.db");
    env.crm.backup(&env.admin, &backup, false).unwrap();
    let saved = content(&backup);
    let saved_activities = count(&backup, "SELECT count(*) FROM activities");
    // Work goes on after the backup, then is thrown away by the restore.
    let later = env.crm.add_lead(&env.admin, &lead("Later")).unwrap();
    env.crm.delete_lead(&env.admin, later.id, None).unwrap();
    env.crm
        .add_lead(&env.admin, &lead("Kept only until restore"))
        .unwrap();
    assert_ne!(content(&env.path), saved);
    let admin = env.admin.clone();
    let restored = env.crm.restore(&admin, &backup).unwrap();
    assert_eq!(restored.backup_version, restored.schema_version);
    assert!(restored.sessions_ended >= 1);
    assert_eq!(content(&env.path), saved);
    assert_eq!(count(&env.path, "SELECT count(*) FROM sessions"), 0);
    assert_eq!(
        count(&env.path, "SELECT count(*) FROM activities"),
        saved_activities + 1,
        "the restore is itself in the feed"
    );
    let (_, token) = env.crm.login("admin", crm_core::DEMO_PASSWORD).unwrap();
    assert_eq!(env.crm.authenticate(&token).unwrap().username(), "admin");
    assert!(Crm::doctor(&env.path).unwrap().healthy());
}

#[test]
fn restore_refuses_a_damaged_or_foreign_file_and_changes_nothing() {
    let mut env = Env::demo(false);
    let admin = env.admin.clone();
    let backup = env.path.with_file_name("backup.db");
    env.crm.backup(&admin, &backup, false).unwrap();
    let before = dump(&env.path);

    // Damage: overwrite a run of bytes in the middle of the copy (b-tree pages of some table).
    let mut bytes = std::fs::read(&backup).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0x5a);
    let damaged = env.path.with_file_name("damaged.db");
    std::fs::write(&damaged, &bytes).unwrap();
    let err = env.crm.restore(&admin, &damaged).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "invalid backup: {} refused, nothing changed: integrity check failed",
            damaged.display()
        )),
        "{err}"
    );

    let text = env.path.with_file_name("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let err = env.crm.restore(&admin, &text).unwrap_err().to_string();
    assert!(err.starts_with("invalid backup:"), "{err}");

    let foreign = env.path.with_file_name("foreign.db");
    execute(&foreign, "CREATE TABLE t (x)");
    let err = env.crm.restore(&admin, &foreign).unwrap_err().to_string();
    assert!(err.contains("not a CRM database"), "{err}");

    // A backup without an active admin would lock everyone out.
    let no_admin = env.path.with_file_name("no-admin.db");
    std::fs::copy(&backup, &no_admin).unwrap();
    execute(
        &no_admin,
        "UPDATE users SET active = 0 WHERE role = 'admin'",
    );
    let err = env.crm.restore(&admin, &no_admin).unwrap_err().to_string();
    assert!(err.contains("admins check failed"), "{err}");

    let newer = env.path.with_file_name("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    execute(&newer, "PRAGMA user_version = 99");
    let err = env.crm.restore(&admin, &newer).unwrap_err().to_string();
    assert!(err.contains("schema check failed"), "{err}");

    let err = env.crm.restore(&admin, &env.path.clone()).unwrap_err();
    assert_eq!(err.to_string(), "invalid file: that is the database itself");

    let rep = env.user("asha2", Role::Manager);
    let mid = dump(&env.path);
    let err = env.crm.restore(&rep, &backup).unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    assert_eq!(dump(&env.path), mid);
    assert_ne!(before, mid, "the manager was added between the two dumps");
}

#[test]
fn a_backup_restores_into_an_empty_database_on_another_machine() {
    let env = Env::demo(false);
    let backup = env.path.with_file_name("backup.db");
    env.crm.backup(&env.admin, &backup, false).unwrap();
    let fresh = env.path.with_file_name("fresh.db");
    let mut crm = Crm::open_with_clock(&fresh, Clock::Fixed(start())).unwrap();
    crm.restore_into_empty(&backup).unwrap();
    assert_eq!(content(&fresh), content(&backup));
    // Once it has users, only an admin of it may restore over it.
    let err = crm.restore_into_empty(&backup).unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
}

/// Red-team item 8: a backup with a planted trigger restored (doctor said all ok) and the next
/// lead made a rep an admin; a backup missing a table restored too. Restore and doctor compare
/// the whole schema with the one this build's migrations make, and name each difference.
#[test]
fn restore_and_doctor_refuse_a_schema_that_is_not_ours() {
    let mut env = Env::new();
    env.user("asha", Role::SalesRep);
    let admin = env.admin.clone();
    let backup = env.path.with_file_name("backup.db");
    env.crm.backup(&admin, &backup, false).unwrap();
    assert!(
        failed_checks(&backup).is_empty(),
        "a plain backup is healthy"
    );
    let before = dump(&env.path);

    let planted = env.path.with_file_name("planted.db");
    std::fs::copy(&backup, &planted).unwrap();
    execute(
        &planted,
        "CREATE TRIGGER escalate AFTER INSERT ON leads BEGIN
             UPDATE users SET role = 'admin' WHERE username = 'asha'; END;",
    );
    assert_eq!(failed_checks(&planted), ["schema"]);
    let err = env.crm.restore(&admin, &planted).unwrap_err().to_string();
    assert!(
        err.contains("schema check failed")
            && err.contains("trigger 'escalate' is not part of the schema"),
        "{err}"
    );

    let missing = env.path.with_file_name("missing.db");
    std::fs::copy(&backup, &missing).unwrap();
    execute(&missing, "DROP TABLE saved_views");
    let err = env.crm.restore(&admin, &missing).unwrap_err().to_string();
    assert!(err.contains("table 'saved_views' is missing"), "{err}");

    let altered = env.path.with_file_name("altered.db");
    std::fs::copy(&backup, &altered).unwrap();
    execute(&altered, "ALTER TABLE users ADD COLUMN backdoor TEXT");
    let err = env.crm.restore(&admin, &altered).unwrap_err().to_string();
    assert!(
        err.contains("table 'users' is not as the schema defines it"),
        "{err}"
    );
    assert_eq!(dump(&env.path), before, "every refusal changed nothing");

    // The live file gets the same check from doctor.
    execute(
        &env.path,
        "CREATE VIEW everyone AS SELECT username, password_hash FROM users",
    );
    let checkup = Crm::doctor(&env.path).unwrap();
    let schema = checkup.checks.iter().find(|c| c.name == "schema").unwrap();
    assert_eq!(schema.status, CheckStatus::Failed);
    assert!(
        schema
            .detail
            .contains("view 'everyone' is not part of the schema"),
        "{}",
        schema.detail
    );
}
