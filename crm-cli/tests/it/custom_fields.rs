//! Custom fields through the real binary: defined by an admin, filled with `--field`, shown,
//! listed with `--where`, exported as columns and imported back by their headers.

use crm_core::DEMO_PASSWORD;

use crate::env::TestEnv;

#[test]
fn a_field_goes_from_add_to_where_to_export_and_back_in() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", DEMO_PASSWORD);
    // The demo shows the feature on the first run.
    let fields = env.json(&["fields", "list"]);
    let keys: Vec<&str> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["demo_on", "preferred_plan"]);

    env.ok(
        &[
            "fields",
            "add",
            "leads",
            "Property type",
            "--type",
            "choice",
            "--choices",
            "Villa,Flat,Plot",
        ],
        "",
    );
    env.ok(
        &["fields", "add", "leads", "Budget band", "--type", "money"],
        "",
    );
    let added = env.json(&[
        "leads",
        "add",
        "--first-name",
        "Kiran",
        "--email",
        "kiran@homes.in",
        "--field",
        "property_type=villa",
        "--field",
        "budget_band=50L",
    ]);
    let id = added["id"].as_i64().unwrap().to_string();
    assert_eq!(added["fields"]["property_type"], "Villa");
    assert_eq!(added["fields"]["budget_band"], "5000000.00");

    let shown = env.ok(&["leads", "show", &id], "");
    assert!(shown.contains("Custom fields:"), "{shown}");
    assert!(
        shown.contains("Property type") && shown.contains("Villa"),
        "{shown}"
    );

    let listed = env.ok(
        &[
            "leads",
            "list",
            "--where",
            "property_type=Villa",
            "--output",
            "ids",
        ],
        "",
    );
    assert_eq!(listed.trim(), id);
    let rich = env.ok(
        &[
            "leads",
            "list",
            "--where",
            "budget_band>=40L",
            "--output",
            "ids",
        ],
        "",
    );
    assert_eq!(rich.trim(), id);

    bad_input_changes_nothing(&env);
    exported_and_imported_back(&env);
}

/// Bad input: one line naming the field, a non-zero exit, nothing written.
fn bad_input_changes_nothing(env: &TestEnv) {
    let before = env.ok(&["leads", "list", "--output", "ids", "--limit", "1000"], "");
    let err = env.fails(
        &[
            "leads",
            "add",
            "--first-name",
            "Zed",
            "--field",
            "property_type=Castle",
        ],
        "",
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("property_type") && err.contains("Castle"),
        "{err}"
    );
    let err = env.fails(&["leads", "list", "--where", "property_type>Villa"], "");
    assert!(err.contains("invalid where"), "{err}");
    // A malformed --field is a usage error (exit 2), as clap reports every malformed flag.
    let out = env
        .crm(&["leads", "add", "--first-name", "Zed", "--field", "nokey"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("KEY=VALUE"), "{err}");
    assert_eq!(
        env.ok(&["leads", "list", "--output", "ids", "--limit", "1000"], ""),
        before
    );
}

/// The CSV export has a column per field, by key; another CRM with the same fields reads them
/// back by those headers.
fn exported_and_imported_back(env: &TestEnv) {
    let csv = env.ok(&["export", "leads", "--where", "property_type=Villa"], "");
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.ends_with(",preferred_plan,property_type,budget_band"),
        "{header}"
    );
    let row = lines.next().unwrap();
    assert!(row.ends_with(",,Villa,5000000.00"), "{row}");

    let other = TestEnv::new();
    other.ok(&["demo", "--no-tui"], "");
    other.login("admin", DEMO_PASSWORD);
    other.ok(
        &[
            "fields",
            "add",
            "leads",
            "Property type",
            "--type",
            "choice",
            "--choices",
            "Villa,Flat,Plot",
        ],
        "",
    );
    other.ok(
        &["fields", "add", "leads", "Budget band", "--type", "money"],
        "",
    );
    other.ok(&["import", "leads", "-", "--create-missing"], &csv);
    let moved = other.ok(
        &[
            "leads",
            "list",
            "--where",
            "budget_band=50L",
            "--output",
            "json",
        ],
        "",
    );
    assert!(moved.contains("kiran@homes.in"), "{moved}");
}

