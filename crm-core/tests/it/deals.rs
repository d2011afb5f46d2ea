//! Deals and the pipeline: moves recorded, won/lost/reopen, stages, board and sales report.

use chrono::Duration;
use crm_core::{DealPatch, DealQuery, Error, NewDeal, Role};

use crate::env::{Env, start};

fn villa() -> NewDeal {
    NewDeal {
        title: "Villa 3BHK".into(),
        amount: Some("85,00,000".into()),
        ..NewDeal::default()
    }
}

crate::on_both_engines!(a_deal_moves_through_the_pipeline_and_every_move_is_recorded);
fn a_deal_moves_through_the_pipeline_and_every_move_is_recorded(env: &Env) {
    let deal = env.crm.add_deal(&env.admin, &villa()).unwrap();
    assert_eq!((deal.stage.as_str(), deal.probability), ("New", 10));
    let moved = env.crm.move_deal(&env.admin, deal.id, "proposal").unwrap();
    assert_eq!(
        (
            moved.from.as_str(),
            moved.to.as_str(),
            moved.deal.probability
        ),
        ("New", "Proposal", 50)
    );
    let later = env.at(start() + Duration::days(12));
    let won = later.win_deal(&env.admin, deal.id).unwrap();
    assert_eq!(won.deal.stage, "Won");
    assert_eq!(won.deal.closed_at, Some(start() + Duration::days(12)));
    let history = env.crm.deal_history(&env.admin, deal.id).unwrap();
    let path: Vec<_> = history
        .iter()
        .map(|m| (m.from.clone(), m.to.clone(), m.by.clone()))
        .collect();
    assert_eq!(
        path,
        [
            (None, "New".to_string(), Some("root".to_string())),
            (Some("New".into()), "Proposal".into(), Some("root".into())),
            (Some("Proposal".into()), "Won".into(), Some("root".into())),
        ]
    );
    let report = env.crm.sales_report(&env.admin).unwrap();
    assert_eq!((report.won_deals, report.won_revenue), (1, 850_000_000));
    assert_eq!(report.win_rate, Some(100.0));
    assert_eq!(report.avg_days_to_close, Some(12.0));
    assert_eq!(report.won_by_month[0].month, "2026-03");
}

crate::on_both_engines!(losing_needs_a_reason_and_reopening_is_recorded);
fn losing_needs_a_reason_and_reopening_is_recorded(env: &Env) {
    let deal = env.crm.add_deal(&env.admin, &villa()).unwrap();
    let before = env.dump();
    let err = env.crm.move_deal(&env.admin, deal.id, "Lost").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid reason: moving a deal to 'Lost' needs a reason"),
        "{err}"
    );
    assert!(env.crm.lose_deal(&env.admin, deal.id, "  ").is_err());
    assert_eq!(env.dump(), before);
    let lost = env
        .crm
        .lose_deal(&env.admin, deal.id, "Chose a competitor")
        .unwrap();
    assert_eq!(lost.deal.lost_reason.as_deref(), Some("Chose a competitor"));
    assert!(lost.deal.closed_at.is_some());
    let reopened = env
        .crm
        .move_deal(&env.admin, deal.id, "Negotiation")
        .unwrap();
    assert!(reopened.reopened);
    assert_eq!(
        (reopened.deal.closed_at, reopened.deal.lost_reason),
        (None, None)
    );
    let feed = env.crm.recent_activity(&env.admin, 1).unwrap();
    assert_eq!(feed[0].verb, "reopened");
    assert_eq!(env.crm.deal_history(&env.admin, deal.id).unwrap().len(), 3);
}

