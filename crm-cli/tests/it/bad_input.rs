//! Bad input: a one-line error naming the problem, exit code 1 (2 for usage), and no change.

use crate::env::{ADMIN_PW, TestEnv};

#[test]
fn refused_commands_name_the_problem_and_change_nothing() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.ok(&["contacts", "add", "--first-name", "Aarav"], "");
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["contacts", "add", "--first-name", " "],
            "",
            "error: invalid first name: is required without a last name, email or phone",
        ),
        (
            &[
                "contacts",
                "add",
                "--first-name",
                "A",
                "--email",
                "aarav.techverse.in",
            ],
            "",
            "error: invalid email: 'aarav.techverse.in' has no @",
        ),
        (
            &["contacts", "add", "--first-name", "A", "--phone", "call me"],
            "",
            "error: invalid phone: 'call me' contains 'c'; use digits, spaces, - ( ) and a leading +",
        ),
        (
            &["contacts", "add", "--first-name", "A", "--owner", "ghost"],
            "",
            "error: invalid owner: no user named 'ghost'",
        ),
        (
            &["contacts", "edit", "1"],
            "",
            "error: invalid changes: nothing to change; name at least one field",
        ),
        (
            &["contacts", "show", "99"],
            "",
            "error: contact 99 not found",
        ),
        (
            &["contacts", "delete", "1"],
            "",
            "error: refusing to delete without confirmation; pass --yes",
        ),
        (
            &[
                "users",
                "add",
                "ASHA",
                "--role",
                "manager",
                "--password-stdin",
            ],
            "another-pass-1\n",
            "error: username 'asha' is already taken",
        ),
        (
            &[
                "users",
                "add",
                "kiran",
                "--role",
                "manager",
                "--password-stdin",
            ],
            "short\n",
            "error: invalid password: must be at least 8 characters",
        ),
        (
            &["users", "disable", "root"],
            "",
            "error: 'root' is the last active admin; make another admin first",
        ),
        (
            &["users", "show", "ghost"],
            "",
            "error: user 'ghost' not found",
        ),
    ];
    for (args, stdin, expected) in cases {
        let before = env.dump();
        assert_eq!(&env.fails(args, stdin), expected, "{args:?}");
        assert_eq!(env.dump(), before, "{args:?} changed the database");
    }
}

#[test]
fn unknown_enum_values_are_usage_errors_listing_the_valid_values() {
    let env = TestEnv::with_admin();
    let before = env.dump();
    let out = env
        .crm(&[
            "users",
            "add",
            "kiran",
            "--role",
            "boss",
            "--password-stdin",
        ])
        .write_stdin("password-123\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("unknown role 'boss' (expected one of: admin, manager, sales_rep, support_agent, marketer)"),
        "{stderr}"
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn wrong_password_then_lock_out() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    let unknown = env.fails(&["login", "nobody", "--password-stdin"], "whatever-123\n");
    assert_eq!(
        unknown,
        "error: invalid username or password (5 failed logins in a row lock an account for 15 \
         minutes); an admin can unlock an account with `crm users passwd`"
    );
    for _ in 0..5 {
        assert_eq!(
            env.fails(&["login", "asha", "--password-stdin"], "wrong-pass-1\n"),
            unknown
        );
    }
    // Locked now: the right password is refused in the same words, naming no account.
    let still = env.fails(&["login", "asha", "--password-stdin"], "asha-password-1\n");
    assert_eq!(still, unknown);
    assert_eq!(
        crm_core::testing::count(
            &env.db(),
            "SELECT count(*) FROM activities WHERE verb = 'locked'"
        ),
        1,
        "the lock-out is in the feed"
    );
}

#[test]
fn commands_need_a_login_and_admin_commands_need_an_admin() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.ok(&["logout"], "");
    let before = env.dump();
    assert_eq!(
        env.fails(&["contacts", "list"], ""),
        "error: not logged in (no session, or it expired or was revoked); run `crm login`"
    );
    assert_eq!(env.dump(), before);

    env.login("asha", "asha-password-1");
    let before = env.dump();
    for args in [
        &["users", "list"][..],
        &["users", "disable", "root"],
        &["users", "add", "x", "--role", "admin", "--password-stdin"],
    ] {
        let err = env.fails(args, "password-1234\n");
        assert!(
            err.contains("permission denied: sales_rep 'asha' may not")
                && err.contains("(needs role admin)"),
            "{err}"
        );
    }
    assert_eq!(env.dump(), before);
}

#[test]
fn commands_other_than_init_and_demo_need_an_existing_database() {
    let env = TestEnv::new();
    let err = env.fails(&["contacts", "list"], "");
    assert!(
        err.contains("no database at") && err.contains("crm init"),
        "{err}"
    );
    assert!(!env.db().exists());
}

#[test]
fn init_twice_is_refused() {
    let env = TestEnv::with_admin();
    let before = env.dump();
    let err = env.fails(
        &["init", "--username", "other", "--password-stdin"],
        ADMIN_PW,
    );
    assert!(err.contains("already has users"), "{err}");
    assert_eq!(env.dump(), before);
}

#[test]
fn a_refused_init_leaves_no_database_behind() {
    let env = TestEnv::new();
    let err = env.fails(
        &["init", "--username", "bad name", "--password-stdin"],
        ADMIN_PW,
    );
    assert!(err.contains("invalid username"), "{err}");
    assert!(!env.db().exists());
    let err = env.fails(
        &["init", "--username", "root", "--password-stdin"],
        "short\n",
    );
    assert_eq!(
        err,
        "error: invalid password: must be at least 8 characters"
    );
    assert!(!env.db().exists());
}

/// Every list's `--limit` is checked by one rule with one message, before anything runs
/// (issue 28, item 10: `leads list` said "outside 1..=1000", others took 0 or 5000 silently).
#[test]
fn every_limit_is_one_range_said_one_way() {
    let env = TestEnv::with_admin();
    for list in [
        "leads list",
        "contacts list",
        "companies list",
        "deals list",
        "tickets list",
        "tasks list",
        "activity",
        "merges list",
        "import history",
        "outbox list",
        "webhooks deliveries",
    ] {
        for bad in ["0", "1001", "-1", "ten"] {
            let mut args: Vec<&str> = list.split(' ').collect();
            let flag = format!("--limit={bad}");
            args.push(&flag);
            let out = env.crm(&args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{list} {flag}: {stderr}");
            assert!(
                stderr.starts_with(&format!(
                    "error: invalid value '{bad}' for '--limit <LIMIT>': expected a whole number \
                     from 1 to 1000"
                )),
                "{list} {flag}: {stderr}"
            );
        }
        let mut args: Vec<&str> = list.split(' ').collect();
        args.push("--limit=1000");
        env.ok(&args, "");
    }
    let out = env.crm(&["search", "a", "--limit=201"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("expected a whole number from 1 to 200"),
        "{out:?}"
    );
}

/// A usage error names what is missing and shows the command's own usage, not a global
/// option as if it were required (issue 28, item 10).
#[test]
fn a_missing_reason_names_it_and_shows_the_commands_usage() {
    let env = TestEnv::with_admin();
    let out = env.crm(&["deals", "lost", "5"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--reason <REASON>"), "{stderr}");
    assert!(
        stderr.contains("Usage: crm deals lost --reason <REASON> <ID>"),
        "{stderr}"
    );
    assert!(!stderr.contains("--db"), "{stderr}");
}
