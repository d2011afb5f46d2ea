//! Crash safety: the real `crm` binary killed with SIGKILL at random moments in the middle of
//! its work. After every kill the database must pass SQLite's integrity and foreign key checks
//! and hold exactly the state before the command or exactly the state after it, never a part;
//! the "after" state carries the command's activity rows, so no committed change lacks its
//! row and no row lacks its change.
//!
//! The fast tier (CI) makes 200 kills; `CRM_RELIABILITY_KILLS=N` multiplies each scenario's
//! count by N for a longer run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

use crm_core::testing::{count, dump};

use crate::env::TestEnv;

/// A fixed-seed xorshift, so a failing kill moment can be replayed.
struct Moments(u64);

impl Moments {
    fn next_fraction(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        #[allow(clippy::cast_precision_loss)]
        let f = (self.0 % 10_000) as f64 / 10_000.0;
        f
    }
}

fn copy_db(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let target = PathBuf::from(format!("{}{suffix}", to.display()));
        let _ = std::fs::remove_file(&target);
        let source = PathBuf::from(format!("{}{suffix}", from.display()));
        if source.exists() {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

/// Every table but the sessions (touched by authentication before the command's own work).
fn state(db: &Path) -> String {
    dump(db)
        .lines()
        .filter(|l| !l.starts_with("sessions:"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn kills(base: usize) -> usize {
    base * std::env::var("CRM_RELIABILITY_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

struct Tally {
    before: usize,
    after: usize,
}

/// Runs `args` once to the end for the "after" state and its duration, then `kills` times from
/// the template, killing it at a random moment within that duration.
fn crash_scenario(
    env: &TestEnv,
    template: &Path,
    args: &[&str],
    kills: usize,
    seed: u64,
    min_new_activities: i64,
) -> Tally {
    let db = env.db();
    copy_db(template, &db);
    let before = state(&db);
    let activities = count(&db, "SELECT count(*) FROM activities");
    let started = Instant::now();
    let out = env.process(args).output().unwrap();
    assert!(out.status.success(), "crm {args:?}: {out:?}");
    let full = started.elapsed();
    let after = state(&db);
    assert_ne!(before, after, "crm {args:?} changed nothing");
    assert!(
        count(&db, "SELECT count(*) FROM activities") - activities >= min_new_activities,
        "the finished command wrote its activity rows"
    );
    let mut moments = Moments(seed);
    let mut tally = Tally {
        before: 0,
        after: 0,
    };
    for kill in 0..kills {
        copy_db(template, &db);
        let mut child = env
            .process(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = full.mul_f64(moments.next_fraction() * 1.1);
        std::thread::sleep(at);
        // SIGKILL: no destructor, no rollback, no flush; as a power cut is to the process.
        let _ = child.kill();
        child.wait().unwrap();
        let problems = count(
            &db,
            "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'",
        );
        assert_eq!(problems, 0, "kill {kill} at {at:?}: integrity_check");
        let dangling = count(&db, "SELECT count(*) FROM pragma_foreign_key_check");
        assert_eq!(dangling, 0, "kill {kill} at {at:?}: foreign_key_check");
        let now = state(&db);
        if now == before {
            tally.before += 1;
        } else if now == after {
            tally.after += 1;
        } else {
            panic!("kill {kill} of crm {args:?} at {at:?} left a partial state");
        }
    }
    println!(
        "crash: crm {}: {kills} kills over {:.2} s: {} before, {} after, 0 partial",
        args.join(" "),
        full.as_secs_f64(),
        tally.before,
        tally.after
    );
    tally
}

fn leads_csv(path: &Path, rows: usize) {
    let mut text = String::from("first_name,last_name,email,company,score\n");
    for i in 0..rows {
        let _ = writeln!(
            text,
            "Crash{i},Tester,crash{i}@example.org,Firm {},{}",
            i % 97,
            i % 101
        );
    }
    std::fs::write(path, text).unwrap();
}

/// The id of the first record a JSON listing returns.
fn first_id(env: &TestEnv, args: &[&str]) -> String {
    env.json(args)[0]["id"].to_string()
}

#[test]
fn sigkill_at_random_moments_leaves_the_before_or_the_after_state() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", crm_core::DEMO_PASSWORD);
    let demo = env.dir.path().join("template-demo.db");
    copy_db(&env.db(), &demo);

    let csv = env.dir.path().join("leads.csv");
    leads_csv(&csv, 50_000);
    let import = crash_scenario(
        &env,
        &demo,
        &["import", "leads", csv.to_str().unwrap(), "--auto-assign"],
        kills(12),
        0x9e37_79b9_7f4a_7c15,
        50_000,
    );

    // A rep with a book of about 5,000 leads to hand over.
    let small = env.dir.path().join("small.csv");
    leads_csv(&small, 10_000);
    copy_db(&demo, &env.db());
    env.ok(
        &["import", "leads", small.to_str().unwrap(), "--auto-assign"],
        "",
    );
    let book = env.dir.path().join("template-book.db");
    copy_db(&env.db(), &book);
    let reassign = crash_scenario(
        &env,
        &book,
        &["leads", "reassign", "--from", "asha", "--to", "ravi"],
        kills(48),
        0x2545_f491_4f6c_dd1d,
        1_000,
    );

    copy_db(&demo, &env.db());
    let lead = first_id(&env, &["leads", "list", "--stage", "Qualified"]);
    let ticket = first_id(&env, &["tickets", "list", "--status", "open"]);
    let convert = crash_scenario(
        &env,
        &demo,
        &["leads", "convert", &lead],
        kills(70),
        0x1234_5678_9abc_def1,
        1,
    );
    let resolve = crash_scenario(
        &env,
        &demo,
        &[
            "tickets",
            "resolve",
            &ticket,
            "--resolution",
            "Replaced the unit",
        ],
        kills(70),
        0x0fed_cba9_8765_4321,
        1,
    );
    let all = [import, reassign, convert, resolve];
    let before: usize = all.iter().map(|t| t.before).sum();
    let after: usize = all.iter().map(|t| t.after).sum();
    println!(
        "crash: {} kills in all: {before} before, {after} after, 0 partial",
        before + after
    );
    // The kills must really land inside the work sometimes, or the test proves little.
    assert!(before > 0 && after > 0, "{before} before, {after} after");
}
