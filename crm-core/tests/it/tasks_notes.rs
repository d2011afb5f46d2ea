//! Tasks, notes with @mentions, the activity feed, and one activity row per change.

use chrono::Duration;
use crm_core::{
    ActivityQuery, EntityKind, NewCampaign, NewContact, NewDeal, NewLead, NewTask, NewTicket,
    RecordRef, Role, TaskKind, TaskPatch, TaskQuery, TaskStatus, UserPatch,
};

use crate::env::{Env, start};

crate::on_both_engines!(a_note_that_mentions_a_user_gives_them_a_task_on_the_same_record);
fn a_note_that_mentions_a_user_gives_them_a_task_on_the_same_record(env: &Env) {
    env.user("designer", Role::Marketer);
    let deal = env
        .crm
        .add_deal(
            &env.admin,
            &NewDeal {
                title: "Facebook ads".into(),
                ..NewDeal::default()
            },
        )
        .unwrap();
    let record = RecordRef::new(EntityKind::Deal, deal.id.0);
    let added = env
        .crm
        .add_note(
            &env.admin,
            Some(record),
            None,
            "Client approved Facebook ad campaign; start by Friday. @designer",
        )
        .unwrap();
    assert_eq!(added.mention_tasks.len(), 1);
    let designer = env.crm.login("designer", crate::env::PASSWORD).unwrap().0;
    let tasks = env
        .crm
        .list_tasks(
            &designer,
            &TaskQuery {
                mine: true,
                ..TaskQuery::default()
            },
        )
        .unwrap()
        .items;
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].link, Some(record));
    assert!(
        tasks[0]
            .title
            .starts_with("Follow up on root display's note: Client approved"),
        "{}",
        tasks[0].title
    );
    // The designer tracks it to completion.
    env.crm.set_task_done(&designer, tasks[0].id, true).unwrap();
    assert_eq!(
        env.crm.task(&designer, tasks[0].id).unwrap().status,
        TaskStatus::Done
    );
    // A comment threads under the note.
    env.crm
        .add_note(
            &env.admin,
            None,
            Some(added.note.id),
            "Creatives are ready.",
        )
        .unwrap();
    let thread = env.crm.notes(&env.admin, record).unwrap();
    assert_eq!(thread.len(), 2);
    assert_eq!(thread[1].parent_id, Some(added.note.id));
}

