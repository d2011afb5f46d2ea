//! The `crm` command on a PostgreSQL database (`--db postgres://…`): the same commands and
//! answers as on a SQLite file, `doctor` checking it, and `backup` naming PostgreSQL's tool.

use crate::env::{ADMIN_PW, TestEnv};

/// An admin "root" logged in on a new PostgreSQL database.
fn postgres_with_admin(test: &str) -> Option<TestEnv> {
    let env = TestEnv::postgres(test)?;
    env.ok(
        &["init", "--username", "root", "--password-stdin"],
        ADMIN_PW,
    );
    env.login("root", ADMIN_PW);
    Some(env)
}

#[test]
fn every_day_commands_work_on_postgres() {
    let Some(env) = postgres_with_admin("every_day_commands_work_on_postgres") else {
        return;
    };
    env.ok(
        &[
            "users",
            "add",
            "asha",
            "--role",
            "sales_rep",
            "--password-stdin",
        ],
        "asha-password-1",
    );
    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Priya",
            "--last-name",
            "Nair",
            "--email",
            "priya@acme.in",
            "--company",
            "Acme",
            "--score",
            "82",
            "--auto-assign",
        ],
        "",
    );
    let leads = env.json(&["leads", "list"]);
    assert_eq!(leads[0]["first_name"], "Priya");
    assert_eq!(leads[0]["owner"], "asha", "round-robin gave it to the rep");
    assert_eq!(leads[0]["temperature"], "Hot");

    let hits = env.json(&["search", "pri"]);
    assert_eq!(hits[0]["title"], "Priya Nair", "{hits}");

    let report = env.ok(&["report", "marketing"], "");
    assert!(report.contains("Leads 1   Hot 1"), "{report}");

    // Bad input is refused the same way, naming the field.
    let said = env.fails(&["leads", "add", "--first-name", "X", "--score", "101"], "");
    assert_eq!(said, "error: invalid score: 101 is outside 0..=100");

    let doctor = env.ok(&["doctor"], "");
    assert!(doctor.contains("CRM database on PostgreSQL"), "{doctor}");

    let said = env.fails(&["backup", "crm-copy.db"], "");
    assert!(said.contains("pg_dump --format=custom"), "{said}");
}

#[test]
fn an_export_from_postgres_imports_into_a_sqlite_file_the_same() {
    let Some(env) = postgres_with_admin("an_export_from_postgres_imports") else {
        return;
    };
    for (first, email) in [("Aarav", "aarav@x.in"), ("Diya", "diya@y.in")] {
        env.ok(
            &[
                "contacts",
                "add",
                "--first-name",
                first,
                "--email",
                email,
                "--company",
                "Acme",
            ],
            "",
        );
    }
    let csv = env.ok(&["export", "contacts"], "");
    let file = TestEnv::with_admin();
    let report = file.ok(&["import", "contacts", "-"], &csv);
    assert!(report.contains('2'), "{report}");
    let back = file.ok(&["export", "contacts"], "");
    let rows = |text: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').skip(1).take(6).collect::<Vec<_>>().join(","))
            .collect()
    };
    assert_eq!(rows(&back), rows(&csv), "the same people, field for field");
}

#[test]
fn the_server_answers_from_postgres_and_stops_cleanly() {
    use crate::serve::{Server, login};
    let Some(env) = postgres_with_admin("the_server_answers_from_postgres") else {
        return;
    };
    let server = Server::start(&env);
    let token = login(&server, "root", ADMIN_PW);
    let (status, made) = server.post(
        "/api/v1/leads",
        &token,
        &serde_json::json!({"first_name": "Net", "email": "net@lead.in", "score": 75}),
    );
    assert_eq!(status, 201, "{made}");
    let (status, page) = server.get("/api/v1/leads", &token);
    assert_eq!(status, 200);
    assert_eq!(page["items"][0]["email"], "net@lead.in");
    assert_eq!(page["items"][0]["temperature"], "Hot");
    let status = server.stop();
    // Its PostgreSQL connections close after the runtime: a client closed inside it aborted
    // the process.
    assert!(status.success(), "{status:?}");
}

#[test]
fn crm_migrate_moves_a_sqlite_crm_to_postgres_with_every_record() {
    let Some(url) = crm_core::testing::postgres::database("crm_migrate_moves_a_sqlite_crm") else {
        return;
    };
    let file = TestEnv::with_admin();
    for (first, email) in [("Aarav", "aarav@x.in"), ("Diya", "diya@y.in")] {
        file.ok(
            &[
                "leads",
                "add",
                "--first-name",
                first,
                "--email",
                email,
                "--score",
                "75",
            ],
            "",
        );
    }
    let said = file.ok(&["migrate", "--to", &url], "");
    assert!(
        said.contains("every table counts the same on both sides"),
        "{said}"
    );

    let moved = file
        .crm(&["--db", &url, "login", "root", "--password-stdin"])
        .write_stdin(ADMIN_PW)
        .output()
        .unwrap();
    assert!(moved.status.success());
    let export = |db: &str| file.ok(&["--db", db, "export", "leads"], "");
    let here = file.db().display().to_string();
    assert_eq!(export(&url), export(&here), "the same leads, byte for byte");

    // Again into the same database: it holds a CRM now, and nothing is written.
    let again = file.fails(&["migrate", "--to", &url], "");
    assert_eq!(
        again,
        "error: the target already holds a CRM; copy into an empty database"
    );
}
