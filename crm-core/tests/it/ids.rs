//! Ids are never given twice (red-team item 3): a record added after another was deleted or
//! merged away gets a new id, so no feed, merge or score history of the old record shows up
//! under it, on a new file and on a file upgraded from before migration 0022.

use crm_core::{
    ActivityQuery, Clock, ContactId, Crm, EntityKind, NewContact, NewLead, RecordRef, Role,
};

use crate::env::{Env, start};

fn contact(name: &str, owner: &str) -> NewContact {
    NewContact {
        first_name: name.into(),
        owner: Some(owner.into()),
        ..NewContact::default()
    }
}

fn feed(crm: &Crm, actor: &crm_core::Actor, record: RecordRef) -> Vec<String> {
    crm.activity(
        actor,
        &ActivityQuery {
            record: Some(record),
            limit: 100,
            ..ActivityQuery::default()
        },
    )
    .unwrap()
    .into_iter()
    .map(|a| a.summary)
    .collect()
}

crate::on_both_engines!(a_merged_away_id_is_not_given_to_the_next_contact_and_merges_keep_working);
fn a_merged_away_id_is_not_given_to_the_next_contact_and_merges_keep_working(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    let ravi = env.user("ravi", Role::SalesRep);
    let a = env
        .crm
        .add_contact(&asha, &contact("Alpha", "asha"))
        .unwrap()
        .id;
    let b = env
        .crm
        .add_contact(&asha, &contact("Beta", "asha"))
        .unwrap()
        .id;
    env.crm.merge_contacts(&asha, a, &[b]).unwrap();
    let theirs = env
        .crm
        .add_contact(&ravi, &contact("Ravisown", "ravi"))
        .unwrap()
        .id;
    assert_ne!(theirs, b, "the merged-away id was given again");
    assert!(theirs.0 > b.0);
    let asha_sees = feed(&env.crm, &asha, RecordRef::new(EntityKind::Contact, a.0));
    assert!(
        !asha_sees.iter().any(|s| s.contains("Ravisown")),
        "{asha_sees:?}"
    );
    // A second merge into the same contact records its own merged ids without a clash.
    let c = env
        .crm
        .add_contact(&asha, &contact("Gamma", "asha"))
        .unwrap()
        .id;
    env.crm.merge_contacts(&asha, a, &[c]).unwrap();
    let d = env
        .crm
        .add_contact(&asha, &contact("Delta", "asha"))
        .unwrap()
        .id;
    env.crm.merge_contacts(&asha, a, &[d]).unwrap();
}

crate::on_both_engines!(a_deleted_leads_history_stays_with_it);
fn a_deleted_leads_history_stays_with_it(env: &Env) {
    let lead = |name: &str| NewLead {
        first_name: name.into(),
        ..NewLead::default()
    };
    let old = env.crm.add_lead(&env.admin, &lead("Oldlead")).unwrap().id;
    env.crm.set_lead_score(&env.admin, old, 88).unwrap();
    env.crm.delete_lead(&env.admin, old, None).unwrap();
    let new = env.crm.add_lead(&env.admin, &lead("Newlead")).unwrap().id;
    assert_ne!(new, old);
    let history = feed(
        &env.crm,
        &env.admin,
        RecordRef::new(EntityKind::Lead, new.0),
    );
    assert_eq!(history.len(), 1, "only its own creation: {history:?}");
    assert!(history[0].contains("Newlead"));
}

#[test]
fn a_file_from_before_the_upgrade_never_reuses_the_ids_it_already_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    crm_core::testing::create_at_version(&path, 21);
    // What an older build left: contact 7 was the newest and was deleted (its feed row stays).
    crm_core::testing::execute(
        &path,
        "INSERT INTO contacts (id, first_name, created_at, updated_at)
             VALUES (5, 'Kept', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
         INSERT INTO activities (verb, entity_type, entity_id, summary, at, created_at, updated_at)
             VALUES ('created', 'contact', 7, 'someone added contact ''Gone''',
                     '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
    );
    let crm = Crm::open_with_clock(&path, Clock::Fixed(start())).unwrap();
    crm.bootstrap_admin(&crate::env::new_user("root", None), crate::env::PASSWORD)
        .unwrap();
    let (admin, _) = crm.login("root", crate::env::PASSWORD).unwrap();
    let next = crm
        .add_contact(&admin, &contact("Next", "root"))
        .unwrap()
        .id;
    assert!(
        next > ContactId(7),
        "got {next}, which the old file already used"
    );
    assert_eq!(
        crm.contact(&admin, ContactId(5)).unwrap().first_name,
        "Kept"
    );
    assert_healthy(&path);
}

/// Migration 0034 rebuilds `contacts` and `leads` to let a person go without a first name: the
/// rows, their search entries, the ids deleted before it and the checks all survive.
#[test]
fn letting_people_go_without_a_first_name_keeps_every_row_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    crm_core::testing::create_at_version(&path, 33);
    crm_core::testing::execute(
        &path,
        "INSERT INTO contacts (id, first_name, last_name, email, created_at, updated_at)
             VALUES (4, 'Kept', 'Rao', 'kept@rao.in', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                    (9, 'Gone', NULL, NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
         DELETE FROM contacts WHERE id = 9;
         INSERT INTO leads (id, first_name, campaign_id, created_at, updated_at)
             VALUES (3, 'Lead', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
    );
    let crm = Crm::open_with_clock(&path, Clock::Fixed(start())).unwrap();
    crm.bootstrap_admin(&crate::env::new_user("root", None), crate::env::PASSWORD)
        .unwrap();
    let (admin, _) = crm.login("root", crate::env::PASSWORD).unwrap();
    let only_email = crm_core::NewContact {
        email: Some("orders@bluepeak.example".into()),
        ..crm_core::NewContact::default()
    };
    let next = crm.add_contact(&admin, &only_email).unwrap();
    assert!(next.id > ContactId(9), "got {}, already used", next.id);
    assert_eq!(
        crm.contact(&admin, ContactId(4)).unwrap().full_name(),
        "Kept Rao"
    );
    let hits = crm
        .search(&admin, "kept", &[EntityKind::Contact], 5)
        .unwrap();
    assert_eq!(hits[0].title, "Kept Rao");
    // The table still refuses a row that names no one.
    let nobody = crm_core::testing::try_execute(
        &path,
        "INSERT INTO leads (first_name, campaign_id, created_at, updated_at)
             VALUES ('', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    );
    assert!(nobody.is_err(), "a lead with no name, email or phone");
    assert_healthy(&path);
}

/// Every check of `crm doctor` passes on the upgraded file but its permissions (the tests make
/// old files with SQLite's default mode).
fn assert_healthy(path: &std::path::Path) {
    let checkup = Crm::doctor(path).unwrap();
    let failed: Vec<_> = checkup
        .checks
        .iter()
        .filter(|c| c.name != "permissions" && c.status != crm_core::CheckStatus::Ok)
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
}
