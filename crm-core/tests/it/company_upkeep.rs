//! What keeps companies right as people and records change: erasure, page limits, tallies.

use crate::env::{Env, loaded};
use crm_core::testing::{count, rows};
use crm_core::{CompanyId, NewLead};
use std::fmt::Write as _;

use crate::companies::contact;

crate::on_both_engines!(an_erasure_takes_the_companies_only_the_person_made_and_keeps_shared_ones);
fn an_erasure_takes_the_companies_only_the_person_made_and_keeps_shared_ones(env: &Env) {
    let a = &env.admin;
    let own = env
        .crm
        .add_contact(
            a,
            &contact("Priya", Some("Priya Nair & Co"), Some("priya@gmail.com")),
        )
        .unwrap();
    env.crm
        .add_lead(
            a,
            &NewLead {
                first_name: "Priya".into(),
                company: Some("Acme".into()),
                email: Some("priya@gmail.com".into()),
                ..NewLead::default()
            },
        )
        .unwrap();
    env.crm
        .add_contact(a, &contact("Ravi", Some("ACME Inc"), None))
        .unwrap();
    assert!(own.company_id.is_some());
    env.crm.privacy_erase(a, "priya@gmail.com").unwrap();
    let left: Vec<String> = rows(&env.path, "SELECT name FROM companies")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(left, ["Acme"], "Ravi's company stays; Priya's own is gone");
}

crate::on_both_engines!(a_company_page_lists_at_most_a_hundred_of_each_best_first);
fn a_company_page_lists_at_most_a_hundred_of_each_best_first(env: &Env) {
    let mut csv = String::from("first_name,company,score\n");
    for i in 0..=100 {
        let _ = writeln!(csv, "Lead{i},Big Co,{i}");
    }
    let options = crm_core::import::ImportOptions::new(crm_core::import::ImportKind::Leads);
    env.crm
        .import(&env.admin, csv.as_bytes(), &options, &mut ())
        .unwrap();
    let big = env.crm.find_company(&env.admin, "big co").unwrap();
    let page = env.crm.company_page(&env.admin, big).unwrap();
    assert_eq!(page.company.leads, 101);
    assert_eq!(page.leads.len(), crm_core::CompanyPage::SECTION);
    assert_eq!(page.leads[0].score, 100, "the best first");
    assert!(
        page.leads.iter().all(|l| l.score > 0),
        "the weakest is the one left out"
    );
}

crate::on_both_engines!(history => loaded: company_tallies_equal_a_direct_count_after_every_change);
/// The counts on the companies list come from a summary kept by triggers; it equals a direct
/// count after links are made, moved, removed and merged.
fn company_tallies_equal_a_direct_count_after_every_change(env: &Env) {
    let direct = "SELECT co.id,
                         (SELECT count(*) FROM contacts x WHERE x.company_id = co.id),
                         (SELECT count(*) FROM leads x WHERE x.company_id = co.id),
                         (SELECT count(*) FROM deals x WHERE x.company_id = co.id)
                  FROM companies co";
    let kept = "SELECT co.id, ifnull(t.contacts, 0), ifnull(t.leads, 0), ifnull(t.deals, 0)
                FROM companies co LEFT JOIN company_tallies t ON t.company_id = co.id";
    let wrong = || {
        count(
            &env.path,
            &format!(
                "SELECT (SELECT count(*) FROM ({kept} EXCEPT {direct}) AS kept_only)
                      + (SELECT count(*) FROM ({direct} EXCEPT {kept}) AS counted_only)
                      + (SELECT count(*) FROM company_tallies
                         WHERE company_id NOT IN (SELECT id FROM companies))"
            ),
        )
    };
    assert!(
        count(
            &env.path,
            "SELECT count(*) FROM company_tallies WHERE leads > 0"
        ) > 3
    );
    assert_eq!(wrong(), 0, "after the demo load");
    let contact = count(
        &env.path,
        "SELECT min(id) FROM contacts WHERE company_id IS NOT NULL",
    );
    env.crm
        .edit_contact(
            &env.admin,
            crm_core::ContactId(contact),
            &crm_core::ContactPatch {
                company: Some("Brand New Widgets".into()),
                ..crm_core::ContactPatch::default()
            },
        )
        .unwrap();
    let lead = count(
        &env.path,
        "SELECT min(id) FROM leads WHERE company_id IS NOT NULL",
    );
    env.crm
        .delete_lead(&env.admin, crm_core::LeadId(lead), None)
        .unwrap();
    let deal = count(
        &env.path,
        "SELECT min(id) FROM deals WHERE company_id IS NOT NULL",
    );
    env.crm
        .delete_deal(&env.admin, crm_core::DealId(deal), None)
        .unwrap();
    let busiest: Vec<i64> = rows(
        &env.path,
        "SELECT company_id FROM company_tallies ORDER BY leads DESC, company_id LIMIT 2",
    )
    .into_iter()
    .map(|r| r[0].parse().unwrap())
    .collect();
    env.crm
        .merge_companies(&env.admin, CompanyId(busiest[0]), &[CompanyId(busiest[1])])
        .unwrap();
    assert_eq!(
        wrong(),
        0,
        "after a contact moved company, a lead and a deal deleted, and two companies merged"
    );
    let merged = env.crm.company(&env.admin, CompanyId(busiest[0])).unwrap();
    assert_eq!(
        merged.leads,
        count(
            &env.path,
            &format!(
                "SELECT count(*) FROM leads WHERE company_id = {}",
                busiest[0]
            )
        )
    );
}
