//! Duplicate people: refused on create by email or phone, found among existing records, merged.

use crm_core::testing::{dump_except, rows};
use crm_core::{
    ActivityQuery, ContactId, ContactPatch, EntityKind, Error, NewContact, NewLead, NewTask,
    RecordRef, Role,
};

use crate::env::{Env, loaded};

fn person(first: &str, last: &str, email: Option<&str>, phone: Option<&str>) -> NewContact {
    NewContact {
        first_name: first.into(),
        last_name: Some(last.into()),
        email: email.map(Into::into),
        phone: phone.map(Into::into),
        ..NewContact::default()
    }
}

crate::on_both_engines!(
    a_new_contact_with_a_known_email_or_phone_is_refused_naming_the_existing_one
);
fn a_new_contact_with_a_known_email_or_phone_is_refused_naming_the_existing_one(env: &Env) {
    let aarav = env
        .crm
        .add_contact(
            &env.admin,
            &person(
                "Aarav",
                "Sharma",
                Some("aarav@techverse.in"),
                Some("+91 98765 43120"),
            ),
        )
        .unwrap();
    let before = env.dump();
    for (email, phone, field, value) in [
        (
            Some(" AARAV@TechVerse.in "),
            None,
            "email",
            "AARAV@TechVerse.in",
        ),
        (None, Some("+91-98765-43120"), "phone", "+91-98765-43120"),
        (
            None,
            Some("+91 (98765) 431.20"),
            "phone",
            "+91 (98765) 431.20",
        ),
        (
            Some("other@x.in"),
            Some("+919876543120"),
            "phone",
            "+919876543120",
        ),
    ] {
        let err = env
            .crm
            .add_contact(&env.admin, &person("A.", "Sharma", email, phone))
            .unwrap_err();
        assert!(
            matches!(&err, Error::Duplicate { entity: "contact", id, field: f, .. }
                if *id == aarav.id.0 && f == &field),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{field} '{value}' matches contact {} 'Aarav Sharma' already in the CRM",
                aarav.id
            )
        );
    }
    assert_eq!(env.dump(), before, "a refused duplicate writes nothing");

    // Without the country code the digits differ: a different number, not a duplicate.
    env.crm
        .add_contact(
            &env.admin,
            &person("Local", "Number", None, Some("98765 43120")),
        )
        .unwrap();
    let again = NewContact {
        allow_duplicate: true,
        ..person("Aarav", "Sharma", Some("aarav@techverse.in"), None)
    };
    env.crm.add_contact(&env.admin, &again).unwrap();
}

crate::on_both_engines!(a_rep_learns_a_lead_is_taken_but_not_whose_data_it_is);
fn a_rep_learns_a_lead_is_taken_but_not_whose_data_it_is(env: &Env) {
    let ravi = env.user("ravi", Role::SalesRep);
    let asha = env.user("asha", Role::SalesRep);
    let lead = |first: &str, phone: &str| NewLead {
        first_name: first.into(),
        last_name: Some("Verma".into()),
        phone: Some(phone.into()),
        ..NewLead::default()
    };
    let theirs = env
        .crm
        .add_lead(&ravi, &lead("Priya", "020 555 0100"))
        .unwrap();
    let err = env
        .crm
        .add_lead(&asha, &lead("P.", "020-555-0100"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "phone '020-555-0100' matches lead {} 'kept by another user' already in the CRM",
            theirs.id
        )
    );
    let err = env
        .crm
        .add_lead(&ravi, &lead("P.", "(020) 555 0100"))
        .unwrap_err();
    assert!(err.to_string().contains("'Priya Verma'"), "{err}");
    // Contacts and leads are checked apart: the lead's phone is free for a contact.
    env.crm
        .add_contact(
            &env.admin,
            &person("Priya", "Verma", None, Some("020 555 0100")),
        )
        .unwrap();
}

crate::on_both_engines!(the_stored_phone_key_is_the_same_normal_form_as_the_rules);
fn the_stored_phone_key_is_the_same_normal_form_as_the_rules(env: &Env) {
    let phones = [
        "+91 98765 43120",
        "+91-98765-43120",
        "(020) 555-0100",
        "020.555.0100",
        "+1 (415) 555 0100",
        "12345",
        "+44 20 7946 0958",
    ];
    for (i, phone) in phones.iter().enumerate() {
        env.crm
            .add_contact(
                &env.admin,
                &NewContact {
                    allow_duplicate: true,
                    ..person(&format!("P{i}"), "X", None, Some(phone))
                },
            )
            .unwrap();
    }
    let keys = rows(
        &env.path,
        "SELECT phone, phone_key FROM contacts ORDER BY id",
    );
    let expected = [
        "+919876543120",
        "+919876543120",
        "0205550100",
        "0205550100",
        "+14155550100",
        "12345",
        "+442079460958",
    ];
    for (row, want) in keys.iter().zip(expected) {
        assert_eq!(row[1], want, "{}", row[0]);
    }
}

