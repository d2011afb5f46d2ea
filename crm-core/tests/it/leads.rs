//! Leads: capture, scoring, round-robin, nurture and conversion, on both engines.

use chrono::Duration;
use crm_core::{
    Bant, Error, LeadPatch, LeadQuery, LeadSource, LeadStage, NewLead, Role, TaskKind, Temperature,
    UserPatch,
};

use crate::campaigns::launch_sprint;
use crate::env::{Env, start};

pub(crate) fn aarav() -> NewLead {
    NewLead {
        first_name: "Aarav".into(),
        last_name: Some("Sharma".into()),
        email: Some("aarav@techverse.in".into()),
        phone: Some("+91 98765 43120".into()),
        company: Some("TechVerse".into()),
        source: Some(LeadSource::Website),
        campaign: Some("launch-sprint-2025".into()),
        stage: Some(LeadStage::Contacted),
        score: Some(45),
        consent_email: true,
        ..NewLead::default()
    }
}

/// Adds the brief's Launch Sprint campaign the scenarios use.
pub(crate) fn campaign_in(env: &Env) {
    env.crm.add_campaign(&env.admin, &launch_sprint()).unwrap();
}

crate::on_both_engines!(a_lead_without_campaign_is_general_and_temperature_follows_score);
fn a_lead_without_campaign_is_general_and_temperature_follows_score(env: &Env) {
    campaign_in(env);
    let organic = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "Walk".into(),
                ..NewLead::default()
            },
        )
        .unwrap();
    assert_eq!(organic.campaign, "General / Unassigned");
    let l = env.crm.add_lead(&env.admin, &aarav()).unwrap();
    assert_eq!(l.temperature, Temperature::Warm);
    let l = env.crm.set_lead_score(&env.admin, l.id, 72).unwrap();
    assert_eq!((l.score, l.temperature), (72, Temperature::Hot));
    let hot = env
        .crm
        .list_leads(
            &env.admin,
            &LeadQuery {
                temperature: Some(Temperature::Hot),
                ..LeadQuery::default()
            },
        )
        .unwrap();
    assert_eq!(hot.items.len(), 1);
}

crate::on_both_engines!(scores_outside_0_to_100_are_refused_and_nothing_changes);
fn scores_outside_0_to_100_are_refused_and_nothing_changes(env: &Env) {
    campaign_in(env);
    let l = env.crm.add_lead(&env.admin, &aarav()).unwrap();
    let before = env.dump();
    assert_eq!(
        env.crm
            .set_lead_score(&env.admin, l.id, 101)
            .unwrap_err()
            .to_string(),
        "invalid score: 101 is outside 0..=100"
    );
    assert!(env.crm.set_lead_score(&env.admin, l.id, -1).is_err());
    let bad = NewLead {
        campaign: Some("no-such-campaign".into()),
        ..aarav()
    };
    assert_eq!(
        env.crm.add_lead(&env.admin, &bad).unwrap_err().to_string(),
        "campaign 'no-such-campaign' not found"
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(auto_score_is_explained_rule_by_rule);
fn auto_score_is_explained_rule_by_rule(env: &Env) {
    campaign_in(env);
    let l = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                job_title: Some("Head of Sales".into()),
                source: Some(LeadSource::Referral),
                bant: Bant {
                    budget: true,
                    authority: true,
                    need: true,
                    timeline: false,
                },
                consent_email: true,
                ..aarav()
            },
        )
        .unwrap();
    let (_, parts) = env.crm.explain_lead_score(&env.admin, l.id).unwrap();
    let total: u32 = parts.iter().map(|p| u32::from(p.points)).sum();
    assert_eq!(total, 15 + 15 + 15 + 15 + 10 + 5);
    assert!(
        parts
            .iter()
            .any(|p| p.rule == "bant.timeline" && p.points == 0 && p.reason.contains("worth 10"))
    );
    let scored = env.crm.auto_score_lead(&env.admin, l.id).unwrap();
    assert_eq!(scored.score, 75);
    assert_eq!(scored.temperature, Temperature::Hot);
}