crate::on_both_engines!(a_note_on_a_missing_record_is_refused_and_writes_nothing);
fn a_note_on_a_missing_record_is_refused_and_writes_nothing(env: &Env) {
    let before = env.dump();
    let err = env
        .crm
        .add_note(
            &env.admin,
            Some(RecordRef::new(EntityKind::Deal, 99)),
            None,
            "hello",
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "deal 99 not found");
    assert_eq!(
        env.crm
            .add_note(
                &env.admin,
                Some(RecordRef::new(EntityKind::Deal, 1)),
                None,
                "  "
            )
            .unwrap_err()
            .to_string(),
        "invalid note: is empty"
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(mine_overdue_and_due_today);
fn mine_overdue_and_due_today(env: &Env) {
    let asha = env.user("asha", Role::SalesRep);
    let add = |title: &str, due: Option<chrono::DateTime<chrono::Utc>>, to: &str| {
        env.crm
            .add_task(
                &env.admin,
                &NewTask {
                    title: title.into(),
                    kind: Some(TaskKind::Call),
                    due_at: due,
                    assignee: Some(to.into()),
                    link: None,
                },
            )
            .unwrap()
    };
    add("late", Some(start() - Duration::days(2)), "asha");
    add("today", Some(start() + Duration::hours(3)), "asha");
    add("next week", Some(start() + Duration::days(7)), "asha");
    add("someone else's", Some(start() - Duration::days(1)), "root");
    let titles = |q: TaskQuery| -> Vec<String> {
        env.crm
            .list_tasks(&asha, &q)
            .unwrap()
            .items
            .into_iter()
            .map(|t| t.title)
            .collect()
    };
    assert_eq!(
        titles(TaskQuery {
            mine: true,
            ..TaskQuery::default()
        }),
        ["late", "today", "next week"]
    );
    assert_eq!(
        titles(TaskQuery {
            mine: true,
            overdue: true,
            ..TaskQuery::default()
        }),
        ["late"]
    );
    assert_eq!(
        titles(TaskQuery {
            mine: true,
            due_today: true,
            ..TaskQuery::default()
        }),
        ["today"]
    );
    let other = env
        .crm
        .list_tasks(
            &env.admin,
            &TaskQuery {
                assignee: Some("root".into()),
                ..TaskQuery::default()
            },
        )
        .unwrap()
        .items;
    assert!(env.crm.task(&asha, other[0].id).is_err(), "not hers");
}

crate::on_both_engines!(activity_rows_cannot_be_changed_or_deleted);
fn activity_rows_cannot_be_changed_or_deleted(env: &Env) {
    let update = crm_core::testing::try_execute(&env.path, "UPDATE activities SET summary = 'x'")
        .unwrap_err();
    assert!(
        update.contains("audit trail and cannot be changed"),
        "{update}"
    );
    let delete = crm_core::testing::try_execute(&env.path, "DELETE FROM activities").unwrap_err();
    assert!(
        delete.contains("audit trail and cannot be deleted"),
        "{delete}"
    );
    let feed = env.crm.recent_activity(&env.admin, 5).unwrap();
    assert!(!feed.is_empty() && feed.iter().all(|a| a.summary != "x"));
}

crate::on_both_engines!(every_mutating_service_leaves_exactly_one_activity_row);
#[allow(clippy::too_many_lines)] // One line per mutating service, deliberately in one place.
fn every_mutating_service_leaves_exactly_one_activity_row(env: &Env) {
    let count = || {
        crm_core::testing::dump(&env.path)
            .lines()
            .filter(|l| l.starts_with("activities:"))
            .count()
    };
    let mut last = count();
    let mut check = |what: &str| {
        let now = count();
        assert_eq!(now, last + 1, "{what} wrote {} activity rows", now - last);
        last = now;
    };
    let crm = &env.crm;
    let a = &env.admin;
    crm.add_user(
        a,
        &crate::env::new_user("john", Some(Role::SupportAgent)),
        crate::env::PASSWORD,
    )
    .unwrap();
    check("add_user");
    crm.edit_user(
        a,
        "john",
        &UserPatch {
            display_name: Some("Agent John".into()),
            ..UserPatch::default()
        },
    )
    .unwrap();
    check("edit_user");
    crm.set_password(a, "john", "another-pass-1").unwrap();
    check("set_password");
    crm.add_user(
        a,
        &crate::env::new_user("asha", Some(Role::SalesRep)),
        crate::env::PASSWORD,
    )
    .unwrap();
    check("add_user (rep)");
    let c = crm
        .add_contact(
            a,
            &NewContact {
                first_name: "Ishita".into(),
                email: Some("ishita@x.in".into()),
                ..NewContact::default()
            },
        )
        .unwrap();
    check("add_contact");
    crm.edit_contact(
        a,
        c.id,
        &crm_core::ContactPatch {
            job_title: Some("CFO".into()),
            ..Default::default()
        },
    )
    .unwrap();
    check("edit_contact");
    crm.add_campaign(
        a,
        &NewCampaign {
            name: "Promo".into(),
            ..NewCampaign::default()
        },
    )
    .unwrap();
    check("add_campaign");
    crm.edit_campaign(
        a,
        "promo",
        &crm_core::CampaignPatch {
            objective: Some("More".into()),
            ..Default::default()
        },
    )
    .unwrap();
    check("edit_campaign");
    crm.add_spend(a, "promo", "2026-03-01".parse().unwrap(), "100", None)
        .unwrap();
    check("add_spend");
    let lead = crm
        .add_lead(
            a,
            &NewLead {
                first_name: "Aarav".into(),
                campaign: Some("promo".into()),
                auto_assign: true,
                ..NewLead::default()
            },
        )
        .unwrap();
    check("add_lead");
    crm.edit_lead(
        a,
        lead.id,
        &crm_core::LeadPatch {
            company: Some("TechVerse".into()),
            ..Default::default()
        },
    )
    .unwrap();
    check("edit_lead");
    crm.set_lead_score(a, lead.id, 80).unwrap();
    check("set_lead_score");
    crm.auto_score_lead(a, lead.id).unwrap();
    check("auto_score_lead");
    crm.assign_lead(a, lead.id, "asha").unwrap();
    check("assign_lead");
    crm.nurture_leads(a, &[lead.id], None).unwrap();
    check("nurture_leads (one lead)");
    let conv = crm
        .convert_lead(a, lead.id, None, Some("500"), false)
        .unwrap();
    check("convert_lead");
    crm.move_deal(a, conv.deal_id, "Proposal").unwrap();
    check("move_deal");
    crm.win_deal(a, conv.deal_id).unwrap();
    check("win_deal");
    crm.move_deal(a, conv.deal_id, "Negotiation").unwrap();
    check("reopen by move");
    crm.lose_deal(a, conv.deal_id, "budget").unwrap();
    check("lose_deal");
    let deal = crm
        .add_deal(
            a,
            &NewDeal {
                title: "Other".into(),
                ..NewDeal::default()
            },
        )
        .unwrap();
    check("add_deal");
    crm.edit_deal(
        a,
        deal.id,
        &crm_core::DealPatch {
            amount: Some("10".into()),
            ..Default::default()
        },
    )
    .unwrap();
    check("edit_deal");
    crm.delete_deal(a, deal.id, None).unwrap();
    check("delete_deal");
    crm.add_stage(a, "Site Visit", 30, None).unwrap();
    check("add_stage");
    crm.edit_stage(a, "Site Visit", Some("Visit"), None, None, None)
        .unwrap();
    check("edit_stage");
    let t = crm
        .add_ticket(
            a,
            &NewTicket {
                fields: crm_core::FieldInput::default(),
                subject: "Missing".into(),
                description: None,
                contact: c.id,
                priority: None,
                assignee: None,
            },
        )
        .unwrap();
    check("add_ticket");
    crm.assign_ticket(a, t.id, "john").unwrap();
    check("assign_ticket");
    crm.start_ticket(a, t.id).unwrap();
    check("start_ticket");
    crm.resolve_ticket(a, t.id, "done").unwrap();
    check("resolve_ticket");
    crm.reopen_ticket(a, t.id).unwrap();
    check("reopen_ticket");
    let task = crm
        .add_task(
            a,
            &NewTask {
                title: "Call".into(),
                ..NewTask::default()
            },
        )
        .unwrap();
    check("add_task");
    crm.edit_task(
        a,
        task.id,
        &TaskPatch {
            title: Some("Call back".into()),
            ..TaskPatch::default()
        },
    )
    .unwrap();
    check("edit_task");
    crm.set_task_done(a, task.id, true).unwrap();
    check("task done");
    crm.set_task_done(a, task.id, false).unwrap();
    check("task reopen");
    crm.delete_task(a, task.id, None).unwrap();
    check("delete_task");
    crm.add_note(
        a,
        Some(RecordRef::new(EntityKind::Contact, c.id.0)),
        None,
        "Called @john",
    )
    .unwrap();
    check("add_note (with a mention task)");
    let l2 = crm
        .add_lead(
            a,
            &NewLead {
                first_name: "Temp".into(),
                ..NewLead::default()
            },
        )
        .unwrap();
    check("add_lead 2");
    crm.delete_lead(a, l2.id, None).unwrap();
    check("delete_lead");
    let c2 = crm
        .add_contact(
            a,
            &NewContact {
                first_name: "Temp".into(),
                ..NewContact::default()
            },
        )
        .unwrap();
    check("add_contact 2");
    crm.delete_contact(a, c2.id, None).unwrap();
    check("delete_contact");
    crm.add_campaign(
        a,
        &NewCampaign {
            name: "Empty".into(),
            ..NewCampaign::default()
        },
    )
    .unwrap();
    check("add_campaign 2");
    crm.delete_campaign(a, "empty", None).unwrap();
    check("delete_campaign");
    let feed = crm
        .activity(
            a,
            &ActivityQuery {
                record: Some(RecordRef::new(EntityKind::Ticket, t.id.0)),
                ..ActivityQuery::default()
            },
        )
        .unwrap();
    let verbs: Vec<_> = feed.iter().map(|x| x.verb.as_str()).collect();
    assert_eq!(
        verbs,
        ["reopened", "resolved", "started", "assigned", "created"]
    );
}

crate::on_both_engines!(a_records_feed_holds_its_notes_tasks_and_conversion);
fn a_records_feed_holds_its_notes_tasks_and_conversion(env: &Env) {
    let crm = &env.crm;
    let asha = env.user("asha", Role::SalesRep);
    let lead = crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "Priya".into(),
                email: Some("priya@example.com".into()),
                owner: Some("asha".into()),
                ..NewLead::default()
            },
        )
        .unwrap();
    let converted = crm
        .convert_lead(&asha, lead.id, Some("Villa"), None, false)
        .unwrap();
    let deal = RecordRef::new(EntityKind::Deal, converted.deal_id.0);
    let note = crm
        .add_note(&env.admin, Some(deal), None, "Budget approved")
        .unwrap();
    crm.add_note(&asha, None, Some(note.note.id), "Thanks")
        .unwrap();
    crm.add_task(
        &env.admin,
        &NewTask {
            title: "Send the quote".into(),
            assignee: Some("asha".into()),
            link: Some(deal),
            ..NewTask::default()
        },
    )
    .unwrap();
    // Something about another record stays out.
    crm.add_note(
        &env.admin,
        Some(RecordRef::new(EntityKind::Lead, lead.id.0)),
        None,
        "Old",
    )
    .unwrap();

    let feed = |actor, record| {
        crm.activity(
            actor,
            &ActivityQuery {
                record: Some(record),
                ..ActivityQuery::default()
            },
        )
        .unwrap()
    };
    let deal_feed: Vec<_> = feed(&asha, deal)
        .iter()
        .map(|a| a.summary.clone())
        .collect();
    assert_eq!(deal_feed.len(), 4, "{deal_feed:#?}");
    assert!(deal_feed[0].contains("task"), "{deal_feed:#?}");
    assert!(
        deal_feed[1].contains("added a comment on deal"),
        "{deal_feed:#?}"
    );
    assert!(
        deal_feed[2].contains("added a note on deal"),
        "{deal_feed:#?}"
    );
    assert!(
        deal_feed[3].contains("converted lead 'Priya'"),
        "{deal_feed:#?}"
    );
    let contact = RecordRef::new(EntityKind::Contact, converted.contact_id.0);
    let contact_feed = feed(&asha, contact);
    assert!(
        contact_feed.iter().any(|a| a.verb == "converted"),
        "{contact_feed:#?}"
    );
}

