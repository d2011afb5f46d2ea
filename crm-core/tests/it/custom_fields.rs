//! Custom fields (issue 25): definitions, values on every kind of record, list conditions,
//! required fields, rename, retire, purge and refused type changes, on both engines.

use crm_core::{
    Comparison, Error, FieldCondition, FieldKind, FieldPatch, FieldsOf, LeadPatch, LeadQuery,
    NewContact, NewField, NewLead, Role,
};

use crate::env::Env;

fn field(label: &str, kind: FieldKind, choices: &[&str]) -> NewField {
    NewField {
        label: label.into(),
        kind: Some(kind),
        choices: choices.iter().map(|c| (*c).to_string()).collect(),
        ..NewField::default()
    }
}

fn lead(name: &str, values: &[(&str, &str)]) -> NewLead {
    NewLead {
        first_name: name.into(),
        fields: values
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
        ..NewLead::default()
    }
}

fn listed(env: &Env, conditions: &[&str]) -> Vec<String> {
    let query = LeadQuery {
        wheres: conditions.iter().map(|c| c.parse().unwrap()).collect(),
        ..LeadQuery::default()
    };
    let mut names: Vec<String> = env
        .crm
        .list_leads(&env.admin, &query)
        .unwrap()
        .items
        .into_iter()
        .map(|l| l.first_name)
        .collect();
    names.sort();
    names
}

fn invalid_field(err: Error) -> String {
    match err {
        Error::Invalid { field, .. } => field,
        other => panic!("expected an invalid field, got {other}"),
    }
}

crate::on_both_engines!(leads_keep_typed_values_and_lists_filter_on_them);
fn leads_keep_typed_values_and_lists_filter_on_them(env: &Env) {
    let admin = &env.admin;
    let crm = &env.crm;
    define(
        env,
        &[
            (
                FieldsOf::Leads,
                "Property type",
                FieldKind::Choice,
                &["Villa", "Flat", "Plot"][..],
            ),
            (FieldsOf::Leads, "Budget", FieldKind::Money, &[][..]),
            (FieldsOf::Leads, "Visit", FieldKind::Date, &[][..]),
            (
                FieldsOf::Leads,
                "Wants",
                FieldKind::MultiChoice,
                &["Pool", "Garden", "Lift"][..],
            ),
        ],
    );

    let asha = crm
        .add_lead(
            admin,
            &lead(
                "Asha",
                &[
                    ("property_type", "villa"),
                    ("budget", "50L"),
                    ("visit", "2026-12-10"),
                    ("wants", "garden, pool"),
                ],
            ),
        )
        .unwrap();
    let shown = crm.lead(admin, asha.id).unwrap();
    let text = |key: &str| shown.fields.get(key).map(crm_core::FieldValue::text);
    assert_eq!(text("property_type").as_deref(), Some("Villa"));
    assert_eq!(text("budget").as_deref(), Some("5000000.00"));
    assert_eq!(text("visit").as_deref(), Some("2026-12-10"));
    // A multi-choice keeps the field's order of choices.
    assert_eq!(text("wants").as_deref(), Some("Pool, Garden"));
    let json = serde_json::to_value(&shown).unwrap();
    assert_eq!(
        json["fields"]["wants"],
        serde_json::json!(["Pool", "Garden"])
    );

    crm.add_lead(
        admin,
        &lead(
            "Ravi",
            &[("property_type", "Flat"), ("budget", "20,00,000")],
        ),
    )
    .unwrap();
    crm.add_lead(
        admin,
        &lead("Neha", &[("budget", "90L"), ("wants", "Lift")]),
    )
    .unwrap();
    crm.add_lead(admin, &lead("Omar", &[])).unwrap();

    assert_eq!(listed(env, &["property_type=Villa"]), ["Asha"]);
    assert_eq!(
        listed(env, &["property_type!=Villa"]),
        ["Neha", "Omar", "Ravi"]
    );
    assert_eq!(listed(env, &["budget>=50L"]), ["Asha", "Neha"]);
    assert_eq!(listed(env, &["budget<5000000"]), ["Ravi"]);
    assert_eq!(
        listed(env, &["budget>=20L", "budget<=50L"]),
        ["Asha", "Ravi"]
    );
    assert_eq!(listed(env, &["visit>2026-12-01"]), ["Asha"]);
    assert_eq!(listed(env, &["wants=pool"]), ["Asha"]);
    assert_eq!(
        listed(env, &["wants=lift", "budget>1Cr"]),
        Vec::<String>::new()
    );

    bad_conditions_name_where(env);

    // Editing sets, replaces and clears one field, leaving the others.
    let patch = LeadPatch {
        fields: [
            ("property_type".to_string(), "Plot".to_string()),
            ("visit".to_string(), String::new()),
        ]
        .into(),
        ..LeadPatch::default()
    };
    let edited = crm.edit_lead(admin, asha.id, &patch).unwrap();
    assert_eq!(edited.fields.get("property_type").unwrap().text(), "Plot");
    assert!(edited.fields.get("visit").is_none());
    assert_eq!(edited.fields.get("budget").unwrap().text(), "5000000.00");
    assert!(edited.version > asha.version);
}

