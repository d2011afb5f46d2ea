//! A lead import large enough to set the table's indexes and triggers aside (`import/bulk.rs`)
//! must leave the database exactly as importing the same rows a few at a time does, find the
//! same duplicates, and leave nothing changed when it is rolled back.

use std::fmt::Write as _;

use crm_core::import::{ImportKind, ImportObserver, ImportOptions, ImportProblem, OnDuplicate};
use crm_core::testing::rows;
use crm_core::{EntityKind, Role};

use crate::env::Env;

/// Rows past the point where an import into an empty table goes bulk (1,000).
const BULK_ROWS: usize = 2_400;

/// Problems as they come, and whether the import rebuilt indexes at the end.
#[derive(Default)]
struct Seen {
    problems: Vec<ImportProblem>,
    rebuilt: usize,
}

impl ImportObserver for Seen {
    fn problem(&mut self, problem: &ImportProblem) {
        self.problems.push(problem.clone());
    }
    fn finishing(&mut self) {
        self.rebuilt += 1;
    }
}

const HEADER: &str = "first_name,last_name,email,phone,company,source,stage,score\n";

/// Lead `i` of a varied file: a few dozen companies, every stage but Converted, hot and cold
/// scores, some without email or phone.
fn lead(i: usize) -> String {
    let first = ["Aarav", "Priya", "Rohan", "Élodie", "Sara", "Kabir"][i % 6];
    let company = ["Quantum Labs", "Indus Textiles", "", "Orbit Foods"][i % 4];
    let company = if company.is_empty() {
        String::new()
    } else {
        format!("{company} {}", i % 9)
    };
    let email = if i % 7 == 3 {
        String::new()
    } else {
        format!("lead{i}@example{}.in", i % 5)
    };
    let phone = if i % 11 == 4 {
        String::new()
    } else {
        format!("+91 9{:04} {:05}", i % 10_000, i)
    };
    let source = ["Website", "Event", "Referral", "Social"][i % 4];
    let stage = ["New", "Contacted", "Qualified", "Lost"][i % 4];
    format!(
        "{first},Name{i},{email},{phone},{company},{source},{stage},{}\n",
        (i * 37) % 101
    )
}

fn file(rows: std::ops::Range<usize>) -> String {
    HEADER.to_owned() + &rows.map(lead).collect::<String>()
}

fn import(env: &Env, csv: &str, options: &ImportOptions) -> (crm_core::import::ImportReport, Seen) {
    let mut seen = Seen::default();
    let report = env
        .crm
        .import(&env.admin, csv.as_bytes(), options, &mut seen)
        .unwrap();
    (report, seen)
}

fn auto_assigned() -> ImportOptions {
    let mut options = ImportOptions::new(ImportKind::Leads);
    options.auto_assign = true;
    options
}

/// An environment with three sales reps to take turns.
fn with_reps() -> Env {
    let env = Env::new();
    for rep in ["asha", "ravi", "meera"] {
        env.user(rep, Role::SalesRep);
    }
    env
}

/// What the import writes and what the triggers and indexes derive from it.
fn state(env: &Env) -> Vec<(&'static str, Vec<Vec<String>>)> {
    [
        (
            "schema",
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name",
        ),
        (
            "leads",
            "SELECT id, first_name, last_name, email, phone, company, company_id, source, stage,
                    score, owner_id, campaign_id FROM leads ORDER BY id",
        ),
        ("search", "SELECT rowid, * FROM search_index ORDER BY rowid"),
        (
            "lead tallies",
            "SELECT * FROM lead_tallies WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5",
        ),
        (
            "company tallies",
            "SELECT * FROM company_tallies ORDER BY company_id",
        ),
        (
            "companies",
            "SELECT id, name, domain FROM companies ORDER BY id",
        ),
        (
            "activity",
            "SELECT entity_type, entity_id, verb, summary FROM activities
             WHERE entity_type = 'lead' ORDER BY entity_id",
        ),
    ]
    .into_iter()
    .map(|(what, sql)| (what, rows(&env.path, sql)))
    .collect()
}

