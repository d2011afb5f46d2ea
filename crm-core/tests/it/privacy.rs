//! `privacy_export` and `privacy_erase`: every row about a person, and none left after.

use crm_core::import::{ImportKind, ImportObserver, ImportOptions, ImportProblem};
use crm_core::testing::count;
use crm_core::{
    Crm, EntityKind, Error, LeadId, NewContact, NewLead, NewTicket, RecordRef, Role, SearchHit,
};

use crate::env::Env;

// Strings that occur nowhere else, so finding any of them in the file means a leftover.
const EMAIL: &str = "Zyxwq.Quorrel@Example.org";
const FIRST: &str = "Zyxwq";
const LAST: &str = "Quorrelmann";
const PHONE: &str = "+1 (415) 555-0199";
const NOTE_MARK: &str = "Vrrbnotemarker";
const SUBJECT_MARK: &str = "Kkpsubjectmarker";

/// A person who went through the whole CRM: a lead with notes and a drip, converted into a
/// contact and a deal, with a resolved ticket whose email sits in the outbox. Plus a bystander.
fn person_everywhere(env: &Env) -> (LeadId, LeadId) {
    let lead = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: FIRST.into(),
                last_name: Some(LAST.into()),
                email: Some(EMAIL.into()),
                phone: Some(PHONE.into()),
                company: Some("Acme Widgets".into()),
                consent_email: true,
                ..NewLead::default()
            },
        )
        .unwrap();
    let bystander = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "Bea".into(),
                last_name: Some("Stander".into()),
                email: Some("bea@example.org".into()),
                ..NewLead::default()
            },
        )
        .unwrap();
    env.crm
        .add_note(
            &env.admin,
            Some(RecordRef::new(EntityKind::Lead, lead.id.0)),
            None,
            &format!("Met at the fair. {NOTE_MARK} prefers mornings."),
        )
        .unwrap();
    env.crm.nurture_leads(&env.admin, &[lead.id], None).unwrap();
    let conv = env
        .crm
        .convert_lead(&env.admin, lead.id, None, Some("50000"), false)
        .unwrap();
    env.crm
        .add_note(
            &env.admin,
            Some(RecordRef::new(EntityKind::Deal, conv.deal_id.0)),
            None,
            &format!("{FIRST} wants a discount"),
        )
        .unwrap();
    let ticket = env
        .crm
        .add_ticket(
            &env.admin,
            &NewTicket {
                fields: crm_core::FieldInput::default(),
                subject: format!("{SUBJECT_MARK}: widget broke"),
                description: Some(format!("{FIRST} {LAST} says it broke")),
                contact: conv.contact_id,
                priority: None,
                assignee: None,
            },
        )
        .unwrap();
    env.crm
        .resolve_ticket(&env.admin, ticket.id, "Sent a new widget")
        .unwrap();
    (lead.id, bystander.id)
}

fn markers() -> Vec<String> {
    let mut all: Vec<String> = [EMAIL, FIRST, LAST, NOTE_MARK, SUBJECT_MARK, "4155550199"]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    // The search index keeps terms folded to lower case.
    all.extend(all.clone().iter().map(|s| s.to_lowercase()));
    all
}

