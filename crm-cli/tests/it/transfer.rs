//! `crm import` and `crm export` on real CSV files from tests/fixtures, through the binary.

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use crate::env::{ADMIN_PW, TestEnv};

pub(crate) fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Runs `crm` and returns (exit code, stdout, stderr) whatever happened.
fn run(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env.crm(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn with_reps() -> TestEnv {
    let env = TestEnv::with_admin();
    for rep in ["asha", "ravi"] {
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
    env.ok(&["import", "campaigns", &fixture("seed-campaigns.csv")], "");
    env
}

#[test]
fn the_seed_sample_leads_import_with_spreadsheet_headers() {
    let env = with_reps();
    let out = env.ok(&["import", "leads", &fixture("seed-leads.csv")], "");
    assert!(
        out.starts_with("5 rows read: 5 inserted, 0 updated, 0 skipped, 0 invalid in "),
        "{out}"
    );
    let leads = env.json(&["leads", "list", "--sort", "name", "--asc"]);
    let rows: Vec<_> = leads
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["first_name"].as_str().unwrap().to_string(),
                l["campaign"].as_str().unwrap().to_string(),
                l["stage"].as_str().unwrap().to_string(),
                l["score"].as_i64().unwrap(),
                l["temperature"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = [
        ("Aarav", "Launch Sprint 2025", "Contacted", 45, "Warm"),
        ("Mohan", "Webinar Series Q2", "Contacted", 55, "Warm"),
        ("Priya", "Webinar Series Q2", "New", 20, "Cold"),
        ("Rahul", "Festive Cashback Promo", "Qualified", 72, "Hot"),
        ("Sneha", "Launch Sprint 2025", "Lost", 30, "Cold"),
    ];
    let expect: Vec<_> = expect
        .iter()
        .map(|(a, b, c, d, e)| ((*a).into(), (*b).into(), (*c).into(), *d, (*e).into()))
        .collect::<Vec<(String, String, String, i64, String)>>();
    assert_eq!(rows, expect);
    let campaign = env.json(&["campaigns", "show", "launch-sprint-2025"]);
    assert_eq!(campaign["metrics"]["generated_leads"], 2);
    assert_eq!(campaign["budget"], "85000.00", "\"85,000\" in the file");
}

#[test]
fn a_messy_export_with_bom_semicolons_crlf_and_quoted_line_breaks_imports() {
    let env = TestEnv::with_admin();
    let (code, out, err) = run(
        &env,
        &[
            "import",
            "leads",
            &fixture("messy-leads.csv"),
            "--delimiter",
            ";",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("4 rows read: 4 inserted"), "{out}");
    assert!(
        err.contains("ignored columns") && err.contains("Favourite Colour"),
        "extra columns are named, not dropped silently: {err}"
    );
    let leads = env.json(&["leads", "list", "--sort", "id", "--asc"]);
    let leads = leads.as_array().unwrap();
    assert_eq!(
        leads[0]["first_name"], "Kavya",
        "no BOM in the first header"
    );
    assert_eq!(leads[0]["last_name"], "Iyer", "a full-name column is split");
    assert_eq!(leads[0]["consent_email"], true);
    assert_eq!(leads[0]["job_title"], "Head of Sales");
    assert_eq!(leads[1]["company"], "SteelCore; Industries");
    assert_eq!(
        leads[1]["notes"], "Met at the expo.\nWants a quote for 40 units.",
        "a quoted CRLF inside a cell is one line break"
    );
    assert_eq!(leads[3]["first_name"], "Müller-Lüdenscheidt");
    assert_eq!(
        leads[3]["company"],
        serde_json::Value::Null,
        "empty cells are blank"
    );
}

#[test]
fn cells_other_tools_export_for_no_value_import_as_blank() {
    let env = TestEnv::with_admin();
    let csv = "First Name,Last Name,Email,Phone,Company,Job Title\n\
               Asha,null,asha@example.in,N/A,NULL,-\n\
               Ravi,Kumar,#N/A,+91 98765 11111,Acme,n/a\n";
    let done = env
        .crm(&["import", "leads", "-"])
        .write_stdin(csv)
        .output()
        .unwrap();
    let (code, out, err) = (
        done.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&done.stdout).to_string(),
        String::from_utf8_lossy(&done.stderr).to_string(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("2 rows read: 2 inserted"), "{out}");
    assert!(
        err.contains("6 cells held only null, N/A, #N/A or - and were read as blank"),
        "the summary says what was read as blank: {err}"
    );
    let leads = env.json(&["leads", "list", "--sort", "id", "--asc"]);
    let leads = leads.as_array().unwrap();
    let null = serde_json::Value::Null;
    for field in ["last_name", "phone", "company", "job_title"] {
        assert_eq!(leads[0][field], null, "{field}: {}", leads[0]);
    }
    assert_eq!(leads[1]["email"], null, "#N/A is no email: {}", leads[1]);
    assert_eq!(leads[1]["job_title"], null);
    assert_eq!(leads[1]["company"], "Acme");
}

#[test]
fn a_row_shorter_than_the_header_is_an_error_naming_both_counts() {
    let env = TestEnv::with_admin();
    let csv = "First Name,Last Name,Email,Phone,Company\n\
               Asha,Verma,asha@example.in,,Acme\n\
               Ravi,ravi@example.in\n";
    let done = env
        .crm(&["import", "leads", "-"])
        .write_stdin(csv)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(1), "{err}");
    assert!(
        err.contains("row 3: invalid: has 2 cells but the header names 5 columns"),
        "{err}"
    );
    assert_eq!(env.json(&["leads", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn one_bad_row_and_nothing_is_written_with_every_bad_row_reported() {
    let env = TestEnv::with_admin();
    let before = env.dump();
    let report = env.dir.path().join("problems.csv");
    let (code, out, err) = run(
        &env,
        &[
            "import",
            "contacts",
            &fixture("bad-contacts.csv"),
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "");
    assert_eq!(env.dump(), before, "all or nothing");
    for line in [
        "row 3, column 'first_name': invalid: is required without a last name, email or phone",
        "row 4, column 'email': invalid: 'tara-at-example.com' has no @",
        "row 4, column 'phone': invalid: 'call me' contains 'c'",
        "row 5, column 'phone': invalid: 'phone-number' contains 'p'",
        "row 6, column 'email': invalid: repeats the email of an earlier row of this file",
        "row 7: invalid: has 6 cells but the header names 5 columns",
        "7 rows read: 2 inserted, 0 updated, 0 skipped, 5 invalid",
        "error: import refused: 5 invalid row(s), so nothing was written",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
    let written = std::fs::read_to_string(&report).unwrap();
    let mut lines = written.lines();
    assert_eq!(lines.next(), Some("row,line,column,value,reason,outcome"));
    assert_eq!(
        lines.next(),
        Some("3,3,first_name,,\"is required without a last name, email or phone\",invalid"),
        "{written}"
    );
    assert_eq!(written.lines().count(), 7);

    let out = env.ok(
        &[
            "import",
            "contacts",
            &fixture("bad-contacts.csv"),
            "--skip-invalid",
        ],
        "",
    );
    assert!(
        out.starts_with("7 rows read: 2 inserted, 0 updated, 0 skipped, 5 invalid"),
        "{out}"
    );
    let contacts = env.json(&["contacts", "list"]);
    let names: Vec<_> = contacts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["first_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Neel", "Zoya"]);
}

#[test]
fn a_file_without_a_required_column_is_one_clear_error() {
    let env = TestEnv::with_admin();
    let err = env.fails(&["import", "contacts", &fixture("no-first-name.csv")], "");
    assert_eq!(
        err,
        "error: invalid first_name: no column of the file fills it (columns: Surname, Email); name one with --map COLUMN=first_name"
    );
    let out = env.ok(
        &[
            "import",
            "contacts",
            &fixture("no-first-name.csv"),
            "--map",
            "Surname=first_name",
            "--dry-run",
        ],
        "",
    );
    assert!(
        out.starts_with("dry run, nothing written: 1 rows read: 1 inserted"),
        "{out}"
    );
    assert_eq!(env.json(&["contacts", "list"]), serde_json::json!([]));
    let err = env.fails(&["import", "leads", "/no/such/file.csv"], "");
    assert!(
        err.starts_with("error: cannot open /no/such/file.csv: "),
        "{err}"
    );
    let (code, _, err) = run(&env, &["import", "contacts", "-", "--delimiter", ";;"]);
    assert_eq!(code, 2, "a usage error");
    assert!(err.contains("';;' is not one ASCII character"), "{err}");
}

#[test]
fn duplicates_by_email_error_by_default_then_skip_or_update() {
    let env = with_reps();
    env.ok(&["import", "leads", &fixture("seed-leads.csv")], "");
    let before = env.dump();
    let (code, _, err) = run(&env, &["import", "leads", &fixture("seed-leads.csv")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("row 2, column 'Email': invalid: matches lead 1 already in the CRM; pass --on-duplicate skip, update or add"),
        "{err}"
    );
    assert_eq!(env.dump(), before);

    let out = env.ok(
        &[
            "import",
            "leads",
            &fixture("seed-leads.csv"),
            "--on-duplicate",
            "skip",
        ],
        "",
    );
    assert!(
        out.starts_with("5 rows read: 0 inserted, 0 updated, 5 skipped, 0 invalid"),
        "{out}"
    );

    let changed = env.dir.path().join("changed.csv");
    std::fs::write(
        &changed,
        "email,score,Lead Stage\nRAHUL@retailworks.in,90,\npriya.menon@finedge.co,,Contacted\n",
    )
    .unwrap();
    let out = env.ok(
        &[
            "import",
            "leads",
            changed.to_str().unwrap(),
            "--on-duplicate",
            "update",
        ],
        "",
    );
    assert!(
        out.starts_with("2 rows read: 0 inserted, 2 updated"),
        "{out}"
    );
    let rahul = env.json(&["leads", "show", "3"]);
    assert_eq!(
        (rahul["score"].as_i64(), rahul["stage"].as_str()),
        (Some(90), Some("Qualified"))
    );
    let priya = env.json(&["leads", "show", "2"]);
    assert_eq!(
        (priya["score"].as_i64(), priya["stage"].as_str()),
        (Some(20), Some("Contacted"))
    );
}

#[test]
fn auto_assign_deals_imported_leads_round_robin() {
    let env = with_reps();
    env.ok(
        &[
            "import",
            "leads",
            &fixture("seed-leads.csv"),
            "--auto-assign",
        ],
        "",
    );
    let leads = env.json(&["leads", "list", "--all", "--sort", "id", "--asc"]);
    let owners: Vec<_> = leads
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["owner"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(owners, ["asha", "ravi", "asha", "ravi", "asha"]);
    let err = env.fails(
        &[
            "import",
            "contacts",
            &fixture("bad-contacts.csv"),
            "--auto-assign",
        ],
        "",
    );
    assert!(err.contains("only leads are auto-assigned"), "{err}");
}

/// The columns an import reads back; ids, times and computed figures belong to each database.
fn importable(csv: &str) -> Vec<Vec<(String, String)>> {
    const DERIVED: &[&str] = &[
        "id",
        "contact_id",
        "lead_id",
        "source_lead_id",
        "converted_contact_id",
        "deal_id",
        "created_by",
        "created_at",
        "updated_at",
        "version",
        "closed_at",
        "temperature",
        "last_contacted_at",
        "next_action_at",
        "actual_spend",
        "generated_leads",
        "hot_leads",
        "converted_leads",
        "won_deals",
        "revenue_attributed",
        "roi",
    ];
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let mut rows: Vec<_> = reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .filter(|(h, _)| !DERIVED.contains(h))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn export_then_import_into_an_empty_database_gives_the_same_records() {
    let demo = TestEnv::new();
    demo.ok(&["demo", "--no-tui"], "");
    demo.login("admin", crm_core::DEMO_PASSWORD);
    let copy = with_demo_users();
    // The demo's custom fields, defined alike: their columns come back in by their headers.
    copy.ok(
        &[
            "fields",
            "add",
            "leads",
            "Preferred plan",
            "--type",
            "choice",
            "--choices",
            "Starter,Growth,Enterprise",
        ],
        "",
    );
    copy.ok(&["fields", "add", "deals", "Demo on", "--type", "date"], "");
    for kind in ["campaigns", "contacts", "leads", "deals"] {
        let file = copy.dir.path().join(format!("{kind}.csv"));
        demo.ok(&["export", kind, "-o", file.to_str().unwrap()], "");
        let (code, out, err) = run(&copy, &["import", kind, file.to_str().unwrap()]);
        assert_eq!(code, 0, "{kind}: {err}");
        assert!(out.contains(" 0 invalid"), "{kind}: {out}");
        let original = demo.ok(&["export", kind], "");
        let again = copy.ok(&["export", kind], "");
        assert!(original.lines().count() > 4, "{kind}: the demo has records");
        assert_eq!(importable(&again), importable(&original), "{kind}");
    }
}

/// A database with the demo's users, so owners in a demo export resolve.
fn with_demo_users() -> TestEnv {
    let env = TestEnv::with_admin();
    for (user, role) in [
        ("admin", "admin"),
        ("meera", "manager"),
        ("asha", "sales_rep"),
        ("ravi", "sales_rep"),
        ("john", "support_agent"),
        ("neha", "marketer"),
    ] {
        env.ok(
            &["users", "add", user, "--role", role, "--password-stdin"],
            "pass-word-123\n",
        );
    }
    env
}

/// Logs the target's admin in with its session kept in the source's state directory, so one
/// shell pipe (`crm export | crm --db TARGET import`) runs as both.
fn log_into_target_from(source: &TestEnv, target: &TestEnv) {
    source
        .crm(&[
            "--db",
            target.db().to_str().unwrap(),
            "login",
            "root",
            "--password-stdin",
        ])
        .write_stdin(format!("{ADMIN_PW}\n"))
        .assert()
        .success();
}

/// Runs `script` in `sh` as the source's user: its database, state and clock.
fn sh_as(source: &TestEnv, script: &str) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", source.dir.path())
        .env("XDG_STATE_HOME", source.state())
        .env("CRM_DB", source.db())
        .env("CRM_NOW", crate::env::NOW)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn export_pipes_into_import_of_another_database() {
    let source = TestEnv::new();
    source.ok(&["demo", "--no-tui"], "");
    source.login("admin", crm_core::DEMO_PASSWORD);
    let target = with_demo_users();
    // Both sessions live in the source's state directory; the shell runs real pipes.
    log_into_target_from(&source, &target);
    let script = format!(
        "set -e
         '{bin}' export campaigns | '{bin}' --db '{db}' import campaigns - --on-duplicate skip >/dev/null
         '{bin}' export leads --format csv | '{bin}' --db '{db}' import leads - --on-duplicate skip",
        bin = assert_cmd::cargo::cargo_bin("crm").display(),
        db = target.db().display(),
    );
    let pipe = || {
        let out = sh_as(&source, &script);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let count = source
        .json(&["leads", "list", "--limit", "1000"])
        .as_array()
        .unwrap()
        .len();
    let first = pipe();
    assert!(
        first.starts_with(&format!(
            "{count} rows read: {count} inserted, 0 updated, 0 skipped"
        )),
        "{first}"
    );
    let second = pipe();
    assert!(
        second.starts_with(&format!(
            "{count} rows read: 0 inserted, 0 updated, {count} skipped"
        )),
        "running the pipe again adds nothing: {second}"
    );
}

/// The README's pipe, run as written, into a database that has only its admin: the demo's
/// campaigns and users are not there. Without a flag the error names the two; with
/// `--create-missing` the campaigns are made and the owners left empty, said once each.
#[test]
fn the_readme_pipe_copies_leads_into_a_fresh_database() {
    let source = TestEnv::new();
    source.ok(&["demo", "--no-tui"], "");
    source.login("admin", crm_core::DEMO_PASSWORD);
    let target = TestEnv::with_admin();
    log_into_target_from(&source, &target);
    let pipe = |flags: &str| {
        let script = format!(
            "'{bin}' export leads | '{bin}' --db '{db}' import leads - --on-duplicate skip {flags}",
            bin = assert_cmd::cargo::cargo_bin("crm").display(),
            db = target.db().display(),
        );
        sh_as(&source, &script)
    };
    let refused = pipe("");
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{err}");
    assert!(
        err.contains("--create-missing") && err.contains("--blank-missing"),
        "the error names the flags: {err}"
    );
    assert_eq!(target.json(&["leads", "list"]).as_array().unwrap().len(), 0);

    let copied = pipe("--create-missing");
    let (out, err) = (
        String::from_utf8_lossy(&copied.stdout),
        String::from_utf8_lossy(&copied.stderr),
    );
    assert!(copied.status.success(), "{err}");
    // `export leads` writes the leads `leads list` shows: converted ones left out.
    let count = source
        .json(&["leads", "list", "--limit", "1000"])
        .as_array()
        .unwrap()
        .len();
    assert!(
        out.starts_with(&format!("{count} rows read: {count} inserted")),
        "{out}"
    );
    assert!(
        err.contains("campaigns made for the rows that name them: ")
            && err.contains("Festive Cashback Promo"),
        "{err}"
    );
    assert!(
        err.contains("not in this database, left empty: owner 'asha' ("),
        "{err}"
    );
    let campaigns = target.json(&["campaigns", "list"]);
    let names: Vec<&str> = campaigns
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Launch Sprint 2025"), "{names:?}");
    let leads = target.json(&["leads", "list", "--all", "--limit", "1000"]);
    assert!(
        leads
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["owner"].is_null()),
        "owners this database lacks are left empty"
    );
}

#[test]
fn exported_cells_are_guarded_against_formulas_unless_raw_and_import_undoes_it() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "--company",
            "@SUM(1+1)",
            "--phone",
            "+91 98765 43120",
        ],
        "",
    );
    let safe = env.ok(&["export", "contacts"], "");
    let row = safe.lines().nth(1).unwrap();
    assert!(
        row.contains(r#""'=HYPERLINK(""http://evil.example"",""x"")""#),
        "{row}"
    );
    assert!(
        row.contains(",'@SUM(1+1),") && row.contains(",'+91 98765 43120,"),
        "{row}"
    );
    let raw = env.ok(&["export", "contacts", "--raw"], "");
    assert!(raw.lines().nth(1).unwrap().contains(",@SUM(1+1),"), "{raw}");

    let copy = TestEnv::with_admin();
    let file = copy.dir.path().join("contacts.csv");
    std::fs::write(&file, &safe).unwrap();
    copy.ok(&["import", "contacts", file.to_str().unwrap()], "");
    let contact = copy.json(&["contacts", "show", "1"]);
    assert_eq!(
        contact["first_name"],
        "=HYPERLINK(\"http://evil.example\",\"x\")"
    );
    assert_eq!(contact["company"], "@SUM(1+1)");
    assert_eq!(contact["phone"], "+91 98765 43120");
}

#[test]
fn export_writes_json_and_json_lines_and_private_files() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", crm_core::DEMO_PASSWORD);
    let all: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "tickets", "--all", "--format", "json"], ""))
            .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 4);
    let lines = env.ok(&["export", "activity", "--format", "jsonl"], "");
    let feed: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        feed.len() > 500,
        "more than one page of the feed: {}",
        feed.len()
    );
    let ids: std::collections::HashSet<_> =
        feed.iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), feed.len(), "no row twice across pages");
    let file = env.dir.path().join("tasks.csv");
    env.ok(&["export", "tasks", "-o", file.to_str().unwrap()], "");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("id,title,kind,due_at")
    );
}

#[test]
fn an_import_killed_half_way_leaves_the_database_as_it_was() {
    let env = with_reps();
    let before = env.dump();
    let mut child = env
        .process(&["import", "leads", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "first_name,email").unwrap();
    for i in 0..3000 {
        writeln!(stdin, "Lead{i},lead{i}@example.com").unwrap();
    }
    stdin.flush().unwrap();
    // The importer has read and inserted rows inside its transaction and waits for more.
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert_eq!(env.dump(), before);
    assert_eq!(env.json(&["leads", "list"]), serde_json::json!([]));
}

/// A Salesforce-style export: its lead statuses, sources and opportunity stages import as
/// ours; a value nobody knows is named once with its rows and the `--map-value` that maps it.
#[test]
fn another_crms_standard_values_import_and_unknown_ones_say_how_to_map_them() {
    let env = TestEnv::with_admin();
    let leads = "First Name,Last Name,Email,Lead Status,Lead Source\n\
                 Ann,Rao,ann@x.in,Working - Contacted,Phone Inquiry\n\
                 Bo,Sen,bo@x.in,Hot,Web\n\
                 Cy,Das,cy@x.in,Hot,Trade Show\n";
    let out = env
        .crm(&["import", "leads", "-"])
        .write_stdin(leads)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        said.contains(
            "stage 'Hot' is unknown on 2 row(s) (3, 4): add --map-value 'Lead Status:Hot=OURS' \
             with OURS one of New, Contacted, Qualified, Lost"
        ),
        "{said}"
    );
    env.ok(
        &[
            "import",
            "leads",
            "-",
            "--map-value",
            "Lead Status:Hot=Qualified",
        ],
        leads,
    );
    let listed = env.json(&["leads", "list"]);
    let mut seen: Vec<(String, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["stage"].as_str().unwrap().to_string(),
                l["source"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("Contacted".to_string(), "Cold call".to_string()),
            ("Qualified".to_string(), "Event".to_string()),
            ("Qualified".to_string(), "Website".to_string()),
        ]
    );

    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "Ann",
            "--email",
            "ann@x.in",
        ],
        "",
    );
    let deals = "Opportunity Name,Contact Email,Amount,Stage\n\
                 Ann's flat,ann@x.in,85000,Closed Won\n\
                 Ann's villa,ann@x.in,90000,Negotiation/Review\n";
    env.ok(&["import", "deals", "-"], deals);
    let stages: Vec<String> = env
        .json(&["deals", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["stage"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stages.len(), 2);
    assert!(stages.contains(&"Won".to_string()), "{stages:?}");
    assert!(stages.contains(&"Negotiation".to_string()), "{stages:?}");
}

/// A file separated by another delimiter than the one asked for is refused with the flag that
/// reads it, and reads with it (issue 21, item 6).
#[test]
fn another_delimiter_is_named_with_the_flag_that_reads_it() {
    let env = TestEnv::with_admin();
    for (text, flag, words) in [
        (
            "first_name;email\nAsha;asha@x.in\n",
            ";",
            "separated by ';'; pass --delimiter ';'",
        ),
        (
            "first_name\temail\nBo\tbo@x.in\n",
            "tab",
            "separated by tabs; pass --delimiter tab",
        ),
        (
            "first_name|email\nCy|cy@x.in\n",
            "|",
            "separated by '|'; pass --delimiter '|'",
        ),
    ] {
        let err = env.fails(&["import", "leads", "-"], text);
        assert!(err.contains(words), "{err}");
        env.ok(&["import", "leads", "-", "--delimiter", flag], text);
    }
    assert_eq!(env.json(&["leads", "list"]).as_array().unwrap().len(), 3);
}
