//! The sales pipeline through the real binary, including the brief's 3BHK example.

use crate::env::TestEnv;

fn with_rep() -> TestEnv {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.login("asha", "asha-password-1");
    env
}

#[test]
fn the_briefs_3bhk_example_from_lead_to_won_revenue() {
    let env = with_rep();
    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Rohit",
            "--last-name",
            "Malhotra",
            "--email",
            "rohit@skyhighhomes.in",
            "--products",
            "3BHK flat",
            "--source",
            "Website",
        ],
        "",
    );
    // Schedule the site visit: a meeting about the lead, two days out.
    let visit = env.json(&[
        "tasks",
        "add",
        "Site visit: 3BHK flat",
        "--kind",
        "meeting",
        "--due",
        "2026-03-03T11:00:00Z",
        "--about",
        "lead:1",
    ]);
    assert_eq!(
        (visit["assignee"].as_str(), visit["link"]["kind"].as_str()),
        (Some("asha"), Some("lead"))
    );
    let converted = env.ok(
        &[
            "leads",
            "convert",
            "1",
            "--deal-title",
            "Villa 3BHK",
            "--amount",
            "85,00,000",
        ],
        "",
    );
    assert!(converted.contains("deal 1 'Villa 3BHK'"), "{converted}");
    let board = env.ok(&["pipeline", "--width", "120"], "");
    assert!(
        board.contains("#1 Villa 3BHK") && board.contains("1 · INR 85,00,000"),
        "{board}"
    );

    let moved = env.ok(&["deals", "move", "1", "Negotiation"], "");
    assert_eq!(
        moved.trim(),
        "Moved deal 1 'Villa 3BHK': New -> Negotiation"
    );
    let before = env.json(&["report", "sales"]);
    assert_eq!(before["open_pipeline_value"], "8500000.00");
    assert_eq!(before["won_revenue"], "0.00");

    env.ok(&["deals", "won", "1"], "");
    let after = env.json(&["report", "sales"]);
    assert_eq!(
        after["open_pipeline_value"], "0.00",
        "the pipeline changes at once"
    );
    assert_eq!(after["won_revenue"], "8500000.00", "and so does revenue");
    assert_eq!(after["won_by_month"][0]["month"], "2026-03");
    let history = env.ok(&["deals", "show", "1"], "");
    assert!(
        history.contains("Negotiation") && history.contains("Won"),
        "{history}"
    );
    let board = env.ok(&["pipeline", "--width", "120", "--output", "json"], "");
    let columns: serde_json::Value = serde_json::from_str(&board).unwrap();
    let won = columns
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"]["name"] == "Won")
        .unwrap();
    assert_eq!(won["count"], 1);
}

#[test]
fn the_board_fits_80_columns_and_uses_a_wide_terminal() {
    let env = with_rep();
    for (title, amount) in [("Flat 3BHK, Whitefield Road", "100"), ("Short", "2,000")] {
        env.ok(&["deals", "add", title, "--amount", amount], "");
    }
    let narrow = env.ok(&["pipeline", "--width", "80"], "");
    assert!(narrow.lines().all(|l| l.chars().count() <= 80), "{narrow}");
    assert!(
        narrow.contains('…'),
        "long titles are cut cleanly:\n{narrow}"
    );
    assert!(
        narrow
            .lines()
            .filter(|l| l.starts_with("NEW") || l.starts_with("NEGOTIATION"))
            .count()
            == 2,
        "two bands:\n{narrow}"
    );
    let wide = env.ok(&["pipeline", "--width", "200"], "");
    let header = wide.lines().next().unwrap();
    assert!(
        header.contains("NEW") && header.contains("LOST"),
        "one band of six columns:\n{wide}"
    );
    assert!(
        wide.contains("#1 Flat 3BHK, Whitefield Road"),
        "wide columns show whole titles:\n{wide}"
    );
}

#[test]
fn bad_moves_are_refused_and_change_nothing() {
    let env = with_rep();
    env.ok(&["deals", "add", "Villa", "--amount", "100"], "");
    let before = env.dump();
    let err = env.fails(&["deals", "move", "1", "In Progress"], "");
    assert!(
        err.starts_with("error: invalid stage: no stage named 'In Progress' (stages: New,"),
        "{err}"
    );
    assert_eq!(
        env.fails(&["deals", "move", "9", "Won"], ""),
        "error: deal 9 not found"
    );
    assert_eq!(
        env.fails(&["deals", "move", "1", "Lost"], ""),
        "error: invalid reason: moving a deal to 'Lost' needs a reason; use `deals lost 1 --reason ...`"
    );
    assert!(
        env.fails(&["pipeline", "stages", "add", "Mine"], "")
            .contains("needs role admin")
    );
    assert_eq!(env.dump(), before);
}
