//! `Crm::import` at the service level: permissions, all-or-nothing, and arbitrary bytes.

use std::fmt::Write as _;

use crm_core::import::{ImportKind, ImportOptions, ImportProblem, ImportReport, OnDuplicate};
use crm_core::{Error, LeadQuery, Role};
use proptest::prelude::*;

use crate::env::Env;

/// Collects problems as the CLI's observer would.
#[derive(Default)]
struct Problems(Vec<ImportProblem>);

impl crm_core::import::ImportObserver for Problems {
    fn problem(&mut self, problem: &ImportProblem) {
        self.0.push(problem.clone());
    }
}

fn import(env: &Env, kind: ImportKind, csv: &str) -> (ImportReport, Vec<ImportProblem>) {
    let mut problems = Problems::default();
    let report = env
        .crm
        .import(
            &env.admin,
            csv.as_bytes(),
            &ImportOptions::new(kind),
            &mut problems,
        )
        .unwrap();
    (report, problems.0)
}

crate::on_both_engines!(every_row_runs_the_add_rules_and_problems_name_row_column_and_value);
fn every_row_runs_the_add_rules_and_problems_name_row_column_and_value(env: &Env) {
    let before = env.dump();
    let (report, problems) = import(
        env,
        ImportKind::Leads,
        "first_name,email,score,stage\nAarav,aarav@techverse.in,45,Contacted\nPriya,priya@,20,New\nRahul,rahul@retailworks.in,172,Qualified\n",
    );
    assert_eq!((report.rows, report.inserted, report.invalid), (3, 1, 2));
    assert!(!report.committed);
    assert_eq!(env.dump(), before, "a refused import writes nothing");
    let found: Vec<_> = problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(found, [(3, "email", "priya@"), (4, "score", "172")]);
    assert!(
        problems[1].reason.contains("outside 0..=100"),
        "{:?}",
        problems[1]
    );
}

crate::on_both_engines!(skip_invalid_keeps_the_good_rows_and_their_activity);
fn skip_invalid_keeps_the_good_rows_and_their_activity(env: &Env) {
    let mut options = ImportOptions::new(ImportKind::Contacts);
    options.skip_invalid = true;
    let report = env
        .crm
        .import(
            &env.admin,
            // The middle row names no one: no name, email or phone.
            "first_name,email,company\nNeel,neel@orbit.in,\n,,Orbit\nZoya,zoya@example.com,\n"
                .as_bytes(),
            &options,
            &mut (),
        )
        .unwrap();
    assert_eq!(
        (report.inserted, report.invalid, report.committed),
        (2, 1, true)
    );
    let contacts = env
        .crm
        .list_contacts(&env.admin, &crm_core::ContactQuery::default())
        .unwrap();
    let names: Vec<_> = contacts
        .items
        .iter()
        .map(|c| c.first_name.as_str())
        .collect();
    assert_eq!(names, ["Neel", "Zoya"]);
    let feed = env.crm.recent_activity(&env.admin, 10).unwrap();
    assert_eq!(
        feed.iter()
            .filter(|a| a.verb == "created" && a.entity == crm_core::EntityKind::Contact)
            .count(),
        2,
        "one activity row per imported record, none for the bad row"
    );
}

