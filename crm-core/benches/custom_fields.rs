//! Custom fields at volume (issue 25): the same generated leads imported without and with three
//! custom columns (a choice, money and a date), in one run, and list pages filtered on and
//! sorted by a custom field of the second database.
//!
//! `CRM_BENCH_LEADS` leads (100,000 unless set; the figure is at 1,000,000),
//! `CRM_BENCH_RUNS` imports of each (1 unless set; the fastest counts), `CRM_BENCH_DIR` where
//! the two databases are made (a temporary directory unless set).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Instant;

use crm_core::import::{ImportKind, ImportOptions};
use crm_core::{
    Actor, Crm, DEMO_PASSWORD, FieldKind, FieldsOf, LeadQuery, LeadSort, NewField, VolumeLeads,
};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A demo database with the fields the custom columns fill.
fn prepared(path: &Path) -> (Crm, Actor) {
    let _ = std::fs::remove_file(path);
    let crm = Crm::open(path).unwrap();
    crm.load_demo(false).unwrap();
    let admin = crm.login("admin", DEMO_PASSWORD).unwrap().0;
    for (label, key, kind) in [
        ("Budget", "budget", FieldKind::Money),
        ("Visit on", "visit_on", FieldKind::Date),
    ] {
        let new = NewField {
            label: label.into(),
            key: Some(key.into()),
            kind: Some(kind),
            ..NewField::default()
        };
        crm.add_field(&admin, FieldsOf::Leads, &new).unwrap();
    }
    (crm, admin)
}

/// Seconds to import `input` into a fresh prepared database at `path`.
fn import(path: &Path, input: VolumeLeads) -> (f64, Crm, Actor) {
    let (crm, admin) = prepared(path);
    let options = ImportOptions::new(ImportKind::Leads);
    let started = Instant::now();
    let report = crm.import(&admin, input, &options, &mut ()).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(report.invalid, 0, "every generated row imports");
    (seconds, crm, admin)
}

/// Median milliseconds of `runs` calls of `f`.
fn median_ms(runs: usize, f: impl Fn()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let leads = env_number("CRM_BENCH_LEADS", 100_000);
    let runs = env_number("CRM_BENCH_RUNS", 1);
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("CRM_BENCH_DIR")
        .map_or_else(|| temp.path().to_path_buf(), std::path::PathBuf::from);
    println!("custom_fields: {leads} generated leads, fastest of {runs} import(s) each");

    let (mut plain, mut custom) = (f64::MAX, f64::MAX);
    let mut kept = None;
    for _ in 0..runs {
        let (seconds, _, _) = import(&dir.join("plain.db"), VolumeLeads::new(leads));
        plain = plain.min(seconds);
        let (seconds, crm, admin) = import(
            &dir.join("custom.db"),
            VolumeLeads::with_custom_fields(leads),
        );
        custom = custom.min(seconds);
        kept = Some((crm, admin));
    }
    println!(
        "  import without custom columns {plain:>8.2} s\n  \
         import with three custom columns {custom:>6.2} s   ratio {:.2}x",
        custom / plain
    );

    let (crm, admin) = kept.unwrap();
    let (crm, admin) = (&crm, &admin);
    let page = |conditions: &[&str], sort: LeadSort| {
        let query = LeadQuery {
            wheres: conditions.iter().map(|c| c.parse().unwrap()).collect(),
            sort,
            limit: 50,
            ..LeadQuery::default()
        };
        move || {
            let found = crm.list_leads(admin, &query).unwrap();
            assert!(!found.items.is_empty(), "{:?} finds leads", query.wheres);
        }
    };
    for (what, conditions, sort) in [
        ("no condition", &[][..], LeadSort::Created),
        (
            "preferred_plan=Growth",
            &["preferred_plan=Growth"][..],
            LeadSort::Created,
        ),
        (
            "preferred_plan=Growth by name",
            &["preferred_plan=Growth"][..],
            LeadSort::Name,
        ),
        ("budget>=150L", &["budget>=150L"][..], LeadSort::Created),
        (
            "visit_on<2026-01-03",
            &["visit_on<2026-01-03"][..],
            LeadSort::Score,
        ),
        (
            "plan=Enterprise, budget>=190L",
            &["preferred_plan=Enterprise", "budget>=190L"][..],
            LeadSort::Created,
        ),
    ] {
        let ms = median_ms(21, page(conditions, sort));
        println!("  leads page (50) where {what:<32} {ms:>7.2} ms");
    }
    // Sorted by a custom field: every lead's value is read to order them, unless a condition
    // narrows the rows first.
    for (what, conditions) in [
        ("every lead", &[][..]),
        (
            "preferred_plan=Enterprise",
            &["preferred_plan=Enterprise"][..],
        ),
        ("budget>=190L", &["budget>=190L"][..]),
    ] {
        let query = LeadQuery {
            wheres: conditions.iter().map(|c| c.parse().unwrap()).collect(),
            sort_field: Some("budget".into()),
            limit: 50,
            ..LeadQuery::default()
        };
        let ms = median_ms(5, || {
            let found = crm.list_leads(admin, &query).unwrap();
            assert!(!found.items.is_empty(), "{what} finds leads");
        });
        println!("  leads page (50) by budget, {what:<26} {ms:>7.2} ms");
    }
}