crate::on_both_engines!(a_reps_feed_shows_what_happened_to_the_records_they_may_read);
fn a_reps_feed_shows_what_happened_to_the_records_they_may_read(env: &Env) {
    let crm = &env.crm;
    let asha = env.user("asha", Role::SalesRep);
    env.user("ravi", Role::SalesRep);
    let lead = |name: &str, owner: &str| {
        crm.add_lead(
            &env.admin,
            &NewLead {
                first_name: name.into(),
                owner: Some(owner.into()),
                ..NewLead::default()
            },
        )
        .unwrap()
    };
    let mine = lead("Mine", "asha");
    let theirs = lead("Theirs", "ravi");
    let note_on = |id: crm_core::LeadId, body: &str| {
        crm.add_note(
            &env.admin,
            Some(RecordRef::new(EntityKind::Lead, id.0)),
            None,
            body,
        )
        .unwrap();
    };
    note_on(mine.id, "About mine");
    note_on(theirs.id, "About theirs");

    // Asha did nothing herself, yet her feed and her dashboard show what others did to her
    // lead, and nothing of Ravi's.
    let summaries: Vec<_> = crm
        .recent_activity(&asha, 50)
        .unwrap()
        .into_iter()
        .map(|a| a.summary)
        .collect();
    assert_eq!(summaries.len(), 2, "{summaries:#?}");
    assert!(
        summaries[0].contains("added a note on lead"),
        "{summaries:#?}"
    );
    assert!(summaries[1].contains("'Mine'"), "{summaries:#?}");
    assert!(
        !summaries.iter().any(|s| s.contains("Theirs")),
        "{summaries:#?}"
    );

    // A glance (the dashboard's) looks only so far back in the whole feed, so a reader with
    // little to see does not have every row read: here the newest three are Ravi's.
    let within = |n| {
        crm.activity(
            &asha,
            &ActivityQuery {
                within_latest: Some(n),
                ..ActivityQuery::default()
            },
        )
        .unwrap()
        .len()
    };
    for i in 0..3 {
        lead(&format!("Other{i}"), "ravi");
    }
    assert_eq!((within(3), within(5), within(6), within(7)), (0, 1, 1, 2));

    // Handed to Ravi, the lead's history leaves Asha's feed with it.
    crm.assign_lead(&env.admin, mine.id, "ravi").unwrap();
    assert!(crm.recent_activity(&asha, 50).unwrap().is_empty());
}