crate::on_both_engines!(a_dry_run_reports_exactly_and_writes_nothing);
fn a_dry_run_reports_exactly_and_writes_nothing(env: &Env) {
    let before = env.dump();
    let mut options = ImportOptions::new(ImportKind::Contacts);
    options.dry_run = true;
    let report = env
        .crm
        .import(
            &env.admin,
            "First Name\nA\nB\n".as_bytes(),
            &options,
            &mut (),
        )
        .unwrap();
    assert_eq!(
        (report.inserted, report.committed, report.dry_run),
        (2, false, true)
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(roles_that_cannot_add_a_kind_cannot_import_it);
fn roles_that_cannot_add_a_kind_cannot_import_it(env: &Env) {
    let agent = env.user("john", Role::SupportAgent);
    let err = env
        .crm
        .import(
            &agent,
            "first_name\nA\n".as_bytes(),
            &ImportOptions::new(ImportKind::Leads),
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    let rep = env.user("asha", Role::SalesRep);
    let err = env
        .crm
        .import(
            &rep,
            "name\nLaunch\n".as_bytes(),
            &ImportOptions::new(ImportKind::Campaigns),
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
}

crate::on_both_engines!(a_sales_rep_cannot_import_leads_for_someone_else);
fn a_sales_rep_cannot_import_leads_for_someone_else(env: &Env) {
    env.user("ravi", Role::SalesRep);
    let asha = env.user("asha", Role::SalesRep);
    let mut problems = Problems::default();
    let report = env
        .crm
        .import(
            &asha,
            "first_name,owner\nMine,\nTheirs,ravi\n".as_bytes(),
            &ImportOptions::new(ImportKind::Leads),
            &mut problems,
        )
        .unwrap();
    assert_eq!((report.inserted, report.invalid), (1, 1));
    assert_eq!(problems.0[0].row, 3);
    assert!(
        problems.0[0].reason.starts_with("permission denied"),
        "{:?}",
        problems.0
    );
}

crate::on_both_engines!(update_fills_the_existing_record_with_the_non_blank_cells);
fn update_fills_the_existing_record_with_the_non_blank_cells(env: &Env) {
    import(
        env,
        ImportKind::Leads,
        "first_name,last_name,email,company\nAarav,Sharma,aarav@techverse.in,TechVerse\n",
    );
    let mut options = ImportOptions::new(ImportKind::Leads);
    options.on_duplicate = OnDuplicate::Update;
    let report = env
        .crm
        .import(
            &env.admin,
            "first_name,email,company,score\nAarav,AARAV@techverse.in,,80\n".as_bytes(),
            &options,
            &mut (),
        )
        .unwrap();
    assert_eq!((report.inserted, report.updated), (0, 1));
    let leads = env
        .crm
        .list_leads(&env.admin, &LeadQuery::default())
        .unwrap();
    let lead = &leads.items[0];
    assert_eq!(leads.items.len(), 1);
    assert_eq!(lead.score, 80);
    assert_eq!(lead.last_name.as_deref(), Some("Sharma"), "no column: kept");
    assert_eq!(
        lead.company.as_deref(),
        Some("TechVerse"),
        "blank cell: kept"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the bytes, the importer answers with a report or a clean error, never a panic,
    /// and only a committed report changes the database, by exactly what it says.
    #[test]
    fn arbitrary_bytes_never_panic_or_half_write(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        header in prop::sample::select(vec!["first_name,email,phone\n", "Name;E-Mail\n", "title,amount,stage\n", "name,code,budget\n", ""]),
        kind in prop::sample::select(ImportKind::ALL.to_vec()),
        skip_invalid in any::<bool>(),
    ) {
        let env = Env::new();
        let mut input = header.as_bytes().to_vec();
        input.extend(&bytes);
        let before = env.dump();
        let mut options = ImportOptions::new(kind);
        options.skip_invalid = skip_invalid;
        options.delimiter = if header.contains(';') { b';' } else { b',' };
        match env.crm.import(&env.admin, input.as_slice(), &options, &mut ()) {
            Ok(report) if report.committed => {
                prop_assert!(report.invalid == 0 || skip_invalid);
                // Only an import that changed something is in the history (red-team item 9).
                let changed = report.inserted + report.updated > 0;
                prop_assert_eq!(report.batch.is_some(), changed);
                if !changed {
                    prop_assert_eq!(env.dump(), before);
                }
            }
            Ok(report) => {
                prop_assert!(report.invalid > 0);
                prop_assert_eq!(env.dump(), before);
            }
            Err(err) => {
                prop_assert!(!err.to_string().contains('\n'), "one-line error: {}", err);
                prop_assert_eq!(env.dump(), before);
            }
        }
    }
}

crate::on_both_engines!(a_header_with_a_line_break_still_gives_one_line_errors);
/// Found by the fuzz target: a quoted header with a line break made every message naming the
/// column two lines long.
fn a_header_with_a_line_break_still_gives_one_line_errors(env: &Env) {
    let file = "\"Campaign\nName\",email\nLaunch,a@example.com\n";
    let err = env
        .crm
        .import(
            &env.admin,
            file.as_bytes(),
            &ImportOptions::new(ImportKind::Leads),
            &mut (),
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Campaign Name") && !err.contains('\n'),
        "{err}"
    );
}

/// Other CRMs' standard values read as ours; `--map-value` maps the rest; a value still unknown
/// is reported once with its count and rows, whatever else its rows were refused for (issue 21).
#[test]
fn other_crms_values_import_and_the_unknown_ones_are_named_once() {
    let env = Env::new();
    let csv = "First Name,Email,Lead Status,Lead Source\n\
               Ann,ann@x.in,Working - Contacted,Phone Inquiry\n\
               Bo,bo@x.in,Open - Not Contacted,Partner Referral\n\
               Cy,cy@x.in,Hot,Web\n\
               Di,di@x.in,Hot,Expo\n\
               Ed,ed@x.in,Junk Lead,Purchased List\n";
    let (report, problems) = import(&env, ImportKind::Leads, csv);
    assert_eq!(report.invalid, 2, "{problems:?}");
    let unknown: Vec<(String, String, u64, Vec<u64>)> = report
        .unknown_values
        .iter()
        .map(|u| {
            (
                u.field.clone(),
                u.value.clone(),
                u.rows,
                u.first_rows.clone(),
            )
        })
        .collect();
    assert_eq!(
        unknown,
        [
            ("stage".to_string(), "Hot".to_string(), 2, vec![4, 5]),
            ("source".to_string(), "Expo".to_string(), 1, vec![5]),
        ]
    );
    assert_eq!(report.unknown_values[0].column, "Lead Status");
    assert!(
        report.unknown_values[0]
            .choices
            .contains(&"Qualified".to_string())
    );

    let mut options = ImportOptions::new(ImportKind::Leads);
    options.map_values = vec![
        "Lead Status:hot=Qualified".into(),
        "source:Expo=Event".into(),
    ];
    let report = env
        .crm
        .import(&env.admin, csv.as_bytes(), &options, &mut ())
        .unwrap();
    assert_eq!((report.inserted, report.invalid), (5, 0));
    let leads = env
        .crm
        .list_leads(&env.admin, &LeadQuery::default())
        .unwrap()
        .items;
    let of = |name: &str| {
        let l = leads.iter().find(|l| l.first_name == name).unwrap();
        (l.stage.to_string(), l.source.to_string())
    };
    assert_eq!(of("Ann"), ("Contacted".into(), "Cold call".into()));
    assert_eq!(of("Bo"), ("New".into(), "Referral".into()));
    assert_eq!(of("Cy"), ("Qualified".into(), "Website".into()));
    assert_eq!(of("Di"), ("Qualified".into(), "Event".into()));
    assert_eq!(of("Ed"), ("Lost".into(), "Import".into()));

    let mut bad = ImportOptions::new(ImportKind::Leads);
    bad.map_values = vec!["Colour:red=Lost".into()];
    let err = env
        .crm
        .import(&env.admin, csv.as_bytes(), &bad, &mut ())
        .unwrap_err();
    assert!(err.to_string().starts_with("invalid map-value:"), "{err}");
}

/// A long file with one bad column is one group of problems, with its count and first rows,
/// beside each row's own problem (issue 21, item 2).
#[test]
fn problems_group_by_column_and_kind() {
    let env = Env::new();
    let mut csv = String::from("first_name,email,score\n");
    for i in 0..500 {
        writeln!(csv, "P{i},p{i}-at-example.in,1").unwrap();
    }
    csv.push_str("Q,q@example.in,500\nR,r@example.in,7\n");
    let (report, problems) = import(&env, ImportKind::Leads, &csv);
    assert_eq!(problems.len(), 501);
    let groups: Vec<(String, String, u64, Vec<u64>)> = report
        .problem_groups
        .iter()
        .map(|g| {
            (
                g.column.clone(),
                g.kind.clone(),
                g.rows,
                g.first_rows.clone(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                "email".into(),
                "'…' has no @".into(),
                500,
                vec![2, 3, 4, 5, 6]
            ),
            (
                "score".into(),
                "500 is outside 0..=100".into(),
                1,
                vec![502]
            ),
        ]
    );
}

crate::on_both_engines!(every_problem_of_a_row_is_named_at_once);
fn every_problem_of_a_row_is_named_at_once(env: &Env) {
    let before = env.dump();
    let (report, problems) = import(
        env,
        ImportKind::Leads,
        "first_name,email,phone,score,stage,source,bant_need\n\
         Priya,priya@,12,150,Warm,Billboard,maybe\n\
         Rahul,rahul@retailworks.in,,40,New,Web,yes\n\
         Meena,meena@,,,,,\n",
    );
    assert_eq!((report.rows, report.invalid), (3, 2), "{report:?}");
    assert_eq!(env.dump(), before, "a refused import writes nothing");
    let mut found: Vec<(u64, &str, &str)> = problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.value.as_str()))
        .collect();
    found.sort_unstable();
    assert_eq!(
        found,
        [
            (2, "bant_need", "maybe"),
            (2, "email", "priya@"),
            (2, "phone", "12"),
            (2, "score", "150"),
            (2, "source", "Billboard"),
            (2, "stage", "Warm"),
            (4, "email", "meena@"),
        ],
        "{problems:?}"
    );
    // Each column's problem is grouped once, however many rows share it.
    let email = report
        .problem_groups
        .iter()
        .find(|g| g.column == "email")
        .unwrap();
    assert_eq!((email.rows, email.first_rows.clone()), (2, vec![2, 4]));
}

crate::on_both_engines!(further_problems_of_a_deal_row_are_found_without_keeping_anything);
fn further_problems_of_a_deal_row_are_found_without_keeping_anything(env: &Env) {
    let before = env.dump();
    // A deal row runs in a savepoint; its trials must not leave a campaign or deal behind.
    let (report, problems) = import(
        env,
        ImportKind::Deals,
        "title,amount,stage,probability,expected_close\n\
         Big one,lots,Proposal,140,31/12/2026\n",
    );
    assert_eq!(report.invalid, 1, "{report:?}");
    let mut columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
    columns.sort_unstable();
    assert_eq!(
        columns,
        ["amount", "expected_close", "probability"],
        "{problems:?}"
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(a_rating_sets_how_warm_a_lead_is_and_a_score_that_disagrees_is_named);
/// Salesforce's and Zoho's "Rating" is our temperature: a lead rated Hot there is Hot here.
fn a_rating_sets_how_warm_a_lead_is_and_a_score_that_disagrees_is_named(env: &Env) {
    let csv = "First Name,Email,Rating,Lead Score\n\
               Ann,ann@x.in,Hot,\n\
               Bo,bo@x.in,Active,\n\
               Cy,cy@x.in,cold,12\n\
               Di,di@x.in,,55\n";
    let (report, problems) = import(env, ImportKind::Leads, csv);
    assert_eq!((report.inserted, report.invalid), (4, 0), "{problems:?}");
    let leads = env
        .crm
        .list_leads(&env.admin, &LeadQuery::default())
        .unwrap()
        .items;
    let mut warmth: Vec<(String, u8, String)> = leads
        .iter()
        .map(|l| (l.first_name.clone(), l.score, l.temperature.to_string()))
        .collect();
    warmth.sort();
    let expected = [
        ("Ann", 71, "Hot"),
        ("Bo", 40, "Warm"),
        ("Cy", 12, "Cold"),
        ("Di", 55, "Warm"),
    ];
    let expected: Vec<(String, u8, String)> = expected
        .iter()
        .map(|(n, s, t)| ((*n).to_string(), *s, (*t).to_string()))
        .collect();
    assert_eq!(warmth, expected);

    let before = env.dump();
    let (report, problems) = import(
        env,
        ImportKind::Leads,
        "First Name,Email,Rating,Lead Score\n\
         Ed,ed@x.in,Hot,20\n\
         Fa,fa@x.in,Sizzling,\n",
    );
    assert_eq!(report.invalid, 2);
    assert_eq!(env.dump(), before);
    assert_eq!(
        (problems[0].column.as_str(), problems[0].reason.as_str()),
        (
            "Rating",
            "'Hot' is a score of 71 to 100, but the row's score is 20"
        )
    );
    let unknown: Vec<(&str, &str, &[String])> = report
        .unknown_values
        .iter()
        .map(|u| (u.field.as_str(), u.value.as_str(), u.choices.as_slice()))
        .collect();
    assert_eq!(
        unknown,
        [(
            "temperature",
            "Sizzling",
            &["Hot".to_string(), "Warm".into(), "Cold".into()][..]
        )]
    );
}
