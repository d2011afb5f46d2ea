//! `crm companies ...` on the real binary: add, list, the company page, edit, dupes, merge,
//! delete, and contacts, leads, deals and imports linking to companies on their own.

use crm_core::testing::count;

use crate::env::TestEnv;

/// Two contacts, a lead and two deals (one won) that find company 1 on their own.
fn link_records(env: &TestEnv) {
    // Contacts, leads and deals find it by name in any form, or by a business email.
    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "Aarav",
            "--last-name",
            "Sharma",
            "--company",
            "techverse solutions",
            "--email",
            "aarav@techverse.in",
        ],
        "",
    );
    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "Kabir",
            "--email",
            "kabir@TECHVERSE.in",
        ],
        "",
    );
    env.ok(
        &[
            "leads",
            "add",
            "--first-name",
            "Isha",
            "--company",
            "TechVerse Solutions Private Limited",
            "--score",
            "80",
        ],
        "",
    );
    env.ok(
        &[
            "deals",
            "add",
            "Licences",
            "--contact",
            "1",
            "--amount",
            "2,00,000",
        ],
        "",
    );
    env.ok(
        &[
            "deals",
            "add",
            "Support plan",
            "--company",
            "1",
            "--amount",
            "50,000",
        ],
        "",
    );
    env.ok(&["deals", "won", "2"], "");
}

#[test]
fn companies_are_added_listed_shown_edited_and_deleted() {
    let env = TestEnv::with_admin();
    let added = env.json(&[
        "companies",
        "add",
        "TechVerse Solutions Pvt Ltd",
        "--domain",
        "https://www.TechVerse.in/about",
        "--industry",
        "Software",
        "--size",
        "51-200",
        "--phone",
        "+91 80 4000 1000",
    ]);
    assert_eq!(added["id"], 1);
    assert_eq!(added["domain"], "techverse.in");
    assert_eq!(added["size"], "51-200");
    assert_eq!(added["owner"], "root");

    link_records(&env);
    let list = env.ok(&["companies", "list"], "");
    assert!(list.contains("TechVerse Solutions Pvt Ltd"), "{list}");
    let listed = env.json(&["companies", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(
        (
            listed[0]["contacts"].as_i64(),
            listed[0]["leads"].as_i64(),
            listed[0]["deals"].as_i64()
        ),
        (Some(2), Some(1), Some(2))
    );

    let page = env.ok(&["companies", "show", "TECHVERSE SOLUTIONS"], "");
    for expected in [
        "Won revenue: INR 50,000 from 1 deal(s)",
        "Contacts (2):",
        "Aarav Sharma",
        "Kabir",
        "Open leads (1):",
        "Isha",
        "Open deals (1):",
        "Licences",
        "INR 2,00,000",
        "Tickets (0):",
    ] {
        assert!(page.contains(expected), "{expected} missing from:\n{page}");
    }
    assert!(
        !page.contains("Support plan"),
        "a won deal is not open:\n{page}"
    );
    let json = env.json(&["companies", "show", "1"]);
    assert_eq!(json["won_revenue"][0]["amount"], "50000.00");
    assert_eq!(json["open_deals"][0]["title"], "Licences");

    let csv = env.ok(&["companies", "list", "--output", "csv"], "");
    assert!(
        csv.starts_with("id,name,domain,industry,size,phone,address,owner,contacts,leads,deals,"),
        "{csv}"
    );

    let edited = env.json(&["companies", "edit", "1", "--industry", "SaaS", "--size", ""]);
    assert_eq!(edited["industry"], "SaaS");
    assert_eq!(edited["size"], serde_json::Value::Null);

    let empty = env.json(&["companies", "add", "Shell Co"]);
    let out = env.ok(&["companies", "delete", "Shell Co", "--yes"], "");
    assert_eq!(
        out.trim(),
        format!("Deleted company {} 'Shell Co'", empty["id"])
    );
}

#[test]
fn bad_company_input_is_refused_in_one_line_and_changes_nothing() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "companies",
            "add",
            "TechVerse Solutions Pvt Ltd",
            "--domain",
            "techverse.in",
        ],
        "",
    );
    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "Aarav",
            "--email",
            "aarav@techverse.in",
        ],
        "",
    );
    // Bad input: one line naming the field, nothing changed.
    let before = env.dump();
    for (args, message) in [
        (
            vec!["companies", "edit", "1", "--domain", "not a domain"],
            "error: invalid domain: 'not a domain' is not a web domain like acme.com",
        ),
        (
            vec!["companies", "add", "Mail Co", "--domain", "gmail.com"],
            "error: invalid domain: 'gmail.com' is a free-mail provider, not a company's domain",
        ),
        (
            vec!["companies", "edit", "1", "--size", "huge"],
            "error: invalid size: unknown size 'huge' (expected one of: 1-10, 11-50, 51-200, 201-500, 501-1000, 1000+)",
        ),
        (
            vec!["companies", "show", "Globex"],
            "error: invalid company: no company named 'Globex'",
        ),
        (
            vec!["companies", "add", "TechVerse Solutions LLC"],
            "error: name 'TechVerse Solutions LLC' matches company 1 'TechVerse Solutions Pvt Ltd' already in the CRM; pass --allow-duplicate to add it anyway",
        ),
        (
            vec!["companies", "delete", "1", "--yes"],
            "error: company 1 'TechVerse Solutions Pvt Ltd' still has 1 contact(s), 0 lead(s) and 0 deal(s); merge it into another company with `crm companies merge`",
        ),
    ] {
        assert_eq!(env.fails(&args, ""), message);
    }
    assert_eq!(env.dump(), before);
}