#[test]
fn a_saved_view_keeps_its_conditions_on_custom_fields() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", DEMO_PASSWORD);
    let direct = env.ok(
        &[
            "leads",
            "list",
            "--where",
            "preferred_plan=Growth",
            "--save",
            "growth",
        ],
        "",
    );
    assert!(direct.lines().count() > 3, "{direct}");
    assert_eq!(env.ok(&["leads", "list", "--view", "growth"], ""), direct);
    let views = env.ok(&["views", "list"], "");
    assert!(views.contains("--where 'preferred_plan=Growth'"), "{views}");
}

#[test]
fn columns_show_custom_fields_in_tables_and_csv() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", DEMO_PASSWORD);
    let table = env.ok(
        &[
            "leads",
            "list",
            "--where",
            "preferred_plan=Enterprise",
            "--columns",
            "preferred_plan",
        ],
        "",
    );
    let header = table.lines().nth(1).unwrap();
    assert!(header.trim_end().ends_with("preferred_plan"), "{table}");
    let rows: Vec<&str> = table
        .lines()
        .skip(3)
        .filter(|l| l.contains("Enterprise"))
        .collect();
    assert!(rows.len() > 3, "{table}");
    let csv = env.ok(
        &[
            "leads",
            "list",
            "--columns",
            "preferred_plan",
            "--output",
            "csv",
            "--limit",
            "5",
        ],
        "",
    );
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",version,preferred_plan"),
        "{csv}"
    );
    let err = env.fails(&["deals", "list", "--columns", "preferred_plan"], "");
    assert!(
        err.contains("no field 'preferred_plan' (deals have: demo_on)"),
        "{err}"
    );
}

/// The first names of a page of leads from the API.
fn first_names(page: &serde_json::Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["first_name"].as_str().unwrap())
        .collect()
}

#[test]
fn the_api_names_the_fields_takes_their_values_and_filters_on_them() {
    use serde_json::json;

    use crate::env::ADMIN_PW;
    use crate::serve::{Server, login};

    let env = TestEnv::with_admin();
    env.ok(
        &[
            "fields",
            "add",
            "leads",
            "Property type",
            "--type",
            "choice",
            "--choices",
            "Villa,Flat,Plot",
        ],
        "",
    );
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let (status, fields) = server.get("/api/v1/fields?of=leads", &root);
    assert_eq!(status, 200, "{fields}");
    assert_eq!(fields[0]["key"], "property_type");
    assert_eq!(fields[0]["choices"], json!(["Villa", "Flat", "Plot"]));

    let (status, lead) = server.post(
        "/api/v1/leads",
        &root,
        &json!({ "first_name": "Tara", "fields": { "property_type": "flat" } }),
    );
    assert_eq!(status, 201, "{lead}");
    assert_eq!(lead["fields"]["property_type"], "Flat");
    let (status, refused) = server.post(
        "/api/v1/leads",
        &root,
        &json!({ "first_name": "Tom", "fields": { "property_type": "Castle" } }),
    );
    assert_eq!(status, 422, "{refused}");
    assert!(refused.to_string().contains("property_type"), "{refused}");

    let (status, page) = server.get("/api/v1/leads?where=property_type%3DFlat", &root);
    assert_eq!(status, 200, "{page}");
    assert_eq!(first_names(&page), ["Tara"]);
    let (status, none) = server.get("/api/v1/leads?where=property_type%3DVilla", &root);
    assert_eq!(status, 200, "{none}");
    assert!(none["items"].as_array().unwrap().is_empty(), "{none}");

    // `sort=` takes a field's key as it takes the list's own orders.
    for (name, plan) in [("Uma", "villa"), ("Ved", "")] {
        let (status, lead) = server.post(
            "/api/v1/leads",
            &root,
            &json!({ "first_name": name, "fields": { "property_type": plan } }),
        );
        assert_eq!(status, 201, "{lead}");
    }
    let (status, page) = server.get("/api/v1/leads?sort=property_type&desc=false", &root);
    assert_eq!(status, 200, "{page}");
    assert_eq!(first_names(&page), ["Tara", "Uma", "Ved"]);
    let (status, refused) = server.get("/api/v1/leads?sort=property", &root);
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused.to_string().contains("no field 'property'"),
        "{refused}"
    );
}

