//! Search and the list filters timed over a query set drawn from the database itself at run
//! time (`crm_core::testing::search_set`): p50, p95 and p99 over every query, by shape, and the
//! slowest queries by name, so a target holds for any query a person types and not for a few
//! chosen ones.
//!
//! `CRM_BENCH_DB=path` measures an existing database (bench/run.sh: a million leads); without
//! it a 10k-lead demo is generated. `CRM_BENCH_QUERIES` (default 240), `CRM_BENCH_SEED`
//! (default 26) and `CRM_BENCH_RUNS` (timed runs per query, the median counts; default 5).
//! `CRM_BENCH_QUERY_DB=file` draws the queries from that SQLite file instead (for a
//! PostgreSQL database copied from it).
#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use std::collections::BTreeMap;
use std::time::Instant;

use crm_core::testing::search_set::{SampleQuery, Shape, percentile, search_queries};
use crm_core::{Actor, ContactQuery, Crm, DEMO_PASSWORD, LeadQuery};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The median of `runs` timed calls of `f`, in milliseconds, after one untimed call.
fn median_ms(runs: u64, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// One measured operation over the whole set.
struct Measured {
    name: &'static str,
    times: Vec<(f64, usize)>,
}

fn report(m: &Measured, queries: &[SampleQuery]) {
    let mut all: Vec<f64> = m.times.iter().map(|t| t.0).collect();
    all.sort_by(f64::total_cmp);
    println!(
        "{:<28} p50 {:>8.2} ms   p95 {:>8.2} ms   p99 {:>8.2} ms   max {:>8.2} ms",
        m.name,
        percentile(&all, 50.0),
        percentile(&all, 95.0),
        percentile(&all, 99.0),
        all.last().copied().unwrap_or(0.0),
    );
    let mut by_shape: BTreeMap<Shape, Vec<f64>> = BTreeMap::new();
    for (t, i) in &m.times {
        by_shape.entry(queries[*i].shape).or_default().push(*t);
    }
    for (shape, mut times) in by_shape {
        times.sort_by(f64::total_cmp);
        println!(
            "  {:<26} p50 {:>8.2} ms   p99 {:>8.2} ms   ({} queries)",
            shape.to_string(),
            percentile(&times, 50.0),
            percentile(&times, 99.0),
            times.len()
        );
    }
    let mut slowest = m.times.clone();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let names: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(t, i)| format!("{:?} {t:.1} ms", queries[*i].text))
        .collect();
    println!("  slowest: {}", names.join(", "));
}

fn login(crm: &Crm, user: &str) -> Actor {
    crm.login(user, DEMO_PASSWORD).unwrap().0
}

fn main() {
    let path = crm_core::testing::bench_database();
    let count = usize::try_from(env_number("CRM_BENCH_QUERIES", 240)).unwrap();
    let seed = env_number("CRM_BENCH_SEED", 26);
    let runs = env_number("CRM_BENCH_RUNS", 5);
    // A PostgreSQL copy is measured with the queries drawn from the SQLite file it was
    // copied from (`crm migrate`): the same rows.
    let drawn_from = std::env::var_os("CRM_BENCH_QUERY_DB").map(std::path::PathBuf::from);
    let queries = search_queries(drawn_from.as_deref().unwrap_or(path), seed, count);
    let crm = Crm::open(path).unwrap();
    let admin = login(&crm, "admin");
    let rep = login(&crm, "asha");
    println!(
        "search_set: {} queries drawn with seed {seed}, median of {runs} runs each",
        queries.len()
    );
    // `CRM_BENCH_ONLY=search,leads` measures only the operations whose names start so.
    let only = std::env::var("CRM_BENCH_ONLY").unwrap_or_default();
    let time_all = |name: &'static str, f: &dyn Fn(&str)| -> Measured {
        if !only.split(',').any(|o| name.starts_with(o)) {
            return Measured {
                name,
                times: Vec::new(),
            };
        }
        let times = queries
            .iter()
            .enumerate()
            .map(|(i, q)| (median_ms(runs, || f(&q.text)), i))
            .collect();
        Measured { name, times }
    };
    let measured = [
        time_all("search top 20 (admin)", &|text| {
            crm.search(&admin, text, &[], 20).unwrap();
        }),
        time_all("search top 20 (sales rep)", &|text| {
            crm.search(&rep, text, &[], 20).unwrap();
        }),
        time_all("leads list --search", &|text| {
            let query = LeadQuery {
                search: Some(text.to_string()),
                ..LeadQuery::default()
            };
            crm.list_leads(&admin, &query).unwrap();
        }),
        time_all("contacts list --search", &|text| {
            let query = ContactQuery {
                search: Some(text.to_string()),
                ..ContactQuery::default()
            };
            crm.list_contacts(&admin, &query).unwrap();
        }),
    ];
    for m in measured.iter().filter(|m| m.times.iter().any(|_| true)) {
        report(m, &queries);
    }
}
