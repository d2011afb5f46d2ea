//! Global search: ranked, typed, prefix matching, phones with or without spaces, scoped.

use crm_core::{EntityKind, NewContact, NewDeal, NewLead};

use crate::env::Env;
use crate::env::loaded;

fn fixture(env: Env) -> Env {
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

crate::on_both_engines!(demo => fixture: prefix_search_finds_leads_contacts_and_deals_ranked);
fn prefix_search_finds_leads_contacts_and_deals_ranked(env: &Env) {
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

crate::on_both_engines!(demo => fixture: phone_numbers_match_with_or_without_spaces);
fn phone_numbers_match_with_or_without_spaces(env: &Env) {
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

crate::on_both_engines!(demo => fixture: the_index_follows_changes_and_deletions);
fn the_index_follows_changes_and_deletions(env: &Env) {
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
    env.crm.delete_contact(&env.admin, c.id, None).unwrap();
    assert!(
        env.crm
            .search(&env.admin, "nebula", &[], 5)
            .unwrap()
            .is_empty()
    );
}

crate::on_both_engines!(demo => fixture: a_lead_is_reindexed_when_its_text_changes_and_only_then);
fn a_lead_is_reindexed_when_its_text_changes_and_only_then(env: &Env) {
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

crate::on_both_engines!(demo => fixture: search_never_shows_what_the_user_may_not_read);
fn search_never_shows_what_the_user_may_not_read(env: &Env) {
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

crate::on_both_engines!(demo => loaded: names_come_first_even_under_hundreds_of_newer_matches);
/// A common word matches more records than one search ranks (the newest few hundred of each
/// kind); a name that matches still comes first however old it is, and every kind still shows.
fn names_come_first_even_under_hundreds_of_newer_matches(env: &Env) {
    let lead = |first: &str, company: &str, i: usize| NewLead {
        first_name: first.into(),
        last_name: Some(format!("Person{i}")),
        email: Some(format!("p{i}@example.net")),
        company: Some(company.into()),
        ..NewLead::default()
    };
    env.crm
        .add_lead(&env.admin, &lead("Shanaya", "Acme Tools", 0))
        .unwrap();
    // 600 newer leads that match "sha" only through their company.
    for i in 1..=600 {
        env.crm
            .add_lead(&env.admin, &lead("Ravi", "Shakti Traders", i))
            .unwrap();
    }
    let hits = env.crm.search(&env.admin, "sha", &[], 20).unwrap();
    let titles: Vec<(EntityKind, &str)> = hits
        .iter()
        .map(|h| (h.record.kind, h.title.as_str()))
        .collect();
    assert!(
        titles.contains(&(EntityKind::Lead, "Shanaya Person0")),
        "{titles:?}"
    );
    assert!(
        titles.contains(&(EntityKind::Lead, "Aarav Sharma")),
        "{titles:?}"
    );
    let by_name = |t: &str| t.to_lowercase().split(' ').any(|w| w.starts_with("sha"));
    let first_other = titles.iter().position(|(_, t)| !by_name(t));
    assert!(
        titles
            .iter()
            .skip(first_other.unwrap_or(titles.len()))
            .all(|(_, t)| !by_name(t)),
        "every name match ranks above the company matches: {titles:?}"
    );
    assert!(
        first_other.is_some(),
        "company matches fill the rest: {titles:?}"
    );
}

crate::on_both_engines!(demo => loaded: long_words_find_old_names_under_newer_matches);
/// A word longer than the prefix indexes is read through the index's vocabulary, which also
/// says which kinds hold it in a name: an old name still comes first under newer company
/// matches, while the kinds whose names do not hold it are not searched by name.
fn long_words_find_old_names_under_newer_matches(env: &Env) {
    let lead = |first: &str, last: &str, company: &str| NewLead {
        first_name: first.into(),
        last_name: Some(last.into()),
        company: Some(company.into()),
        ..NewLead::default()
    };
    let old = env
        .crm
        .add_lead(&env.admin, &lead("Shakuntala", "Rao", "Acme Tools"))
        .unwrap();
    for i in 1..=600 {
        env.crm
            .add_lead(
                &env.admin,
                &lead("Ravi", &format!("Person{i}"), "Shakuntala Textiles"),
            )
            .unwrap();
    }
    // The word is in a deal's title too: the lead's name column still decides for leads.
    env.crm
        .add_deal(
            &env.admin,
            &NewDeal {
                title: "Shakuntala Textiles looms".into(),
                ..NewDeal::default()
            },
        )
        .unwrap();
    for text in ["shakuntala", "shakun", "shakun rao"] {
        let hits = env.crm.search(&env.admin, text, &[], 5).unwrap();
        let first = hits.first().map(|h| (h.record.kind, h.record.id));
        assert_eq!(
            first,
            Some((EntityKind::Lead, old.id.0)),
            "{text}: {hits:?}"
        );
    }
    let deals = env
        .crm
        .search(&env.admin, "shakun", &[EntityKind::Deal], 5)
        .unwrap();
    assert_eq!(deals.len(), 1, "{deals:?}");
}

/// Migration 15 gives every kind its own range of rowids and 20 its own title column, each
/// rebuilding the index from the records: what a file indexed before them holds is found after
/// them, and nothing else.
#[test]
fn records_indexed_before_migration_15_are_found_after_it() {
    records_indexed_at_version_are_found_after_the_migrations(14);
}

#[test]
fn records_indexed_before_migration_20_are_found_after_it() {
    records_indexed_at_version_are_found_after_the_migrations(19);
}

fn records_indexed_at_version_are_found_after_the_migrations(version: usize) {
    use crm_core::testing::{count, create_at_version, execute};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    create_at_version(&path, version);
    execute(
        &path,
        "INSERT INTO contacts (first_name, last_name, phone, created_at, updated_at) VALUES
             ('Zubin', 'Quetzal', '+91 98765 11111', '2025-01-02T00:00:00Z', '2025-01-02T00:00:00Z');
         INSERT INTO leads (first_name, company, campaign_id, created_at, updated_at) VALUES
             ('Yamini', 'Quetzal Works', 1, '2025-01-03T00:00:00Z', '2025-01-03T00:00:00Z');
         INSERT INTO deals (title, stage_id, created_at, updated_at) VALUES
             ('Quetzal rollout', 1, '2025-01-04T00:00:00Z', '2025-01-04T00:00:00Z');
         INSERT INTO tickets (subject, description, contact_id, created_at, updated_at) VALUES
             ('Printer jam', 'at Quetzal HQ', 1, '2025-01-05T00:00:00Z', '2025-01-05T00:00:00Z');",
    );
    let crm = crm_core::Crm::open(&path).unwrap();
    crm.bootstrap_admin(&crate::env::new_user("root", None), crate::env::PASSWORD)
        .unwrap();
    let (admin, _) = crm.login("root", crate::env::PASSWORD).unwrap();
    let found: Vec<_> = crm
        .search(&admin, "quetz", &[], 20)
        .unwrap()
        .into_iter()
        .map(|h| (h.record.kind, h.record.id))
        .collect();
    assert_eq!(found.len(), 4, "{found:?}");
    for kind in [
        EntityKind::Contact,
        EntityKind::Lead,
        EntityKind::Deal,
        EntityKind::Ticket,
    ] {
        assert!(found.contains(&(kind, 1)), "{kind} 1 in {found:?}");
    }
    let by_phone = crm.search(&admin, "9876511111", &[], 20).unwrap();
    assert_eq!(by_phone.len(), 1);
    assert_eq!(count(&path, "SELECT count(*) FROM search_index"), 4);
    let checkup = crm_core::Crm::doctor(&path).unwrap();
    let index = checkup.checks.iter().find(|c| c.name == "search index");
    assert_eq!(
        index.map(|c| c.status),
        Some(crm_core::CheckStatus::Ok),
        "{checkup:?}"
    );
}

crate::on_both_engines!(demo => fixture: a_hit_shows_the_record_as_stored_not_the_index_words);
/// The index holds a phone three ways (as typed, its digits, its last ten digits); a hit shows
/// what a person knows the record by.
fn a_hit_shows_the_record_as_stored_not_the_index_words(env: &Env) {
    let hits = env.crm.search(&env.admin, "aarav", &[], 5).unwrap();
    let aarav = hits.iter().find(|h| h.title == "Aarav Sharma").unwrap();
    assert_eq!(
        aarav.detail,
        "aarav@techverse.in · TechVerse · +91 98765 43120"
    );
}

crate::on_both_engines!(demo => loaded: a_listing_finds_a_number_by_its_international_start_stored_with_or_without_plus);
/// "+91 98765" starts both "+91 98765 01234" and "919876501234": the phones' own index holds
/// the one with its '+' and the other without, and a listing's search reads both.
fn a_listing_finds_a_number_by_its_international_start_stored_with_or_without_plus(env: &Env) {
    for (name, phone) in [("Plus", "+91 98765 01234"), ("Bare", "919876501235")] {
        env.crm
            .add_lead(
                &env.admin,
                &NewLead {
                    first_name: name.into(),
                    phone: Some(phone.into()),
                    ..NewLead::default()
                },
            )
            .unwrap();
    }
    let listed = env
        .crm
        .list_leads(
            &env.admin,
            &crm_core::LeadQuery {
                search: Some("+91 98765 0123".into()),
                ..crm_core::LeadQuery::default()
            },
        )
        .unwrap();
    let mut names: Vec<String> = listed.items.iter().map(|l| l.first_name.clone()).collect();
    names.sort();
    assert_eq!(names, ["Bare", "Plus"]);
}

crate::on_both_engines!(demo => loaded: a_word_starting_many_words_finds_exactly_its_own);
/// A word that starts more indexed words than a query lists is read through its first three
/// letters and each candidate checked: the hits are the records with a word starting with
/// the whole of it, in search and in a listing's search alike.
fn a_word_starting_many_words_finds_exactly_its_own(env: &Env) {
    for i in 0..60 {
        env.crm
            .add_lead(
                &env.admin,
                &NewLead {
                    first_name: format!("Person{i}"),
                    email: Some(format!("zqxw{i:02}@example.in")),
                    ..NewLead::default()
                },
            )
            .unwrap();
    }
    // "zqxw1" starts ten of the sixty addresses' words; "zqx" starts all of them.
    let hits = env
        .crm
        .search(&env.admin, "zqxw1", &[EntityKind::Lead], 100)
        .unwrap();
    let mut found: Vec<String> = hits.iter().map(|h| h.title.clone()).collect();
    found.sort();
    let mut expected: Vec<String> = (10..20).map(|i| format!("Person{i}")).collect();
    expected.sort();
    assert_eq!(found, expected);
    let listed = env
        .crm
        .list_leads(
            &env.admin,
            &crm_core::LeadQuery {
                search: Some("zqxw1".into()),
                limit: 100,
                ..crm_core::LeadQuery::default()
            },
        )
        .unwrap();
    let mut names: Vec<String> = listed.items.iter().map(|l| l.first_name.clone()).collect();
    names.sort();
    assert_eq!(names, expected);
    let one_letter = env.crm.search(&env.admin, "z", &[], 20).unwrap();
    assert_eq!(one_letter.len(), 20, "one letter finds the newest matches");
}

/// The words a listing's search finds a lead by: its name, email, company, job title and
/// phone, split at every character that is not a letter or digit, and the phone's digits
/// whole and their last ten (migration 0020's entries).
fn lead_words(lead: &crm_core::Lead) -> Vec<String> {
    let digits: String = lead
        .phone
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let last_ten = digits[digits.len().saturating_sub(10)..].to_string();
    let text = [
        Some(lead.first_name.as_str()),
        lead.last_name.as_deref(),
        lead.email.as_deref(),
        lead.company.as_deref(),
        lead.job_title.as_deref(),
        lead.phone.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .chain([digits, last_ten])
        .collect()
}

/// Every page of a listing of leads, in its order.
fn all_pages(env: &Env, query: &crm_core::LeadQuery) -> Vec<crm_core::Lead> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = env
            .crm
            .list_leads(
                &env.admin,
                &crm_core::LeadQuery {
                    after,
                    limit: 1000,
                    ..query.clone()
                },
            )
            .unwrap();
        all.extend(page.items);
        match page.next_after {
            Some(next) => after = Some(crm_core::LeadId(next)),
            None => return all,
        }
    }
}

/// The ids of the leads whose words start with every word of `text` (an international
/// number's digits, for a text starting with `+`), checked one lead at a time.
fn matching_ids(leads: &[crm_core::Lead], text: &str) -> Vec<i64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let phone_like = text.starts_with('+');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    leads
        .iter()
        .filter(|lead| {
            let own = lead_words(lead);
            if phone_like {
                own.iter().any(|w| w.starts_with(&digits))
            } else {
                words.iter().all(|w| own.iter().any(|o| o.starts_with(w)))
            }
        })
        .map(|l| l.id.0)
        .collect()
}

crate::on_both_engines!(demo => loaded: a_listing_search_finds_the_same_leads_whichever_way_it_narrows);
/// A listing's search reads the index one of three ways, by how many records match and where
/// they lie in the listing's order (store/search.rs, `Narrowing`). Whichever way, every page
/// in every order holds exactly the leads whose words start with every searched word, as a
/// check of every lead in Rust finds them: a common letter (thousands match), a common
/// first name, a rare name, an international phone prefix, two words, and none.
fn a_listing_search_finds_the_same_leads_whichever_way_it_narrows(env: &Env) {
    env.crm
        .generate_volume(&env.admin, 10_000, &mut ())
        .unwrap();
    let leads = all_pages(env, &crm_core::LeadQuery::default());
    // The letter starting a word of the most leads: more than a listing collects whole.
    let (common, with_common) = ('a'..='z')
        .map(|c| {
            let n = leads
                .iter()
                .filter(|l| lead_words(l).iter().any(|w| w.starts_with(c)))
                .count();
            (c.to_string(), n)
        })
        .max_by_key(|(_, n)| *n)
        .unwrap();
    assert!(with_common > 6_000, "{common}: {with_common}");
    let sample = &leads[leads.len() / 3];
    let first_name = sample.first_name.to_lowercase();
    let phone_start: String = sample
        .phone
        .clone()
        .unwrap_or_default()
        .chars()
        .take(6)
        .collect();
    let two_words = format!(
        "{} {}",
        first_name,
        sample
            .last_name
            .as_deref()
            .unwrap_or("x")
            .chars()
            .next()
            .unwrap()
    );
    for text in [
        &common,
        "s",
        &first_name,
        &phone_start,
        &two_words,
        "qqqzzz",
    ] {
        let expected = matching_ids(&leads, text);
        for sort in [crm_core::LeadSort::Created, crm_core::LeadSort::Name] {
            let query = crm_core::LeadQuery {
                search: Some(text.to_string()),
                sort,
                ..crm_core::LeadQuery::default()
            };
            let mut found: Vec<i64> = all_pages(env, &query).iter().map(|l| l.id.0).collect();
            let first_page: Vec<i64> = env
                .crm
                .list_leads(&env.admin, &query)
                .unwrap()
                .items
                .iter()
                .map(|l| l.id.0)
                .collect();
            assert!(
                found.starts_with(&first_page),
                "{text:?} by {sort:?}: the first page is the start of the listing"
            );
            found.sort_unstable();
            let mut wanted = expected.clone();
            wanted.sort_unstable();
            assert_eq!(found.len(), wanted.len(), "{text:?} by {sort:?}");
            assert_eq!(found, wanted, "{text:?} by {sort:?}");
        }
    }
}