crate::on_both_engines!(round_robin_is_fair_skips_disabled_reps_and_survives_reopening);
fn round_robin_is_fair_skips_disabled_reps_and_survives_reopening(env: &Env) {
    campaign_in(env);
    for name in ["asha", "ravi", "kiran"] {
        env.user(name, Role::SalesRep);
    }
    let marketer = env.user("neha", Role::Marketer);
    let auto = || NewLead {
        first_name: "Auto".into(),
        auto_assign: true,
        ..NewLead::default()
    };
    let mut owners = Vec::new();
    for _ in 0..7 {
        // A fresh connection each time: the cursor lives in the database, not in memory.
        let crm = env.at(start());
        owners.push(crm.add_lead(&marketer, &auto()).unwrap().owner.unwrap());
    }
    assert_eq!(
        owners,
        ["asha", "ravi", "kiran", "asha", "ravi", "kiran", "asha"]
    );
    // Ravi leaves: he is never picked again.
    env.crm
        .edit_user(
            &env.admin,
            "ravi",
            &UserPatch {
                active: Some(false),
                ..UserPatch::default()
            },
        )
        .unwrap();
    let next: Vec<_> = (0..4)
        .map(|_| env.crm.add_lead(&marketer, &auto()).unwrap().owner.unwrap())
        .collect();
    assert_eq!(next, ["kiran", "asha", "kiran", "asha"]);
}

crate::on_both_engines!(auto_assign_with_no_reps_is_refused_and_writes_nothing);
fn auto_assign_with_no_reps_is_refused_and_writes_nothing(env: &Env) {
    campaign_in(env);
    let before = env.dump();
    let err = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "A".into(),
                auto_assign: true,
                ..NewLead::default()
            },
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("no active sales rep to auto-assign to"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(nurture_creates_a_drip_for_each_lead_assigned_to_its_owner);
fn nurture_creates_a_drip_for_each_lead_assigned_to_its_owner(env: &Env) {
    campaign_in(env);
    env.user("asha", Role::SalesRep);
    let a = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                owner: Some("asha".into()),
                ..aarav()
            },
        )
        .unwrap();
    let b = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "Priya".into(),
                ..NewLead::default()
            },
        )
        .unwrap();
    let report = env
        .crm
        .nurture_leads(&env.admin, &[a.id, b.id], None)
        .unwrap();
    assert_eq!(report.leads.len(), 2);
    assert_eq!(report.leads[0].tasks.len(), 3);
    // Priya has not consented to email: her drip has the two calls only.
    assert_eq!(report.leads[1].tasks.len(), 2);
    assert_eq!(report.leads[1].skipped_email_steps, 1);
    let kinds: Vec<_> = env
        .crm
        .lead_open_tasks(&env.admin, b.id)
        .unwrap()
        .iter()
        .map(|t| (t.kind, t.title.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (TaskKind::Call, "call Priya (drip step 1 of 3)".to_string()),
            (TaskKind::Call, "call Priya (drip step 3 of 3)".to_string())
        ]
    );
    let tasks = env.crm.lead_open_tasks(&env.admin, a.id).unwrap();
    let kinds: Vec<_> = tasks.iter().map(|t| t.kind).collect();
    assert_eq!(kinds, [TaskKind::Call, TaskKind::Email, TaskKind::Call]);
    assert!(tasks.iter().all(|t| t.assignee.as_deref() == Some("asha")));
    let due: Vec<_> = tasks.iter().map(|t| t.due_at.unwrap()).collect();
    assert_eq!(due[0], start(), "day 0 is due now");
    assert_eq!(
        due[2].date_naive(),
        (start() + Duration::days(5)).date_naive()
    );
    let a = env.crm.lead(&env.admin, a.id).unwrap();
    assert_eq!(a.next_action_at, Some(start()));
    // The lead without an owner gets tasks for the acting user.
    assert_eq!(report.leads[1].owner.as_deref(), Some("root"));
    // Custom drip.
    let custom = env
        .crm
        .nurture_leads(&env.admin, &[b.id], Some("email:1,meeting:3"))
        .unwrap();
    assert_eq!(custom.leads[0].tasks.len(), 1);
    assert_eq!(custom.leads[0].skipped_email_steps, 1);
}

