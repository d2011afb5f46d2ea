//! The path a new team walks: init, login, users, contacts, output formats, logout.

use predicates::prelude::*;

use crate::env::{ADMIN_PW, TestEnv};

#[test]
fn init_login_users_contacts_and_logout() {
    let env = TestEnv::new();
    let out = env.ok(
        &["init", "--username", "root", "--password-stdin"],
        ADMIN_PW,
    );
    assert!(out.contains("with admin 'root'"), "{out}");
    env.login("root", ADMIN_PW);
    let me = env.json(&["whoami"]);
    assert_eq!(me["username"], "root");
    assert_eq!(me["role"], "admin");

    // Users.
    env.ok(
        &[
            "users",
            "add",
            "asha",
            "--role",
            "sales_rep",
            "--display-name",
            "Asha Verma",
            "--password-stdin",
        ],
        "asha-password-1\n",
    );
    env.ok(
        &[
            "users",
            "add",
            "ravi",
            "--role",
            "Sales Rep",
            "--password-stdin",
        ],
        "ravi-password-1\n",
    );
    let users = env.json(&["users", "list"]);
    let names: Vec<_> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["asha", "ravi", "root"]);
    env.ok(&["users", "edit", "ravi", "--role", "manager"], "");
    assert_eq!(env.json(&["users", "show", "ravi"])["role"], "manager");
    env.ok(&["users", "disable", "ravi"], "");
    assert_eq!(env.json(&["users", "show", "ravi"])["active"], false);
    env.ok(
        &["users", "passwd", "asha", "--password-stdin"],
        "asha-password-2\n",
    );

    contacts_crud_with_every_output(&env);

    env.ok(&["logout"], "");
    let err = env.fails(&["contacts", "list"], "");
    assert!(err.contains("not logged in"), "{err}");
}

/// Contacts CRUD through the binary, checking table, JSON and CSV output on the way.
fn contacts_crud_with_every_output(env: &TestEnv) {
    let added = env.json(&[
        "contacts",
        "add",
        "--first-name",
        "Aarav",
        "--last-name",
        "Sharma",
        "--email",
        "aarav@techverse.in",
        "--phone",
        "+91 98765 43120",
        "--company",
        "TechVerse",
        "--tag",
        "customer,vip",
    ]);
    let id = added["id"].as_i64().unwrap().to_string();
    assert_eq!(added["tags"], serde_json::json!(["customer", "vip"]));
    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "Priya",
            "--last-name",
            "Menon",
            "--company",
            "FinEdge",
            "--owner",
            "asha",
        ],
        "",
    );

    let table = env.ok(&["contacts", "list"], "");
    assert!(
        table.contains("Aarav Sharma") && table.contains("Priya Menon"),
        "{table}"
    );
    let lines: Vec<_> = table
        .lines()
        .filter(|l| l.contains("Sharma") || l.contains("Menon"))
        .collect();
    assert!(
        lines[0].contains("Aarav") && lines[1].contains("Priya"),
        "sorted by name: {table}"
    );

    let csv = env.ok(&["contacts", "list", "--tag", "vip", "--output", "csv"], "");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let phone = headers.iter().position(|h| h == "phone").unwrap();
    assert_eq!(
        &rows[0][phone], "'+91 98765 43120",
        "a leading + is neutralised for spreadsheets"
    );

    // Phone numbers match with or without their spaces.
    let searched = env.json(&["contacts", "list", "--search", "9876543120"]);
    assert_eq!(searched[0]["first_name"], "Aarav");
    env.ok(
        &[
            "contacts",
            "edit",
            &id,
            "--job-title",
            "CTO",
            "--remove-tag",
            "vip",
            "--phone",
            "",
        ],
        "",
    );
    let shown = env.json(&["contacts", "show", &id]);
    assert_eq!(shown["job_title"], "CTO");
    assert_eq!(shown["phone"], serde_json::Value::Null);
    assert_eq!(shown["tags"], serde_json::json!(["customer"]));
    let text = env.ok(&["contacts", "show", &id], "");
    assert!(text.contains("job_title") && text.contains("CTO"), "{text}");

    let filtered = env.json(&["contacts", "list", "--owner", "asha"]);
    assert_eq!(filtered.as_array().unwrap().len(), 1);

    let deleted = env.ok(&["contacts", "delete", &id, "--yes"], "");
    assert!(deleted.contains("Deleted contact"), "{deleted}");
    env.fails(&["contacts", "show", &id], "");
}