/// Tables an undo rightly leaves changed: the feed (append-only), the merge log itself, and
/// the full-text index's b-tree pages (its rows are compared through `search_index`).
const AUDIT: &[&str] = &[
    "sqlite_sequence",
    "activities",
    "merges",
    "merged_records",
    "search_index_data",
    "search_index_idx",
    "search_titles_data",
    "search_titles_idx",
    "search_index_config",
    "search_titles_config",
];

/// Equal dumps, or a panic naming only the rows that differ (a whole dump is thousands of lines).
fn same_rows(after: &str, before: &str) {
    let gone: Vec<&str> = before
        .lines()
        .filter(|l| !after.lines().any(|a| a == *l))
        .collect();
    let new: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert!(
        gone.is_empty() && new.is_empty() && after == before,
        "rows gone: {gone:#?}\nrows new: {new:#?}"
    );
}

fn count_of(env: &Env, sql: &str) -> i64 {
    crm_core::testing::count(&env.path, sql)
}

/// The contacts of the demo with the most links, so the merge has something to move.
fn busiest_contacts(env: &Env, n: usize) -> Vec<ContactId> {
    rows(
        &env.path,
        "SELECT c.id FROM contacts c ORDER BY
            (SELECT count(*) FROM deals WHERE contact_id = c.id)
          + (SELECT count(*) FROM tickets WHERE contact_id = c.id)
          + (SELECT count(*) FROM notes WHERE contact_id = c.id)
          + (SELECT count(*) FROM tasks WHERE contact_id = c.id)
          + (SELECT count(*) FROM leads WHERE converted_contact_id = c.id) DESC, c.id",
    )
    .into_iter()
    .take(n)
    .map(|r| ContactId(r[0].parse().unwrap()))
    .collect()
}

/// Empty fields on the kept contact, for the merge to fill; a note, a task, a tag and a job
/// title on each other one.
fn prepare(env: &Env, keep: ContactId, others: [ContactId; 2]) {
    crm_core::testing::execute(
        &env.path,
        &format!("UPDATE contacts SET job_title = NULL, location = NULL WHERE id = {keep}"),
    );
    for other in others {
        let about = Some(RecordRef::new(EntityKind::Contact, other.0));
        env.crm
            .add_note(&env.admin, about, None, "Met at the expo")
            .unwrap();
        env.crm
            .add_task(
                &env.admin,
                &NewTask {
                    title: "Call back".into(),
                    link: about,
                    ..NewTask::default()
                },
            )
            .unwrap();
        env.crm
            .edit_contact(
                &env.admin,
                other,
                &ContactPatch {
                    job_title: Some(format!("Buyer {other}")),
                    add_tags: vec![format!("from-{other}")],
                    ..ContactPatch::default()
                },
            )
            .unwrap();
    }
}