crate::on_both_engines!(nurture_on_a_missing_lead_creates_nothing);
fn nurture_on_a_missing_lead_creates_nothing(env: &Env) {
    campaign_in(env);
    let a = env.crm.add_lead(&env.admin, &aarav()).unwrap();
    let before = env.dump();
    let err = env
        .crm
        .nurture_leads(&env.admin, &[a.id, crm_core::LeadId(999)], None)
        .unwrap_err();
    assert_eq!(err.to_string(), "lead 999 not found");
    assert_eq!(
        env.dump(),
        before,
        "the first lead's drip was rolled back too"
    );
}

crate::on_both_engines!(nurture_skips_lost_leads_and_gives_a_disabled_owners_drip_to_the_runner);
/// A drip never goes to someone who cannot log in, and a Lost lead among others is skipped,
/// said, and does not stop the rest.
fn nurture_skips_lost_leads_and_gives_a_disabled_owners_drip_to_the_runner(env: &Env) {
    campaign_in(env);
    env.user("asha", Role::SalesRep);
    env.user("ravi", Role::SalesRep);
    let owned = |first: &str, owner: &str| {
        env.crm
            .add_lead(
                &env.admin,
                &NewLead {
                    first_name: first.into(),
                    owner: Some(owner.into()),
                    ..NewLead::default()
                },
            )
            .unwrap()
            .id
    };
    let (kept, orphaned, lost) = (
        owned("Kept", "asha"),
        owned("Orphan", "ravi"),
        owned("Gone", "asha"),
    );
    env.crm
        .edit_lead(
            &env.admin,
            lost,
            &crm_core::LeadPatch {
                stage: Some(crm_core::LeadStage::Lost),
                status_reason: Some("no budget".into()),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap();
    env.crm
        .edit_user(
            &env.admin,
            "ravi",
            &crm_core::UserPatch {
                active: Some(false),
                ..crm_core::UserPatch::default()
            },
        )
        .unwrap();
    let report = env
        .crm
        .nurture_leads(&env.admin, &[kept, lost, orphaned], None)
        .unwrap();
    assert_eq!(report.leads.len(), 2);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].lead_id, lost);
    assert_eq!(report.skipped[0].reason, "Lost: reopen it to nurture it");
    assert_eq!(report.leads[0].owner.as_deref(), Some("asha"));
    assert_eq!(report.leads[0].instead_of, None);
    assert_eq!(report.leads[1].owner.as_deref(), Some("root"));
    assert_eq!(
        report.leads[1].instead_of.as_deref(),
        Some("ravi is disabled; the drip is root's")
    );
    let ravis = crm_core::testing::count(
        &env.path,
        "SELECT count(*) FROM tasks t JOIN users u ON u.id = t.assignee_id WHERE u.username = 'ravi'",
    );
    assert_eq!(ravis, 0, "no task for a disabled user");
    assert!(
        env.crm
            .lead_open_tasks(&env.admin, lost)
            .unwrap()
            .is_empty()
    );
}

crate::on_both_engines!(losing_a_lead_cancels_its_open_drip_tasks);
fn losing_a_lead_cancels_its_open_drip_tasks(env: &Env) {
    campaign_in(env);
    let a = env.crm.add_lead(&env.admin, &aarav()).unwrap();
    env.crm.nurture_leads(&env.admin, &[a.id], None).unwrap();
    env.crm
        .edit_lead(
            &env.admin,
            a.id,
            &LeadPatch {
                stage: Some(LeadStage::Lost),
                ..LeadPatch::default()
            },
        )
        .unwrap();
    assert!(
        env.crm
            .lead_open_tasks(&env.admin, a.id)
            .unwrap()
            .is_empty()
    );
    let feed = env.crm.recent_activity(&env.admin, 1).unwrap();
    assert!(
        feed[0].summary.contains("3 open drip task(s) cancelled"),
        "{}",
        feed[0].summary
    );
}