#[test]
fn a_bulk_import_leaves_what_a_row_by_row_import_leaves() {
    let bulk = with_reps();
    let (report, seen) = import(&bulk, &file(0..BULK_ROWS), &auto_assigned());
    assert_eq!(
        (report.inserted, report.committed),
        (BULK_ROWS as u64, true)
    );
    assert_eq!(seen.rebuilt, 1, "2,400 leads into an empty table go bulk");

    // 400 rows at a time never outgrow the table, so every one is indexed as it goes in.
    let by_row = with_reps();
    for start in (0..BULK_ROWS).step_by(400) {
        let (report, seen) = import(&by_row, &file(start..start + 400), &auto_assigned());
        assert_eq!((report.inserted, seen.rebuilt), (400, 0));
    }

    for ((what, bulk), (_, by_row)) in state(&bulk).into_iter().zip(state(&by_row)) {
        assert!(bulk.len() > 1 || what == "schema", "{what} is empty");
        assert_eq!(bulk, by_row, "{what} differs");
    }
    // The rebuilt full-text index answers as the one kept by triggers does.
    let hits = bulk
        .crm
        .search(&bulk.admin, "Name2399", &[EntityKind::Lead], 5)
        .unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
}

crate::on_both_engines!(a_bulk_import_finds_the_duplicates_the_indexed_queries_find);
fn a_bulk_import_finds_the_duplicates_the_indexed_queries_find(env: &Env) {
    let mut options = ImportOptions::new(ImportKind::Leads);
    options.on_duplicate = OnDuplicate::Skip;
    import(
        env,
        "first_name,email,phone\nOld,Dup@Example.com,+91 98765 43210\nOlder,,020 555 0100\n",
        &options,
    );
    // After row 1,000 the import holds the keys in memory: each of these must still match.
    // A match on the phone alone is a duplicate when the names agree too (a phone shared by
    // two people is not): these rows carry the names of the leads they repeat.
    let repeats = [
        ("SameEmail", "", " dup@EXAMPLE.com", ""),
        ("Old", "", "", "(+91) 98765-43210"),
        ("older", "", "", "0205550100"),
        ("EarlyRow", "", "LEAD5@example0.in", ""),
        ("Rohan", "Name1400", "", "+91 91400 01400"),
    ];
    let csv = file(0..1_500)
        + &repeats
            .iter()
            .map(|(first, last, email, phone)| {
                [*first, last, email, phone, "", "", "", ""].join(",") + "\n"
            })
            .collect::<String>();
    let (report, seen) = import(env, &csv, &options);
    assert_eq!(seen.rebuilt, 1, "{report:?} {:?}", seen.problems);
    assert_eq!((report.inserted, report.skipped), (1_500, 5));
    let reasons: Vec<_> = seen
        .problems
        .iter()
        .map(|p| (p.column.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("email", "matches lead 1 already in the CRM; skipped"),
            ("phone", "matches lead 1 already in the CRM; skipped"),
            ("phone", "matches lead 2 already in the CRM; skipped"),
            (
                "email",
                "repeats the email of an earlier row of this file (lead 8); skipped"
            ),
            (
                "phone",
                "repeats the phone of an earlier row of this file (lead 1403); skipped"
            ),
        ]
    );
}

/// `file` with two custom columns: a choice two rows in three hold, and a text every row holds.
fn file_with_fields(rows: std::ops::Range<usize>) -> String {
    let mut file = HEADER.trim_end().to_owned() + ",plan,referrer\n";
    for i in rows {
        let plan = ["Starter", "growth", ""][i % 3];
        let _ = writeln!(file, "{},{plan},ref{i}", lead(i).trim_end());
    }
    file
}

fn define_fields(env: &Env) {
    use crm_core::{FieldKind, FieldsOf, NewField};
    for (label, kind, choices) in [
        (
            "Plan",
            FieldKind::Choice,
            vec!["Starter".to_string(), "Growth".into()],
        ),
        ("Referrer", FieldKind::Text, Vec::new()),
    ] {
        let field = NewField {
            label: label.into(),
            kind: Some(kind),
            choices,
            ..NewField::default()
        };
        env.crm
            .add_field(&env.admin, FieldsOf::Leads, &field)
            .unwrap();
    }
}