crate::on_both_engines!(moving_to_an_unknown_stage_names_the_stages_and_changes_nothing);
fn moving_to_an_unknown_stage_names_the_stages_and_changes_nothing(env: &Env) {
    let deal = env.crm.add_deal(&env.admin, &villa()).unwrap();
    let before = env.dump();
    let err = env
        .crm
        .move_deal(&env.admin, deal.id, "In Progress")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid stage: no stage named 'In Progress' (stages: New, Qualified, Proposal, Negotiation, Won, Lost)"
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(admins_shape_stages_without_losing_deals);
fn admins_shape_stages_without_losing_deals(env: &Env) {
    let deal = env
        .crm
        .add_deal(
            &env.admin,
            &NewDeal {
                stage: Some("Qualified".into()),
                ..villa()
            },
        )
        .unwrap();
    let visit = env
        .crm
        .add_stage(&env.admin, "Site Visit", 35, Some(3))
        .unwrap();
    assert_eq!(visit.position, 3);
    let names: Vec<_> = env
        .crm
        .stages(false)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        names,
        [
            "New",
            "Qualified",
            "Site Visit",
            "Proposal",
            "Negotiation",
            "Won",
            "Lost"
        ]
    );
    env.crm
        .edit_stage(
            &env.admin,
            "Qualified",
            Some("Qualified Lead"),
            None,
            Some(1),
            None,
        )
        .unwrap();
    env.crm
        .edit_stage(&env.admin, "Qualified Lead", None, None, None, Some(false))
        .unwrap();
    let d = env.crm.deal(&env.admin, deal.id).unwrap();
    assert_eq!(
        d.stage, "Qualified Lead",
        "the deal stays in its (renamed, retired) stage"
    );
    assert!(
        env.crm
            .move_deal(&env.admin, deal.id, "Qualified Lead")
            .is_err()
    );
    env.crm
        .move_deal(&env.admin, deal.id, "Site Visit")
        .unwrap();
    let err = env
        .crm
        .edit_stage(&env.admin, "Won", None, None, None, Some(false))
        .unwrap_err();
    assert!(
        err.to_string().contains("last active stage of its kind"),
        "{err}"
    );
    let rep = env.user("asha", Role::SalesRep);
    assert!(matches!(
        env.crm.add_stage(&rep, "Mine", 10, None),
        Err(Error::Forbidden(_))
    ));
}

crate::on_both_engines!(the_board_shows_every_stage_with_count_and_total);
fn the_board_shows_every_stage_with_count_and_total(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    env.crm
        .add_deal(
            &asha,
            &NewDeal {
                title: "A".into(),
                amount: Some("100".into()),
                ..NewDeal::default()
            },
        )
        .unwrap();
    env.crm
        .add_deal(
            &asha,
            &NewDeal {
                title: "B".into(),
                amount: Some("300".into()),
                ..NewDeal::default()
            },
        )
        .unwrap();
    env.crm
        .add_deal(
            &env.admin,
            &NewDeal {
                title: "C".into(),
                amount: Some("50".into()),
                stage: Some("Proposal".into()),
                ..NewDeal::default()
            },
        )
        .unwrap();
    let board = env.crm.board(&env.admin, 1).unwrap();
    assert_eq!(board.len(), 6);
    assert_eq!(
        (board[0].count, board[0].total, board[0].deals.len()),
        (2, 40_000, 1)
    );
    assert_eq!(board[0].deals[0].title, "B", "most valuable first");
    let mine = env.crm.board(&asha, 10).unwrap();
    assert_eq!(mine[2].count, 0, "a rep's board holds their own deals");
}

crate::on_both_engines!(reps_work_their_own_deals_only);
fn reps_work_their_own_deals_only(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    let ravi = env.user("ravi", Role::SalesRep);
    let neha = env.user("neha", Role::Marketer);
    let deal = env.crm.add_deal(&asha, &villa()).unwrap();
    let before = env.dump();
    assert!(matches!(
        env.crm.deal(&ravi, deal.id),
        Err(Error::OutOfScope(_))
    ));
    assert!(env.crm.win_deal(&ravi, deal.id).is_err());
    assert!(
        env.crm
            .edit_deal(
                &ravi,
                deal.id,
                &DealPatch {
                    title: Some("x".into()),
                    ..DealPatch::default()
                }
            )
            .is_err()
    );
    assert!(env.crm.add_deal(&neha, &villa()).is_err());
    assert!(
        env.crm
            .add_deal(
                &asha,
                &NewDeal {
                    owner: Some("ravi".into()),
                    ..villa()
                }
            )
            .is_err()
    );
    assert!(
        env.crm
            .list_deals(&ravi, &DealQuery::default())
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(env.dump(), before);
}
