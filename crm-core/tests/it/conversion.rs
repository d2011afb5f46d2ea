//! Converting a lead into a contact and a deal: what it makes, reuses and refuses.

use crm_core::{LeadQuery, LeadStage, NewContact, NewLead, Role};

use crate::env::Env;
use crate::env::start;
use crate::leads::{aarav, campaign_in};

crate::on_both_engines!(conversion_makes_a_contact_and_a_deal_and_leaves_the_active_list);
fn conversion_makes_a_contact_and_a_deal_and_leaves_the_active_list(env: &Env) {
    campaign_in(env);
    env.user("asha", Role::SalesRep);
    let l = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                owner: Some("asha".into()),
                ..aarav()
            },
        )
        .unwrap();
    env.crm.nurture_leads(&env.admin, &[l.id], None).unwrap();
    let conv = env
        .crm
        .convert_lead(&env.admin, l.id, None, Some("2,50,000"), false)
        .unwrap();
    assert!(!conv.reused_contact);
    assert_eq!(conv.deal_title, "TechVerse — Aarav Sharma");
    assert_eq!(conv.cancelled_tasks, 3);
    let contact = env.crm.contact(&env.admin, conv.contact_id).unwrap();
    assert_eq!(contact.email.as_deref(), Some("aarav@techverse.in"));
    assert_eq!(contact.owner.as_deref(), Some("asha"));
    assert_eq!(contact.source_lead_id, Some(l.id.0));
    let lead = env.crm.lead(&env.admin, l.id).unwrap();
    assert_eq!(lead.stage, LeadStage::Converted);
    assert_eq!(
        (lead.converted_contact_id, lead.deal_id),
        (Some(conv.contact_id), Some(conv.deal_id))
    );
    assert_eq!(lead.closed_at, Some(start()));
    let active = env
        .crm
        .list_leads(&env.admin, &LeadQuery::default())
        .unwrap();
    assert!(
        active.items.is_empty(),
        "converted leads leave the active list"
    );
    let all = env
        .crm
        .list_leads(
            &env.admin,
            &LeadQuery {
                include_converted: true,
                ..LeadQuery::default()
            },
        )
        .unwrap();
    assert_eq!(all.items.len(), 1);
    let deal = crm_core::testing::dump(&env.path);
    assert!(
        deal.contains("deals: 1 | \"TechVerse — Aarav Sharma\""),
        "first stage, campaign attributed"
    );
    let c = env.crm.campaign(&env.admin, "launch-sprint-2025").unwrap();
    assert_eq!(c.metrics.converted_leads, 1);
}

crate::on_both_engines!(converting_twice_creates_nothing_and_names_what_the_first_made);
fn converting_twice_creates_nothing_and_names_what_the_first_made(env: &Env) {
    campaign_in(env);
    let l = env.crm.add_lead(&env.admin, &aarav()).unwrap();
    let conv = env
        .crm
        .convert_lead(&env.admin, l.id, None, None, false)
        .unwrap();
    let before = env.dump();
    let err = env
        .crm
        .convert_lead(&env.admin, l.id, None, None, false)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "lead {} was already converted into contact {} and deal {}; it is read-only",
            l.id, conv.contact_id, conv.deal_id
        )
    );
    assert!(
        env.crm.set_lead_score(&env.admin, l.id, 90).is_err(),
        "read-only"
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(
    conversion_reuses_a_contact_with_the_same_phone_and_fills_only_empty_fields
);
fn conversion_reuses_a_contact_with_the_same_phone_and_fills_only_empty_fields(env: &Env) {
    campaign_in(env);
    let existing = env
        .crm
        .add_contact(
            &env.admin,
            &NewContact {
                first_name: "Aarav".into(),
                phone: Some("+919876543120".into()),
                company: Some("TechVerse Pvt Ltd".into()),
                ..NewContact::default()
            },
        )
        .unwrap();
    let l = env.crm.add_lead(&env.admin, &aarav()).unwrap();
    let conv = env
        .crm
        .convert_lead(&env.admin, l.id, Some("Rollout"), None, false)
        .unwrap();
    assert!(conv.reused_contact);
    assert_eq!(conv.contact_id, existing.id);
    let c = env.crm.contact(&env.admin, existing.id).unwrap();
    assert_eq!(c.company.as_deref(), Some("TechVerse Pvt Ltd"), "kept");
    assert_eq!(c.email.as_deref(), Some("aarav@techverse.in"), "filled");
    assert_eq!(c.last_name.as_deref(), Some("Sharma"), "filled");
}

crate::on_both_engines!(a_lost_lead_converts_only_with_force);
fn a_lost_lead_converts_only_with_force(env: &Env) {
    campaign_in(env);
    let l = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                stage: Some(LeadStage::Lost),
                ..aarav()
            },
        )
        .unwrap();
    let err = env
        .crm
        .convert_lead(&env.admin, l.id, None, None, false)
        .unwrap_err();
    assert!(err.to_string().contains("--force"), "{err}");
    env.crm
        .convert_lead(&env.admin, l.id, None, None, true)
        .unwrap();
}
