//! Red-team item 5: `CRM_NOW` pinned the clock in every build, so anyone could log in to a
//! locked account by setting it 40 minutes ahead, or date an audit row in 2019. Only a test
//! build honours it; a release says it ignores it and uses the real clock.

use std::path::PathBuf;
use std::process::Command;

/// The release binary `.ci/run` builds before the tests (`cargo build --release`).
fn release_binary() -> Option<PathBuf> {
    let debug = assert_cmd::cargo::cargo_bin("crm");
    let release = debug.parent()?.parent()?.join("release").join("crm");
    release.exists().then_some(release)
}

fn demo(binary: &std::path::Path, dir: &std::path::Path) -> std::process::Output {
    Command::new(binary)
        .args(["demo", "--no-tui"])
        .env_clear()
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("CRM_DB", dir.join("crm.db"))
        .env("CRM_NOW", "2019-01-01T00:00:00Z")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn oldest_activity(dir: &std::path::Path) -> String {
    crm_core::testing::rows(&dir.join("crm.db"), "SELECT min(at) FROM activities")[0][0].clone()
}

#[test]
fn a_release_build_ignores_crm_now_and_a_test_build_honours_it() {
    let test_build = tempfile::tempdir().unwrap();
    let out = demo(&assert_cmd::cargo::cargo_bin("crm"), test_build.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(oldest_activity(test_build.path()).contains("2019-01-01"));

    let Some(release) = release_binary() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI builds target/release/crm before the tests; it is missing"
        );
        eprintln!("skipped: no target/release/crm (run `cargo build --release` first)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = demo(&release, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: CRM_NOW is ignored: only test builds let the clock be set"),
        "{stderr}"
    );
    let oldest = oldest_activity(dir.path());
    assert!(
        !oldest.starts_with("2019"),
        "the release wrote an audit row dated {oldest}"
    );
}

/// Issue 20: "tomorrow" and "now" were read from the machine's clock in the CLI while every
/// service used the pinned one; now one rule in crm-core reads them against the service clock.
#[test]
fn times_typed_in_the_cli_are_read_against_the_service_clock() {
    let env = crate::env::TestEnv::with_admin();
    let task = env.json(&["tasks", "add", "Call back", "--due", "tomorrow"]);
    assert_eq!(task["due_at"], "2026-03-02T09:00:00Z", "{task}");
    let task = env.json(&["tasks", "add", "Right now", "--due", "now"]);
    assert_eq!(task["due_at"], "2026-03-01T09:00:00Z", "{task}");
    // A usage error: exit 2, with the forms a time may take.
    let out = env
        .crm(&["tasks", "add", "Later", "--due", "soon"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("'soon' is not a time like"), "{err}");
}