#[test]
fn paging_prints_the_next_cursor_on_stderr() {
    let env = TestEnv::with_admin();
    for name in ["Ann", "Bob", "Cid"] {
        env.ok(&["contacts", "add", "--first-name", name], "");
    }
    env.crm(&["contacts", "list", "--limit", "2", "--output", "csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("--after 2"));
    let rest = env.json(&["contacts", "list", "--limit", "2", "--after", "2"]);
    assert_eq!(rest.as_array().unwrap().len(), 1);
    assert_eq!(rest[0]["first_name"], "Cid");
}

#[test]
fn demo_builds_once_and_reruns_add_nothing() {
    let env = TestEnv::new();
    let first = env.ok(&["demo", "--no-tui"], "");
    assert!(first.contains("created with 12 contacts"), "{first}");
    assert!(
        first.contains("3 campaigns") && first.contains("leads"),
        "{first}"
    );
    assert!(
        first.contains("asha") && first.contains("sales_rep"),
        "{first}"
    );
    let before = env.dump();
    let second = env.ok(&["demo", "--no-tui"], "");
    assert!(second.contains("already seeded"), "{second}");
    assert_eq!(env.dump(), before);
    env.login("asha", crm_core_demo_password());
    let mine = env.json(&["contacts", "list"]);
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|c| c["owner"] == "asha")
    );
    // Six seeded contacts, plus the contacts made by converting her demo leads.
    assert!(mine.as_array().unwrap().len() >= 6);
}

fn crm_core_demo_password() -> &'static str {
    "demo-pass-2025"
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", "demo-pass-2025");
    // Lists in every output, and exports in every format: JSON and CSV writers wrap the pipe's
    // error in their own, which once came out as "error: Broken pipe".
    let commands: Vec<Vec<&str>> = ["table", "json", "csv"]
        .iter()
        .map(|f| vec!["contacts", "list", "--output", f])
        .chain(
            ["csv", "json", "jsonl"]
                .iter()
                .map(|f| vec!["export", "leads", "--format", f]),
        )
        .chain([vec!["export", "contacts", "--format", "vcard"]])
        .collect();
    for args in &commands {
        let format = args.join(" ");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("crm"))
            .args(args)
            .env("HOME", env.dir.path())
            .env("XDG_STATE_HOME", env.state())
            .env("CRM_DB", env.db())
            .env("CRM_NOW", crate::env::NOW)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("error"),
            "{format}"
        );
    }
}

/// `man crm` works: the pages come from the same definitions as `--help`, examples included,
/// and the command sshd runs (hidden from `--help`) has none.
#[test]
fn manual_pages_are_generated_from_the_help() {
    let env = TestEnv::new();
    let page = env.ok(&["man"], "");
    assert!(
        page.contains(".TH crm 1") && page.contains(".SH SYNOPSIS"),
        "{page}"
    );
    assert!(page.contains("leads") && page.contains("completions"));
    let dir = env.dir.path().join("man1");
    env.ok(&["man", "--dir", dir.to_str().unwrap()], "");
    let add = std::fs::read_to_string(dir.join("crm-leads-add.1")).unwrap();
    assert!(
        add.contains("Examples") && add.contains("first\\-name"),
        "{add}"
    );
    assert!(dir.join("crm.1").exists());
    assert!(
        !dir.join("crm-shell.1").exists(),
        "sshd's command is not for people"
    );
}

#[test]
fn completions_are_generated() {
    let env = TestEnv::new();
    let script = env.ok(&["completions", "bash"], "");
    assert!(script.contains("contacts") && script.contains("--output"));
}

/// The subcommand names listed under "Commands:" in a help text (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A name sits at two spaces; deeper lines continue a wrapped description.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_has_help_with_examples() {
    let env = TestEnv::new();
    let mut pending = vec![Vec::<String>::new()];
    let mut leaves = 0;
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.ok(&args, "");
        let children = subcommands(&help);
        if children.is_empty() {
            leaves += 1;
            assert!(
                help.contains("Example"),
                "`crm {}` has no examples:\n{help}",
                path.join(" ")
            );
        }
        for child in children {
            let mut next = path.clone();
            next.push(child);
            pending.push(next);
        }
    }
    assert!(leaves > 30, "walked only {leaves} commands");
}

#[test]
fn global_search_from_the_command_line() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("asha", "demo-pass-2025");
    let hits = env.json(&["search", "sha"]);
    let titles: Vec<_> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.contains(&"Aarav Sharma".to_string()), "{titles:?}");
    let phone = env.json(&["search", "9876543120", "--type", "lead"]);
    assert_eq!(phone[0]["title"], "Aarav Sharma");
    assert_eq!(phone[0]["record"]["kind"], "lead");
    let table = env.ok(&["search", "aarav sharma"], "");
    assert!(
        table.contains("lead") && table.contains("Aarav Sharma"),
        "{table}"
    );
    let out = env
        .crm(&["search", "x", "--type", "planet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A bad score names what a score is; the file `import --help` uses in its example exists.
#[test]
fn help_examples_name_real_files_and_bad_values_say_what_is_expected() {
    let env = TestEnv::new();
    let out = env.crm(&["leads", "score", "1", "abc"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("'abc' is not a score (a whole number from 0 to 100)"),
        "{err}"
    );
    assert!(!err.contains("invalid digit"), "{err}");
    let help = env.ok(&["import", "--help"], "");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for path in help.split_whitespace().filter(|w| w.starts_with("seeds/")) {
        assert!(
            root.join(path).exists(),
            "{path} in `import --help` does not exist"
        );
    }
    assert!(help.contains("seeds/sample-leads.csv"));
}
