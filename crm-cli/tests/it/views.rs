//! Saved views: `--save NAME` on a listing, `--view NAME` to list with it again.

use crm_core::DEMO_PASSWORD;

use crate::env::TestEnv;

#[test]
fn a_saved_view_lists_what_its_filters_listed_and_belongs_to_its_user() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", DEMO_PASSWORD);
    let args = [
        "leads",
        "list",
        "--campaign",
        "launch-sprint-2025",
        "--max-score",
        "60",
        "--sort",
        "score",
        "--asc",
    ];
    let direct = env.ok(&args, "");
    let mut saving = args.to_vec();
    saving.extend(["--save", "cold-launch"]);
    assert_eq!(env.ok(&saving, ""), direct, "--save lists as well");
    assert_eq!(
        env.ok(&["leads", "list", "--view", "cold-launch"], ""),
        direct
    );
    assert!(direct.lines().count() > 3, "{direct}");

    env.ok(&["contacts", "list", "--tag", "vip", "--save", "vips"], "");
    let views = env.json(&["views", "list"]);
    let names: Vec<(&str, &str)> = views
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["kind"].as_str().unwrap(), v["name"].as_str().unwrap()))
        .collect();
    assert_eq!(names, vec![("contacts", "vips"), ("leads", "cold-launch")]);
    assert_eq!(views[1]["filters"]["max_score"], 60);

    let err = env.fails(&["leads", "list", "--view", "cold-launch", "--hot"], "");
    assert!(
        err.contains("--view cold-launch brings its own filters"),
        "{err}"
    );
    let err = env.fails(&["leads", "list", "--view", "nope"], "");
    assert_eq!(err, "error: view 'nope' of leads not found");
    let err = env.fails(&["leads", "list", "--save", "no spaces"], "");
    assert!(
        err.starts_with("error: invalid view: 'no spaces' is not a view name"),
        "{err}"
    );

    // Another user has views of their own.
    env.login("asha", DEMO_PASSWORD);
    assert_eq!(env.json(&["views", "list"]), serde_json::json!([]));
    let err = env.fails(&["leads", "list", "--view", "cold-launch"], "");
    assert_eq!(err, "error: view 'cold-launch' of leads not found");

    env.login("admin", DEMO_PASSWORD);
    env.ok(&["views", "delete", "vips", "--kind", "contacts"], "");
    assert_eq!(env.json(&["views", "list"]).as_array().unwrap().len(), 1);
}