crate::on_both_engines!(history => loaded: merge_moves_every_link_and_undo_restores_every_table);
fn merge_moves_every_link_and_undo_restores_every_table(env: &Env) {
    let ids = busiest_contacts(env, 3);
    let (keep, others) = (ids[0], [ids[1], ids[2]]);
    prepare(env, keep, others);
    let links = |id: ContactId| {
        count_of(
            env,
            &format!(
                "SELECT (SELECT count(*) FROM deals WHERE contact_id = {id})
                      + (SELECT count(*) FROM tickets WHERE contact_id = {id})
                      + (SELECT count(*) FROM notes WHERE contact_id = {id})
                      + (SELECT count(*) FROM tasks WHERE contact_id = {id})
                      + (SELECT count(*) FROM leads WHERE converted_contact_id = {id})"
            ),
        )
    };
    let moved = links(others[0]) + links(others[1]);
    let kept_before = links(keep);
    let feed_before = env
        .crm
        .activity(
            &env.admin,
            &ActivityQuery {
                record: Some(RecordRef::new(EntityKind::Contact, others[0].0)),
                limit: 1000,
                ..ActivityQuery::default()
            },
        )
        .unwrap()
        .len();
    let rep = env.crm.login("asha", crm_core::DEMO_PASSWORD).unwrap().0;
    let before = dump_except(&env.path, AUDIT);

    let merge = env.crm.merge_contacts(&env.admin, keep, &others).unwrap();
    assert_eq!(merge.keep_id, keep.0);
    assert_eq!(merge.merged_ids, vec![others[0].0, others[1].0]);
    assert_eq!(usize::try_from(moved).unwrap(), merge.moved_links);
    assert!(
        merge.filled.contains(&"job title".to_string()),
        "{:?}",
        merge.filled
    );
    assert_eq!(
        links(keep),
        kept_before + moved,
        "every link now points at the kept contact"
    );
    for other in others {
        assert!(env.crm.contact(&env.admin, other).is_err());
    }
    let kept = env.crm.contact(&env.admin, keep).unwrap();
    assert_eq!(
        kept.job_title,
        Some(format!("Buyer {}", others[0])),
        "the first other's value fills it"
    );
    assert!(kept.tags.contains(&format!("from-{}", others[1])));
    // The removed contacts' feeds show with the kept one, with the merge itself on top.
    let feed = env
        .crm
        .activity(
            &env.admin,
            &ActivityQuery {
                record: Some(RecordRef::new(EntityKind::Contact, keep.0)),
                limit: 1000,
                ..ActivityQuery::default()
            },
        )
        .unwrap();
    assert!(feed.len() > feed_before);
    assert_eq!(feed[0].verb, "merged");
    assert!(
        feed.iter()
            .any(|a| a.entity_id == others[0].0 && a.verb != "merged")
    );

    // Nobody but the merger or a manager may undo it; a refusal changes nothing.
    let mid = dump_except(&env.path, &[]);
    assert!(matches!(
        env.crm.undo_merge(&rep, merge.id),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(dump_except(&env.path, &[]), mid);

    let undone = env.crm.undo_merge(&env.admin, merge.id).unwrap();
    assert!(undone.undone_at.is_some() && !undone.undoable);
    // Every table as it was.
    same_rows(&dump_except(&env.path, AUDIT), &before);
    let err = env.crm.undo_merge(&env.admin, merge.id).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("merge {} was already undone", merge.id)
    );
    assert_eq!(
        count_of(env, "SELECT count(*) FROM merged_records"),
        0,
        "the feeds are the removed contacts' own again"
    );
}

crate::on_both_engines!(a_later_edit_wins_over_the_undo_and_a_newer_contact_does_not_stop_it);
fn a_later_edit_wins_over_the_undo_and_a_newer_contact_does_not_stop_it(env: &Env) {
    let a = env
        .crm
        .add_contact(
            &env.admin,
            &person("Aarav", "Sharma", Some("aarav@x.in"), None),
        )
        .unwrap();
    let b = env
        .crm
        .add_contact(
            &env.admin,
            &person("Aarav", "S.", None, Some("+91 98765 43120")),
        )
        .unwrap();
    let merge = env.crm.merge_contacts(&env.admin, a.id, &[b.id]).unwrap();
    assert_eq!(merge.filled, vec!["phone".to_string()]);
    env.crm
        .edit_contact(
            &env.admin,
            a.id,
            &ContactPatch {
                phone: Some("+91 90000 00000".into()),
                ..ContactPatch::default()
            },
        )
        .unwrap();
    env.crm.undo_merge(&env.admin, merge.id).unwrap();
    assert_eq!(
        env.crm.contact(&env.admin, a.id).unwrap().phone.as_deref(),
        Some("+91 90000 00000")
    );
    assert_eq!(
        env.crm.contact(&env.admin, b.id).unwrap().phone.as_deref(),
        Some("+91 98765 43120")
    );

    // The removed contact had the highest id; a new contact gets a new one (ids are never
    // given twice), so the undo still puts the removed contact back under its own id.
    let merge = env.crm.merge_contacts(&env.admin, a.id, &[b.id]).unwrap();
    let c = env
        .crm
        .add_contact(&env.admin, &person("New", "Person", None, None))
        .unwrap();
    assert!(c.id.0 > b.id.0, "a freed id was handed out again");
    env.crm.undo_merge(&env.admin, merge.id).unwrap();
    assert_eq!(
        env.crm.contact(&env.admin, b.id).unwrap().first_name,
        "Aarav"
    );

    let err = env
        .crm
        .merge_contacts(&env.admin, a.id, &[a.id])
        .unwrap_err();
    assert!(err.to_string().contains("is the one kept"), "{err}");
}

crate::on_both_engines!(erasing_a_person_reaches_into_the_merges_that_took_them_in);
fn erasing_a_person_reaches_into_the_merges_that_took_them_in(env: &Env) {
    let keep = env
        .crm
        .add_contact(
            &env.admin,
            &person("Zebulon", "Quartz", None, Some("+91 98765 43120")),
        )
        .unwrap();
    let other = env
        .crm
        .add_contact(
            &env.admin,
            &person(
                "Zeb",
                "Quartzfield",
                Some("zeb.quartz@marker.example"),
                None,
            ),
        )
        .unwrap();
    let merge = env
        .crm
        .merge_contacts(&env.admin, keep.id, &[other.id])
        .unwrap();
    let erased = env
        .crm
        .privacy_erase(&env.admin, "zeb.quartz@marker.example")
        .unwrap();
    assert_eq!(
        erased.contacts, 1,
        "the contact the merge filled with the address"
    );
    for suffix in ["", "-wal"] {
        let path = std::path::PathBuf::from(format!("{}{suffix}", env.path.display()));
        let bytes = std::fs::read(&path).unwrap_or_default();
        for mark in ["zeb.quartz@marker.example", "Quartzfield", "Zebulon"] {
            assert!(
                !bytes.windows(mark.len()).any(|w| w == mark.as_bytes()),
                "'{mark}' is still in {}",
                path.display()
            );
        }
    }
    let err = env.crm.undo_merge(&env.admin, merge.id).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "merge {} cannot be undone: a person in it was erased for privacy",
            merge.id
        )
    );
}
