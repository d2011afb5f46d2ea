//! The dashboard's tiles against direct queries, and per role.

use crm_core::Role;
use crm_core::testing::count;

use crate::env::{Env, loaded};

crate::on_both_engines!(history => loaded: admin_tiles_match_direct_queries_on_the_demo_data);
fn admin_tiles_match_direct_queries_on_the_demo_data(env: &Env) {
    let d = env.crm.dashboard(&env.admin).unwrap();
    let q = |sql: &str| count(&env.path, sql);

    let leads = d.leads.unwrap();
    assert_eq!(leads.total, q("SELECT count(*) FROM leads"));
    assert_eq!(leads.hot, q("SELECT count(*) FROM leads WHERE score > 70"));
    assert_eq!(
        leads.converted,
        q("SELECT count(*) FROM leads WHERE stage = 'Converted'")
    );
    assert!(
        leads.total > 0 && leads.converted > 0,
        "demo history has conversions"
    );

    let pipeline = d.pipeline.unwrap();
    let open = "FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id \
                WHERE s.is_won = 0 AND s.is_lost = 0";
    assert_eq!(pipeline.open_deals, q(&format!("SELECT count(*) {open}")));
    assert_eq!(
        pipeline.open_value,
        q(&format!("SELECT ifnull(sum(amount), 0) {open}"))
    );
    let per_stage: i64 = pipeline.by_stage.iter().map(|s| s.count).sum();
    assert_eq!(per_stage, q("SELECT count(*) FROM deals"));
    // The clock is fixed at 2026-03-01T09:00Z, so "this month" starts that day.
    assert_eq!(
        pipeline.won_this_month,
        q(
            "SELECT count(*) FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id \
           WHERE s.is_won = 1 AND d.closed_at >= '2026-03-01T00:00:00Z'"
        )
    );

    assert_eq!(
        d.open_tickets.unwrap(),
        q("SELECT count(*) FROM tickets WHERE status <> 'Resolved'")
    );
    let top = d.top_campaigns.unwrap();
    assert!(!top.is_empty() && top.len() <= 5);
    assert!(top.windows(2).all(|w| w[0].leads >= w[1].leads));
    assert!(!d.recent.is_empty());
}

crate::on_both_engines!(a_won_deal_shows_at_once_and_tiles_follow_the_role);
fn a_won_deal_shows_at_once_and_tiles_follow_the_role(env: &Env) {
    let rep = env.user("asha", Role::SalesRep);
    let support = env.user("john", Role::SupportAgent);
    let marketer = env.user("neha", Role::Marketer);

    let deal = env
        .crm
        .add_deal(
            &rep,
            &crm_core::NewDeal {
                title: "Cloud suite".into(),
                amount: Some("50000".into()),
                ..crm_core::NewDeal::default()
            },
        )
        .unwrap();
    let before = env.crm.dashboard(&rep).unwrap().pipeline.unwrap();
    assert_eq!((before.open_deals, before.open_value), (1, 5_000_000));
    assert_eq!(before.won_this_month, 0);
    env.crm.win_deal(&rep, deal.id).unwrap();
    let after = env.crm.dashboard(&rep).unwrap().pipeline.unwrap();
    assert_eq!((after.open_deals, after.open_value), (0, 0));
    assert_eq!(
        (after.won_this_month, after.won_this_month_value),
        (1, 5_000_000)
    );

    let s = env.crm.dashboard(&support).unwrap();
    assert!(s.pipeline.is_none() && s.leads.is_none() && s.top_campaigns.is_none());
    assert_eq!(s.open_tickets, Some(0));
    let m = env.crm.dashboard(&marketer).unwrap();
    assert!(m.pipeline.is_none() && m.open_tickets.is_none());
    assert!(m.leads.is_some() && m.top_campaigns.is_some());
    // Another rep sees none of asha's deals.
    let ravi = env.user("ravi", Role::SalesRep);
    let r = env.crm.dashboard(&ravi).unwrap().pipeline.unwrap();
    assert_eq!((r.open_deals, r.won_this_month), (0, 0));
}