fn bytes_contain(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

crate::on_both_engines!(export_holds_every_row_about_the_person_and_nothing_about_others);
fn export_holds_every_row_about_the_person_and_nothing_about_others(env: &Env) {
    person_everywhere(env);
    let data = env
        .crm
        .privacy_export(&env.admin, &EMAIL.to_lowercase())
        .unwrap();
    assert_eq!(data.leads.len(), 1);
    assert_eq!(data.contacts.len(), 1);
    assert_eq!(data.deals.len(), 1);
    assert_eq!(data.tickets.len(), 1);
    assert_eq!(data.notes.len(), 2, "the lead's note and the deal's");
    assert_eq!(
        data.tasks.len(),
        3,
        "the drip (cancelled at conversion, still held)"
    );
    assert_eq!(data.outbox.len(), 1);
    assert_eq!(data.outbox[0].to, EMAIL);
    let kinds: std::collections::BTreeSet<_> = data
        .activities
        .iter()
        .map(|a| a.entity.to_string())
        .collect();
    assert_eq!(data.activities.len(), 7);
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["lead", "note", "ticket"]
    );
    let json = serde_json::to_string(&data).unwrap();
    assert!(!json.contains("Stander"), "nothing about the bystander");
    for activity in &data.activities {
        assert!(!activity.summary.contains("Stander"));
    }
    // A user who is not an admin may not export anyone.
    let rep = env.user("asha", Role::SalesRep);
    assert!(matches!(
        env.crm.privacy_export(&rep, EMAIL),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(
        env.crm
            .privacy_export(&env.admin, "not-an-email")
            .unwrap_err()
            .to_string(),
        "invalid email: 'not-an-email' has no @"
    );
}

crate::on_both_engines!(erase_leaves_no_byte_of_the_person_in_the_file_and_keeps_the_rest_whole);
/// On SQLite no byte in the file or its WAL; on PostgreSQL, whose files are the server's (see
/// docs/reliability.md on VACUUM), no row in any table.
fn erase_leaves_no_byte_of_the_person_in_the_file_and_keeps_the_rest_whole(env: &Env) {
    let sqlite = env.file_bytes().is_some();
    let (_, bystander) = person_everywhere(env);
    let activities_before = count(&env.path, "SELECT count(*) FROM activities");
    let won_total = count(&env.path, "SELECT sum(amount) FROM deals");
    let bystander_before = format!("{:?}", env.crm.lead(&env.admin, bystander).unwrap());
    let marks = markers();
    if sqlite {
        let file = std::fs::read(&env.path).unwrap();
        assert!(
            bytes_contain(&file, LAST)
                || bytes_contain(
                    &std::fs::read(env.path.with_file_name("crm.db-wal")).unwrap_or_default(),
                    LAST
                ),
            "the marker is in the files before the erasure (else the test proves nothing)"
        );
    } else {
        assert!(env.dump().contains(LAST), "the marker is in a table first");
    }

    let erased = env.crm.privacy_erase(&env.admin, EMAIL).unwrap();
    assert_eq!(
        (
            erased.leads,
            erased.contacts,
            erased.tickets,
            erased.notes,
            erased.outbox
        ),
        (1, 1, 1, 2, 1)
    );
    assert_eq!((erased.tasks, erased.deals_anonymised), (3, 1));
    assert_eq!(erased.activities_anonymised, 7);
    assert!(erased.wal_cleared, "nothing of ours is left to clear");

    let dump = env.dump();
    for mark in &marks {
        assert!(
            !dump.contains(mark.as_str()),
            "'{mark}' is still in a table"
        );
    }
    for suffix in ["", "-wal"].into_iter().filter(|_| sqlite) {
        let path = std::path::PathBuf::from(format!("{}{suffix}", env.path.display()));
        let bytes = std::fs::read(&path).unwrap_or_default();
        for mark in &marks {
            assert!(
                !bytes_contain(&bytes, mark),
                "'{mark}' is still in {}",
                path.display()
            );
        }
    }
    // The audit trail keeps every row (plus the erasure's own), none naming the person.
    assert_eq!(
        count(&env.path, "SELECT count(*) FROM activities"),
        activities_before + 1
    );
    // The revenue stays; the bystander is untouched; the file is healthy.
    assert_eq!(count(&env.path, "SELECT sum(amount) FROM deals"), won_total);
    assert_eq!(
        format!("{:?}", env.crm.lead(&env.admin, bystander).unwrap()),
        bystander_before
    );
    assert!(Crm::doctor(&env.path).unwrap().healthy());
    let hits: Vec<SearchHit> = env.crm.search(&env.admin, FIRST, &[], 20).unwrap();
    assert!(hits.is_empty(), "{hits:?}");
}

#[derive(Default)]
struct Problems(Vec<ImportProblem>);

impl ImportObserver for Problems {
    fn problem(&mut self, problem: &ImportProblem) {
        self.0.push(problem.clone());
    }
}

crate::on_both_engines!(an_erased_address_cannot_come_back_by_add_edit_or_import);
fn an_erased_address_cannot_come_back_by_add_edit_or_import(env: &Env) {
    person_everywhere(env);
    env.crm.privacy_erase(&env.admin, EMAIL).unwrap();
    let shouting = EMAIL.to_uppercase();
    let refused =
        format!("invalid email: '{shouting}' was erased on request and may not be stored again");
    let err = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "Again".into(),
                email: Some(shouting.clone()),
                ..NewLead::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.to_string(), refused);
    let err = env
        .crm
        .add_contact(
            &env.admin,
            &NewContact {
                first_name: "Again".into(),
                email: Some(shouting.clone()),
                ..NewContact::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.to_string(), refused);
    let other = env
        .crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "Other".into(),
                ..NewLead::default()
            },
        )
        .unwrap();
    let err = env
        .crm
        .edit_lead(
            &env.admin,
            other.id,
            &crm_core::LeadPatch {
                email: Some(shouting.clone()),
                ..crm_core::LeadPatch::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.to_string(), refused);
    let before = env.dump();
    let mut problems = Problems::default();
    let report = env
        .crm
        .import(
            &env.admin,
            format!("first_name,email\nAgain,{shouting}\n").as_bytes(),
            &ImportOptions::new(ImportKind::Leads),
            &mut problems,
        )
        .unwrap();
    assert!(!report.committed);
    assert_eq!(problems.0.len(), 1);
    assert_eq!(problems.0[0].column, "email");
    assert_eq!(env.dump(), before);
    // The list holds a hash, not the address.
    let stored = count(
        &env.path,
        "SELECT count(*) FROM suppressed_emails WHERE length(email_hash) = 64",
    );
    assert_eq!(stored, 1);
}

crate::on_both_engines!(only_an_admin_may_erase_and_a_refusal_changes_nothing);
fn only_an_admin_may_erase_and_a_refusal_changes_nothing(env: &Env) {
    person_everywhere(env);
    let manager = env.user("mona", Role::Manager);
    let before = env.dump();
    assert!(matches!(
        env.crm.privacy_erase(&manager, EMAIL),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(erase_touches_only_the_person_never_a_longer_address_or_a_namesake);
/// Red-team item 1: an address inside another address, and a name many people share, are not
/// the person. Erasing `a@corp.com` leaves `vikasa@corp.com` (merged, with a note) whole, and
/// the feed rows of another "Kavya Reddy" keep their words.
fn erase_touches_only_the_person_never_a_longer_address_or_a_namesake(env: &Env) {
    let contact = |phone: Option<&str>, email: Option<&str>| NewContact {
        first_name: "Vikas".into(),
        last_name: Some("Rao".into()),
        phone: phone.map(Into::into),
        email: email.map(Into::into),
        allow_duplicate: true,
        ..NewContact::default()
    };
    let keep = env
        .crm
        .add_contact(&env.admin, &contact(Some("+91 90000 55555"), None))
        .unwrap();
    let other = env
        .crm
        .add_contact(&env.admin, &contact(None, Some("vikasa@corp.com")))
        .unwrap();
    env.crm
        .merge_contacts(&env.admin, keep.id, &[other.id])
        .unwrap();
    env.crm
        .add_note(
            &env.admin,
            Some(RecordRef::new(EntityKind::Contact, keep.id.0)),
            None,
            "history",
        )
        .unwrap();
    let lead = |first: &str, last: &str, email: &str| NewLead {
        first_name: first.into(),
        last_name: Some(last.into()),
        email: Some(email.into()),
        ..NewLead::default()
    };
    env.crm
        .add_lead(&env.admin, &lead("Someone", "Else", "a@corp.com"))
        .unwrap();
    let namesake = env
        .crm
        .add_lead(&env.admin, &lead("Kavya", "Reddy", "kavya.one@example.in"))
        .unwrap();
    env.crm
        .add_lead(&env.admin, &lead("Kavya", "Reddy", "kavya.two@example.in"))
        .unwrap();
    let namesake_feed = |crm: &Crm| {
        crm.activity(
            &env.admin,
            &crm_core::ActivityQuery {
                record: Some(RecordRef::new(EntityKind::Lead, namesake.id.0)),
                limit: 100,
                ..crm_core::ActivityQuery::default()
            },
        )
        .unwrap()
    };
    let feed_before = namesake_feed(&env.crm);
    assert!(
        feed_before
            .iter()
            .any(|a| a.summary.contains("Kavya Reddy"))
    );

    let erased = env.crm.privacy_erase(&env.admin, "A@corp.com").unwrap();
    assert_eq!((erased.leads, erased.contacts, erased.notes), (1, 0, 0));
    let kept = env.crm.contact(&env.admin, keep.id).unwrap();
    assert_eq!(kept.email.as_deref(), Some("vikasa@corp.com"));
    let notes = env
        .crm
        .notes(&env.admin, RecordRef::new(EntityKind::Contact, keep.id.0))
        .unwrap();
    assert_eq!(notes.len(), 1, "the kept contact's note stays");

    env.crm
        .privacy_erase(&env.admin, "kavya.two@example.in")
        .unwrap();
    assert_eq!(
        namesake_feed(&env.crm),
        feed_before,
        "the other Kavya's feed is untouched"
    );
    assert!(Crm::doctor(&env.path).unwrap().healthy());
}