crate::on_both_engines!(reps_work_only_their_own_leads);
fn reps_work_only_their_own_leads(env: &Env) {
    campaign_in(env);
    let asha = env.user("asha", Role::SalesRep);
    let ravi = env.user("ravi", Role::SalesRep);
    let agent = env.user("john", Role::SupportAgent);
    let mine = env.crm.add_lead(&asha, &aarav()).unwrap();
    assert_eq!(
        mine.owner.as_deref(),
        Some("asha"),
        "a rep's new lead is theirs"
    );
    let before = env.dump();
    assert!(matches!(
        env.crm.lead(&ravi, mine.id),
        Err(Error::OutOfScope(_))
    ));
    assert!(env.crm.set_lead_score(&ravi, mine.id, 90).is_err());
    assert!(
        env.crm
            .convert_lead(&ravi, mine.id, None, None, false)
            .is_err()
    );
    assert!(
        env.crm.assign_lead(&asha, mine.id, "ravi").is_err(),
        "reps do not hand out leads"
    );
    assert!(env.crm.add_lead(&agent, &aarav()).is_err());
    assert!(
        env.crm
            .list_leads(&ravi, &LeadQuery::default())
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(filters_and_keyset_paging);
fn filters_and_keyset_paging(env: &Env) {
    campaign_in(env);
    for i in 0..12 {
        let source = if i % 2 == 0 {
            LeadSource::Event
        } else {
            LeadSource::Referral
        };
        env.crm
            .add_lead(
                &env.admin,
                &NewLead {
                    first_name: format!("L{i:02}"),
                    score: Some(i * 9),
                    source: Some(source),
                    ..NewLead::default()
                },
            )
            .unwrap();
    }
    let q = |query: LeadQuery| env.crm.list_leads(&env.admin, &query).unwrap().items.len();
    assert_eq!(
        q(LeadQuery {
            min_score: Some(40),
            max_score: Some(70),
            ..LeadQuery::default()
        }),
        3
    );
    assert_eq!(
        q(LeadQuery {
            source: Some(LeadSource::Event),
            ..LeadQuery::default()
        }),
        6
    );
    assert_eq!(
        q(LeadQuery {
            campaign: Some("general".into()),
            ..LeadQuery::default()
        }),
        12
    );
    assert_eq!(
        q(LeadQuery {
            search: Some("l1".into()),
            ..LeadQuery::default()
        }),
        2
    );
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = env
            .crm
            .list_leads(
                &env.admin,
                &LeadQuery {
                    sort: crm_core::LeadSort::Score,
                    limit: 5,
                    after,
                    ..LeadQuery::default()
                },
            )
            .unwrap();
        seen.extend(page.items.iter().map(|l| l.score));
        match page.next_after {
            Some(id) => after = Some(crm_core::LeadId(id)),
            None => break,
        }
    }
    assert_eq!(seen, [99, 90, 81, 72, 63, 54, 45, 36, 27, 18, 9, 0]);
}

crate::on_both_engines!(reassign_hands_every_open_lead_of_a_rep_to_another_in_one_go);
fn reassign_hands_every_open_lead_of_a_rep_to_another_in_one_go(env: &Env) {
    campaign_in(env);
    let asha = env.user("asha", Role::SalesRep);
    env.user("ravi", Role::SalesRep);
    let mut ids = Vec::new();
    for name in ["One", "Two", "Three"] {
        let lead = env
            .crm
            .add_lead(
                &env.admin,
                &NewLead {
                    first_name: name.into(),
                    owner: Some("asha".into()),
                    ..NewLead::default()
                },
            )
            .unwrap();
        ids.push(lead.id);
    }
    env.crm
        .convert_lead(&env.admin, ids[2], None, None, false)
        .unwrap();
    let before = env.dump();
    let err = env.crm.reassign_leads(&asha, "asha", "ravi").unwrap_err();
    assert!(matches!(err, crm_core::Error::Forbidden(_)), "{err}");
    assert_eq!(
        env.crm
            .reassign_leads(&env.admin, "asha", "asha")
            .unwrap_err()
            .to_string(),
        "invalid to: is the same user as --from"
    );
    assert_eq!(env.dump(), before);
    assert_eq!(
        env.crm.reassign_leads(&env.admin, "asha", "ravi").unwrap(),
        2
    );
    for id in &ids[..2] {
        let lead = env.crm.lead(&env.admin, *id).unwrap();
        assert_eq!(lead.owner.as_deref(), Some("ravi"));
    }
    let converted = env.crm.lead(&env.admin, ids[2]).unwrap();
    assert_eq!(
        converted.owner.as_deref(),
        Some("asha"),
        "converted leads stay"
    );
    let assigned = crm_core::testing::count(
        &env.path,
        "SELECT count(*) FROM activities WHERE verb = 'assigned'",
    );
    assert_eq!(assigned, 2);
}

crate::on_both_engines!(an_edit_with_a_new_owner_is_one_transaction);
/// Issue 20: the TUI saved "edit lead + reassign" as two transactions, so a refused
/// reassignment left the edit behind. The owner is part of the patch: one call, all or nothing.
fn an_edit_with_a_new_owner_is_one_transaction(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    env.user("ravi", Role::SalesRep);
    let meera = env.user("meera", Role::Manager);
    let lead = env
        .crm
        .add_lead(
            &asha,
            &NewLead {
                first_name: "Kavya".into(),
                ..NewLead::default()
            },
        )
        .unwrap();
    let patch = LeadPatch {
        notes: Some("met at the fair".into()),
        owner: Some("ravi".into()),
        ..LeadPatch::default()
    };
    let before = env.dump();
    let err = env.crm.edit_lead(&asha, lead.id, &patch).unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    assert_eq!(
        env.dump(),
        before,
        "the notes did not stay without the assignment"
    );
    let edited = env.crm.edit_lead(&meera, lead.id, &patch).unwrap();
    assert_eq!(edited.notes.as_deref(), Some("met at the fair"));
    assert_eq!(edited.owner.as_deref(), Some("ravi"));
}

crate::on_both_engines!(completing_a_leads_tasks_moves_its_follow_up_dates);
/// A lead's follow-up dates follow its tasks: the drip's first call done is a contact made,
/// and the next action moves to the next open task; with none left there is none.
fn completing_a_leads_tasks_moves_its_follow_up_dates(env: &Env) {
    campaign_in(env);
    let lead = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                consent_email: true,
                ..aarav()
            },
        )
        .unwrap();
    env.crm.nurture_leads(&env.admin, &[lead.id], None).unwrap();
    let tasks = env.crm.lead_open_tasks(&env.admin, lead.id).unwrap();
    assert_eq!(tasks.len(), 3);
    let later = start() + Duration::hours(2);
    let crm = env.at(later);
    crm.set_task_done(&env.admin, tasks[0].id, true).unwrap();
    let after = crm.lead(&env.admin, lead.id).unwrap();
    assert_eq!(
        after.last_contacted_at,
        Some(later),
        "the call was a contact"
    );
    assert_eq!(after.next_action_at, tasks[1].due_at, "the next open task");
    crm.set_task_done(&env.admin, tasks[0].id, false).unwrap();
    let reopened = crm.lead(&env.admin, lead.id).unwrap();
    assert_eq!(reopened.next_action_at, tasks[0].due_at);
    for task in &tasks {
        crm.set_task_done(&env.admin, task.id, true).unwrap();
    }
    let done = crm.lead(&env.admin, lead.id).unwrap();
    assert_eq!(done.next_action_at, None, "nothing left to do");
    assert_eq!(done.last_contacted_at, Some(later));
}