/// Bad conditions name `where` and what is wrong.
fn bad_conditions_name_where(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    for (condition, why) in [
        ("property_type>Villa", "= or != only"),
        ("property_type=Castle", "not one of its choices"),
        ("budget>=lots", "not an amount"),
        ("colour=red", "no field 'colour'"),
    ] {
        let query = LeadQuery {
            wheres: vec![condition.parse().unwrap()],
            ..LeadQuery::default()
        };
        let err = crm.list_leads(admin, &query).unwrap_err().to_string();
        assert!(err.starts_with("invalid where:"), "{condition}: {err}");
        assert!(err.contains(why), "{condition}: {err}");
    }
}

/// Retired: gone from records and forms, values kept; restored, they are back; purged, gone.
fn retire_restore_purge(env: &Env, a: crm_core::LeadId) {
    let (crm, admin) = (&env.crm, &env.admin);
    crm.retire_field(admin, FieldsOf::Leads, "property_type")
        .unwrap();
    assert!(
        crm.lead(admin, a)
            .unwrap()
            .fields
            .get("property_type")
            .is_none()
    );
    assert!(
        crm.fields(admin, Some(FieldsOf::Leads), false)
            .unwrap()
            .iter()
            .all(|f| f.key != "property_type")
    );
    assert!(
        crm.purge_field(admin, FieldsOf::Leads, "rooms").is_err(),
        "a field in use is retired before it is purged"
    );
    crm.restore_field(admin, FieldsOf::Leads, "property_type")
        .unwrap();
    assert_eq!(
        crm.lead(admin, a)
            .unwrap()
            .fields
            .get("property_type")
            .unwrap()
            .text(),
        "Villa"
    );
    crm.retire_field(admin, FieldsOf::Leads, "property_type")
        .unwrap();
    assert_eq!(
        crm.purge_field(admin, FieldsOf::Leads, "property_type")
            .unwrap(),
        1
    );
    assert!(
        crm.fields(admin, Some(FieldsOf::Leads), true)
            .unwrap()
            .len()
            == 1
    );
}

crate::on_both_engines!(a_bad_or_missing_value_changes_nothing);
fn a_bad_or_missing_value_changes_nothing(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    crm.add_field(
        admin,
        FieldsOf::Leads,
        &NewField {
            required: true,
            ..field("Property type", FieldKind::Choice, &["Villa", "Flat"])
        },
    )
    .unwrap();
    define(
        env,
        &[(FieldsOf::Leads, "Rooms", FieldKind::Number, &[][..])],
    );
    let before = crm
        .list_leads(admin, &LeadQuery::default())
        .unwrap()
        .items
        .len();

    let missing = crm
        .add_lead(admin, &lead("Ada", &[("rooms", "3")]))
        .unwrap_err();
    assert_eq!(invalid_field(missing), "property_type");
    let bad = crm
        .add_lead(
            admin,
            &lead("Ada", &[("property_type", "Villa"), ("rooms", "three")]),
        )
        .unwrap_err();
    assert_eq!(invalid_field(bad), "rooms");
    let unknown = crm
        .add_lead(
            admin,
            &lead("Ada", &[("property_type", "Villa"), ("colour", "red")]),
        )
        .unwrap_err();
    assert!(
        unknown.to_string().contains("no field 'colour'"),
        "{unknown}"
    );
    assert_eq!(
        crm.list_leads(admin, &LeadQuery::default())
            .unwrap()
            .items
            .len(),
        before,
        "a refused lead is not half-written"
    );

    let ada = crm
        .add_lead(admin, &lead("Ada", &[("property_type", "Villa")]))
        .unwrap();
    let clear = LeadPatch {
        fields: [("property_type".to_string(), String::new())].into(),
        first_name: Some("Adaline".into()),
        ..LeadPatch::default()
    };
    let err = crm.edit_lead(admin, ada.id, &clear).unwrap_err();
    assert_eq!(invalid_field(err), "property_type");
    let kept = crm.lead(admin, ada.id).unwrap();
    assert_eq!(kept.first_name, "Ada", "the refused edit wrote nothing");
    assert_eq!(kept.fields.get("property_type").unwrap().text(), "Villa");
}

