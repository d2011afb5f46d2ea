//! Duplicate people from the command line: refused on add and import, found, merged, undone.

use crm_core::testing::{count, rows};

use crate::env::TestEnv;

fn add<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "contacts",
        "add",
        "--first-name",
        "Aarav",
        "--last-name",
        "Sharma",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn add_names_the_existing_contact_and_allow_duplicate_adds_it_anyway() {
    let env = TestEnv::with_admin();
    env.ok(
        &add(&[
            "--email",
            "aarav@techverse.in",
            "--phone",
            "+91 98765 43120",
        ]),
        "",
    );
    let before = env.dump();
    let err = env.fails(&add(&["--phone", "+91-98765-43120"]), "");
    assert_eq!(
        err,
        "error: phone '+91-98765-43120' matches contact 1 'Aarav Sharma' already in the CRM; \
         pass --allow-duplicate to add it anyway"
    );
    assert_eq!(env.dump(), before);
    env.ok(
        &add(&["--phone", "+91-98765-43120", "--allow-duplicate"]),
        "",
    );
    assert_eq!(count(&env.db(), "SELECT count(*) FROM contacts"), 2);

    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Priya",
            "--email",
            "priya@x.in",
        ],
        "",
    );
    let err = env.fails(
        &["leads", "add", "--first-name", "P", "--email", "PRIYA@x.in"],
        "",
    );
    assert!(err.contains("matches lead 1 'Priya'"), "{err}");
    assert!(
        err.ends_with("pass --allow-duplicate to add it anyway"),
        "{err}"
    );
}

#[test]
fn import_matches_phones_by_digits_and_can_add_duplicates_on_purpose() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "Aarav",
            "--phone",
            "+91 98765 43120",
        ],
        "",
    );
    let file = env.dir.path().join("people.csv");
    std::fs::write(
        &file,
        "First Name,Last Name,Phone,Email\nA.,Sharma,+91-98765-43120,\nKavya,Reddy,040 1234 5678,kavya@x.in\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let before = env.dump();
    let out = env.crm(&["import", "contacts", path]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("row 2, column 'Phone': invalid: matches contact 1 already in the CRM"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
    env.ok(&["import", "contacts", path, "--on-duplicate", "skip"], "");
    assert_eq!(count(&env.db(), "SELECT count(*) FROM contacts"), 2);
    env.ok(&["import", "contacts", path, "--on-duplicate", "add"], "");
    assert_eq!(
        rows(
            &env.db(),
            "SELECT count(*) FROM contacts WHERE phone_key = '+919876543120'"
        ),
        vec![vec!["2".to_string()]]
    );
    assert_eq!(count(&env.db(), "SELECT count(*) FROM contacts"), 4);
}

/// The messy fixture: the same people typed with other spacing, case, phone formats and name
/// order, next to different people with alike names.
#[test]
fn dupes_finds_exactly_the_groups_of_the_messy_fixture() {
    let env = TestEnv::with_admin();
    let file = crate::transfer::fixture("duplicate-contacts.csv");
    env.ok(&["import", "contacts", &file, "--on-duplicate", "add"], "");
    let found = env.json(&["contacts", "dupes"]);
    let groups: Vec<(u64, Vec<String>, Vec<u64>)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["score"].as_u64().unwrap(),
                g["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_string())
                    .collect(),
                g["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["id"].as_u64().unwrap())
                    .collect(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(
        groups,
        vec![
            (100, s(&["email", "phone", "name"]), vec![1, 2, 3]),
            (95, s(&["phone", "similar name"]), vec![4, 5]),
            (95, s(&["phone", "name"]), vec![10, 11]),
            (60, s(&["name"]), vec![6, 7]),
        ]
    );

    let table = env.ok(&["contacts", "dupes", "--min-score", "90"], "");
    assert!(
        table.contains("Kavya Reddi") && !table.contains("Mehta Rohan"),
        "{table}"
    );
    let ids = env.ok(
        &["contacts", "dupes", "--min-score", "96", "--output", "ids"],
        "",
    );
    assert_eq!(ids, "1\n2\n3\n");
}

#[test]
fn merge_from_the_dupes_list_then_undo_it() {
    let env = TestEnv::with_admin();
    let file = crate::transfer::fixture("duplicate-contacts.csv");
    env.ok(&["import", "contacts", &file, "--on-duplicate", "add"], "");
    env.ok(
        &["notes", "add", "--contact", "2", "Called about the renewal"],
        "",
    );
    // Versions left out: an undo is a change, so it gives records new versions.
    let before = crm_core::testing::dump_except(&env.db(), &[]);

    let out = env.ok(&["contacts", "merge", "1", "2", "3"], "");
    assert_eq!(
        out.trim(),
        "Merged contact 2 3 into contact 1 (1 link(s) moved); undo with: crm merges undo 1"
    );
    assert_eq!(
        count(
            &env.db(),
            "SELECT count(*) FROM contacts WHERE id IN (2, 3)"
        ),
        0
    );
    assert_eq!(
        count(&env.db(), "SELECT count(*) FROM notes WHERE contact_id = 1"),
        1
    );
    let found = env.json(&["contacts", "dupes"]);
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["members"][0]["id"] != 1),
        "the merged group is gone: {found}"
    );
    let listed = env.json(&["merges", "list"]);
    assert_eq!(listed[0]["keep_id"], 1);
    assert_eq!(listed[0]["undoable"], true);

    // A rep may neither merge contacts that are not theirs nor undo someone else's merge.
    env.add_user("asha", "sales_rep");
    env.login("asha", "asha-password-1");
    let err = env.fails(&["contacts", "merge", "4", "5"], "");
    assert!(err.starts_with("error: permission denied"), "{err}");
    let err = env.fails(&["merges", "undo", "1"], "");
    assert!(err.contains("may not undo merge 1"), "{err}");

    env.login("root", crate::env::ADMIN_PW);
    let out = env.ok(&["merges", "undo", "1"], "");
    assert_eq!(
        out.trim(),
        "Undid merge 1: contact 2 3 back beside contact 1"
    );
    // Left out: the feed and merge log (append-only records of what happened), the full-text
    // index's pages and version counter (its rows are compared), the logins, and the id
    // sequences (ids given are remembered, so none is given twice).
    let keep = |dump: &str| -> String {
        dump.lines()
            .filter(|l| {
                ![
                    "sqlite_sequence:",
                    "activities:",
                    "merges:",
                    "merged_records:",
                    "search_index_data:",
                    "search_index_idx:",
                    "search_index_config:",
                    "search_titles_data:",
                    "search_titles_idx:",
                    "search_titles_config:",
                    "sessions:",
                    "users:",
                ]
                .iter()
                .any(|t| l.starts_with(t))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let now = crm_core::testing::dump_except(&env.db(), &[]);
    let (now, was) = (keep(&now), keep(&before));
    let differ: Vec<&str> = now
        .lines()
        .filter(|l| !was.lines().any(|w| w == *l))
        .chain(was.lines().filter(|l| !now.lines().any(|n| n == *l)))
        .collect();
    assert!(
        differ.is_empty(),
        "every record is back as it was: {differ:#?}"
    );
    let err = env.fails(&["merges", "undo", "1"], "");
    assert_eq!(err, "error: merge 1 was already undone");
}
