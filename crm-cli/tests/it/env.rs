//! `TestEnv`: a temporary database, HOME and state directory, a fixed clock and no colour.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub(crate) const ADMIN_PW: &str = "admin-password-1";
pub(crate) const NOW: &str = "2026-03-01T09:00:00Z";

pub(crate) struct TestEnv {
    pub(crate) dir: TempDir,
    /// A PostgreSQL database's URL in place of the SQLite file.
    url: Option<String>,
}

impl TestEnv {
    pub(crate) fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().unwrap(),
            url: None,
        }
    }

    /// As [`TestEnv::new`] on a new PostgreSQL database (`None`, said on stderr, when there
    /// is no PostgreSQL to test on outside CI).
    pub(crate) fn postgres(test: &str) -> Option<TestEnv> {
        Some(TestEnv {
            dir: tempfile::tempdir().unwrap(),
            url: Some(crm_core::testing::postgres::database(test)?),
        })
    }

    /// A fresh database with an admin "root", logged in.
    pub(crate) fn with_admin() -> TestEnv {
        let env = TestEnv::new();
        env.ok(
            &[
                "init",
                "--username",
                "root",
                "--display-name",
                "Root Admin",
                "--password-stdin",
            ],
            ADMIN_PW,
        );
        env.login("root", ADMIN_PW);
        env
    }

    pub(crate) fn db(&self) -> PathBuf {
        match &self.url {
            Some(url) => PathBuf::from(url),
            None => self.dir.path().join("crm.db"),
        }
    }

    pub(crate) fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    pub(crate) fn crm(&self, args: &[&str]) -> Command {
        Command::from_std(self.process(args))
    }

    /// The same command as a plain process, for tests that stream its input or kill it.
    pub(crate) fn process(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("crm"));
        cmd.args(args)
            .env_clear()
            .env("HOME", self.dir.path())
            .env("XDG_STATE_HOME", self.state())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("CRM_DB", self.db())
            .env("CRM_NOW", NOW)
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs a command that must succeed; returns its stdout.
    pub(crate) fn ok(&self, args: &[&str], stdin: &str) -> String {
        let out = self.crm(args).write_stdin(stdin).output().unwrap();
        assert!(
            out.status.success(),
            "crm {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail with exit code 1 and exactly one line on stderr; returns it.
    pub(crate) fn fails(&self, args: &[&str], stdin: &str) -> String {
        let out = self.crm(args).write_stdin(stdin).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "crm {args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        stderr.trim_end().to_string()
    }

    /// Adds a user with `role` through the CLI (as the logged-in admin); the password is
    /// `<username>-password-1`.
    pub(crate) fn add_user(&self, username: &str, role: &str) {
        self.ok(
            &["users", "add", username, "--role", role, "--password-stdin"],
            &format!("{username}-password-1\n"),
        );
    }

    pub(crate) fn login(&self, username: &str, password: &str) {
        self.ok(
            &["login", username, "--password-stdin"],
            &format!("{password}\n"),
        );
    }

    pub(crate) fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--output", "json"]);
        serde_json::from_str(&self.ok(&all, "")).unwrap()
    }

    /// Every row of the database, to prove a refused command changed nothing.
    pub(crate) fn dump(&self) -> String {
        dump(&self.db())
    }
}

pub(crate) fn dump(db: &Path) -> String {
    crm_core::testing::dump(db)
}
