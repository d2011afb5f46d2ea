//! Import batches: history, and an undo that leaves the database as it was before the import.

use std::fmt::Write as _;

use crm_core::import::{ImportKind, ImportOptions, OnDuplicate};
use crm_core::testing::{count, dump_except};
use crm_core::{BatchId, Error, LeadId, Role};

use crate::env::Env;
use crate::env::loaded;

/// Left out of the comparison: the append-only feed, the batch log itself, the full-text
/// index's pages and version (its rows are compared), and the round-robin cursor.
const LOG: &[&str] = &[
    "sqlite_sequence",
    "activities",
    "import_batches",
    "import_changes",
    "search_index_data",
    "search_index_idx",
    "search_titles_data",
    "search_titles_idx",
    "search_index_config",
    "search_titles_config",
];

fn import(env: &Env, csv: &str, on_duplicate: OnDuplicate) -> BatchId {
    let mut options = ImportOptions::new(ImportKind::Leads);
    options.on_duplicate = on_duplicate;
    options.file_name = "leads.csv".into();
    let report = env
        .crm
        .import(&env.admin, csv.as_bytes(), &options, &mut ())
        .unwrap();
    assert!(report.committed);
    report.batch.unwrap()
}

/// `n` leads, numbered from `from`, in a campaign of the demo.
fn leads_csv(from: usize, n: usize) -> String {
    let mut csv = String::from("first_name,last_name,email,phone,company,campaign,score\n");
    for i in from..from + n {
        let _ = writeln!(
            csv,
            "Lead{i},Volume,lead{i}@volume.example,+91 7{i:09},Company {},launch-sprint-2025,{}",
            i % 97,
            i % 101
        );
    }
    csv
}

fn same(after: &str, before: &str) {
    let gone: Vec<&str> = before
        .lines()
        .filter(|l| !after.contains(*l))
        .take(5)
        .collect();
    let new: Vec<&str> = after
        .lines()
        .filter(|l| !before.contains(*l))
        .take(5)
        .collect();
    assert!(after == before, "rows gone: {gone:#?}\nrows new: {new:#?}");
}

