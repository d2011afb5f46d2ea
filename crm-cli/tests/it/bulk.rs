//! Bulk changes for shell pipelines: `--output ids` on listings, `--ids -` on edits.

use crm_core::DEMO_PASSWORD;
use crm_core::testing::{count, rows};

use crate::env::TestEnv;

fn demo_as(user: &str) -> TestEnv {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login(user, DEMO_PASSWORD);
    env
}

#[test]
fn the_issue_pipeline_marks_the_cold_launch_leads_lost_in_one_go() {
    let env = demo_as("admin");
    let ids = env.ok(
        &[
            "leads",
            "list",
            "--campaign",
            "launch-sprint-2025",
            "--max-score",
            "30",
            "--limit",
            "1000",
            "--output",
            "ids",
        ],
        "",
    );
    let expected: Vec<String> = rows(
        &env.db(),
        "SELECT l.id FROM leads l JOIN campaigns c ON c.id = l.campaign_id \
         WHERE c.code = 'launch-sprint-2025' AND l.score <= 30 AND l.stage <> 'Converted' \
         ORDER BY l.id",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    let mut listed: Vec<String> = ids.lines().map(String::from).collect();
    listed.sort_by_key(|id| id.parse::<i64>().unwrap());
    assert_eq!(listed, expected, "one id per line, nothing else");
    assert!(expected.len() > 5);
    let n = i64::try_from(expected.len()).unwrap();

    let feed_before = count(&env.db(), "SELECT count(*) FROM activities");
    let out = env.ok(&["leads", "edit", "--ids", "-", "--stage", "Lost"], &ids);
    assert_eq!(out.trim(), format!("{} lead(s) changed", expected.len()));
    let lost = format!(
        "SELECT count(*) FROM leads WHERE stage = 'Lost' AND id IN ({})",
        expected.join(",")
    );
    assert_eq!(count(&env.db(), &lost), n);
    assert_eq!(
        count(&env.db(), "SELECT count(*) FROM activities") - feed_before,
        n,
        "one activity row per lead"
    );

    // The owner too, from a file this time, in the same one transaction per command.
    let file = env.dir.path().join("ids.txt");
    std::fs::write(&file, &ids).unwrap();
    env.ok(
        &[
            "leads",
            "edit",
            "--ids",
            file.to_str().unwrap(),
            "--owner",
            "asha",
        ],
        "",
    );
    let owned = format!(
        "SELECT count(*) FROM leads l JOIN users u ON u.id = l.owner_id \
         WHERE u.username = 'asha' AND l.id IN ({})",
        expected.join(",")
    );
    assert_eq!(count(&env.db(), &owned), n);
}

#[test]
fn one_lead_that_cannot_change_and_none_do() {
    let env = demo_as("admin");
    let before = env.dump();
    let err = env.fails(
        &["leads", "edit", "--ids", "-", "--stage", "Lost"],
        "3\n4\n99999\n",
    );
    assert!(err.contains("lead 99999"), "{err}");
    let err = env.fails(
        &["leads", "edit", "--ids", "-", "--stage", "Lost"],
        "3\nlead:4\nx7\n",
    );
    assert!(err.contains("line 3 is 'x7'"), "{err}");
    let err = env.fails(&["leads", "edit", "--ids", "-", "--score", "300"], "3\n4\n");
    assert!(err.contains("score") && err.contains("(lead 3)"), "{err}");
    assert_eq!(env.dump(), before);

    // A rep may edit their own leads but not another's: the mixed batch changes nothing.
    let asha = demo_as("asha");
    let theirs = rows(
        &asha.db(),
        "SELECT l.id, u.username = 'asha' FROM leads l JOIN users u ON u.id = l.owner_id \
         WHERE l.stage <> 'Converted' ORDER BY l.id",
    );
    let mine = theirs.iter().find(|r| r[1] == "1").unwrap()[0].clone();
    let other = theirs.iter().find(|r| r[1] == "0").unwrap()[0].clone();
    let before = asha.dump();
    let err = asha.fails(
        &["leads", "edit", "--ids", "-", "--stage", "Contacted"],
        &format!("{mine}\n{other}\n"),
    );
    assert!(err.contains("permission denied"), "{err}");
    assert_eq!(asha.dump(), before);
    asha.ok(
        &["leads", "edit", "--ids", "-", "--stage", "Contacted"],
        &format!("{mine}\n"),
    );
}

#[test]
fn ids_output_is_for_records_only() {
    let env = demo_as("admin");
    let hits = env.ok(&["search", "sharma", "--output", "ids"], "");
    assert!(
        hits.lines()
            .all(|l| l.split_once(':').is_some_and(|(k, id)| {
                ["lead", "contact", "deal", "ticket"].contains(&k) && id.parse::<i64>().is_ok()
            })),
        "{hits}"
    );
    assert!(!hits.is_empty());
    let err = env.fails(&["report", "sales", "--output", "ids"], "");
    assert!(err.contains("--output ids"), "{err}");
    assert_eq!(
        env.ok(&["contacts", "show", "2", "--output", "ids"], "")
            .trim(),
        "2"
    );
}

#[test]
fn a_rep_closes_their_overdue_tasks_from_a_pipeline() {
    let env = demo_as("admin");
    let other = env.ok(
        &[
            "tasks",
            "add",
            "Asha's call",
            "--to",
            "asha",
            "--due",
            "2026-02-01",
            "--output",
            "ids",
        ],
        "",
    );
    env.login("ravi", DEMO_PASSWORD);
    for (title, due) in [
        ("Call back", "2026-02-01"),
        ("Send quote", "2026-02-20"),
        ("Visit", "2026-02-27"),
        ("Later", "2026-04-01"),
    ] {
        env.ok(&["tasks", "add", title, "--due", due], "");
    }
    let ids = env.ok(
        &[
            "tasks",
            "list",
            "--mine",
            "--overdue",
            "--limit",
            "1000",
            "--output",
            "ids",
        ],
        "",
    );
    let expected = rows(
        &env.db(),
        "SELECT t.id FROM tasks t JOIN users u ON u.id = t.assignee_id \
         WHERE u.username = 'ravi' AND t.status = 'open' AND t.due_at < '2026-03-01T09:00:00Z' ORDER BY t.id",
    );
    assert_eq!(expected.len(), 3);
    assert_eq!(ids.lines().count(), expected.len(), "{ids}");

    // Someone else's task in the batch: refused, and nothing closes.
    let other = other.trim();
    let before = env.dump();
    let err = env.fails(&["tasks", "done", "--ids", "-"], &format!("{ids}{other}\n"));
    assert!(err.contains(&format!("task {other}")), "{err}");
    assert_eq!(env.dump(), before);

    // The first one closed alone, then the whole list: it says what it did with each.
    let first = ids.lines().next().unwrap();
    env.ok(&["tasks", "done", first], "");
    let out = env.ok(&["tasks", "done", "--ids", "-"], &ids);
    assert_eq!(
        out.trim(),
        format!("{} task(s) done; 1 already were", expected.len() - 1)
    );
    let closed = format!(
        "SELECT count(*) FROM tasks WHERE status = 'done' AND id IN ({})",
        ids.lines().collect::<Vec<_>>().join(",")
    );
    assert_eq!(
        count(&env.db(), &closed),
        i64::try_from(expected.len()).unwrap()
    );
    let out = env.ok(&["tasks", "reopen", "--ids", "-", "--output", "json"], &ids);
    assert!(
        out.contains(&format!("\"changed\": {}", expected.len())),
        "{out}"
    );
}

#[test]
fn bulk_contact_deletion_asks_first_and_stops_at_a_linked_contact() {
    let env = demo_as("admin");
    let free = rows(
        &env.db(),
        "SELECT id FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM deals d WHERE d.contact_id = c.id) \
         AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.contact_id = c.id) \
         AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.converted_contact_id = c.id) ORDER BY id LIMIT 3",
    );
    let linked = rows(
        &env.db(),
        "SELECT contact_id FROM deals ORDER BY id LIMIT 1",
    )[0][0]
        .clone();
    assert_eq!(free.len(), 3);
    let free: Vec<String> = free.into_iter().map(|r| r[0].clone()).collect();
    let ids = format!("{}\n", free.join("\n"));

    let before = env.dump();
    // No --yes and no terminal to ask on (the ids take standard input): refused.
    let err = env.fails(&["contacts", "delete", "--ids", "-"], &ids);
    assert!(err.contains("pass --yes"), "{err}");
    let err = env.fails(
        &["contacts", "delete", "--ids", "-", "--yes"],
        &format!("{ids}contact:{linked}\n"),
    );
    assert!(
        err.contains(&format!("contact {linked} is linked to")),
        "{err}"
    );
    assert_eq!(env.dump(), before);

    let out = env.ok(&["contacts", "delete", "--ids", "-", "--yes"], &ids);
    assert!(out.starts_with("3 contact(s) deleted"), "{out}");
    let left = format!(
        "SELECT count(*) FROM contacts WHERE id IN ({})",
        free.join(",")
    );
    assert_eq!(count(&env.db(), &left), 0);
    let logged = format!(
        "SELECT count(*) FROM activities WHERE verb = 'deleted' AND entity_type = 'contact' AND entity_id IN ({})",
        free.join(",")
    );
    assert_eq!(count(&env.db(), &logged), 3);
}
