//! Record versions: every change adds one, whatever made it, and a write made against an older
//! version is refused whole, naming who changed the record and when.

use crm_core::{
    ContactPatch, DealPatch, Error, LeadPatch, NewContact, NewDeal, NewLead, Role, TaskPatch,
    Version,
};

use crate::env::Env;

fn contact(env: &Env, first: &str, email: &str) -> crm_core::Contact {
    env.crm
        .add_contact(
            &env.admin,
            &NewContact {
                first_name: first.into(),
                email: Some(email.into()),
                ..NewContact::default()
            },
        )
        .unwrap()
}

crate::on_both_engines!(a_stale_edit_names_who_changed_the_record_and_writes_nothing);
fn a_stale_edit_names_who_changed_the_record_and_writes_nothing(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    let meera = env.user("meera", Role::Manager);
    let deal = env
        .crm
        .add_deal(
            &asha,
            &NewDeal {
                title: "Rollout".into(),
                ..NewDeal::default()
            },
        )
        .unwrap();
    assert_eq!(deal.version, Version(1));
    let asha_saves = DealPatch {
        amount: Some("5000".into()),
        if_version: Some(deal.version),
        ..DealPatch::default()
    };
    let saved = env.crm.edit_deal(&asha, deal.id, &asha_saves).unwrap();
    assert_eq!(saved.version, Version(2));

    let before = env.dump();
    let meera_saves = DealPatch {
        title: Some("Rollout, phase 1".into()),
        if_version: Some(deal.version),
        ..DealPatch::default()
    };
    let err = env
        .crm
        .edit_deal(&meera, deal.id, &meera_saves)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Stale {
                current: Version(2),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "deal 1 was changed by asha at 2026-03-01 09:00 UTC since you opened it (it is at version 2 now); reload it and make your change again"
    );
    assert_eq!(env.dump(), before, "nothing written");
    let err = env
        .crm
        .delete_deal(&meera, deal.id, Some(deal.version))
        .unwrap_err();
    assert!(matches!(err, Error::Stale { .. }), "{err:?}");
    assert_eq!(env.dump(), before, "nothing deleted");

    // Without an expectation (a one-shot CLI edit) the write goes through, as before.
    let plain = DealPatch {
        title: Some("Rollout, phase 1".into()),
        ..DealPatch::default()
    };
    let saved = env.crm.edit_deal(&meera, deal.id, &plain).unwrap();
    assert_eq!((saved.version, saved.amount), (Version(3), 500_000));
}

crate::on_both_engines!(every_kind_of_change_moves_the_version_on);
fn every_kind_of_change_moves_the_version_on(env: &Env) {
    let lead = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "Dev".into(),
                ..NewLead::default()
            },
        )
        .unwrap();
    let scored = env.crm.set_lead_score(&env.admin, lead.id, 80).unwrap();
    assert_eq!(scored.version, Version(2), "a score is a change");
    let stale = LeadPatch {
        company: Some("Initech".into()),
        if_version: Some(lead.version),
        ..LeadPatch::default()
    };
    assert!(matches!(
        env.crm.edit_lead(&env.admin, lead.id, &stale),
        Err(Error::Stale { .. })
    ));

    // A merge changes the kept contact; an edit against it from before is refused.
    let keep = contact(env, "Ira", "ira@acme.example");
    let other = contact(env, "Ira", "ira.k@acme.example");
    env.crm
        .merge_contacts(&env.admin, keep.id, &[other.id])
        .unwrap();
    let after = env.crm.contact(&env.admin, keep.id).unwrap();
    assert!(after.version > keep.version, "{after:?}");
    let stale = ContactPatch {
        job_title: Some("CTO".into()),
        if_version: Some(keep.version),
        ..ContactPatch::default()
    };
    assert!(matches!(
        env.crm.edit_contact(&env.admin, keep.id, &stale),
        Err(Error::Stale { .. })
    ));
    let fresh = ContactPatch {
        if_version: Some(after.version),
        ..stale
    };
    let saved = env.crm.edit_contact(&env.admin, keep.id, &fresh).unwrap();
    assert_eq!(saved.version, Version(after.version.0 + 1));

    // Marking a task done is a change to the task.
    let task = env
        .crm
        .add_task(
            &env.admin,
            &crm_core::NewTask {
                title: "Call".into(),
                ..crm_core::NewTask::default()
            },
        )
        .unwrap();
    env.crm.set_task_done(&env.admin, task.id, true).unwrap();
    let stale = TaskPatch {
        title: Some("Call again".into()),
        if_version: Some(task.version),
        ..TaskPatch::default()
    };
    assert!(matches!(
        env.crm.edit_task(&env.admin, task.id, &stale),
        Err(Error::Stale { .. })
    ));
}
