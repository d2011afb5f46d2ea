//! The demo seeds: the seed brief's sample data, and analytics checked against hand counts.

use crm_core::{CampaignStatus, LeadQuery, LeadStage, Temperature};

use crate::env::Env;
use crate::env::loaded;

crate::on_both_engines!(demo => loaded: marketing_analytics_on_the_sample_data_equal_hand_computed_values);
fn marketing_analytics_on_the_sample_data_equal_hand_computed_values(env: &Env) {
    let r = env.crm.marketing_report(&env.admin).unwrap();
    // Five sample leads: Aarav (Contacted 45), Priya (New 20), Rahul (Qualified 72, Hot),
    // Sneha (Lost 30), Mohan (Contacted 55).
    assert_eq!(r.total_leads, 5);
    assert_eq!(r.hot_leads, 1);
    assert_eq!(r.converted_leads, 0);
    assert!(r.conversion_rate.abs() < f64::EPSILON);
    let stage = |s: LeadStage| r.by_stage.iter().find(|(x, _)| *x == s).unwrap().1;
    assert_eq!(
        [
            stage(LeadStage::New),
            stage(LeadStage::Contacted),
            stage(LeadStage::Qualified),
            stage(LeadStage::Lost)
        ],
        [1, 2, 1, 1]
    );
    let top: Vec<(&str, i64)> = r
        .campaigns
        .iter()
        .map(|c| (c.code.as_str(), c.leads))
        .collect();
    assert_eq!(
        top,
        [
            ("launch-sprint-2025", 2),
            ("webinar-series-q2", 2),
            ("festive-cashback-promo", 1),
            ("general", 0)
        ]
    );
    let launch = r
        .campaigns
        .iter()
        .find(|c| c.code == "launch-sprint-2025")
        .unwrap();
    assert_eq!(launch.spend, 6_200_000, "30,000 + 32,000 rupees in paise");
    assert_eq!(launch.roi_percent, Some(-100.0), "spent, nothing won yet");
    let webinar = r
        .campaigns
        .iter()
        .find(|c| c.code == "webinar-series-q2")
        .unwrap();
    assert_eq!(webinar.roi_percent, None, "nothing spent: n/a");

    // After converting Rahul, one of five leads is converted: 20 %.
    let rahul = env
        .crm
        .list_leads(
            &env.admin,
            &LeadQuery {
                search: Some("Rahul".into()),
                ..LeadQuery::default()
            },
        )
        .unwrap()
        .items
        .remove(0);
    assert_eq!(rahul.temperature, Temperature::Hot);
    env.crm
        .convert_lead(&env.admin, rahul.id, None, Some("1,50,000"), false)
        .unwrap();
    let r = env.crm.marketing_report(&env.admin).unwrap();
    assert_eq!((r.total_leads, r.converted_leads), (5, 1));
    assert!((r.conversion_rate - 20.0).abs() < 1e-9);
}

crate::on_both_engines!(demo => loaded: the_sample_campaigns_have_the_briefs_figures);
fn the_sample_campaigns_have_the_briefs_figures(env: &Env) {
    let festive = env
        .crm
        .campaign(&env.admin, "Festive Cashback Promo")
        .unwrap();
    assert_eq!(festive.budget().to_string(), "INR 1,10,000");
    assert_eq!(festive.status, CampaignStatus::Completed);
    assert_eq!(
        (
            festive.start_date.unwrap().to_string(),
            festive.end_date.unwrap().to_string()
        ),
        ("2024-12-01".into(), "2024-12-20".into())
    );
    let webinar = env.crm.campaign(&env.admin, "webinar-series-q2").unwrap();
    assert_eq!(
        (webinar.status, webinar.budget().to_string()),
        (CampaignStatus::Planned, "INR 45,000".into())
    );
}

crate::on_both_engines!(history => loaded: the_full_demo_has_the_festive_promos_420_leads_and_reruns_add_nothing);
fn the_full_demo_has_the_festive_promos_420_leads_and_reruns_add_nothing(env: &Env) {
    let festive = env
        .crm
        .campaign(&env.admin, "festive-cashback-promo")
        .unwrap();
    assert_eq!(festive.metrics.generated_leads, 420);
    assert!(festive.metrics.won_deals > 0 && festive.metrics.roi_percent.is_some());
    let queue = env
        .crm
        .list_tickets(
            &env.admin,
            &crm_core::TicketQuery {
                include_resolved: true,
                ..Default::default()
            },
        )
        .unwrap()
        .items;
    assert_eq!(queue.len(), 4);
    assert_eq!(
        queue[0].subject, "Cannot log in to the customer portal",
        "urgent first"
    );
    let queued = env
        .crm
        .list_outbox(&env.admin, Some(crm_core::OutboxStatus::Queued), 10)
        .unwrap();
    assert_eq!(
        queued.len(),
        1,
        "the resolved demo ticket's email waits in the outbox"
    );
    let before = env.dump();
    let again = env.crm.load_demo(true).unwrap();
    assert_eq!(
        (
            again.users_created.len(),
            again.contacts_created,
            again.campaigns_created,
            again.leads_created
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(the_demo_refuses_a_database_it_did_not_make);
fn the_demo_refuses_a_database_it_did_not_make(env: &Env) {
    let before = env.dump();
    let err = env.crm.load_demo(false).unwrap_err();
    assert!(err.to_string().contains("not made by `crm demo`"), "{err}");
    assert_eq!(env.dump(), before);
}

#[test]
fn volume_data_is_deterministic_complete_and_fairly_assigned() {
    let grow = || {
        let env = Env::demo(false);
        let report = env.crm.generate_volume(&env.admin, 1000, &mut ()).unwrap();
        (env, report)
    };
    let (a, report) = grow();
    assert_eq!(
        (
            report.leads,
            report.contacts,
            report.deals,
            report.tickets,
            report.tasks,
            report.notes
        ),
        (1000, 200, 200, 20, 100, 50)
    );
    let q = |sql: &str| crm_core::testing::count(&a.path, sql);
    assert_eq!(
        q("SELECT count(*) FROM leads WHERE email LIKE 'v%.example'"),
        1000
    );
    // Round-robin over the two demo reps: 500 each.
    assert_eq!(
        q(
            "SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM leads WHERE email LIKE 'v%.example' GROUP BY owner_id)"
        ),
        0
    );
    assert_eq!(
        q(
            "SELECT count(*) FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE c.email LIKE 'c%.example'"
        ),
        200
    );
    assert_eq!(q("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    let (b, _) = grow();
    // Every record but users (random password salts), sessions, and the rows the migrations
    // write with the wall-clock time (stages, the General campaign, the assignment cursor).
    let records = |env: &Env| -> Vec<String> {
        const SKIP: &[&str] = &[
            "users:",
            "sessions:",
            "pipeline_stages:",
            "campaigns:",
            "assignment_cursor:",
        ];
        env.dump()
            .lines()
            .filter(|l| !SKIP.iter().any(|s| l.starts_with(s)))
            .map(str::to_string)
            .collect()
    };
    let (ra, rb) = (records(&a), records(&b));
    assert!(ra.len() > 3000);
    let differ: Vec<_> = ra.iter().zip(&rb).filter(|(x, y)| x != y).take(3).collect();
    assert!(
        ra.len() == rb.len() && differ.is_empty(),
        "the same scale makes the same database: {differ:?}"
    );
}