#[test]
fn lists_sort_by_a_field_views_keep_it_and_search_finds_values() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", DEMO_PASSWORD);
    let deals = env.json(&[
        "deals", "list", "--sort", "demo_on", "--asc", "--limit", "20",
    ]);
    let dates: Vec<Option<&str>> = deals
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["fields"]["demo_on"].as_str())
        .collect();
    // The demo dates twelve open deals; they come first, soonest first, then the rest.
    let with_date: Vec<&str> = dates.iter().map_while(|d| *d).collect();
    assert_eq!(with_date.len(), 12, "{dates:?}");
    assert!(with_date.is_sorted(), "{with_date:?}");
    assert!(dates[12..].iter().all(Option::is_none), "{dates:?}");

    let leads = env.ok(
        &[
            "leads",
            "list",
            "--sort",
            "preferred_plan",
            "--save",
            "plans",
        ],
        "",
    );
    let views = env.ok(&["views", "list"], "");
    assert!(views.contains("--sort preferred_plan"), "{views}");
    assert_eq!(env.ok(&["leads", "list", "--view", "plans"], ""), leads);
    let out = env
        .crm(&["deals", "list", "--sort", "Demo On!"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "a usage error: {err}");
    assert!(
        err.contains("unknown sort 'Demo On!' (expected one of: created, updated, amount, title, expected-close, id, or a custom field's key)"),
        "{err}"
    );

    // The demo's plans are words search finds, in global search and in a list's --search.
    let hits = env.json(&["search", "enterpr", "--limit", "50"]);
    assert!(!hits.as_array().unwrap().is_empty(), "{hits}");
    for hit in hits.as_array().unwrap() {
        let id = hit["record"]["id"].to_string();
        let lead = env.json(&["leads", "show", &id]);
        assert_eq!(lead["fields"]["preferred_plan"], "Enterprise", "{lead}");
    }
    let listed = env.json(&["leads", "list", "--search", "enterprise", "--limit", "500"]);
    assert_eq!(
        listed.as_array().unwrap().len(),
        env.json(&[
            "leads",
            "list",
            "--where",
            "preferred_plan=Enterprise",
            "--limit",
            "500"
        ])
        .as_array()
        .unwrap()
        .len()
    );
}