crate::on_both_engines!(rename_retire_purge_and_refused_changes);
fn rename_retire_purge_and_refused_changes(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    define(
        env,
        &[
            (
                FieldsOf::Leads,
                "Property type",
                FieldKind::Choice,
                &["Villa", "Flat"][..],
            ),
            (FieldsOf::Leads, "Rooms", FieldKind::Text, &[][..]),
        ],
    );
    let a = crm
        .add_lead(
            admin,
            &lead("Ana", &[("property_type", "Villa"), ("rooms", "3")]),
        )
        .unwrap();
    let b = crm
        .add_lead(admin, &lead("Ben", &[("rooms", "four")]))
        .unwrap();

    // A rename keeps the values.
    let renamed = crm
        .edit_field(
            admin,
            FieldsOf::Leads,
            "property_type",
            &FieldPatch {
                label: Some("Home kind".into()),
                ..FieldPatch::default()
            },
        )
        .unwrap();
    assert_eq!(renamed.label, "Home kind");
    let shown = crm.lead(admin, a.id).unwrap();
    assert_eq!(
        shown.fields.get("property_type").unwrap().label,
        "Home kind"
    );

    // A type change that a stored value would not survive is refused, naming the record.
    let to_number = FieldPatch {
        kind: Some(FieldKind::Number),
        ..FieldPatch::default()
    };
    let err = crm
        .edit_field(admin, FieldsOf::Leads, "rooms", &to_number)
        .unwrap_err()
        .to_string();
    assert!(err.contains(&format!("leads {}", b.id)), "{err}");
    assert!(err.contains("'four'"), "{err}");
    // Dropping a choice in use is refused too; once the value is fixed, both go through.
    let fewer = FieldPatch {
        choices: Some(vec!["Flat".into()]),
        ..FieldPatch::default()
    };
    assert!(
        crm.edit_field(admin, FieldsOf::Leads, "property_type", &fewer)
            .is_err()
    );
    crm.edit_lead(
        admin,
        b.id,
        &LeadPatch {
            fields: [("rooms".to_string(), "4".to_string())].into(),
            ..LeadPatch::default()
        },
    )
    .unwrap();
    let number = crm
        .edit_field(admin, FieldsOf::Leads, "rooms", &to_number)
        .unwrap();
    assert_eq!(number.kind, FieldKind::Number);
    assert_eq!(listed(env, &["rooms>3.5"]), ["Ben"]);
    // Requiring a field some leads lack is refused, naming them.
    let require = FieldPatch {
        required: Some(true),
        ..FieldPatch::default()
    };
    let err = crm
        .edit_field(admin, FieldsOf::Leads, "property_type", &require)
        .unwrap_err()
        .to_string();
    assert!(err.contains(&b.id.to_string()), "{err}");

    retire_restore_purge(env, a.id);
}