#[test]
fn duplicate_companies_are_found_and_merged() {
    let env = TestEnv::with_admin();
    for args in [
        vec!["companies", "add", "Acme Pvt. Ltd.", "--domain", "acme.com"],
        vec!["companies", "add", "ACME Inc", "--allow-duplicate"],
        vec![
            "companies",
            "add",
            "Acme Holdings",
            "--domain",
            "acme.com",
            "--allow-duplicate",
        ],
        vec!["companies", "add", "Globex"],
    ] {
        env.ok(&args, "");
    }
    // A name finds the oldest of its companies; a deal may name the twin by id.
    let ravi = env.json(&[
        "contacts",
        "add",
        "--first-name",
        "Ravi",
        "--company",
        "acme inc",
    ]);
    assert_eq!(ravi["company_id"], 1);
    env.ok(&["deals", "add", "Pilot", "--company", "2"], "");
    let groups = env.json(&["companies", "dupes"]);
    assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
    let ids: Vec<i64> = groups[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(groups[0]["reasons"], serde_json::json!(["name", "domain"]));
    let table = env.ok(&["companies", "dupes"], "");
    assert!(
        table.contains("domain") && table.contains("acme.com"),
        "{table}"
    );

    let out = env.ok(&["companies", "merge", "1", "2", "3"], "");
    assert_eq!(
        out.trim(),
        "Merged 'ACME Inc', 'Acme Holdings' into company 1 'Acme Pvt. Ltd.': 1 contact(s), lead(s) and deal(s) moved"
    );
    assert_eq!(count(&env.db(), "SELECT count(*) FROM companies"), 2);
    assert_eq!(
        count(
            &env.db(),
            "SELECT company_id FROM deals WHERE title = 'Pilot'"
        ),
        1
    );
    assert_eq!(env.json(&["companies", "dupes"]), serde_json::json!([]));

    // Merging is for admins and managers.
    env.add_user("asha", "sales_rep");
    env.login("asha", "asha-password-1");
    let err = env.fails(&["companies", "merge", "1", "4"], "");
    assert!(err.contains("may not merge companies"), "{err}");
}

#[test]
fn an_import_links_its_rows_to_companies_and_its_undo_takes_new_ones_away() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "companies",
            "add",
            "Zenith Labs",
            "--domain",
            "zenithlabs.io",
        ],
        "",
    );
    let csv = "first_name,last_name,email,company\n\
               Asha,Rao,asha@zenithlabs.io,\n\
               Ben,Ng,ben@gmail.com,Zenith Labs LLC\n\
               Chitra,Iyer,chitra@orbit.in,Orbit Motors Pvt Ltd\n\
               Dev,Shah,dev@orbit.in,\n\
               Esha,Kaur,esha@gmail.com,\n";
    env.ok(&["import", "contacts", "-"], csv);
    let links = crm_core::testing::rows(
        &env.db(),
        "SELECT c.first_name, ifnull(co.name, '-') FROM contacts c
         LEFT JOIN companies co ON co.id = c.company_id ORDER BY c.id",
    );
    assert_eq!(
        links,
        [
            ["Asha", "Zenith Labs"],
            ["Ben", "Zenith Labs"],
            ["Chitra", "Orbit Motors Pvt Ltd"],
            ["Dev", "Orbit Motors Pvt Ltd"],
            ["Esha", "-"],
        ]
    );
    let out = env.ok(&["import", "undo", "1"], "");
    assert!(
        out.trim()
            .ends_with("5 contacts removed, 0 restored, 1 company(ies) it created removed"),
        "{out}"
    );
    let left = crm_core::testing::rows(&env.db(), "SELECT name FROM companies");
    assert_eq!(left, [["Zenith Labs"]], "the company made by hand stays");
}
