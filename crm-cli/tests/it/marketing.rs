//! Campaigns, leads and the marketing report through the real binary.

use std::thread;

use crate::env::TestEnv;

fn with_campaign_and_reps() -> TestEnv {
    let env = TestEnv::with_admin();
    for rep in ["asha", "ravi", "kiran"] {
        env.ok(
            &[
                "users",
                "add",
                rep,
                "--role",
                "sales_rep",
                "--password-stdin",
            ],
            "rep-password-1\n",
        );
    }
    env.ok(
        &[
            "campaigns",
            "add",
            "Launch Sprint 2025",
            "--channel",
            "Email",
            "--status",
            "Active",
            "--budget",
            "85,000",
            "--start",
            "2025-04-01",
            "--end",
            "2025-04-30",
        ],
        "",
    );
    env
}

#[test]
fn campaign_lifecycle_with_spend_and_metrics() {
    let env = with_campaign_and_reps();
    let shown = env.json(&["campaigns", "show", "launch-sprint-2025"]);
    assert_eq!(shown["metrics"]["generated_leads"], 0);
    assert_eq!(shown["budget"], "85000.00");
    let text = env.ok(&["campaigns", "show", "launch-sprint-2025"], "");
    assert!(
        text.contains("85000") && text.contains("INR") && text.contains("n/a"),
        "ROI is n/a before any spend:\n{text}"
    );
    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Aarav",
            "--campaign",
            "launch-sprint-2025",
        ],
        "",
    );
    assert_eq!(
        env.json(&["campaigns", "show", "launch-sprint-2025"])["metrics"]["generated_leads"],
        1,
        "lead count rises"
    );
    let spend = env.ok(
        &[
            "campaigns",
            "spend",
            "add",
            "launch-sprint-2025",
            "40,000",
            "--date",
            "2025-04-02",
            "--note",
            "ads",
        ],
        "",
    );
    assert!(
        spend.contains("actual spend now INR 40,000, ROI -100.0%"),
        "{spend}"
    );
    let list = env.ok(&["campaigns", "list", "--sort", "leads", "--desc"], "");
    let first_row = list
        .lines()
        .find(|l| l.contains("general") || l.contains("launch"))
        .unwrap();
    assert!(first_row.contains("launch-sprint-2025"), "{list}");
    env.ok(
        &[
            "campaigns",
            "edit",
            "launch-sprint-2025",
            "--status",
            "Paused",
            "--team",
            "asha,ravi",
        ],
        "",
    );
    let c = env.json(&["campaigns", "show", "launch-sprint-2025"]);
    assert_eq!(c["status"], "Paused");
    assert_eq!(c["team"], serde_json::json!(["asha", "ravi"]));

    let before = env.dump();
    let err = env.fails(&["campaigns", "delete", "launch-sprint-2025"], "");
    assert!(err.contains("still has 1 lead(s)"), "{err}");
    let err = env.fails(&["campaigns", "delete", "general"], "");
    assert!(err.contains("built in and cannot be deleted"), "{err}");
    assert_eq!(env.dump(), before);
}

#[test]
fn lead_scoring_explain_and_hot_filter() {
    let env = with_campaign_and_reps();
    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Rahul",
            "--last-name",
            "Goyal",
            "--source",
            "Referral",
            "--job-title",
            "Founder",
            "--budget",
            "--need",
        ],
        "",
    );
    let out = env.ok(&["leads", "score", "1", "72"], "");
    assert!(out.contains("now scores 72 (Hot)"), "{out}");
    let hot = env.json(&["leads", "list", "--hot"]);
    assert_eq!(hot.as_array().unwrap().len(), 1);
    let explain = env.ok(&["leads", "explain", "1"], "");
    assert!(
        explain.contains("bant.budget") && explain.contains("Automatic score 55"),
        "{explain}"
    );
    let auto = env.ok(&["leads", "score", "1", "--auto"], "");
    assert!(auto.contains("now scores 55 (Warm)"), "{auto}");
}

#[test]
fn bad_lead_input_is_refused_with_one_line_and_nothing_written() {
    let env = with_campaign_and_reps();
    env.ok(&["leads", "add", "--first-name", "Aarav"], "");
    let before = env.dump();
    assert_eq!(
        env.fails(&["leads", "score", "1", "101"], ""),
        "error: invalid score: 101 is outside 0..=100"
    );
    assert_eq!(
        env.fails(
            &["leads", "add", "--first-name", "X", "--campaign", "nope"],
            ""
        ),
        "error: campaign 'nope' not found"
    );
    assert_eq!(
        env.fails(&["leads", "nurture", "1", "42"], ""),
        "error: lead 42 not found"
    );
    assert_eq!(env.dump(), before);
    // An unknown stage is a usage error (exit 2) that lists the stages.
    let out = env
        .crm(&["leads", "edit", "1", "--stage", "Maybe"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "unknown stage 'Maybe' (expected one of: New, Contacted, Qualified, Lost, Converted)"
    ));
    assert_eq!(env.dump(), before);
}

#[test]
fn convert_moves_the_lead_out_of_the_active_list_and_twice_is_refused() {
    let env = with_campaign_and_reps();
    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Aarav",
            "--last-name",
            "Sharma",
            "--email",
            "aarav@techverse.in",
            "--company",
            "TechVerse",
            "--owner",
            "asha",
            "--campaign",
            "launch-sprint-2025",
        ],
        "",
    );
    env.ok(&["leads", "nurture", "1"], "");
    let out = env.ok(&["leads", "convert", "1", "--amount", "2,50,000"], "");
    assert!(
        out.contains("created contact 1 and deal 1 'TechVerse — Aarav Sharma'"),
        "{out}"
    );
    assert!(env.json(&["leads", "list"]).as_array().unwrap().is_empty());
    assert_eq!(
        env.json(&["leads", "list", "--all"])[0]["stage"],
        "Converted"
    );
    assert_eq!(
        env.json(&["contacts", "show", "1"])["email"],
        "aarav@techverse.in"
    );
    let before = env.dump();
    let err = env.fails(&["leads", "convert", "1"], "");
    assert_eq!(
        err,
        "error: lead 1 was already converted into contact 1 and deal 1; it is read-only"
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn round_robin_stays_fair_across_two_processes_at_once() {
    let env = with_campaign_and_reps();
    let per_process = 12;
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..per_process {
                    env.ok(
                        &["leads", "add", "--first-name", "Auto", "--auto-assign"],
                        "",
                    );
                }
            });
        }
    });
    let leads = env.json(&["leads", "list", "--limit", "1000"]);
    let leads = leads.as_array().unwrap();
    assert_eq!(leads.len(), 2 * per_process);
    for rep in ["asha", "ravi", "kiran"] {
        let n = leads.iter().filter(|l| l["owner"] == rep).count();
        assert_eq!(n, 8, "{rep} got {n} of 24");
    }
}

#[test]
fn the_marketing_report_as_table_and_json() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("neha", "demo-pass-2025");
    let json = env.json(&["report", "marketing"]);
    let total = json["total_leads"].as_i64().unwrap();
    assert!(total > 480, "{total}");
    assert_eq!(json["campaigns"][0]["code"], "festive-cashback-promo");
    assert_eq!(json["campaigns"][0]["leads"], 420);
    let table = env.ok(&["report", "marketing"], "");
    assert!(
        table.contains("Conversion rate") && table.contains("Festive Cashback Promo"),
        "{table}"
    );
    env.login("asha", "demo-pass-2025");
    let err = env.fails(&["report", "marketing"], "");
    assert!(err.contains("may not see the marketing report"), "{err}");
}