#[test]
fn a_report_counts_records_by_a_choice_field_within_what_the_user_reads() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", DEMO_PASSWORD);
    let all = env.json(&["report", "leads", "--by", "preferred_plan"]);
    // The first spelling stays for scripts written for it.
    assert_eq!(env.json(&["report", "by", "leads", "preferred_plan"]), all);
    let count = |r: &serde_json::Value| -> i64 {
        r["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v[1].as_i64().unwrap())
            .sum::<i64>()
            + r["none"].as_i64().unwrap()
    };
    let leads = env.ok(
        &[
            "leads", "list", "--all", "--limit", "1000", "--output", "ids",
        ],
        "",
    );
    assert_eq!(count(&all), i64::try_from(leads.lines().count()).unwrap());
    let plans: Vec<&str> = all["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[0].as_str().unwrap())
        .collect();
    assert_eq!(plans, ["Starter", "Growth", "Enterprise"]);
    let growth = all["values"][1][1].as_i64().unwrap();
    let listed = env.ok(
        &[
            "leads",
            "list",
            "--all",
            "--where",
            "preferred_plan=Growth",
            "--limit",
            "1000",
            "--output",
            "ids",
        ],
        "",
    );
    assert_eq!(growth, i64::try_from(listed.lines().count()).unwrap());

    // Tickets are counted by their fields too; the ticket report stays without --by.
    env.ok(
        &[
            "fields",
            "add",
            "tickets",
            "Product",
            "--type",
            "choice",
            "--choices",
            "App,Portal",
        ],
        "",
    );
    env.ok(&["tickets", "edit", "1", "--field", "product=portal"], "");
    env.ok(&["tickets", "edit", "2", "--field", "product=App"], "");
    let tickets = env.json(&["report", "tickets", "--by", "product"]);
    assert_eq!(
        tickets["values"],
        serde_json::json!([["App", 1], ["Portal", 1]])
    );
    let all_tickets = env.json(&["tickets", "list", "--all", "--limit", "1000"]);
    assert_eq!(
        count(&tickets),
        i64::try_from(all_tickets.as_array().unwrap().len()).unwrap()
    );
    assert!(env.json(&["report", "tickets"]).get("values").is_none());

    // A rep's report counts their own leads only, and the tickets of their own contacts.
    env.login("asha", DEMO_PASSWORD);
    let own = env.json(&["report", "leads", "--by", "preferred_plan"]);
    assert!(count(&own) < count(&all), "{own}");
    let own_tickets = env.json(&["report", "tickets", "--by", "product"]);
    assert!(count(&own_tickets) < count(&tickets), "{own_tickets}");
    let err = env.fails(&["report", "deals", "--by", "demo_on"], "");
    assert!(err.contains("date field"), "{err}");
    assert!(!err.contains("  "), "one line of single spaces: {err}");
    env.login("neha", DEMO_PASSWORD);
    let err = env.fails(&["report", "tickets", "--by", "product"], "");
    assert!(err.contains("may not read tickets"), "{err}");
}

#[test]
fn keep_extra_keeps_a_google_exports_other_columns_as_fields_a_person_sees() {
    let env = TestEnv::with_admin();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crm-core/tests/fixtures/moving-in/google-contacts.csv"
    );
    let out = env
        .crm(&["import", "contacts", file, "--keep-extra"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("columns kept as new custom fields: 'Nickname' as nickname"),
        "{said}"
    );
    assert!(
        said.contains(
            "column 'E-mail 1 - Value': 1 cell(s) held several values joined by ' ::: '; the \
             first of each filled the field, the others are kept in custom field \
             e_mail_1_value_more"
        ),
        "{said}"
    );
    assert!(!said.contains("ignored columns"), "{said}");
    let found = env.json(&["contacts", "list", "--search", "tariq"]);
    let id = found[0]["id"].to_string();
    let shown = env.ok(&["contacts", "show", &id], "");
    assert!(shown.contains("t.hussain@jetset.in"), "{shown}");
    assert!(shown.contains("Operations Head"), "{shown}");
}

/// Every type, with a good and a bad value each: (label, type, choices, good, stored, bad,
/// what the refusal says).
const EVERY_TYPE: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "Note",
        "text",
        "",
        "Met at expo",
        "Met at expo",
        "a\u{7}b",
        "control",
    ),
    (
        "Story",
        "long_text",
        "",
        "Two lines",
        "Two lines",
        "x\u{1b}[31m",
        "control",
    ),
    ("Rooms", "number", "", "3", "3", "three", "number"),
    ("Budget", "money", "", "50L", "5000000.00", "-5", "negative"),
    (
        "Visit",
        "date",
        "",
        "2026-12-10",
        "2026-12-10",
        "10/12/2026",
        "YYYY-MM-DD",
    ),
    ("Loan", "yes_no", "", "y", "yes", "maybe", "yes or no"),
    (
        "Kind",
        "choice",
        "Villa,Flat",
        "villa",
        "Villa",
        "Castle",
        "'Castle'",
    ),
    (
        "Wants",
        "multi_choice",
        "Pool,Lift",
        "lift;pool",
        "Pool, Lift",
        "Pool;Moat",
        "'Moat'",
    ),
    ("Agent", "user", "", "ROOT", "root", "nobody", "nobody"),
    (
        "Site",
        "url",
        "",
        "https://x.example.in",
        "https://x.example.in",
        "x.example",
        "http",
    ),
    ("Alt email", "email", "", "a@b.in", "a@b.in", "a.b.in", "@"),
    (
        "Alt phone",
        "phone",
        "",
        "+91 98765 43210",
        "+91 98765 43210",
        "12",
        "digits",
    ),
];

