//! A temporary database with an admin and a user of every other role.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use crm_core::{Actor, Clock, Crm, NewUser, Role};
use tempfile::TempDir;

pub(crate) const PASSWORD: &str = "s3cret-pass-word";

pub(crate) struct Env {
    _dir: TempDir,
    pub(crate) path: PathBuf,
    pub(crate) crm: Crm,
    pub(crate) admin: Actor,
}

pub(crate) fn start() -> DateTime<Utc> {
    "2026-03-01T09:00:00Z".parse().unwrap()
}

impl Env {
    /// A new SQLite file, or with `CRM_TEST_ENGINE=postgres` a new PostgreSQL database (to
    /// run the whole suite on the second engine).
    pub(crate) fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let path = match std::env::var("CRM_TEST_ENGINE").as_deref() {
            Ok("postgres") => PathBuf::from(
                crm_core::testing::postgres::database("Env::new").expect("a PostgreSQL server"),
            ),
            _ => dir.path().join("crm.db"),
        };
        Env::at_path(dir, path)
    }

    /// As [`Env::new`], on a new PostgreSQL database of its own (`None`, said on stderr, when
    /// there is no PostgreSQL to test on outside CI).
    pub(crate) fn postgres(test: &str) -> Option<Env> {
        let url = crm_core::testing::postgres::database(test)?;
        Some(Env::at_path(
            tempfile::tempdir().unwrap(),
            PathBuf::from(url),
        ))
    }

    /// As [`Env::demo`], on a new PostgreSQL database (`None` as [`Env::postgres`]).
    pub(crate) fn postgres_demo(test: &str, history: bool) -> Option<Env> {
        let url = crm_core::testing::postgres::database(test)?;
        let path = PathBuf::from(url);
        let crm = Crm::open_with_clock(&path, Clock::Fixed(start())).unwrap();
        crm.load_demo(history).unwrap();
        let (admin, _) = crm.login("admin", crm_core::DEMO_PASSWORD).unwrap();
        Some(Env {
            _dir: tempfile::tempdir().unwrap(),
            path,
            crm,
            admin,
        })
    }

    fn at_path(dir: TempDir, path: PathBuf) -> Env {
        let crm = Crm::open_with_clock(&path, Clock::Fixed(start())).unwrap();
        crm.bootstrap_admin(&new_user("root", None), PASSWORD)
            .unwrap();
        let (admin, _) = crm.login("root", PASSWORD).unwrap();
        Env {
            _dir: dir,
            path,
            crm,
            admin,
        }
    }

    /// A new database filled by the demo loader, with the demo admin logged in.
    pub(crate) fn demo(history: bool) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let crm = Crm::open_with_clock(&path, Clock::Fixed(start())).unwrap();
        crm.load_demo(history).unwrap();
        let (admin, _) = crm.login("admin", crm_core::DEMO_PASSWORD).unwrap();
        Env {
            _dir: dir,
            path,
            crm,
            admin,
        }
    }

    /// Reopens the same file with the clock at `at`.
    pub(crate) fn at(&self, at: DateTime<Utc>) -> Crm {
        Crm::open_with_clock(&self.path, Clock::Fixed(at)).unwrap()
    }

    pub(crate) fn user(&self, username: &str, role: Role) -> Actor {
        self.crm
            .add_user(&self.admin, &new_user(username, Some(role)), PASSWORD)
            .unwrap();
        self.crm.login(username, PASSWORD).unwrap().0
    }

    /// The bytes of the SQLite file, for "no trace left in the file" checks; `None` on
    /// PostgreSQL, whose files are the server's.
    pub(crate) fn file_bytes(&self) -> Option<Vec<u8>> {
        (!crm_core::is_database_url(&self.path)).then(|| std::fs::read(&self.path).unwrap())
    }

    /// Every row of every table, for "nothing changed" assertions.
    pub(crate) fn dump(&self) -> String {
        crm_core::testing::dump(&self.path)
    }
}

/// The demo data as loaded, for `on_both_engines!(demo => loaded: …)`.
pub(crate) fn loaded(env: Env) -> Env {
    env
}

pub(crate) fn new_user(username: &str, role: Option<Role>) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: Some(format!("{username} display")),
        email: Some(format!("{username}@example.com")),
        role,
    }
}

/// Makes each named scenario (a `fn(&Env)`) two tests, `NAME::sqlite` and `NAME::postgres`: one
/// conformance suite for both engines. The PostgreSQL one runs on a throwaway server the tests
/// start (`crm_core::testing::postgres`).
#[macro_export]
macro_rules! on_both_engines {
    // Scenarios that start from the demo data with its generated history (tickets resolved,
    // deals moved), made ready by `$prepare`.
    (history => $prepare:ident: $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&super::$prepare($crate::env::Env::demo(true)));
                }

                #[test]
                fn postgres() {
                    if let Some(env) = $crate::env::Env::postgres_demo(module_path!(), true) {
                        super::$name(&super::$prepare(env));
                    }
                }
            }
        )*
    };
    // Scenarios that start from the demo data made ready by `$prepare` (a `fn(Env) -> Env`).
    (demo => $prepare:ident: $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&super::$prepare($crate::env::Env::demo(false)));
                }

                #[test]
                fn postgres() {
                    if let Some(env) = $crate::env::Env::postgres_demo(module_path!(), false) {
                        super::$name(&super::$prepare(env));
                    }
                }
            }
        )*
    };
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&$crate::env::Env::new());
                }

                #[test]
                fn postgres() {
                    if let Some(env) = $crate::env::Env::postgres(module_path!()) {
                        super::$name(&env);
                    }
                }
            }
        )*
    };
}
