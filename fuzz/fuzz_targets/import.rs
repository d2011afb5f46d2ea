//! Fuzzes `Crm::import` with arbitrary bytes as a CSV file: any kind of record, any delimiter,
//! with and without `--skip-invalid`. The importer must answer with a report or a one-line
//! error, never panic, and (as a dry run) never keep a row.
//!
//! cd fuzz && cargo +nightly fuzz run import corpus/import seeds/import -- -max_total_time=300
//! (new inputs go to the first directory, which git ignores; the seeds stay as they are)
#![no_main]

use crm_core::import::{ImportKind, ImportOptions};
use crm_core::{Actor, Crm, NewUser};
use libfuzzer_sys::fuzz_target;

struct Database {
    _dir: tempfile::TempDir,
    crm: Crm,
    admin: Actor,
}

thread_local! {
    static DATABASE: Database = {
        let dir = tempfile::tempdir().expect("temporary directory");
        let crm = Crm::open(&dir.path().join("fuzz.db")).expect("database");
        let admin = NewUser {
            username: "root".into(),
            display_name: None,
            email: None,
            role: None,
        };
        crm.bootstrap_admin(&admin, "fuzz-password-1").expect("admin");
        let (admin, _) = crm.login("root", "fuzz-password-1").expect("login");
        Database { _dir: dir, crm, admin }
    };
}

fuzz_target!(|data: &[u8]| {
    let [choice, delimiter, file @ ..] = data else {
        return;
    };
    let mut options =
        ImportOptions::new(ImportKind::ALL[usize::from(*choice) % ImportKind::ALL.len()]);
    options.delimiter = [b',', b';', b'\t', b'|'][usize::from(*delimiter) % 4];
    options.skip_invalid = choice & 0x80 != 0;
    options.dry_run = true;
    DATABASE.with(
        |db| match db.crm.import(&db.admin, file, &options, &mut ()) {
            Ok(report) => assert!(!report.committed, "a dry run kept rows"),
            Err(err) => assert!(!err.to_string().contains('\n'), "a multi-line error: {err}"),
        },
    );
});