fn define_every_type(env: &TestEnv) {
    for (label, kind, choices, ..) in EVERY_TYPE {
        let mut args = vec!["fields", "add", "leads", label, "--type", kind];
        if !choices.is_empty() {
            args.extend(["--choices", choices]);
        }
        env.ok(&args, "");
    }
}

/// The key `crm fields add` makes from a label.
fn key(label: &str) -> String {
    label.to_lowercase().replace(' ', "_")
}

#[test]
fn every_type_takes_a_good_value_and_refuses_a_bad_one_through_the_cli() {
    let env = TestEnv::with_admin();
    define_every_type(&env);
    let mut args = vec![
        "leads".to_string(),
        "add".into(),
        "--first-name".into(),
        "Ira".into(),
    ];
    for (label, _, _, good, ..) in EVERY_TYPE {
        args.extend(["--field".into(), format!("{}={good}", key(label))]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let added = env.json(&args);
    let id = added["id"].to_string();
    let shown = env.ok(&["leads", "show", &id], "");
    for (label, _, _, _, stored, ..) in EVERY_TYPE {
        let line = shown
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label} shown: {shown}"));
        assert!(line.contains(stored), "{label}: {line}");
    }
    for (label, _, _, _, _, bad, why) in EVERY_TYPE {
        let before = env.dump();
        let field = format!("{}={bad}", key(label));
        let err = env.fails(&["leads", "edit", &id, "--field", &field], "");
        assert!(
            err.contains(&key(label)) && err.contains(why),
            "{label} = {bad:?}: {err}"
        );
        assert_eq!(
            env.dump(),
            before,
            "{label}: a refused value changes nothing"
        );
    }
}

#[test]
fn every_type_takes_a_good_value_and_refuses_a_bad_one_through_the_api() {
    use crate::env::ADMIN_PW;
    use crate::serve::{Server, login};

    let env = TestEnv::with_admin();
    define_every_type(&env);
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let good: serde_json::Map<String, serde_json::Value> = EVERY_TYPE
        .iter()
        .map(|(label, _, _, good, ..)| (key(label), serde_json::Value::from(*good)))
        .collect();
    let (status, lead) = server.post(
        "/api/v1/leads",
        &root,
        &serde_json::json!({ "first_name": "Ira", "fields": good }),
    );
    assert_eq!(status, 201, "{lead}");
    for (label, _, _, _, stored, ..) in EVERY_TYPE {
        let value = &lead["fields"][key(label)];
        let shown = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
        assert_eq!(shown, *stored, "{label}: {lead}");
    }
    for (label, _, _, _, _, bad, why) in EVERY_TYPE {
        let (status, refused) = server.post(
            "/api/v1/leads",
            &root,
            &serde_json::json!({ "first_name": "Bad", "fields": { key(label): bad } }),
        );
        assert_eq!(status, 422, "{label}: {refused}");
        let said = refused.to_string();
        assert!(
            said.contains(&key(label)) && said.contains(why),
            "{label}: {said}"
        );
    }
}
