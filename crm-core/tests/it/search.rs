//! Global search: ranked, typed, prefix matching, phones with or without spaces, scoped.

use crm_core::{EntityKind, NewContact, NewDeal, NewLead};

use crate::env::Env;

fn fixture() -> Env {
    let env = Env::demo(false);
    env.crm
        .add_deal(
            &env.admin,
            &NewDeal {
                title: "Sharma family villa".into(),
                ..NewDeal::default()
            },
        )
        .unwrap();
    env
}

#[test]
fn prefix_search_finds_leads_contacts_and_deals_ranked() {
    let env = fixture();
    let hits = env.crm.search(&env.admin, "sha", &[], 20).unwrap();
    let found: Vec<_> = hits
        .iter()
        .map(|h| (h.record.kind, h.title.clone()))
        .collect();
    assert!(
        found.contains(&(EntityKind::Lead, "Aarav Sharma".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(EntityKind::Deal, "Sharma family villa".into())),
        "{found:?}"
    );
    assert!(
        hits.windows(2).all(|w| w[0].rank <= w[1].rank),
        "ranked best first"
    );
    let leads_only = env
        .crm
        .search(&env.admin, "sha", &[EntityKind::Lead], 20)
        .unwrap();
    assert!(leads_only.iter().all(|h| h.record.kind == EntityKind::Lead));
}

#[test]
fn phone_numbers_match_with_or_without_spaces() {
    let env = fixture();
    for query in [
        "+91 98765 43120",
        "9876543120",
        "98765 43120",
        "919876543120",
    ] {
        let hits = env.crm.search(&env.admin, query, &[], 5).unwrap();
        assert!(
            hits.iter().any(|h| h.title == "Aarav Sharma"),
            "{query}: {hits:?}"
        );
    }
}

#[test]
fn the_index_follows_changes_and_deletions() {
    let env = fixture();
    let c = env
        .crm
        .add_contact(
            &env.admin,
            &NewContact {
                first_name: "Zubin".into(),
                company: Some("Quasar Labs".into()),
                ..NewContact::default()
            },
        )
        .unwrap();
    assert_eq!(
        env.crm.search(&env.admin, "quasar", &[], 5).unwrap().len(),
        1
    );
    env.crm
        .edit_contact(
            &env.admin,
            c.id,
            &crm_core::ContactPatch {
                company: Some("Nebula".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        env.crm
            .search(&env.admin, "quasar", &[], 5)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        env.crm.search(&env.admin, "nebula", &[], 5).unwrap().len(),
        1
    );
    env.crm.delete_contact(&env.admin, c.id).unwrap();
    assert!(
        env.crm
            .search(&env.admin, "nebula", &[], 5)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_lead_is_reindexed_when_its_text_changes_and_only_then() {
    let env = fixture();
    let lead = env
        .crm
        .add_lead(
            &env.admin,
            &crm_core::NewLead {
                first_name: "Ishaan".into(),
                last_name: Some("Vellore".into()),
                ..crm_core::NewLead::default()
            },
        )
        .unwrap();
    let found = |text: &str| env.crm.search(&env.admin, text, &[], 5).unwrap().len();
    // A score change rewrites the row but not its text: the entry stays as it was.
    env.crm.set_lead_score(&env.admin, lead.id, 80).unwrap();
    assert_eq!(found("vellore"), 1);
    env.crm
        .edit_lead(
            &env.admin,
            lead.id,
            &crm_core::LeadPatch {
                last_name: Some("Kaveri".into()),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap();
    assert_eq!((found("vellore"), found("kaveri")), (0, 1));
    assert!(crm_core::Crm::doctor(&env.path).unwrap().healthy());
}

#[test]
fn search_never_shows_what_the_user_may_not_read() {
    let env = fixture();
    let ravi = env.crm.login("ravi", crm_core::DEMO_PASSWORD).unwrap().0;
    // Aarav is asha's lead; ravi may not see him.
    let hits = env.crm.search(&ravi, "aarav", &[], 20).unwrap();
    assert!(hits.iter().all(|h| h.title != "Aarav Sharma"), "{hits:?}");
    let mine = env
        .crm
        .add_lead(
            &ravi,
            &NewLead {
                first_name: "Aarav".into(),
                last_name: Some("Kumar".into()),
                ..NewLead::default()
            },
        )
        .unwrap();
    let hits = env.crm.search(&ravi, "aarav", &[], 20).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.record.id).collect::<Vec<_>>(),
        [mine.id.0]
    );
    let neha = env.crm.login("neha", crm_core::DEMO_PASSWORD).unwrap().0;
    assert!(
        env.crm
            .search(&neha, "villa", &[EntityKind::Deal], 5)
            .unwrap()
            .is_empty(),
        "marketers see no deals"
    );
}
