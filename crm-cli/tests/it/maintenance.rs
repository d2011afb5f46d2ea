//! `crm backup`, `crm restore`, `crm doctor` and the durability setting, through the binary.

use crate::env::{ADMIN_PW, TestEnv, dump};

#[test]
fn backup_then_restore_undoes_later_work_and_ends_the_session() {
    let env = TestEnv::with_admin();
    env.ok(&["leads", "add", "--first-name", "Before"], "");
    let backup = env.dir.path().join("nightly.db");
    let out = env.ok(&["backup", backup.to_str().unwrap()], "");
    assert!(out.starts_with(&format!(
        "Backed up {} to {}",
        env.db().display(),
        backup.display()
    )));
    env.ok(&["leads", "add", "--first-name", "After"], "");
    let err = env.fails(&["restore", backup.to_str().unwrap()], "");
    assert_eq!(
        err,
        "error: refusing to restore without confirmation; pass --yes"
    );
    let out = env.ok(&["restore", backup.to_str().unwrap(), "--yes"], "");
    assert!(
        out.contains("every session ended (1), log in again"),
        "{out}"
    );
    assert_eq!(
        env.fails(&["leads", "list"], ""),
        "error: not logged in (no session, or it expired or was revoked); run `crm login`"
    );
    env.login("root", ADMIN_PW);
    let names: Vec<String> = env
        .json(&["leads", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["first_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Before"]);
    let feed = env.ok(&["activity", "--limit", "1"], "");
    assert!(feed.contains("restored the database from"), "{feed}");
}

#[test]
fn restore_of_a_damaged_backup_is_refused_with_one_line_and_changes_nothing() {
    let env = TestEnv::with_admin();
    let backup = env.dir.path().join("b.db");
    env.ok(&["backup", backup.to_str().unwrap()], "");
    let mut bytes = std::fs::read(&backup).unwrap();
    let len = bytes.len();
    bytes.truncate(len / 2);
    std::fs::write(&backup, &bytes).unwrap();
    let before = dump(&env.db());
    let err = env.fails(&["restore", backup.to_str().unwrap(), "--yes"], "");
    assert!(
        err.starts_with(&format!(
            "error: invalid backup: {} refused, nothing changed:",
            backup.display()
        )),
        "{err}"
    );
    assert_eq!(dump(&env.db()), before);
    assert!(err.ends_with("database disk image is malformed"), "{err}");
    let err = env.fails(&["restore", "/nonexistent/b.db", "--yes"], "");
    assert_eq!(err, "error: invalid backup: no file at /nonexistent/b.db");
}

#[test]
fn a_backup_restores_into_a_new_database_without_a_session() {
    let env = TestEnv::with_admin();
    let backup = env.dir.path().join("b.db");
    env.ok(&["backup", backup.to_str().unwrap()], "");
    let other = env.dir.path().join("elsewhere.db");
    let out = env.ok(
        &[
            "--db",
            other.to_str().unwrap(),
            "restore",
            backup.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        out.starts_with(&format!("Restored {}", other.display())),
        "{out}"
    );
    env.ok(
        &[
            "--db",
            other.to_str().unwrap(),
            "login",
            "root",
            "--password-stdin",
        ],
        &format!("{ADMIN_PW}\n"),
    );
}

#[test]
fn doctor_passes_a_healthy_database_and_exits_1_naming_what_failed() {
    let env = TestEnv::with_admin();
    let out = env.ok(&["doctor"], "");
    assert!(out.contains("integrity         ok"), "{out}");
    let checks = env.json(&["doctor"]);
    assert_eq!(checks["checks"].as_array().unwrap().len(), 12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = env.crm(&["doctor"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("permissions       failed"), "{stdout}");
        assert_eq!(
            String::from_utf8(out.stderr).unwrap().trim_end(),
            format!("error: 1 of 11 checks failed in {}", env.db().display())
        );
    }
}

#[test]
fn backup_is_for_admins_and_a_bad_durability_setting_is_named() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.login("asha", "asha-password-1");
    let err = env.fails(&["backup", "x.db"], "");
    assert_eq!(
        err,
        "error: permission denied: sales_rep 'asha' may not back up the database (needs role admin)"
    );
    let out = env
        .crm(&["whoami"])
        .env("CRM_SYNCHRONOUS", "fast")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap().trim_end(),
        "error: CRM_SYNCHRONOUS: unknown durability 'fast' (expected one of: full, normal)"
    );
    env.crm(&["whoami"])
        .env("CRM_SYNCHRONOUS", "normal")
        .assert()
        .success();
}

#[test]
fn privacy_export_is_one_json_document_and_erase_asks_first() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Aarav",
            "--email",
            "aarav@techverse.in",
        ],
        "",
    );
    let doc: serde_json::Value =
        serde_json::from_str(&env.ok(&["privacy", "export", "--email", "AARAV@techverse.in"], ""))
            .unwrap();
    assert_eq!(doc["leads"][0]["first_name"], "Aarav");
    assert_eq!(doc["activities"].as_array().unwrap().len(), 1);
    assert_eq!(
        env.fails(&["privacy", "erase", "--email", "aarav@techverse.in"], ""),
        "error: refusing to erase without confirmation; pass --yes"
    );
    let out = env.ok(
        &["privacy", "erase", "--email", "aarav@techverse.in", "--yes"],
        "",
    );
    assert!(
        out.starts_with("Erased aarav@techverse.in: 1 leads"),
        "{out}"
    );
    assert_eq!(
        env.fails(
            &[
                "leads",
                "add",
                "--first-name",
                "A",
                "--email",
                "aarav@techverse.in"
            ],
            ""
        ),
        "error: invalid email: 'aarav@techverse.in' was erased on request and may not be stored again"
    );
}
