//! Many processes writing one database file at once: nothing lost, no "database is locked"
//! reaching a user, round-robin still fair. The workers are this test binary started again as
//! separate processes (each with its own SQLite connection and its own file locks), so the
//! locking under test is the operating system's, as with several `crm` commands and TUIs.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crm_core::testing::count;
use crm_core::{Crm, DealId, EntityKind, NewDeal, NewLead, RecordRef};

use crate::env::Env;

const WORKERS: usize = 8;
const STAGES: [&str; 4] = ["New", "Qualified", "Proposal", "Negotiation"];

/// Operations per worker: 500 in the fast tier, `CRM_RELIABILITY_OPS` for a longer run.
fn ops() -> usize {
    std::env::var("CRM_RELIABILITY_OPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
}

/// What one worker process does: `ops` mixed writes in turn (add a lead with round-robin,
/// move one of its own deals to the next stage, add a note on it), timing each. It prints one
/// line the parent reads: its errors and its latencies in microseconds.
#[test]
fn worker_process() {
    let (Ok(db), Ok(me)) = (
        std::env::var("CRM_WORKER_DB"),
        std::env::var("CRM_WORKER_ID"),
    ) else {
        return; // Run directly by the test harness: nothing to do.
    };
    let me: usize = me.parse().unwrap();
    let ops: usize = std::env::var("CRM_WORKER_OPS").unwrap().parse().unwrap();
    let crm = Crm::open(Path::new(&db)).unwrap();
    let (admin, _) = crm.login("admin", crm_core::DEMO_PASSWORD).unwrap();
    // This worker's deals: those whose id leaves remainder `me`, so no two workers race for
    // one deal's stage (that would be a business conflict, not a locking one).
    let mine: Vec<i64> = (1..=i64::try_from(WORKERS * 4).unwrap())
        .filter(|id| usize::try_from(*id).unwrap() % WORKERS == me)
        .collect();
    let mut stage_of = vec![0usize; mine.len()];
    let mut errors = Vec::new();
    let mut micros = Vec::with_capacity(ops);
    for i in 0..ops {
        let deal = i % mine.len();
        let started = Instant::now();
        let result = match i % 3 {
            0 => crm
                .add_lead(
                    &admin,
                    &NewLead {
                        first_name: format!("W{me} lead {i}"),
                        auto_assign: true,
                        ..NewLead::default()
                    },
                )
                .map(|_| ()),
            1 => {
                stage_of[deal] = (stage_of[deal] + 1) % STAGES.len();
                crm.move_deal(&admin, DealId(mine[deal]), STAGES[stage_of[deal]])
                    .map(|_| ())
            }
            _ => crm
                .add_note(
                    &admin,
                    Some(RecordRef::new(EntityKind::Deal, mine[deal])),
                    None,
                    &format!("worker {me} note {i}"),
                )
                .map(|_| ()),
        };
        micros.push(started.elapsed().as_micros());
        if let Err(err) = result {
            errors.push(err.to_string());
        }
    }
    let list: Vec<String> = micros.iter().map(ToString::to_string).collect();
    println!(
        "WORKER-RESULT {} {} {}",
        errors.len(),
        list.join(","),
        errors.join(" | ")
    );
}

fn percentile(sorted: &[u128], p: f64) -> f64 {
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    #[allow(clippy::cast_precision_loss)]
    let ms = sorted[at] as f64 / 1000.0;
    ms
}

/// Starts the worker processes and collects their latencies (µs) and error messages.
fn run_workers(db: &Path, ops: usize) -> (Vec<u128>, Vec<String>) {
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..WORKERS)
        .map(|me| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "concurrency::worker_process",
                    "--nocapture",
                    "--test-threads",
                    "1",
                ])
                .env("CRM_WORKER_DB", db)
                .env("CRM_WORKER_ID", me.to_string())
                .env("CRM_WORKER_OPS", ops.to_string())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a worker failed: {out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("WORKER-RESULT ").map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("no worker result line in {stdout}"));
        let mut parts = line.splitn(3, ' ');
        let failed: usize = parts.next().unwrap().parse().unwrap();
        latencies.extend(
            parts
                .next()
                .unwrap()
                .split(',')
                .map(|n| n.parse::<u128>().unwrap()),
        );
        if failed > 0 {
            errors.push(parts.next().unwrap_or_default().to_string());
        }
    }
    (latencies, errors)
}

#[test]
fn eight_processes_of_mixed_writes_lose_nothing_and_never_see_a_lock() {
    let env = Env::demo(false);
    for n in 0..WORKERS * 4 {
        env.crm
            .add_deal(
                &env.admin,
                &NewDeal {
                    title: format!("Deal for workers {n}"),
                    ..NewDeal::default()
                },
            )
            .unwrap();
    }
    let ops = ops();
    let leads_before = count(&env.path, "SELECT count(*) FROM leads");
    let max_lead = count(&env.path, "SELECT max(id) FROM leads");
    let activities_before = count(&env.path, "SELECT count(*) FROM activities");
    let history_before = count(&env.path, "SELECT count(*) FROM deal_stage_history");
    let started = Instant::now();
    let (mut latencies, errors) = run_workers(&env.path, ops);
    let wall = started.elapsed();
    latencies.sort_unstable();
    let total = WORKERS * ops;
    let per_kind = |k: usize| (0..ops).filter(|i| i % 3 == k).count() * WORKERS;
    let (leads, moves, notes) = (per_kind(0), per_kind(1), per_kind(2));

    let new_leads = count(&env.path, "SELECT count(*) FROM leads") - leads_before;
    let new_moves = count(&env.path, "SELECT count(*) FROM deal_stage_history") - history_before;
    let new_notes = count(
        &env.path,
        "SELECT count(*) FROM notes WHERE body LIKE 'worker % note %'",
    );
    let new_activities = count(&env.path, "SELECT count(*) FROM activities") - activities_before;
    // Round-robin: the new leads spread over the active sales reps, at most one apart.
    let conn_counts = {
        let sql = format!(
            "SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM leads
             WHERE id > {max_lead} GROUP BY owner_id)"
        );
        count(&env.path, &sql)
    };
    let reps = count(
        &env.path,
        &format!("SELECT count(DISTINCT owner_id) FROM leads WHERE id > {max_lead}"),
    );
    println!(
        "concurrency: {WORKERS} processes x {ops} ops = {total} writes in {:.1} s; \
         lost: {}; errors: {}; write latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         round-robin over {reps} reps, spread {conn_counts}",
        wall.as_secs_f64(),
        i64::try_from(total).unwrap() - (new_leads + new_moves + new_notes),
        errors.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );
    assert!(errors.is_empty(), "errors surfaced: {errors:?}");
    assert_eq!(new_leads, i64::try_from(leads).unwrap());
    assert_eq!(new_moves, i64::try_from(moves).unwrap());
    assert_eq!(new_notes, i64::try_from(notes).unwrap());
    assert_eq!(
        new_activities,
        i64::try_from(total).unwrap(),
        "one row per write"
    );
    assert!(reps >= 2);
    assert!(conn_counts <= 1, "round-robin spread {conn_counts}");
    assert!(Crm::doctor(&env.path).unwrap().healthy());
}
