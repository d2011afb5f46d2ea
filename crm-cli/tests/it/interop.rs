//! vCard and iCalendar out of the real binary, read back by an independent parser (the `ical`
//! crate), and vCards back in without duplicates.

use std::io::BufReader;

use crm_core::DEMO_PASSWORD;
use crm_core::testing::rows;

use crate::env::TestEnv;

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

/// What a contact is, field by field, for comparing two databases.
const CONTACT_FIELDS: &str = "SELECT c.first_name, ifnull(c.last_name, ''), ifnull(c.email, ''),
        ifnull(c.phone, ''), ifnull(c.company, ''), ifnull(c.job_title, ''), ifnull(c.location, ''),
        ifnull((SELECT group_concat(tag, ',') FROM (SELECT tag FROM contact_tags t
                WHERE t.contact_id = c.id ORDER BY tag)), '')
    FROM contacts c ORDER BY c.email, c.first_name";

#[test]
fn contacts_go_out_as_vcards_and_come_back_without_duplicates() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", DEMO_PASSWORD);
    let file = env.dir.path().join("contacts.vcf");
    let path = file.to_str().unwrap();
    env.ok(&["export", "contacts", "--format", "vcard", "-o", path], "");

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.lines().all(|l| l.len() <= 76), "folded at 75 octets");
    let cards: Vec<_> = ical::VcardParser::new(BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .unwrap();
    let expected = rows(&env.db(), CONTACT_FIELDS);
    assert_eq!(cards.len(), expected.len());
    let kavya = cards
        .iter()
        .find(|c| prop(&c.properties, "EMAIL") == Some("kavya@urbannest.in"))
        .expect("Kavya's card");
    assert_eq!(prop(&kavya.properties, "VERSION"), Some("4.0"));
    assert_eq!(prop(&kavya.properties, "FN"), Some("Kavya Reddy"));
    assert_eq!(prop(&kavya.properties, "N"), Some("Reddy;Kavya;;;"));
    assert_eq!(prop(&kavya.properties, "ORG"), Some("UrbanNest Realty"));

    // Back into the same CRM: every card matches a contact by email or phone.
    let before = env.dump();
    let out = env.ok(&["import", "contacts", path, "--on-duplicate", "skip"], "");
    assert!(
        out.starts_with(&format!(
            "{n} rows read: 0 inserted, 0 updated, {n} skipped",
            n = cards.len()
        )),
        "{out}"
    );
    let strip = |d: &str| {
        d.lines()
            .filter(|l| !l.starts_with("activities:") && !l.starts_with("import_batches:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&env.dump()), strip(&before));

    // Into a new CRM: the same contacts, field for field.
    let fresh = TestEnv::with_admin();
    fresh.ok(&["import", "contacts", path], "");
    assert_eq!(rows(&fresh.db(), CONTACT_FIELDS), expected);
}

#[test]
fn a_reps_tasks_and_follow_ups_come_out_as_a_calendar() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("asha", DEMO_PASSWORD);
    env.ok(
        &[
            "tasks",
            "add",
            "Send the brochure; call after",
            "--due",
            "2026-03-02T10:00:00Z",
            "--kind",
            "call",
        ],
        "",
    );
    env.ok(
        &[
            "tasks",
            "add",
            "Site visit",
            "--due",
            "2026-03-03",
            "--kind",
            "meeting",
        ],
        "",
    );
    let lead = rows(
        &env.db(),
        "SELECT l.id FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.username = 'asha' AND l.stage <> 'Converted' ORDER BY l.id LIMIT 1",
    )[0][0]
        .clone();
    env.ok(
        &[
            "leads",
            "edit",
            &lead,
            "--next-action",
            "2026-03-04T11:30:00Z",
        ],
        "",
    );
    let followups = rows(
        &env.db(),
        "SELECT count(*) FROM leads l JOIN users u ON u.id = l.owner_id \
         WHERE u.username = 'asha' AND l.stage <> 'Converted' AND l.next_action_at IS NOT NULL",
    )[0][0]
        .parse::<usize>()
        .unwrap();

    let ics = env.ok(&["export", "tasks", "--format", "ics", "--mine"], "");
    let calendars: Vec<_> = ical::IcalParser::new(BufReader::new(ics.as_bytes()))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(calendars.len(), 1);
    let cal = &calendars[0];
    assert_eq!(prop(&cal.properties, "VERSION"), Some("2.0"));
    assert_eq!(cal.todos.len(), 2);
    let brochure = &cal.todos[0].properties;
    assert_eq!(
        prop(brochure, "SUMMARY"),
        Some("Send the brochure\\; call after")
    );
    assert_eq!(prop(brochure, "DUE"), Some("20260302T100000Z"));
    assert_eq!(prop(brochure, "STATUS"), Some("NEEDS-ACTION"));
    assert_eq!(prop(brochure, "CATEGORIES"), Some("call"));
    assert_eq!(cal.events.len(), followups);
    let event = cal
        .events
        .iter()
        .find(|e| prop(&e.properties, "DTSTART") == Some("20260304T113000Z"))
        .expect("the follow-up set above");
    assert!(
        prop(&event.properties, "SUMMARY")
            .unwrap()
            .starts_with("Follow up with ")
    );
    assert_eq!(prop(&event.properties, "DURATION"), Some("PT30M"));
    assert!(ics.contains("\r\n"), "CRLF line ends");

    let err = env.fails(&["export", "leads", "--format", "ics"], "");
    assert_eq!(
        err,
        "error: invalid format: ics is for tasks; use csv, json or jsonl for leads"
    );
}

#[test]
fn a_bad_card_is_named_by_its_number_and_nothing_is_imported() {
    let env = TestEnv::with_admin();
    let file = env.dir.path().join("phone.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Aarav Sharma\r\nEMAIL:aarav@techverse.in\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kavya Reddy\r\nEMAIL:kavya-at-urbannest\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let out = env
        .crm(&["import", "contacts", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("card 2, column 'email': invalid: 'kavya-at-urbannest' has no @"),
        "{err}"
    );
    assert_eq!(
        crm_core::testing::count(&env.db(), "SELECT count(*) FROM contacts"),
        0
    );
}
