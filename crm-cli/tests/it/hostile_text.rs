//! Hostile text through the real binary: 10,000 generated strings (escape sequences, controls,
//! bidi overrides, line breaks, NULs, formula starts, very long lines) as CSV cells on the way
//! in, as stored text on the way out to tables, and as arguments that end in an error.

use std::collections::BTreeMap;

use crm_core::testing::{DRAWN_TEXT, hostile_strings, plant, rows, terminal_hazards};

use crate::env::TestEnv;

const CORPUS: usize = 10_000;

/// The lead columns a hostile cell goes into, one per row in turn.
const HOSTILE_COLUMNS: [&str; 4] = ["first_name", "company", "job_title", "notes"];

/// What an accepted cell is stored as: without the apostrophe `crm export` puts before a formula
/// start (import removes it, as documented), trimmed, and notes with `\n` for CRLF.
fn stored_form(column: &str, text: &str) -> String {
    let text = crm_core::text::formula_unguarded(text);
    // What other tools export for "no value" is a blank cell (issue 21).
    if ["null", "n/a", "#n/a", "-"]
        .iter()
        .any(|w| text.trim().eq_ignore_ascii_case(w))
    {
        return String::new();
    }
    if column == "notes" {
        text.trim().replace("\r\n", "\n")
    } else {
        text.trim().to_string()
    }
}

/// Every hazard in a command's stdout and stderr, with the command for the failure message.
fn hazards_of(env: &TestEnv, args: &[&str]) -> (usize, String) {
    let out = env.crm(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let found: Vec<char> = terminal_hazards(&stdout)
        .into_iter()
        .chain(terminal_hazards(&stderr))
        .collect();
    assert!(
        found.is_empty(),
        "crm {args:?} printed raw {found:?}:\n{stdout}\n{stderr}"
    );
    (stdout.len() + stderr.len(), stderr.into_owned())
}

fn csv_file(header: &[&str], records: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).unwrap();
    for record in records {
        writer.write_record(record).unwrap();
    }
    writer.into_inner().unwrap()
}

/// 10,000 rows, each with one hostile cell in a rotating column: every accepted cell is stored
/// exactly as validation says, every other row is reported; the export guards every formula
/// start; and the export imported into a new database gives back the same text.
#[test]
fn hostile_cells_import_exactly_and_survive_export_then_import() {
    let env = TestEnv::with_admin();
    let corpus = hostile_strings(CORPUS, 3);
    let mut header = vec!["email"];
    header.extend(HOSTILE_COLUMNS);
    let records: Vec<Vec<String>> = corpus
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut record = vec![format!("row{i}@example.com")];
            record.extend(HOSTILE_COLUMNS.iter().enumerate().map(|(c, _)| {
                if c == i % HOSTILE_COLUMNS.len() {
                    text.clone()
                } else {
                    format!("Plain {i}")
                }
            }));
            record
        })
        .collect();
    let file = env.dir.path().join("hostile.csv");
    std::fs::write(&file, csv_file(&header, &records)).unwrap();
    let report = env.dir.path().join("problems.csv");
    let (_, stderr) = hazards_of(
        &env,
        &[
            "import",
            "leads",
            file.to_str().unwrap(),
            "--skip-invalid",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert!(stderr.contains("invalid"), "{stderr}");

    let stored: BTreeMap<String, Vec<String>> = rows(
        &env.db(),
        "SELECT email, first_name, company, job_title, notes FROM leads",
    )
    .into_iter()
    .map(|mut row| (row.remove(0), row))
    .collect();
    let mut accepted = [0; HOSTILE_COLUMNS.len()];
    for (i, record) in records.iter().enumerate() {
        let column = i % HOSTILE_COLUMNS.len();
        if let Some(row) = stored.get(&record[0]) {
            accepted[column] += 1;
            assert_eq!(
                row[column],
                stored_form(HOSTILE_COLUMNS[column], &record[column + 1]),
                "row {i}"
            );
        }
    }
    // Every row not stored is in the report, with the column it was refused for.
    let mut reader = csv::Reader::from_path(&report).unwrap();
    let refused: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(stored.len() + refused.len(), CORPUS);
    for problem in &refused {
        let row: usize = problem[0].parse().unwrap();
        let expected = HOSTILE_COLUMNS[(row - 2) % HOSTILE_COLUMNS.len()];
        assert_eq!(&problem[2], expected, "{problem:?}");
    }
    println!(
        "hostile CSV cells: {CORPUS} rows, stored exactly {:?} per column {HOSTILE_COLUMNS:?}, \
         {} refused with their column named",
        accepted,
        refused.len()
    );
    assert!(accepted.iter().all(|&n| n > 300), "{accepted:?}");

    let export = env.dir.path().join("export.csv");
    env.ok(&["export", "leads", "-o", export.to_str().unwrap()], "");
    let mut reader = csv::Reader::from_path(&export).unwrap();
    let (mut cells, mut guarded) = (0, 0);
    for record in reader.records() {
        for cell in &record.unwrap() {
            cells += 1;
            guarded += usize::from(cell.starts_with('\''));
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula start reached the export: {cell:?}"
            );
        }
    }
    println!("export: {cells} cells, 0 start with a formula trigger, {guarded} guarded");
    assert!(guarded > 100, "the corpus exercises the guard");

    let other = TestEnv::with_admin();
    other.ok(&["import", "leads", export.to_str().unwrap()], "");
    let query =
        "SELECT email, first_name, last_name, company, job_title, notes FROM leads ORDER BY email";
    assert_eq!(rows(&other.db(), query), rows(&env.db(), query));
}