crate::on_both_engines!(history => loaded: lead_tallies_equal_a_direct_count_after_every_change);
/// The summary behind the lead tiles, reports and campaign metrics, against a direct count,
/// after every kind of change a lead goes through.
fn lead_tallies_equal_a_direct_count_after_every_change(env: &Env) {
    let tallies = || {
        count(
            &env.path,
            "SELECT (SELECT count(*) FROM (
                SELECT campaign_id, owner_id, stage, source, hot, n FROM lead_tallies WHERE n > 0
                EXCEPT
                SELECT campaign_id, ifnull(owner_id, 0), stage, source,
                       CASE WHEN score > 70 THEN 1 ELSE 0 END, count(*)
                FROM leads GROUP BY 1, 2, 3, 4, 5) AS kept_only)
             + (SELECT count(*) FROM (
                SELECT campaign_id, ifnull(owner_id, 0), stage, source,
                       CASE WHEN score > 70 THEN 1 ELSE 0 END, count(*)
                FROM leads GROUP BY 1, 2, 3, 4, 5
                EXCEPT
                SELECT campaign_id, owner_id, stage, source, hot, n FROM lead_tallies WHERE n > 0)
                AS counted_only)",
        )
    };
    assert_eq!(tallies(), 0, "after the demo load (adds and conversions)");
    let leads = env
        .crm
        .list_leads(&env.admin, &crm_core::LeadQuery::default())
        .unwrap()
        .items;
    let (a, b, c) = (leads[0].id, leads[1].id, leads[2].id);
    env.crm.set_lead_score(&env.admin, a, 95).unwrap();
    env.crm.set_lead_score(&env.admin, b, 10).unwrap();
    env.crm.assign_lead(&env.admin, c, "ravi").unwrap();
    env.crm
        .edit_lead(
            &env.admin,
            a,
            &crm_core::LeadPatch {
                campaign: Some("webinar-series-q2".into()),
                source: Some(crm_core::LeadSource::Referral),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap();
    env.crm
        .convert_lead(&env.admin, b, None, None, true)
        .unwrap();
    env.crm.delete_lead(&env.admin, c, None).unwrap();
    assert_eq!(
        tallies(),
        0,
        "after score, assignment, campaign, conversion and delete"
    );
    assert_eq!(
        env.crm.dashboard(&env.admin).unwrap().leads.unwrap().total,
        count(&env.path, "SELECT count(*) FROM leads")
    );
}

crate::on_both_engines!(history => loaded: deal_tallies_equal_a_direct_count_after_every_change);
/// The summary behind the board's column totals, the pipeline tiles and the campaigns' won
/// revenue, against a direct count and sum, after every kind of change a deal goes through.
fn deal_tallies_equal_a_direct_count_after_every_change(env: &Env) {
    let direct = "SELECT stage_id, ifnull(owner_id, 0), ifnull(campaign_id, 0), currency,
                         count(*), sum(amount)
                  FROM deals GROUP BY 1, 2, 3, 4";
    let kept = "SELECT stage_id, owner_id, campaign_id, currency, n, amount
                FROM deal_tallies WHERE n <> 0";
    let tallies = || {
        count(
            &env.path,
            &format!(
                "SELECT (SELECT count(*) FROM ({kept} EXCEPT {direct}) AS kept_only)
                      + (SELECT count(*) FROM ({direct} EXCEPT {kept}) AS counted_only)"
            ),
        )
    };
    assert!(count(&env.path, "SELECT count(*) FROM deal_tallies WHERE n > 0") > 3);
    assert_eq!(tallies(), 0, "after the demo load");
    let deals = env
        .crm
        .list_deals(&env.admin, &crm_core::DealQuery::default())
        .unwrap()
        .items;
    let (a, b, c) = (deals[0].id, deals[1].id, deals[2].id);
    env.crm.move_deal(&env.admin, a, "Won").unwrap();
    env.crm
        .edit_deal(
            &env.admin,
            b,
            &crm_core::DealPatch {
                amount: Some("123456".into()),
                currency: Some("USD".parse().unwrap()),
                owner: Some("ravi".into()),
                campaign: Some("webinar-series-q2".into()),
                ..crm_core::DealPatch::default()
            },
        )
        .unwrap();
    env.crm.delete_deal(&env.admin, c, None).unwrap();
    env.crm
        .add_deal(
            &env.admin,
            &crm_core::NewDeal {
                title: "Fresh".into(),
                amount: Some("5000".into()),
                ..crm_core::NewDeal::default()
            },
        )
        .unwrap();
    assert_eq!(
        tallies(),
        0,
        "after a move, an edit of amount, currency, owner and campaign, a delete and an add"
    );
    // What reads the tallies agrees with the deals: every board column's count and sum.
    for column in &env.crm.board(&env.admin, 0).unwrap() {
        let (n, sum) = (
            count(
                &env.path,
                &format!(
                    "SELECT count(*) FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id
                     WHERE s.name = '{}'",
                    column.stage.name
                ),
            ),
            count(
                &env.path,
                &format!(
                    "SELECT ifnull(sum(amount), 0) FROM deals d JOIN pipeline_stages s
                     ON s.id = d.stage_id WHERE s.name = '{}'",
                    column.stage.name
                ),
            ),
        );
        assert_eq!(
            (column.count, column.total),
            (n, sum),
            "{}",
            column.stage.name
        );
    }
}
