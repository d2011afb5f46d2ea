//! Notes, @mentions, tasks and the activity feed through the real binary.

use crate::env::TestEnv;

#[test]
fn the_briefs_designer_gets_a_task_from_a_note_and_tracks_it_to_completion() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "users",
            "add",
            "designer",
            "--role",
            "marketer",
            "--password-stdin",
        ],
        "designer-pass-1\n",
    );
    env.ok(&["deals", "add", "Facebook ad campaign"], "");
    let out = env.ok(
        &[
            "notes",
            "add",
            "--deal",
            "1",
            "Client approved Facebook ad campaign; start by Friday. @designer",
        ],
        "",
    );
    assert!(out.contains("designer got task 1"), "{out}");
    env.ok(&["notes", "add", "--reply-to", "1", "Brief attached."], "");
    let notes = env.json(&["notes", "list", "--deal", "1"]);
    assert_eq!(notes.as_array().unwrap().len(), 2);
    assert_eq!(notes[1]["parent_id"], 1);

    env.login("designer", "designer-pass-1");
    let mine = env.json(&["tasks", "list", "--mine"]);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(
        mine[0]["link"],
        serde_json::json!({"kind": "deal", "id": 1})
    );
    env.ok(&["tasks", "done", "1"], "");
    assert_eq!(env.json(&["tasks", "show", "1"])["status"], "done");
    let feed = env.ok(&["activity"], "");
    assert!(
        feed.contains("completed task 'Follow up on Root Admin's note"),
        "{feed}"
    );
}

#[test]
fn task_filters_and_the_activity_feed() {
    let env = TestEnv::with_admin();
    // The clock is pinned to 2026-03-01T09:00:00Z.
    env.ok(
        &[
            "tasks",
            "add",
            "Late call",
            "--kind",
            "call",
            "--due",
            "2026-02-27",
        ],
        "",
    );
    env.ok(
        &[
            "tasks",
            "add",
            "Today's email",
            "--kind",
            "email",
            "--due",
            "2026-03-01T15:00:00Z",
        ],
        "",
    );
    env.ok(&["tasks", "add", "Next week", "--due", "2026-03-08"], "");
    let titles = |args: &[&str]| -> Vec<String> {
        env.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles(&["tasks", "list", "--mine", "--overdue"]),
        ["Late call"]
    );
    assert_eq!(
        titles(&["tasks", "list", "--mine", "--due-today"]),
        ["Today's email"]
    );
    assert_eq!(titles(&["tasks", "list", "--mine"]).len(), 3);

    env.ok(&["deals", "add", "Villa", "--amount", "100"], "");
    env.ok(&["deals", "move", "1", "Proposal"], "");
    let feed = env.json(&["activity", "--entity", "deal:1"]);
    let verbs: Vec<_> = feed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["verb"].as_str().unwrap())
        .collect();
    assert_eq!(verbs, ["moved", "created"]);
    assert_eq!(
        feed[0]["summary"],
        "Root Admin moved deal 'Villa' from New to Proposal"
    );
    let since = env.json(&["activity", "--since", "2026-03-02"]);
    assert!(since.as_array().unwrap().is_empty());
}