crate::on_both_engines!(demo => loaded: undoing_an_update_import_restores_what_it_changed_and_removes_what_it_added);
fn undoing_an_update_import_restores_what_it_changed_and_removes_what_it_added(env: &Env) {
    let start = dump_except(&env.path, LOG);
    let first = import(env, &leads_csv(0, 50), OnDuplicate::Error);
    let after_first = dump_except(&env.path, LOG);

    // The second file changes 20 of those leads and adds 10 more.
    let mut second = String::from("first_name,email,company,score\n");
    for i in 30..60 {
        let _ = writeln!(
            second,
            "Lead{i},LEAD{i}@volume.example,Updated {i},{}",
            90 + i % 10
        );
    }
    let update = import(env, &second, OnDuplicate::Update);
    assert_eq!(
        count(
            &env.path,
            "SELECT count(*) FROM leads WHERE company LIKE 'Updated %'"
        ),
        30
    );
    // Someone fixes one of the updated leads by hand afterwards: that edit stays.
    let lead = count(
        &env.path,
        "SELECT id FROM leads WHERE email = 'lead31@volume.example' COLLATE NOCASE",
    );
    env.crm
        .edit_lead(
            &env.admin,
            LeadId(lead),
            &crm_core::LeadPatch {
                company: Some("Fixed by hand".into()),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap();

    let undone = env.crm.undo_import(&env.admin, update).unwrap();
    assert_eq!((undone.removed, undone.restored), (10, 20));
    assert_eq!(
        count(
            &env.path,
            "SELECT count(*) FROM leads WHERE company = 'Fixed by hand'"
        ),
        1
    );
    env.crm
        .edit_lead(
            &env.admin,
            LeadId(lead),
            &crm_core::LeadPatch {
                company: Some("Company 31".into()),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap();
    crm_core::testing::execute(
        &env.path,
        &format!(
            "UPDATE leads SET updated_at = (SELECT updated_at FROM leads WHERE id = {}) WHERE id = {lead}",
            lead - 1
        ),
    );
    // The company the hand edit made is the user's, not the import's: it stays until deleted.
    let by_hand = env.crm.find_company(&env.admin, "Fixed by hand").unwrap();
    env.crm.delete_company(&env.admin, by_hand, None).unwrap();
    same(&dump_except(&env.path, LOG), &after_first);

    env.crm.undo_import(&env.admin, first).unwrap();
    same(&dump_except(&env.path, LOG), &start);
    let history = env.crm.import_history(&env.admin, 10).unwrap();
    assert_eq!(history.len(), 2);
    assert!(
        history
            .iter()
            .all(|b| b.undone_at.is_some() && b.file_name == "leads.csv")
    );
    assert!(matches!(
        env.crm.undo_import(&env.admin, first),
        Err(Error::Conflict(_))
    ));
}

crate::on_both_engines!(demo => loaded: an_undo_is_refused_while_an_imported_lead_has_moved_on);
fn an_undo_is_refused_while_an_imported_lead_has_moved_on(env: &Env) {
    let batch = import(env, &leads_csv(0, 20), OnDuplicate::Error);
    let lead = LeadId(count(
        &env.path,
        "SELECT id FROM leads WHERE email = 'lead3@volume.example'",
    ));
    env.crm
        .convert_lead(&env.admin, lead, None, None, false)
        .unwrap();
    let other = LeadId(count(
        &env.path,
        "SELECT id FROM leads WHERE email = 'lead7@volume.example'",
    ));
    env.crm
        .add_note(
            &env.admin,
            Some(crm_core::RecordRef::new(
                crm_core::EntityKind::Lead,
                other.0,
            )),
            None,
            "Called",
        )
        .unwrap();
    let before = env.dump();
    let err = env.crm.undo_import(&env.admin, batch).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "import batch {batch} cannot be undone: lead {lead} has since been converted; lead {other} has notes; nothing was changed"
        )
    );
    assert_eq!(env.dump(), before);

    // Only the importer, an admin or a manager may undo it.
    let rep = env.user("rep", Role::SalesRep);
    assert!(matches!(
        env.crm.undo_import(&rep, batch),
        Err(Error::Forbidden(_))
    ));
    assert!(env.crm.import_history(&rep, 10).unwrap().is_empty());
}

/// The issue asks for 100k rows; CI runs 20k (a debug build), `CRM_BATCH_ROWS=100000` the rest.
#[test]
fn a_large_batch_is_undone_in_one_go() {
    let rows: usize = std::env::var("CRM_BATCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let env = Env::demo(false);
    let before = dump_except(&env.path, LOG);
    let started = std::time::Instant::now();
    let batch = import(&env, &leads_csv(0, rows), OnDuplicate::Error);
    let imported = started.elapsed();
    let started = std::time::Instant::now();
    let undone = env.crm.undo_import(&env.admin, batch).unwrap();
    let undo = started.elapsed();
    assert_eq!(undone.removed, rows);
    same(&dump_except(&env.path, LOG), &before);
    println!(
        "import batch of {rows} leads: imported in {:.2} s, undone in {:.2} s",
        imported.as_secs_f64(),
        undo.as_secs_f64()
    );
}

crate::on_both_engines!(demo => loaded: erasing_a_person_removes_what_an_update_import_kept_about_them);
fn erasing_a_person_removes_what_an_update_import_kept_about_them(env: &Env) {
    import(
        env,
        "first_name,last_name,email,company\nZebulon,Quartzfield,zeb@marker.example,Old Co\n",
        OnDuplicate::Error,
    );
    let update = import(
        env,
        "first_name,email,company\nZebulon,zeb@marker.example,Quartzfield Holdings\n",
        OnDuplicate::Update,
    );
    assert_eq!(count(&env.path, "SELECT count(*) FROM import_changes"), 1);
    env.crm
        .privacy_erase(&env.admin, "zeb@marker.example")
        .unwrap();
    assert_eq!(count(&env.path, "SELECT count(*) FROM import_changes"), 0);
    if let Some(bytes) = env.file_bytes() {
        assert!(
            !bytes.windows(11).any(|w| w == b"Quartzfield"),
            "no trace left in the file"
        );
    }
    assert!(
        !env.dump().contains("Quartzfield"),
        "no trace left in a table"
    );
    // The batch stays in the history; undoing it now has nothing of the person to restore.
    let undone = env.crm.undo_import(&env.admin, update).unwrap();
    assert_eq!((undone.removed, undone.restored), (0, 0));
}

crate::on_both_engines!(undoing_an_update_import_of_contacts_puts_their_tags_back);
fn undoing_an_update_import_of_contacts_puts_their_tags_back(env: &Env) {
    let import = |csv: &str, on_duplicate| {
        let mut options = ImportOptions::new(ImportKind::Contacts);
        options.on_duplicate = on_duplicate;
        let report = env
            .crm
            .import(&env.admin, csv.as_bytes(), &options, &mut ())
            .unwrap();
        report.batch.unwrap()
    };
    import(
        "first_name,email,tags\nAsha,asha@x.example,customer\nRavi,ravi@x.example,lead\n",
        OnDuplicate::Error,
    );
    let before = dump_except(&env.path, LOG);
    let update = import(
        "first_name,email,tags\nAsha,asha@x.example,vip;renewal\nRavi,ravi@x.example,vip\n",
        OnDuplicate::Update,
    );
    let tags = || {
        crm_core::testing::rows(
            &env.path,
            "SELECT group_concat(tag, ',') FROM (SELECT tag FROM contact_tags ORDER BY contact_id, tag) AS t",
        )[0][0]
            .clone()
    };
    assert_eq!(tags(), "customer,renewal,vip,lead,vip");
    let undone = env.crm.undo_import(&env.admin, update).unwrap();
    assert_eq!(undone.restored, 2);
    assert_eq!(tags(), "customer,lead");
    same(&dump_except(&env.path, LOG), &before);
}

crate::on_both_engines!(an_import_that_changes_nothing_leaves_no_batch);
/// Red-team item 9: a header alone, or a file whose every row is invalid under
/// `--skip-invalid`, changed nothing, and leaves nothing: no empty batch in the history.
fn an_import_that_changes_nothing_leaves_no_batch(env: &Env) {
    let before = env.dump();
    for (file, skip_invalid) in [
        ("first_name,email\n", false),
        ("first_name,email\n,not-an-email\n,also bad\n", true),
    ] {
        let mut options = ImportOptions::new(ImportKind::Leads);
        options.skip_invalid = skip_invalid;
        let report = env
            .crm
            .import(&env.admin, file.as_bytes(), &options, &mut ())
            .unwrap();
        assert_eq!((report.inserted, report.batch), (0, None), "{file:?}");
    }
    assert!(env.crm.import_history(&env.admin, 10).unwrap().is_empty());
    assert_eq!(env.dump(), before);
}

/// A batch recorded before imports stamped their records (an id range and a timestamp) is
/// stamped by the upgrade, and its undo still removes exactly its records: not a contact made
/// by hand in the same second, nor a company the import did not create.
#[test]
fn a_batch_recorded_as_an_id_range_is_undone_exactly_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    crm_core::testing::create_at_version(&path, 23);
    let at = "2025-01-02T00:00:00Z";
    crm_core::testing::execute(
        &path,
        &format!(
            "INSERT INTO companies (name, name_key, created_at, updated_at) VALUES
                 ('Older Co', 'older', '{at}', '{at}'), ('Acme', 'acme', '{at}', '{at}');
             INSERT INTO contacts (first_name, email, company, company_id, created_at, updated_at) VALUES
                 ('Imported', 'one@example.com', 'Acme', 2, '{at}', '{at}'),
                 ('Imported', 'two@example.com', NULL, NULL, '{at}', '{at}'),
                 ('ByHand', 'hand@example.com', NULL, NULL, '{at}', '{at}');
             INSERT INTO import_batches (kind, file_name, first_id, last_id, imported_at,
                 created_at, updated_at, first_company_id, last_company_id, rows_read, inserted)
                 VALUES ('contacts', 'old.csv', 1, 2, '{at}', '{at}', '{at}', 2, 2, 2, 2);"
        ),
    );
    let crm = crm_core::Crm::open(&path).unwrap();
    crm.bootstrap_admin(&crate::env::new_user("root", None), crate::env::PASSWORD)
        .unwrap();
    let (admin, _) = crm.login("root", crate::env::PASSWORD).unwrap();
    let undone = crm.undo_import(&admin, BatchId(1)).unwrap();
    assert_eq!(undone.removed, 2);
    assert_eq!(
        crm_core::testing::rows(&path, "SELECT first_name FROM contacts ORDER BY id"),
        vec![vec!["ByHand".to_string()]]
    );
    assert_eq!(
        crm_core::testing::rows(&path, "SELECT name FROM companies ORDER BY id"),
        vec![vec!["Older Co".to_string()]]
    );
}