/// Text planted behind the services' back (as another tool, an old version or a hand-edited
/// backup could leave it) in every kind of record the tables show: no listing, page, board,
/// feed or search prints a raw control character or bidi override.
#[test]
fn planted_hostile_text_never_reaches_the_terminal() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui", "--scale", "2000"], "");
    env.login("admin", crm_core::DEMO_PASSWORD);
    let corpus = hostile_strings(CORPUS, 4);
    let db = env.db();
    let mut planted = 0;
    for (table, column) in DRAWN_TEXT {
        let ids = rows(&db, &format!("SELECT id FROM {table} ORDER BY id"));
        let values: Vec<(i64, String)> = ids
            .iter()
            .enumerate()
            // Numbered: some columns are unique, and SQLite's length() stops at a NUL, so a
            // leading NUL would fail the non-empty CHECKs.
            .map(|(i, id)| {
                let n = planted + i;
                (
                    id[0].parse().unwrap(),
                    format!("P{n}:{}", corpus[n % CORPUS]),
                )
            })
            .collect();
        planted += values.len();
        plant(&db, table, column, &values);
    }
    assert!(
        planted >= CORPUS,
        "every string is planted at least once: {planted}"
    );

    let mut commands: Vec<Vec<String>> = [
        "leads list --all --limit 1000",
        "contacts list --limit 1000",
        "deals list --limit 1000",
        "tickets list --all --limit 1000",
        "tasks list --limit 1000",
        "campaigns list",
        "users list",
        "activity --limit 1000",
        "pipeline --width 200 --per-column 50",
        "report marketing",
        "report sales",
        "report tickets",
        "notes list --lead 1",
        "search a",
        "search long",
        "leads show 1",
        "contacts show 1",
        "deals show 1",
        "tickets show 1",
        "campaigns show 2",
        "companies list --limit 1000",
        "companies show 1",
        "companies dupes",
    ]
    .iter()
    .map(|c| c.split(' ').map(String::from).collect())
    .collect();
    // The rest of the leads, page by page, as a user pages through them.
    let mut after = rows(
        &db,
        "SELECT id FROM leads ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 999",
    );
    while let Some(id) = after.pop().map(|r| r[0].clone()) {
        commands.push(
            ["leads", "list", "--all", "--limit", "1000", "--after", &id]
                .map(String::from)
                .to_vec(),
        );
        after = rows(
            &db,
            &format!(
                "SELECT id FROM leads WHERE (created_at, id) < (SELECT created_at, id FROM leads WHERE id = {id}) \
                 ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 999"
            ),
        );
    }
    let mut bytes = 0;
    for command in &commands {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        bytes += hazards_of(&env, &args).0;
    }
    println!(
        "planted hostile text: {planted} cells, {} commands, {bytes} bytes printed, 0 raw control \
         characters or bidi overrides",
        commands.len()
    );
}

/// Arguments that end in an error (a bad id, an unknown stage, a refused name, a missing file)
/// are quoted in the error without their escape sequences, on one line.
#[test]
fn hostile_arguments_give_safe_one_line_errors() {
    let env = TestEnv::with_admin();
    // The OS cannot pass a NUL inside an argument.
    let corpus: Vec<String> = hostile_strings(300, 5)
        .into_iter()
        .filter(|t| !t.contains('\0'))
        .collect();
    let mut errors = 0;
    for text in &corpus {
        for args in [
            vec!["leads", "show", text],
            vec!["leads", "list", "--stage", text],
            vec!["leads", "add", "--first-name", text, "--email", text],
            vec!["contacts", "add", "--first-name", "Ok", "--phone", text],
            vec!["import", "leads", text],
            vec!["notes", "add", "--lead", text, "a note"],
        ] {
            let out = env.crm(&args).output().unwrap();
            if out.status.success() {
                continue;
            }
            errors += 1;
            let stderr = String::from_utf8_lossy(&out.stderr);
            let found = terminal_hazards(&stderr);
            assert!(
                found.is_empty(),
                "crm {args:?}: raw {found:?} in {stderr:?}"
            );
        }
    }
    println!("hostile arguments: {errors} errors printed, 0 raw control characters");
    assert!(errors > 1_000);
}