#[test]
fn bad_collaboration_input_is_refused() {
    let env = TestEnv::with_admin();
    let before = env.dump();
    assert_eq!(
        env.fails(&["notes", "add", "--deal", "7", "hello"], ""),
        "error: deal 7 not found"
    );
    assert_eq!(
        env.fails(&["tasks", "add", "Call", "--to", "ghost"], ""),
        "error: invalid assignee: no user named 'ghost'"
    );
    assert_eq!(
        env.fails(&["tasks", "add", "Call", "--about", "lead:3"], ""),
        "error: lead 3 not found"
    );
    let bad = env
        .crm(&["tasks", "add", "Call", "--about", "planet:3"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown entity type 'planet'"));
    assert_eq!(env.dump(), before);
}

/// A script reads a deal, someone changes it, and the script's edit made against what it read
/// is refused with who changed it; `show` prints the version to send.
#[test]
fn an_edit_against_an_old_version_is_refused_and_names_who_changed_it() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    let deal = env.json(&["deals", "add", "Renewal", "--amount", "50000"]);
    assert_eq!(deal["version"], 1);
    let shown = env.ok(&["deals", "show", "1"], "");
    assert!(
        shown
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["version", "1"]),
        "{shown}"
    );
    env.ok(
        &[
            "deals",
            "edit",
            "1",
            "--amount",
            "60000",
            "--if-version",
            "1",
        ],
        "",
    );
    let before = env.dump();
    let err = env.fails(
        &[
            "deals",
            "edit",
            "1",
            "--title",
            "Renewal 2027",
            "--if-version",
            "1",
        ],
        "",
    );
    assert!(
        err.contains("deal 1 was changed by root at ") && err.contains("since you opened it"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(env.dump(), before, "nothing written");
    let bad = env
        .crm(&["deals", "edit", "1", "--title", "x", "--if-version", "soon"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let bad = String::from_utf8_lossy(&bad.stderr);
    assert!(
        bad.contains("--if-version") && bad.contains("'soon'"),
        "{bad}"
    );
    let saved = env.json(&[
        "deals",
        "edit",
        "1",
        "--title",
        "Renewal 2027",
        "--if-version",
        "2",
    ]);
    assert_eq!(
        (saved["title"].as_str(), saved["version"].as_i64()),
        (Some("Renewal 2027"), Some(3))
    );
}

/// A mention that reaches no one says so: an unknown name, a disabled user, yourself.
#[test]
fn mentions_that_make_no_task_say_why() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.add_user("ravi", "sales_rep");
    env.ok(&["users", "disable", "ravi"], "");
    env.ok(&["deals", "add", "Renewal"], "");
    let out = env.ok(
        &[
            "notes",
            "add",
            "--deal",
            "1",
            "Ask @asha, @nobody, @ravi and @root",
        ],
        "",
    );
    assert!(out.contains("asha got task"), "{out}");
    assert!(
        out.contains("@nobody made no task: no user has that name"),
        "{out}"
    );
    assert!(
        out.contains("@ravi made no task: that user is disabled"),
        "{out}"
    );
    assert!(out.contains("@root made no task: that is you"), "{out}");
}

/// A deal's feed holds its notes and the conversion that made it; a rep's feed holds what
/// others did to the rep's records (issue 28, item 6).
#[test]
fn feeds_show_everything_about_a_record_and_a_reps_records() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.add_user("ravi", "sales_rep");
    env.ok(
        &["leads", "add", "--first-name", "Priya", "--owner", "asha"],
        "",
    );
    env.ok(
        &["leads", "add", "--first-name", "Kiran", "--owner", "ravi"],
        "",
    );
    env.login("asha", "asha-password-1");
    env.ok(&["leads", "convert", "1", "--deal-title", "Villa"], "");
    // The rep reads the contact their new deal is with (issue 28, item 5).
    assert!(env.ok(&["contacts", "show", "1"], "").contains("Priya"));
    env.login("root", crate::env::ADMIN_PW);
    env.ok(&["notes", "add", "--deal", "1", "Budget approved"], "");
    env.ok(&["notes", "add", "--lead", "2", "Call Kiran back"], "");

    let verbs = |feed: &serde_json::Value| -> Vec<String> {
        feed.as_array()
            .unwrap()
            .iter()
            .map(|a| {
                format!(
                    "{} {}",
                    a["verb"].as_str().unwrap(),
                    a["entity"].as_str().unwrap()
                )
            })
            .collect()
    };
    let deal = env.json(&["activity", "--entity", "deal:1"]);
    assert_eq!(
        verbs(&deal),
        ["noted note", "converted lead"].map(String::from),
        "{deal:#}"
    );

    env.login("asha", "asha-password-1");
    let feed = env.ok(&["activity"], "");
    assert!(feed.contains("added a note on deal:1"), "{feed}");
    assert!(feed.contains("converted lead 'Priya'"), "{feed}");
    assert!(
        !feed.contains("Kiran"),
        "Ravi's lead is not Asha's business: {feed}"
    );
}
