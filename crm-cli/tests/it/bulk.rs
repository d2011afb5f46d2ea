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