crate::on_both_engines!(only_admins_define_fields_and_names_stay_unique);
fn only_admins_define_fields_and_names_stay_unique(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    let asha = env.user("asha", Role::SalesRep);
    let err = crm
        .add_field(
            &asha,
            FieldsOf::Leads,
            &field("Rooms", FieldKind::Number, &[]),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    define(
        env,
        &[(FieldsOf::Contacts, "Birthday", FieldKind::Date, &[][..])],
    );
    for (new, why) in [
        (field("birthday", FieldKind::Text, &[]), "already"),
        (field("Email", FieldKind::Email, &[]), "built-in"),
        (field("Tier", FieldKind::Choice, &[]), "at least one choice"),
        (field("Tier", FieldKind::Text, &["A"]), "has no choices"),
        (field("  ", FieldKind::Text, &[]), "label"),
    ] {
        let err = crm
            .add_field(admin, FieldsOf::Contacts, &new)
            .unwrap_err()
            .to_string();
        assert!(err.contains(why), "{}: {err}", new.label);
    }
    // A rep reads the definitions and fills the values of their own records.
    assert_eq!(crm.fields(&asha, None, false).unwrap().len(), 1);
    let contact = crm
        .add_contact(
            &asha,
            &NewContact {
                first_name: "Mira".into(),
                fields: [("birthday".to_string(), "1990-04-01".to_string())].into(),
                ..NewContact::default()
            },
        )
        .unwrap();
    assert_eq!(contact.fields.get("birthday").unwrap().text(), "1990-04-01");
    // The same key on another kind of record is another field.
    define(
        env,
        &[(FieldsOf::Tickets, "Birthday", FieldKind::Date, &[][..])],
    );
}

crate::on_both_engines!(deleting_a_record_deletes_its_values);
fn deleting_a_record_deletes_its_values(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    define(
        env,
        &[(FieldsOf::Leads, "Rooms", FieldKind::Number, &[][..])],
    );
    let gone = crm
        .add_lead(admin, &lead("Gone", &[("rooms", "2")]))
        .unwrap();
    crm.delete_lead(admin, gone.id, None).unwrap();
    // A new lead never inherits a deleted one's values, whatever its id.
    assert_eq!(listed(env, &["rooms=2"]), Vec::<String>::new());
    let condition: FieldCondition = "rooms=2".parse().unwrap();
    assert_eq!(condition.comparison, Comparison::Equal);
}

crate::on_both_engines!(a_merge_keeps_custom_values_and_its_undo_puts_them_back);
fn a_merge_keeps_custom_values_and_its_undo_puts_them_back(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    define(
        env,
        &[
            (FieldsOf::Contacts, "Birthday", FieldKind::Date, &[][..]),
            (
                FieldsOf::Contacts,
                "Tier",
                FieldKind::Choice,
                &["Gold", "Silver"][..],
            ),
        ],
    );
    let person = |name: &str, values: &[(&str, &str)]| {
        crm.add_contact(
            admin,
            &NewContact {
                first_name: name.into(),
                fields: values
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
                ..NewContact::default()
            },
        )
        .unwrap()
        .id
    };
    let keep = person("Mira", &[("tier", "Gold")]);
    let other = person("Mira K", &[("tier", "Silver"), ("birthday", "1990-04-01")]);
    let merge = crm.merge_contacts(admin, keep, &[other]).unwrap();
    let kept = crm.contact(admin, keep).unwrap();
    // The kept value stays; the empty field is filled from the one merged away.
    assert_eq!(kept.fields.get("tier").unwrap().text(), "Gold");
    assert_eq!(kept.fields.get("birthday").unwrap().text(), "1990-04-01");

    crm.undo_merge(admin, merge.id).unwrap();
    let kept = crm.contact(admin, keep).unwrap();
    assert!(
        kept.fields.get("birthday").is_none(),
        "the filled field is emptied again"
    );
    let back = crm.contact(admin, other).unwrap();
    assert_eq!(back.fields.get("tier").unwrap().text(), "Silver");
    assert_eq!(back.fields.get("birthday").unwrap().text(), "1990-04-01");
}

crate::on_both_engines!(a_persons_copy_holds_their_custom_values_and_erasure_removes_them);
fn a_persons_copy_holds_their_custom_values_and_erasure_removes_them(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    define(env, &[(FieldsOf::Leads, "Hobby", FieldKind::Text, &[][..])]);
    let email = "zara.q@example.in";
    crm.add_lead(
        admin,
        &NewLead {
            email: Some(email.into()),
            ..lead("Zara", &[("hobby", "Sitar lessons")])
        },
    )
    .unwrap();
    // Retired fields' values are the person's data too.
    crm.retire_field(admin, FieldsOf::Leads, "hobby").unwrap();
    let copy = serde_json::to_string(&crm.privacy_export(admin, email).unwrap()).unwrap();
    assert!(copy.contains("Sitar lessons"), "{copy}");
    crm.privacy_erase(admin, email).unwrap();
    crm.restore_field(admin, FieldsOf::Leads, "hobby").unwrap();
    assert_eq!(listed(env, &["hobby=Sitar lessons"]), Vec::<String>::new());
    let left = crm_core::testing::rows(&env.path, "SELECT count(*) FROM custom_values");
    assert_eq!(left, [vec!["0".to_string()]]);
}

/// Collects an import's problems.
#[derive(Default)]
struct Problems(Vec<crm_core::import::ImportProblem>);

impl crm_core::import::ImportObserver for Problems {
    fn problem(&mut self, problem: &crm_core::import::ImportProblem) {
        self.0.push(problem.clone());
    }
}

crate::on_both_engines!(an_import_fills_every_type_and_names_each_bad_cell);
fn an_import_fills_every_type_and_names_each_bad_cell(env: &Env) {
    use std::fmt::Write as _;

    use crm_core::import::{ImportKind, ImportOptions};
    let (crm, admin) = (&env.crm, &env.admin);
    let kinds = [
        ("Note", FieldKind::Text, "Met at expo", "a\u{7}b"),
        ("Story", FieldKind::LongText, "Two lines", "x\u{1b}[31m"),
        ("Rooms", FieldKind::Number, "3", "three"),
        ("Budget", FieldKind::Money, "50L", "-5"),
        ("Visit", FieldKind::Date, "2026-12-10", "10/12/2026"),
        ("Loan", FieldKind::YesNo, "yes", "maybe"),
        ("Kind", FieldKind::Choice, "villa", "Castle"),
        ("Wants", FieldKind::MultiChoice, "Pool;Lift", "Pool;Moat"),
        ("Agent", FieldKind::User, "root", "nobody"),
        ("Site", FieldKind::Url, "https://x.example.in", "x.example"),
        ("Alt email", FieldKind::Email, "a@b.in", "a.b.in"),
        ("Alt phone", FieldKind::Phone, "+91 98765 43210", "12"),
    ];
    for (label, kind, _, _) in kinds {
        let choices: &[&str] = match kind {
            FieldKind::Choice => &["Villa", "Flat"],
            FieldKind::MultiChoice => &["Pool", "Lift"],
            _ => &[],
        };
        crm.add_field(admin, FieldsOf::Leads, &field(label, kind, choices))
            .unwrap();
    }
    // Headers by label, as a person types them; the export's keys work too.
    let header: Vec<&str> = kinds.iter().map(|k| k.0).collect();
    let good: Vec<&str> = kinds.iter().map(|k| k.2).collect();
    let mut csv = format!("first_name,{}\nGood,{}\n", header.join(","), good.join(","));
    for (i, (_, _, _, bad)) in kinds.iter().enumerate() {
        let mut row = good.clone();
        row[i] = bad;
        writeln!(csv, "Bad{i},{}", row.join(",")).unwrap();
    }
    let mut problems = Problems::default();
    let report = crm
        .import(
            admin,
            csv.as_bytes(),
            &ImportOptions::new(ImportKind::Leads),
            &mut problems,
        )
        .unwrap();
    assert_eq!(report.invalid, 12, "{:?}", problems.0);
    assert!(!report.committed, "a bad row and nothing is written");
    assert!(
        report.ignored_columns.is_empty(),
        "{:?}",
        report.ignored_columns
    );
    for (i, (label, _, _, _)) in kinds.iter().enumerate() {
        let row = u64::try_from(i).unwrap() + 3;
        let problem = problems.0.iter().find(|p| p.row == row).unwrap();
        let key = key_of(label);
        let said = format!("{} {}", problem.column, problem.reason);
        assert!(said.contains(&key), "row {row} ({label}): {said}");
    }

    // The good row alone imports with every value in its stored form.
    let only_good = format!("first_name,{}\nGood,{}\n", header.join(","), good.join(","));
    let report = crm
        .import(
            admin,
            only_good.as_bytes(),
            &ImportOptions::new(ImportKind::Leads),
            &mut (),
        )
        .unwrap();
    assert_eq!(report.inserted, 1);
    let lead = crm
        .list_leads(admin, &LeadQuery::default())
        .unwrap()
        .items
        .into_iter()
        .find(|l| l.first_name == "Good")
        .unwrap();
    let text = |key: &str| {
        lead.fields
            .get(key)
            .map(crm_core::FieldValue::text)
            .unwrap()
    };
    assert_eq!(text("budget"), "5000000.00");
    assert_eq!(text("kind"), "Villa");
    assert_eq!(text("wants"), "Pool, Lift");
    assert_eq!(text("loan"), "yes");
    assert_eq!(text("alt_phone"), "+91 98765 43210");
}

/// The key a label makes, as `crm fields add` makes it.
fn key_of(label: &str) -> String {
    label.to_lowercase().replace(' ', "_")
}

crate::on_both_engines!(an_update_import_changes_custom_values_and_its_undo_puts_them_back);
fn an_update_import_changes_custom_values_and_its_undo_puts_them_back(env: &Env) {
    use crm_core::import::{ImportKind, ImportOptions, OnDuplicate};
    let (crm, admin) = (&env.crm, &env.admin);
    define(
        env,
        &[(
            FieldsOf::Leads,
            "Property type",
            FieldKind::Choice,
            &["Villa", "Flat"][..],
        )],
    );
    let lead = crm
        .add_lead(
            admin,
            &NewLead {
                email: Some("ria@homes.in".into()),
                ..lead("Ria", &[("property_type", "Villa")])
            },
        )
        .unwrap();
    let mut options = ImportOptions::new(ImportKind::Leads);
    options.on_duplicate = OnDuplicate::Update;
    let csv = "email,Property type\nria@homes.in,flat\n";
    let report = crm
        .import(admin, csv.as_bytes(), &options, &mut ())
        .unwrap();
    assert_eq!(report.updated, 1);
    let plan = |env: &Env| {
        env.crm
            .lead(&env.admin, lead.id)
            .unwrap()
            .fields
            .get("property_type")
            .map(crm_core::FieldValue::text)
    };
    assert_eq!(plan(env).as_deref(), Some("Flat"));
    crm.undo_import(admin, report.batch.unwrap()).unwrap();
    assert_eq!(plan(env).as_deref(), Some("Villa"));
}

crate::on_both_engines!(a_company_merge_fills_the_kept_companys_empty_fields);
fn a_company_merge_fills_the_kept_companys_empty_fields(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    define(
        env,
        &[
            (FieldsOf::Companies, "Fleet", FieldKind::Number, &[][..]),
            (
                FieldsOf::Companies,
                "Tier",
                FieldKind::Choice,
                &["Gold", "Silver"][..],
            ),
        ],
    );
    let company = |name: &str, values: &[(&str, &str)]| {
        crm.add_company(
            admin,
            &crm_core::NewCompany {
                name: name.into(),
                fields: values
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
                // The second is the first under another form of its name: a duplicate.
                allow_duplicate: true,
                ..crm_core::NewCompany::default()
            },
        )
        .unwrap()
        .id
    };
    let keep = company("Orbit Motors", &[("tier", "Gold")]);
    let other = company("Orbit Motors Pvt", &[("tier", "Silver"), ("fleet", "40")]);
    let merged = crm.merge_companies(admin, keep, &[other]).unwrap();
    assert_eq!(merged.kept.fields.get("tier").unwrap().text(), "Gold");
    assert_eq!(merged.kept.fields.get("fleet").unwrap().text(), "40");
    let left = crm_core::testing::rows(&env.path, "SELECT count(*) FROM custom_values");
    assert_eq!(
        left,
        [vec!["2".to_string()]],
        "the merged-away company's values went with it"
    );
}

/// The first names of the leads of `query`, a page of `limit` at a time after each page's
/// last lead: the whole order, walked as a person pages through it.
fn paged_names(env: &Env, query: &LeadQuery, limit: u32) -> Vec<String> {
    let mut names = Vec::new();
    let mut after = None;
    loop {
        let page = env
            .crm
            .list_leads(&env.admin, &query.clone().paged(limit, after, None))
            .unwrap();
        names.extend(page.items.iter().map(|l| l.first_name.clone()));
        match page.next_after {
            Some(next) => after = Some(crm_core::LeadId(next)),
            None => return names,
        }
    }
}

crate::on_both_engines!(lists_sort_by_a_custom_field_with_records_without_one_last);
fn lists_sort_by_a_custom_field_with_records_without_one_last(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    define(
        env,
        &[
            (FieldsOf::Leads, "Budget", FieldKind::Money, &[][..]),
            (
                FieldsOf::Leads,
                "Plan",
                FieldKind::Choice,
                &["starter", "Growth"][..],
            ),
        ],
    );
    for (name, values) in [
        ("Asha", &[("budget", "50L"), ("plan", "growth")][..]),
        ("Bina", &[("budget", "10L")][..]),
        ("Chetan", &[][..]),
        ("Divya", &[("budget", "2Cr"), ("plan", "Starter")][..]),
        ("Esha", &[("plan", "starter")][..]),
        ("Farid", &[("budget", "10L")][..]),
    ] {
        crm.add_lead(admin, &lead(name, values)).unwrap();
    }
    let by = |key: &str, descending: bool| LeadQuery {
        sort_field: Some(key.into()),
        descending,
        ..LeadQuery::default()
    };
    // Equal values keep the id order of the direction; those without a value come last
    // either way, and paging one row at a time walks the same order through every run.
    let budget_up = ["Bina", "Farid", "Asha", "Divya", "Chetan", "Esha"];
    let budget_down = ["Divya", "Asha", "Farid", "Bina", "Esha", "Chetan"];
    assert_eq!(paged_names(env, &by("budget", false), 50), budget_up);
    assert_eq!(paged_names(env, &by("budget", false), 1), budget_up);
    assert_eq!(paged_names(env, &by("budget", true), 50), budget_down);
    assert_eq!(paged_names(env, &by("budget", true), 1), budget_down);
    // Choices sort by their text in any case.
    assert_eq!(
        paged_names(env, &by("plan", false), 2),
        ["Asha", "Divya", "Esha", "Bina", "Chetan", "Farid"]
    );

    let err = crm.list_leads(admin, &by("budgt", false)).unwrap_err();
    assert_eq!(invalid_field(err), "sort");
    let parsed: crm_core::SortChoice<crm_core::LeadSort> = "score".parse().unwrap();
    assert_eq!(parsed, crm_core::SortChoice::Own(crm_core::LeadSort::Score));
    let parsed: crm_core::SortChoice<crm_core::LeadSort> = "budget".parse().unwrap();
    assert_eq!(parsed, crm_core::SortChoice::Field("budget".into()));
    let err = "Budget!".parse::<crm_core::SortChoice<crm_core::LeadSort>>();
    assert_eq!(invalid_field(err.unwrap_err()), "sort");
}

/// Defines custom fields as an admin: (records, label, type, choices).
fn define(env: &Env, fields: &[(FieldsOf, &str, FieldKind, &[&str])]) {
    for (of, label, kind, choices) in fields {
        env.crm
            .add_field(&env.admin, *of, &field(label, *kind, choices))
            .unwrap();
    }
}

/// The first names of the leads a list's `--search` finds.
fn searched(env: &Env, text: &str) -> Vec<String> {
    let query = LeadQuery {
        search: Some(text.into()),
        ..LeadQuery::default()
    };
    let page = env.crm.list_leads(&env.admin, &query).unwrap();
    page.items.into_iter().map(|l| l.first_name).collect()
}

/// The titles of the records global search finds for `text`, sorted.
fn found(env: &Env, text: &str) -> Vec<String> {
    let mut titles: Vec<String> = env
        .crm
        .search(&env.admin, text, crm_core::EntityKind::ALL, 20)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    titles.sort();
    titles
}

crate::on_both_engines!(search_finds_custom_text_and_choice_values_while_the_field_is_in_use);
fn search_finds_custom_text_and_choice_values_while_the_field_is_in_use(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    define(
        env,
        &[
            (
                FieldsOf::Leads,
                "Property",
                FieldKind::Choice,
                &["Villa", "Farmhouse"][..],
            ),
            (FieldsOf::Leads, "Referrer", FieldKind::Text, &[][..]),
            (FieldsOf::Leads, "Rooms", FieldKind::Number, &[][..]),
            (FieldsOf::Tickets, "Product", FieldKind::Text, &[][..]),
        ],
    );
    let gita = crm
        .add_lead(
            admin,
            &lead(
                "Gita",
                &[
                    ("property", "farmhouse"),
                    ("referrer", "Zubin Qureshi"),
                    ("rooms", "7"),
                ],
            ),
        )
        .unwrap();
    crm.add_lead(admin, &lead("Hari", &[("property", "villa")]))
        .unwrap();
    let contact = crm
        .add_contact(
            admin,
            &NewContact {
                first_name: "Ira".into(),
                ..NewContact::default()
            },
        )
        .unwrap();
    let ticket = crm
        .add_ticket(
            admin,
            &crm_core::NewTicket {
                subject: "Screen flickers".into(),
                description: None,
                contact: contact.id,
                priority: None,
                assignee: None,
                fields: [("product".to_string(), "Xylophone Pro".to_string())].into(),
            },
        )
        .unwrap();
    let found = |text: &str| found(env, text);
    let listed = |text: &str| searched(env, text);
    assert_eq!(found("farmh"), ["Gita"]);
    assert_eq!(found("zubin qur"), ["Gita"]);
    assert_eq!(found("xyloph"), ["Screen flickers"]);
    assert_eq!(listed("farm"), ["Gita"]);
    assert_eq!(listed("gita zub"), ["Gita"]);
    // Numbers are not words a person searches for.
    assert!(found("7").is_empty());

    // A changed value is found by its new words only; a cleared one not at all.
    crm.edit_lead(
        admin,
        gita.id,
        &LeadPatch {
            fields: [("property".to_string(), "Villa".to_string())].into(),
            ..LeadPatch::default()
        },
    )
    .unwrap();
    assert!(found("farmh").is_empty());
    assert_eq!(found("villa"), ["Gita", "Hari"]);
    crm.edit_ticket(
        admin,
        ticket.id,
        &crm_core::TicketPatch {
            fields: [("product".to_string(), String::new())].into(),
            ..crm_core::TicketPatch::default()
        },
    )
    .unwrap();
    assert!(found("xyloph").is_empty());
}

crate::on_both_engines!(
    retiring_restoring_or_retyping_a_field_takes_its_values_out_of_search_or_back
);
fn retiring_restoring_or_retyping_a_field_takes_its_values_out_of_search_or_back(env: &Env) {
    let (crm, admin) = (&env.crm, &env.admin);
    define(
        env,
        &[
            (FieldsOf::Leads, "Referrer", FieldKind::Text, &[][..]),
            (FieldsOf::Leads, "Rooms", FieldKind::Number, &[][..]),
        ],
    );
    let gita = crm
        .add_lead(
            admin,
            &lead("Gita", &[("referrer", "Zubin Qureshi"), ("rooms", "7")]),
        )
        .unwrap();
    let found = |text: &str| found(env, text);
    let listed = |text: &str| searched(env, text);
    assert_eq!(found("zubin"), ["Gita"]);
    // A retired field is hidden from search too, and found again when restored.
    crm.retire_field(admin, FieldsOf::Leads, "referrer")
        .unwrap();
    assert!(found("zubin").is_empty());
    assert!(listed("zubin").is_empty());
    crm.restore_field(admin, FieldsOf::Leads, "referrer")
        .unwrap();
    assert_eq!(found("zubin"), ["Gita"]);
    // A text field made a number field leaves search; made text again, it is back.
    crm.edit_field(
        admin,
        FieldsOf::Leads,
        "rooms",
        &FieldPatch {
            kind: Some(FieldKind::Text),
            ..FieldPatch::default()
        },
    )
    .unwrap();
    assert_eq!(found("7"), ["Gita"]);
    crm.purge_field(admin, FieldsOf::Leads, "rooms")
        .unwrap_err();
    crm.retire_field(admin, FieldsOf::Leads, "rooms").unwrap();
    crm.purge_field(admin, FieldsOf::Leads, "rooms").unwrap();
    assert!(found("7").is_empty());
    // Deleting a record leaves no entry behind.
    crm.delete_lead(admin, gita.id, None).unwrap();
    assert!(found("zubin").is_empty());
}
