//! Campaigns: CRUD, computed metrics, spend and the protected General campaign.

use crm_core::{
    CampaignPatch, CampaignSort, CampaignStatus, Channel, Error, NewCampaign, NewLead, Role,
};

use crate::env::Env;

pub(crate) fn launch_sprint() -> NewCampaign {
    NewCampaign {
        name: "Launch Sprint 2025".into(),
        objective: Some("Promote new product features".into()),
        channel: Some(Channel::Email),
        status: Some(CampaignStatus::Active),
        budget: Some("85,000".into()),
        start_date: Some("2025-04-01".parse().unwrap()),
        end_date: Some("2025-04-30".parse().unwrap()),
        ..NewCampaign::default()
    }
}

fn lead(first: &str, campaign: &str) -> NewLead {
    NewLead {
        first_name: first.into(),
        campaign: Some(campaign.into()),
        ..NewLead::default()
    }
}

crate::on_both_engines!(a_campaign_gets_a_code_and_its_lead_count_rises_with_each_lead);
fn a_campaign_gets_a_code_and_its_lead_count_rises_with_each_lead(env: &Env) {
    let c = env.crm.add_campaign(&env.admin, &launch_sprint()).unwrap();
    assert_eq!(c.code, "launch-sprint-2025");
    assert_eq!(c.budget().to_string(), "INR 85,000");
    assert_eq!(c.metrics.generated_leads, 0);
    assert_eq!(c.metrics.roi_percent, None, "nothing spent: ROI is n/a");
    env.crm
        .add_lead(&env.admin, &lead("Aarav", "launch-sprint-2025"))
        .unwrap();
    env.crm
        .add_lead(&env.admin, &lead("Sneha", "Launch Sprint 2025"))
        .unwrap();
    let c = env.crm.campaign(&env.admin, "launch-sprint-2025").unwrap();
    assert_eq!(c.metrics.generated_leads, 2);
}

crate::on_both_engines!(spend_and_won_deals_give_roi);
fn spend_and_won_deals_give_roi(env: &Env) {
    env.crm.add_campaign(&env.admin, &launch_sprint()).unwrap();
    let l = env
        .crm
        .add_lead(&env.admin, &lead("Aarav", "launch-sprint-2025"))
        .unwrap();
    env.crm
        .add_spend(
            &env.admin,
            "launch-sprint-2025",
            "2025-04-02".parse().unwrap(),
            "40,000",
            Some("ads"),
        )
        .unwrap();
    let conv = env
        .crm
        .convert_lead(
            &env.admin,
            l.id,
            Some("TechVerse rollout"),
            Some("1,00,000"),
            false,
        )
        .unwrap();
    // Deals move through the pipeline in a later issue; a direct update stands in for "won".
    crm_core::testing::execute(
        &env.path,
        &format!(
            "UPDATE deals SET stage_id = (SELECT id FROM pipeline_stages WHERE is_won = 1) WHERE id = {}",
            conv.deal_id
        ),
    );
    let c = env.crm.campaign(&env.admin, "launch-sprint-2025").unwrap();
    assert_eq!(c.metrics.actual_spend, 4_000_000);
    assert_eq!(c.metrics.won_deals, 1);
    assert_eq!(c.metrics.revenue_attributed, 10_000_000);
    assert_eq!(c.metrics.converted_leads, 1);
    assert_eq!(
        c.metrics.generated_leads, 1,
        "converted leads still count as generated"
    );
    assert_eq!(c.metrics.roi_percent, Some(150.0));
    let by_roi = env
        .crm
        .list_campaigns(&env.admin, CampaignSort::Roi, true)
        .unwrap();
    assert_eq!(by_roi[0].code, "launch-sprint-2025");
}

crate::on_both_engines!(deleting_is_refused_while_leads_point_at_it_and_always_for_general);
fn deleting_is_refused_while_leads_point_at_it_and_always_for_general(env: &Env) {
    env.crm.add_campaign(&env.admin, &launch_sprint()).unwrap();
    let l = env
        .crm
        .add_lead(&env.admin, &lead("Aarav", "launch-sprint-2025"))
        .unwrap();
    let before = env.dump();
    let err = env
        .crm
        .delete_campaign(&env.admin, "launch-sprint-2025", None)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "campaign 'launch-sprint-2025' still has 1 lead(s) and 0 deal(s); move them to another campaign first"
    );
    let err = env
        .crm
        .delete_campaign(&env.admin, "general", None)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "'General / Unassigned' is built in and cannot be deleted"
    );
    assert_eq!(env.dump(), before);
    env.crm.delete_lead(&env.admin, l.id, None).unwrap();
    env.crm
        .delete_campaign(&env.admin, "launch-sprint-2025", None)
        .unwrap();
    assert!(matches!(
        env.crm.campaign(&env.admin, "launch-sprint-2025"),
        Err(Error::NotFound { .. })
    ));
}

crate::on_both_engines!(bad_campaign_input_is_refused);
fn bad_campaign_input_is_refused(env: &Env) {
    let before = env.dump();
    let cases = [
        (
            NewCampaign {
                name: " ".into(),
                ..NewCampaign::default()
            },
            "invalid name: is required",
        ),
        (
            NewCampaign {
                budget: Some("-5".into()),
                ..launch_sprint()
            },
            "invalid budget: '-5' is negative",
        ),
        (
            NewCampaign {
                end_date: Some("2025-03-01".parse().unwrap()),
                ..launch_sprint()
            },
            "invalid end date: 2025-03-01 is before the start date 2025-04-01",
        ),
        (
            NewCampaign {
                owner: Some("ghost".into()),
                ..launch_sprint()
            },
            "invalid owner: no user named 'ghost'",
        ),
    ];
    for (input, message) in cases {
        assert_eq!(
            env.crm
                .add_campaign(&env.admin, &input)
                .unwrap_err()
                .to_string(),
            message
        );
    }
    env.crm.add_campaign(&env.admin, &launch_sprint()).unwrap();
    let dup = env
        .crm
        .add_campaign(&env.admin, &launch_sprint())
        .unwrap_err();
    assert!(dup.to_string().contains("already used"), "{dup}");
    let patch = CampaignPatch {
        name: Some("Renamed".into()),
        ..CampaignPatch::default()
    };
    assert!(
        env.crm
            .edit_campaign(&env.admin, "general", &patch)
            .is_err()
    );
    assert_eq!(
        env.dump()
            .lines()
            .filter(|l| l.starts_with("campaigns:"))
            .count(),
        2,
        "General and the one good campaign"
    );
    drop(before);
}

crate::on_both_engines!(only_marketing_and_management_change_campaigns);
fn only_marketing_and_management_change_campaigns(env: &Env) {
    let rep = env.user("asha", Role::SalesRep);
    let agent = env.user("john", Role::SupportAgent);
    let marketer = env.user("neha", Role::Marketer);
    let before = env.dump();
    assert!(matches!(
        env.crm.add_campaign(&rep, &launch_sprint()),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        env.crm.list_campaigns(&agent, CampaignSort::Name, false),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(env.dump(), before);
    assert_eq!(
        env.crm
            .list_campaigns(&rep, CampaignSort::Name, false)
            .unwrap()
            .len(),
        1,
        "reps read campaigns"
    );
    env.crm.add_campaign(&marketer, &launch_sprint()).unwrap();
}
