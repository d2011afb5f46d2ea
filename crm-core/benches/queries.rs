//! In-process timings of the queries a user waits on: search, list pages (first and deep, every
//! sort), the dashboard, the reports, a company's page and the duplicate finders.
//!
//! `CRM_BENCH_DB=path` measures an existing database (bench/run.sh generates one with
//! `crm demo --scale 1000000`); without it a 10k-lead demo database is generated once in a
//! temporary directory.
#![allow(clippy::unwrap_used)]

use crm_core::{
    Actor, CompanyQuery, ContactQuery, Crm, DEMO_PASSWORD, DealQuery, LeadQuery, LeadSort,
    LeadStage, Temperature,
};
use divan::Bencher;

fn main() {
    divan::main();
}

fn open(user: &str) -> (Crm, Actor) {
    let crm = Crm::open(crm_core::testing::bench_database()).unwrap();
    let (actor, _) = crm.login(user, DEMO_PASSWORD).unwrap();
    (crm, actor)
}

#[divan::bench(args = ["sha", "aditi pat", "quantum", "98765"])]
fn search_top_20(bencher: Bencher, text: &str) {
    let (crm, admin) = open("admin");
    bencher.bench_local(|| crm.search(&admin, text, &[], 20).unwrap());
}

#[divan::bench(args = ["created", "score", "name", "company", "stage", "next-action"])]
fn leads_first_page(bencher: Bencher, sort: &str) {
    let (crm, admin) = open("admin");
    let query = LeadQuery {
        sort: sort.parse().unwrap(),
        limit: 50,
        ..LeadQuery::default()
    };
    bencher.bench_local(|| crm.list_leads(&admin, &query).unwrap());
}

/// A page far down the list, reached by keyset (the id after which it starts), not OFFSET.
#[divan::bench(args = ["created", "score", "name", "company", "stage", "next-action", "updated"])]
fn leads_deep_page(bencher: Bencher, sort: &str) {
    let (crm, admin) = open("admin");
    let mut query = LeadQuery {
        sort: sort.parse::<LeadSort>().unwrap(),
        limit: 1000,
        ..LeadQuery::default()
    };
    // Walk 20 pages of 1000 to find a cursor deep in the list, then time one page of 50 there.
    for _ in 0..20 {
        let page = crm.list_leads(&admin, &query).unwrap();
        match page.next_after {
            Some(after) => query.after = Some(crm_core::LeadId(after)),
            None => break,
        }
    }
    query.limit = 50;
    bencher.bench_local(|| crm.list_leads(&admin, &query).unwrap());
}

#[divan::bench]
fn leads_filtered_page(bencher: Bencher) {
    let (crm, admin) = open("admin");
    let query = LeadQuery {
        stage: Some(LeadStage::Qualified),
        temperature: Some(Temperature::Hot),
        limit: 50,
        ..LeadQuery::default()
    };
    bencher.bench_local(|| crm.list_leads(&admin, &query).unwrap());
}

#[divan::bench]
fn leads_page_of_a_rep(bencher: Bencher) {
    let (crm, rep) = open("asha");
    let query = LeadQuery {
        limit: 50,
        ..LeadQuery::default()
    };
    bencher.bench_local(|| crm.list_leads(&rep, &query).unwrap());
}

#[divan::bench]
fn contacts_first_page(bencher: Bencher) {
    let (crm, admin) = open("admin");
    let query = ContactQuery {
        limit: 50,
        ..ContactQuery::default()
    };
    bencher.bench_local(|| crm.list_contacts(&admin, &query).unwrap());
}

#[divan::bench]
fn deals_first_page(bencher: Bencher) {
    let (crm, admin) = open("admin");
    let query = DealQuery {
        limit: 50,
        ..DealQuery::default()
    };
    bencher.bench_local(|| crm.list_deals(&admin, &query).unwrap());
}

#[divan::bench(args = ["admin", "asha"])]
fn dashboard(bencher: Bencher, user: &str) {
    let (crm, actor) = open(user);
    bencher.bench_local(|| crm.dashboard(&actor).unwrap());
}

#[divan::bench]
fn board(bencher: Bencher) {
    let (crm, admin) = open("admin");
    bencher.bench_local(|| crm.board(&admin, 50).unwrap());
}

#[divan::bench]
fn report_marketing(bencher: Bencher) {
    let (crm, admin) = open("admin");
    bencher.bench_local(|| crm.marketing_report(&admin).unwrap());
}

#[divan::bench]
fn report_sales(bencher: Bencher) {
    let (crm, admin) = open("admin");
    bencher.bench_local(|| crm.sales_report(&admin).unwrap());
}

#[divan::bench]
fn report_tickets(bencher: Bencher) {
    let (crm, admin) = open("admin");
    bencher.bench_local(|| crm.ticket_report(&admin).unwrap());
}

#[divan::bench]
fn companies_first_page(bencher: Bencher) {
    let (crm, admin) = open("admin");
    let query = CompanyQuery::default();
    bencher.bench_local(|| crm.list_companies(&admin, &query).unwrap());
}

/// `crm companies show`: the company with the most leads, with its contacts, open leads, open
/// deals, won revenue and tickets, for an admin and for a rep (whose rows are filtered).
#[divan::bench(args = ["admin", "asha"])]
fn company_page(bencher: Bencher, user: &str) {
    let (crm, actor) = open(user);
    let biggest = crm
        .list_companies(&actor, &CompanyQuery::default())
        .unwrap()
        .items
        .into_iter()
        .max_by_key(|c| c.leads)
        .unwrap()
        .id;
    bencher.bench_local(|| crm.company_page(&actor, biggest).unwrap());
}

/// `crm leads|contacts|companies dupes`: every record read and grouped by blocking keys.
#[divan::bench(args = ["lead", "contact", "company"], sample_count = 10)]
fn find_duplicates(bencher: Bencher, kind: &str) {
    let (crm, admin) = open("admin");
    let kind: crm_core::EntityKind = kind.parse().unwrap();
    bencher.bench_local(|| crm.find_duplicates(&admin, kind, 0).unwrap());
}
