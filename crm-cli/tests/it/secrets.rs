//! Passwords and session tokens stay secret.

use crate::env::{ADMIN_PW, TestEnv};

#[test]
fn passwords_never_reach_the_database_or_any_output() {
    let env = TestEnv::new();
    let mut outputs = String::new();
    let mut run = |args: &[&str], stdin: &str| {
        let out = env.crm(args).write_stdin(stdin).output().unwrap();
        outputs.push_str(&String::from_utf8_lossy(&out.stdout));
        outputs.push_str(&String::from_utf8_lossy(&out.stderr));
    };
    run(
        &["init", "--username", "root", "--password-stdin"],
        ADMIN_PW,
    );
    run(&["login", "root", "--password-stdin"], ADMIN_PW);
    run(
        &[
            "users",
            "add",
            "asha",
            "--role",
            "sales_rep",
            "--password-stdin",
            "--output",
            "json",
        ],
        "asha-secret-77\n",
    );
    run(&["users", "list", "--output", "json"], "");
    run(&["users", "show", "asha", "--output", "csv"], "");
    run(&["login", "asha", "--password-stdin"], "wrong-secret-88\n");
    for secret in [ADMIN_PW, "asha-secret-77", "wrong-secret-88", "argon2"] {
        assert!(!outputs.contains(secret), "{secret} leaked into output");
    }
    let db = std::fs::read(env.db()).unwrap();
    for secret in [ADMIN_PW, "asha-secret-77", "wrong-secret-88"] {
        assert!(
            !db.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} is in the database file"
        );
    }
}

#[test]
fn there_is_no_way_to_pass_a_password_in_argv() {
    let env = TestEnv::new();
    let out = env
        .crm(&["init", "--username", "root", "--password", ADMIN_PW])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!env.db().exists());
}

#[cfg(unix)]
#[test]
fn the_session_file_and_database_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::with_admin();
    let sessions = env.state().join("crm").join("sessions");
    let files: Vec<_> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(&env.db()), 0o600);
    // The token in the file is not what the database stores.
    let token = std::fs::read_to_string(&files[0]).unwrap();
    assert!(token.starts_with("crm_") && token.len() == 68);
    assert!(!env.dump().contains(&token[4..]));
}

#[test]
fn stored_escape_sequences_never_reach_the_terminal() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "Priya",
            "--company",
            "FinEdge",
        ],
        "",
    );
    // Planted behind the services' back, as another tool or an old import might have written it.
    crm_core::testing::execute(
        &env.db(),
        "UPDATE contacts SET company = 'Fin' || char(27) || ']0;pwned' || char(7) || 'Edge' || char(27) || '[2J',
                             last_name = 'Me' || char(10) || 'non' || char(8238)",
    );
    for args in [&["contacts", "list"][..], &["contacts", "show", "1"]] {
        let out = env.ok(args, "");
        assert!(out.contains("FinEdge"), "{out}");
        assert!(
            !out.chars()
                .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
            "{out:?}"
        );
    }
}

/// Red-team item 9: `export -o` onto an existing 0644 file kept 0644 and followed a symlink,
/// `--report` files were made 0644 though they quote rejected rows, and `backup --force` as
/// root replaced a device node with a file. Files of customer data are 0600, a link or
/// anything but a regular file is refused, and what it points at is untouched.
#[cfg(unix)]
#[test]
fn files_of_customer_data_are_private_and_never_written_through_a_link_or_over_a_device() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Kavya",
            "--email",
            "kavya@example.in",
        ],
        "",
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = env.dir.path();

    let export = dir.join("leads.csv");
    std::fs::write(&export, "old").unwrap();
    std::fs::set_permissions(&export, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.ok(&["export", "leads", "-o", export.to_str().unwrap()], "");
    assert_eq!(
        mode(&export),
        0o600,
        "an export onto a 0644 file stays 0644"
    );
    assert!(
        std::fs::read_to_string(&export)
            .unwrap()
            .contains("kavya@example.in")
    );

    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "someone else's file").unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let err = env.fails(&["export", "leads", "-o", link.to_str().unwrap()], "");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "someone else's file"
    );

    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "first_name,email\n,not-an-email\nAsha,asha@example.in\n",
    )
    .unwrap();
    let report = dir.join("report.csv");
    env.ok(
        &[
            "import",
            "leads",
            bad.to_str().unwrap(),
            "--skip-invalid",
            "--report",
            report.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(mode(&report), 0o600, "the report quotes rejected rows");
    let err = env.fails(
        &[
            "import",
            "leads",
            bad.to_str().unwrap(),
            "--dry-run",
            "--report",
            link.to_str().unwrap(),
        ],
        "",
    );
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "someone else's file"
    );

    let fifo = dir.join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let err = env.fails(&["backup", fifo.to_str().unwrap(), "--force"], "");
    assert!(err.contains("is not a regular file"), "{err}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    let err = env.fails(&["backup", link.to_str().unwrap(), "--force"], "");
    assert!(err.contains("is not a regular file"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "someone else's file"
    );
}