/// Custom values are searched (migration 0033): a bulk load sets their search trigger aside
/// and writes the entries with the values at the end, which must give what the trigger gives.
#[test]
fn a_bulk_import_with_custom_columns_leaves_what_a_row_by_row_import_leaves() {
    const ROWS: usize = 1_200;
    let bulk = with_reps();
    define_fields(&bulk);
    let (report, seen) = import(&bulk, &file_with_fields(0..ROWS), &auto_assigned());
    assert_eq!((report.inserted, seen.rebuilt), (ROWS as u64, 1));

    let by_row = with_reps();
    define_fields(&by_row);
    for start in (0..ROWS).step_by(400) {
        let (report, seen) = import(
            &by_row,
            &file_with_fields(start..start + 400),
            &auto_assigned(),
        );
        assert_eq!((report.inserted, seen.rebuilt), (400, 0));
    }
    let values = |env: &Env| rows(&env.path, "SELECT * FROM custom_values ORDER BY 1, 2, 3");
    assert_eq!(values(&bulk).len(), ROWS + ROWS * 2 / 3);
    assert_eq!(values(&bulk), values(&by_row));
    for ((what, bulk), (_, by_row)) in state(&bulk).into_iter().zip(state(&by_row)) {
        assert_eq!(bulk, by_row, "{what} differs");
    }
    let hits = bulk
        .crm
        .search(&bulk.admin, "ref1198 growth", &[EntityKind::Lead], 5)
        .unwrap();
    assert_eq!(
        hits.iter().map(|h| h.title.as_str()).collect::<Vec<_>>(),
        ["Sara Name1198"]
    );
}

#[test]
fn a_refused_or_dry_run_bulk_import_leaves_indexes_triggers_and_rows_as_they_were() {
    let env = with_reps();
    let schema = || {
        rows(
            &env.path,
            "SELECT type, name, sql FROM sqlite_master ORDER BY name",
        )
    };
    let (before, before_schema) = (env.dump(), schema());

    let mut dry = ImportOptions::new(ImportKind::Leads);
    dry.dry_run = true;
    let (report, _) = import(&env, &file(0..1_500), &dry);
    assert_eq!((report.inserted, report.committed), (1_500, false));

    let bad = file(0..1_500) + "Late,,,,,,,170\n";
    let (report, seen) = import(&env, &bad, &ImportOptions::new(ImportKind::Leads));
    assert_eq!((report.invalid, report.committed), (1, false));
    assert_eq!(seen.problems[0].column, "score");

    assert_eq!(schema(), before_schema, "every index and trigger is back");
    assert_eq!(env.dump(), before, "nothing was written");
}

crate::on_both_engines!(imports_leave_every_tally_equal_to_a_recount);
/// Leads (past the bulk point, with companies and owners), contacts, and deals closed as they
/// are imported: on PostgreSQL the import counts its own rows into the tallies at the end (a
/// tally row updated per row grew quadratically), and the sums must be what a recount gives,
/// also after a second import on top and a refused one.
fn imports_leave_every_tally_equal_to_a_recount(env: &Env) {
    for rep in ["asha", "ravi"] {
        env.user(rep, Role::SalesRep);
    }
    let (report, _) = import(env, &file(0..1_500), &auto_assigned());
    assert_eq!(report.inserted, 1_500);
    let (report, _) = import(env, &file(1_500..1_800), &auto_assigned());
    assert_eq!(report.inserted, 300);
    let mut contacts = "first_name,email,company\n".to_owned();
    for i in 0..40 {
        let _ = writeln!(
            contacts,
            "Person{i},person{i}@example.in,Orbit Foods {}",
            i % 3
        );
    }
    let (report, _) = import(env, &contacts, &ImportOptions::new(ImportKind::Contacts));
    assert_eq!(report.inserted, 40);
    let mut deals = "title,contact_email,amount,stage,lost_reason\n".to_owned();
    for i in 0..30 {
        let (stage, reason) = [("New", ""), ("Won", ""), ("Lost", "Price")][i % 3];
        let _ = writeln!(
            deals,
            "Deal {i},person{i}@example.in,{},{stage},{reason}",
            1_000 + i
        );
    }
    let (report, _) = import(env, &deals, &ImportOptions::new(ImportKind::Deals));
    assert_eq!(report.inserted, 30, "{report:?}");
    // A refused import counts nothing.
    let refused = HEADER.to_owned() + &lead(5_000) + "Bad,Row,bad@example.in,,,Website,New,500\n";
    let (report, _) = import(env, &refused, &ImportOptions::new(ImportKind::Leads));
    assert!(!report.committed);

    let checkup = crm_core::Crm::doctor(&env.path).unwrap();
    for name in ["lead tallies", "deal tallies", "company tallies"] {
        let check = checkup.checks.iter().find(|c| c.name == name).unwrap();
        assert_eq!(
            check.status,
            crm_core::CheckStatus::Ok,
            "{name}: {}",
            check.detail
        );
    }
}
