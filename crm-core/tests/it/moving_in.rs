//! Moving in from another tool (issue 21): its real export shapes, kept whole. The files under
//! `tests/fixtures/moving-in/` are written in the shape of each tool's export (its header row,
//! its quirks), and are imported as a new user would, with no flags or with only the flags an
//! error names.

use crm_core::import::{ImportKind, ImportOptions, ImportReport};
use crm_core::{Contact, ContactQuery, Error, FieldsOf, Role};

use crate::env::Env;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/moving-in/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn import(env: &Env, kind: ImportKind, text: &str, keep_extra: bool) -> ImportReport {
    let mut options = ImportOptions::new(kind);
    options.keep_extra = keep_extra;
    env.crm
        .import(&env.admin, text.as_bytes(), &options, &mut ())
        .unwrap()
}

fn contacts(env: &Env) -> Vec<Contact> {
    let query = ContactQuery {
        limit: 1000,
        ..ContactQuery::default()
    };
    env.crm.list_contacts(&env.admin, &query).unwrap().items
}

/// The rows of a CSV file as (header, cell) pairs, the cells' own text.
fn cells(text: &str) -> Vec<Vec<(String, String)>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Letters and digits only, lower case, with the marks of a phone's scheme and extension left
/// out: a phone's text however a tool wrote it.
fn squashed(text: &str) -> String {
    let lower = text.to_lowercase().replace("tel:", "");
    lower
        .replace("extension", "")
        .replace("ext", "")
        .chars()
        .filter(|c| c.is_alphanumeric() && *c != 'x')
        .collect()
}

/// Every non-empty cell of the file is in the record its row made (a field, built-in or
/// custom), or its column is named by the report as ignored or as holding values left out.
fn no_cell_is_lost(text: &str, report: &ImportReport, made: &[Contact], first_column: &str) {
    for row in cells(text) {
        let first = &row.iter().find(|(h, _)| h == first_column).unwrap().1;
        // Someone without a first name is named by their last name or email.
        let contact = made
            .iter()
            .find(|c| {
                &c.first_name == first
                    && (!first.is_empty() || row.iter().any(|(_, v)| *v == c.full_name()))
            })
            .unwrap_or_else(|| panic!("no contact {first}"));
        let held = serde_json::to_string(contact).unwrap();
        for (header, cell) in &row {
            let ignored = report.ignored_columns.contains(header);
            for (n, value) in cell.split(" ::: ").map(str::trim).enumerate() {
                if value.is_empty() || ignored {
                    continue;
                }
                let named = |list: &[crm_core::import::SeveralValues]| {
                    list.iter()
                        .any(|s| &s.column == header && s.kept_in.is_none())
                };
                let left_out =
                    (n > 0 && named(&report.several_values)) || named(&report.passed_over);
                // A whole name is held as its first and last name; a phone in one form
                // (`416-810-9897x752` as `416-810-9897 ext. 752`).
                let whole_name = value == contact.full_name();
                let as_phone = squashed(&held).contains(&squashed(value));
                // An owner named as a person is held as their username.
                let as_owner = contact.owner.is_some() && header.to_lowercase().contains("owner");
                assert!(
                    left_out
                        || whole_name
                        || as_phone
                        || as_owner
                        || held.contains(&value.replace('"', "\\\"")),
                    "{first}: '{header}' = '{value}' is in no field and not reported: {held}"
                );
            }
        }
    }
}

crate::on_both_engines!(a_google_contacts_export_imports_with_no_flags_and_says_what_it_left);
fn a_google_contacts_export_imports_with_no_flags_and_says_what_it_left(env: &Env) {
    let text = fixture("google-contacts.csv");
    let report = import(env, ImportKind::Contacts, &text, false);
    assert_eq!(
        (report.inserted, report.invalid, report.committed),
        (3, 0, true)
    );
    let made = contacts(env);
    let tariq = made.iter().find(|c| c.first_name == "Tariq").unwrap();
    // "tariq@jetset.in ::: t.hussain@jetset.in": the first fills the email.
    assert_eq!(tariq.email.as_deref(), Some("tariq@jetset.in"));
    assert_eq!(tariq.company.as_deref(), Some("JetSet Logistics"));
    assert_eq!(tariq.job_title.as_deref(), Some("Operations Head"));
    assert_eq!(
        report.several_values.len(),
        1,
        "{:?}",
        report.several_values
    );
    assert_eq!(report.several_values[0].column, "E-mail 1 - Value");
    assert_eq!(report.several_values[0].cells, 1);
    for column in ["Notes", "E-mail 2 - Value", "Birthday", "Website 1 - Value"] {
        assert!(
            report.ignored_columns.iter().any(|c| c == column),
            "{column}: {:?}",
            report.ignored_columns
        );
    }
    no_cell_is_lost(&text, &report, &made, "Given Name");
    assert!(report.created_fields.is_empty());
}

crate::on_both_engines!(keep_extra_keeps_every_cell_as_a_custom_field_and_makes_none_for_blanks);
fn keep_extra_keeps_every_cell_as_a_custom_field_and_makes_none_for_blanks(env: &Env) {
    let text = fixture("google-contacts.csv");
    let mut dry = ImportOptions::new(ImportKind::Contacts);
    dry.keep_extra = true;
    dry.dry_run = true;
    let before = env.dump();
    let planned = env
        .crm
        .import(&env.admin, text.as_bytes(), &dry, &mut ())
        .unwrap();
    assert!(!planned.created_fields.is_empty());
    assert_eq!(env.dump(), before, "a dry run makes no field");

    let report = import(env, ImportKind::Contacts, &text, true);
    assert_eq!(report.created_fields, planned.created_fields);
    assert!(
        report.ignored_columns.is_empty(),
        "{:?}",
        report.ignored_columns
    );
    let keys: Vec<&str> = report
        .created_fields
        .iter()
        .map(|k| k.key.as_str())
        .collect();
    // Columns every row left blank make no field; the further emails keep a field of
    // their own.
    assert!(!keys.contains(&"yomi_name"), "{keys:?}");
    assert!(!keys.contains(&"phone_1_value_more"), "{keys:?}");
    assert!(keys.contains(&"e_mail_1_value_more"), "{keys:?}");
    assert!(
        keys.contains(&"notes_2") || keys.contains(&"notes"),
        "{keys:?}"
    );
    assert_eq!(
        report.several_values[0].kept_in.as_deref(),
        Some("e_mail_1_value_more")
    );
    let defined = env
        .crm
        .fields(&env.admin, Some(FieldsOf::Contacts), false)
        .unwrap();
    assert_eq!(defined.len(), keys.len());
    let made = contacts(env);
    let tariq = made.iter().find(|c| c.first_name == "Tariq").unwrap();
    assert_eq!(
        tariq
            .fields
            .get("e_mail_1_value_more")
            .map(crm_core::FieldValue::text),
        Some("t.hussain@jetset.in".to_string())
    );
    no_cell_is_lost(&text, &report, &made, "Given Name");
    // Every cell is in a field now: nothing was left out.
    assert!(report.several_values.iter().all(|s| s.kept_in.is_some()));
}

crate::on_both_engines!(keep_extra_is_for_admins_and_for_records_with_custom_fields);
fn keep_extra_is_for_admins_and_for_records_with_custom_fields(env: &Env) {
    let text = fixture("google-contacts.csv");
    let manager = env.user("mina", Role::Manager);
    let before = env.dump();
    let mut options = ImportOptions::new(ImportKind::Contacts);
    options.keep_extra = true;
    let err = env
        .crm
        .import(&manager, text.as_bytes(), &options, &mut ())
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    let mut campaigns = ImportOptions::new(ImportKind::Campaigns);
    campaigns.keep_extra = true;
    let err = env
        .crm
        .import(
            &env.admin,
            "name,colour\nDiwali,red\n".as_bytes(),
            &campaigns,
            &mut (),
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "keep-extra"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(an_outlook_export_keeps_extensions_and_takes_the_first_phone_it_has);
fn an_outlook_export_keeps_extensions_and_takes_the_first_phone_it_has(env: &Env) {
    use crm_core::import::OnDuplicate;
    let text = fixture("outlook-contacts.csv");
    let report = import(env, ImportKind::Contacts, &text, false);
    assert_eq!((report.inserted, report.invalid), (4, 0), "{report:?}");
    let made = contacts(env);
    let phone = |first: &str| {
        made.iter()
            .find(|c| c.first_name == first)
            .unwrap()
            .phone
            .clone()
    };
    // Each tool's way of writing an extension is kept, in one form; colleagues who share an
    // office number with their own extensions are not duplicates.
    assert_eq!(phone("Grace").as_deref(), Some("416-810-9897 ext. 752"));
    assert_eq!(phone("Liam").as_deref(), Some("416-810-9897 ext. 761"));
    assert_eq!(phone("Sofia").as_deref(), Some("1-888-752-5141 ext. 43023"));
    assert_eq!(phone("Ken").as_deref(), Some("+1-201-555-0123 ext. 102"));
    // "null" and "N/A" are no value.
    let ken = made.iter().find(|c| c.first_name == "Ken").unwrap();
    assert_eq!((ken.email.as_deref(), ken.company.as_deref()), (None, None));
    assert_eq!(report.blank_words, 2);
    // Grace's Business Phone filled the field; her Mobile Phone is named as passed over.
    assert_eq!(report.passed_over.len(), 1, "{:?}", report.passed_over);
    assert_eq!(
        (
            report.passed_over[0].column.as_str(),
            report.passed_over[0].cells
        ),
        ("Mobile Phone", 1)
    );
    assert_eq!(
        made.iter()
            .find(|c| c.first_name == "Grace")
            .unwrap()
            .location
            .as_deref(),
        Some("Toronto"),
        "Business City fills the location the empty Location column left"
    );
    no_cell_is_lost(&text, &report, &made, "First Name");

    // Search finds them by the digits before the extension.
    let hits = env
        .crm
        .search(&env.admin, "4168109897", crm_core::EntityKind::ALL, 10)
        .unwrap();
    assert_eq!(hits.len(), 2, "{hits:?}");
    // The same file again matches every row by its email or its phone with the extension.
    let mut again = ImportOptions::new(ImportKind::Contacts);
    again.on_duplicate = OnDuplicate::Skip;
    let second = env
        .crm
        .import(&env.admin, text.as_bytes(), &again, &mut ())
        .unwrap();
    assert_eq!((second.inserted, second.skipped), (0, 4), "{second:?}");

    // With --keep-extra the passed-over phone is kept too.
    let other = Env::new();
    let kept = import(&other, ImportKind::Contacts, &text, true);
    assert_eq!(kept.passed_over[0].kept_in.as_deref(), Some("mobile_phone"));
    let grace = contacts(&other)
        .into_iter()
        .find(|c| c.first_name == "Grace")
        .unwrap();
    assert_eq!(
        grace
            .fields
            .get("mobile_phone")
            .map(crm_core::FieldValue::text),
        Some("+1 647 555 0142".to_string())
    );
}

/// Users named as the other tools' exports name owners ("Asha Verma").
fn team(env: &Env) {
    for (username, name) in [("asha", "Asha Verma"), ("ravi", "Ravi Kumar")] {
        let user = crm_core::NewUser {
            username: username.into(),
            display_name: Some(name.into()),
            email: Some(format!("{username}@example.in")),
            role: Some(Role::SalesRep),
        };
        env.crm
            .add_user(&env.admin, &user, crate::env::PASSWORD)
            .unwrap();
    }
}

/// The leads of the database by first name: (stage, source, owner).
fn leads_by_name(env: &Env) -> Vec<(String, String, String, String)> {
    let query = crm_core::LeadQuery {
        include_converted: true,
        limit: 1000,
        ..crm_core::LeadQuery::default()
    };
    let mut rows: Vec<_> = env
        .crm
        .list_leads(&env.admin, &query)
        .unwrap()
        .items
        .into_iter()
        .map(|l| {
            (
                l.first_name.clone(),
                l.stage.to_string(),
                l.source.to_string(),
                l.owner.clone().unwrap_or_default(),
            )
        })
        .collect();
    rows.sort();
    rows
}

crate::on_both_engines!(crm_exports_of_leads_import_with_their_statuses_sources_and_owners);
/// Salesforce, Zoho and SuiteCRM lead exports with their standard statuses and sources, and
/// owners named as people: every row imports with no flags, each value where ours says.
fn crm_exports_of_leads_import_with_their_statuses_sources_and_owners(env: &Env) {
    team(env);
    for file in [
        "salesforce-leads.csv",
        "zoho-leads.csv",
        "suitecrm-leads.csv",
    ] {
        let text = fixture(file);
        let report = import(env, ImportKind::Leads, &text, false);
        assert_eq!(
            (
                report.invalid,
                report.committed,
                report.unknown_values.len()
            ),
            (0, true, 0),
            "{file}: {report:?}"
        );
        assert!(report.missing.is_empty(), "{file}: {:?}", report.missing);
    }
    let expected = [
        // Zoho's lead with only a last name.
        ("", "New", "Event", ""),
        ("Arjun", "Qualified", "Referral", ""),
        ("Elena", "Lost", "Referral", "ravi"),
        ("Hannah", "Contacted", "Other", ""),
        ("Kavitha", "Contacted", "Cold call", ""),
        ("Marcus", "Contacted", "Cold call", "ravi"),
        ("Nia", "Lost", "Cold call", ""),
        ("Omar", "New", "Referral", ""),
        ("Priyanka", "New", "Website", "ravi"),
        ("Test", "Lost", "Email", ""),
        ("Tomás", "Contacted", "Import", "ravi"),
    ];
    let found = leads_by_name(env);
    let found: Vec<(&str, &str, &str, &str)> = found
        .iter()
        .map(|(n, st, so, o)| (n.as_str(), st.as_str(), so.as_str(), o.as_str()))
        .collect();
    assert_eq!(found, expected);
    // The rating each tool gave is how warm the lead is here.
    let leads = env
        .crm
        .list_leads(&env.admin, &crm_core::LeadQuery::default())
        .unwrap()
        .items;
    let warmth = |first: &str, last: &str| {
        let l = leads
            .iter()
            .find(|l| l.first_name == first && l.last_name.as_deref() == Some(last))
            .unwrap();
        (l.score, l.temperature.to_string())
    };
    assert_eq!(warmth("Priyanka", "Nair"), (40, "Warm".into()));
    assert_eq!(warmth("Marcus", "Lee"), (71, "Hot".into()));
    assert_eq!(warmth("", "Iyer"), (40, "Warm".into()));
    let iyer = env
        .crm
        .search(&env.admin, "iyer", &[crm_core::EntityKind::Lead], 5)
        .unwrap()
        .into_iter()
        .next()
        .expect("the lead without a first name is found by its last name");
    assert_eq!(iyer.title, "Iyer");
}

crate::on_both_engines!(contact_lists_of_hubspot_and_mailchimp_import_with_no_flags);
/// HubSpot's two "Company Name" columns and its owner by name; a Mailchimp audience's columns
/// of its own. Every row imports, and no cell is lost without being named.
fn contact_lists_of_hubspot_and_mailchimp_import_with_no_flags(env: &Env) {
    team(env);
    for (file, first_column) in [
        ("hubspot-contacts.csv", "First Name"),
        ("mailchimp-audience.csv", "First Name"),
    ] {
        let text = fixture(file);
        let report = import(env, ImportKind::Contacts, &text, false);
        assert_eq!(
            (report.invalid, report.committed),
            (0, true),
            "{file}: {report:?}"
        );
        no_cell_is_lost(&text, &report, &contacts(env), first_column);
    }
    let made = contacts(env);
    let anika = made.iter().find(|c| c.first_name == "Anika").unwrap();
    assert_eq!(
        anika.owner.as_deref(),
        Some("asha"),
        "owner by display name"
    );
    let dev = made.iter().find(|c| c.first_name == "Dev").unwrap();
    assert_eq!(
        dev.company.as_deref(),
        Some("QuantaForge"),
        "the second 'Company name' column fills what the first left empty"
    );
    // An audience member known only by their email is named by it.
    let reader = made
        .iter()
        .find(|c| c.email.as_deref() == Some("reader@inbox.example"))
        .unwrap();
    assert_eq!(
        (reader.first_name.as_str(), reader.full_name().as_str()),
        ("", "reader@inbox.example")
    );
}

crate::on_both_engines!(linkedin_connections_and_an_iphones_cards_import_and_keep_every_value);
/// LinkedIn's export starts with notes above its header; an iPhone's vCard holds a birthday, a
/// note, a website and second emails and phones, which are named or, with --keep-extra, kept.
fn linkedin_connections_and_an_iphones_cards_import_and_keep_every_value(env: &Env) {
    let text = fixture("linkedin-connections.csv");
    let report = import(env, ImportKind::Contacts, &text, false);
    assert_eq!((report.inserted, report.invalid), (2, 0), "{report:?}");
    let csv_of_cards = crm_core::interop::vcard::to_csv(&fixture("apple-contacts.vcf")).unwrap();
    let report = import(env, ImportKind::Contacts, &csv_of_cards, true);
    assert_eq!((report.inserted, report.invalid), (3, 0), "{report:?}");
    let made = contacts(env);
    let neha = made.iter().find(|c| c.first_name == "Neha").unwrap();
    assert_eq!(neha.job_title.as_deref(), Some("Principal Architect"));
    let lakshmi = made.iter().find(|c| c.first_name == "Lakshmi").unwrap();
    let kept = |key: &str| lakshmi.fields.get(key).map(crm_core::FieldValue::text);
    assert_eq!(kept("birthday").as_deref(), Some("1985-11-02"));
    assert_eq!(
        kept("website").as_deref(),
        Some("https://tamarindfoods.com")
    );
    assert_eq!(
        kept("note").as_deref(),
        Some("Orders every quarter, prefers WhatsApp")
    );
    assert_eq!(
        kept("other_emails").as_deref(),
        Some("lakshmi.i@icloud.com")
    );
    assert_eq!(
        kept("other_phones").as_deref(),
        Some("044 2811 4400 ext. 31")
    );
    assert_eq!(lakshmi.location.as_deref(), Some("Chennai"));
    no_cell_is_lost(&csv_of_cards, &report, &made, "first_name");
}

/// The reasons of an import's problems, as they come.
struct Seen<'a>(&'a mut Vec<String>);

impl crm_core::import::ImportObserver for Seen<'_> {
    fn problem(&mut self, p: &crm_core::import::ImportProblem) {
        self.0.push(p.reason.clone());
    }
}

crate::on_both_engines!(people_who_share_an_office_phone_are_not_duplicates_but_still_grouped);
fn people_who_share_an_office_phone_are_not_duplicates_but_still_grouped(env: &Env) {
    let text = "first_name,last_name,email,phone\n\
                Asha,Rao,asha@lotus.in,020 2567 8800\n\
                Vikram,Shah,vikram@lotus.in,(020) 2567-8800\n";
    let report = import(env, ImportKind::Contacts, text, false);
    assert_eq!((report.inserted, report.invalid), (2, 0), "{report:?}");
    // The same person again by the phone alone is still a duplicate, and refused.
    let again = "first_name,last_name,phone\nasha,RAO,020-2567-8800\n";
    let mut options = ImportOptions::new(ImportKind::Contacts);
    let mut problems = Vec::new();
    let refused = env
        .crm
        .import(
            &env.admin,
            again.as_bytes(),
            &options,
            &mut Seen(&mut problems),
        )
        .unwrap();
    assert_eq!((refused.invalid, refused.committed), (1, false));
    assert!(problems[0].contains("matches contact 1"), "{problems:?}");
    options.on_duplicate = crm_core::import::OnDuplicate::Skip;
    let skipped = env
        .crm
        .import(&env.admin, again.as_bytes(), &options, &mut ())
        .unwrap();
    assert_eq!(skipped.skipped, 1);
    // `dupes` still shows the two sharing a phone, for a person to judge.
    let groups = env
        .crm
        .find_duplicates(&env.admin, crm_core::EntityKind::Contact, 0)
        .unwrap();
    let names: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.members.iter().map(|m| m.name.as_str()).collect())
        .collect();
    assert_eq!(names, [["Asha Rao", "Vikram Shah"]], "{groups:?}");
}

crate::on_both_engines!(an_email_cell_listing_several_addresses_fills_the_field_with_the_first);
/// Outlook and HubSpot write a person's emails in one cell, split by `;` or `,`: the first is
/// the contact's email, the others are named, or kept with `--keep-extra`.
fn an_email_cell_listing_several_addresses_fills_the_field_with_the_first(env: &Env) {
    let text = "First Name,Last Name,Email,Company\n\
                Asha,Rao,\"asha@lotus.in; asha.rao@gmail.com\",\"Lotus, Inc.\"\n\
                Vikram,Shah,\"vikram@lotus.in,vik@shah.family\",Lotus\n";
    let report = import(env, ImportKind::Contacts, text, false);
    assert_eq!((report.inserted, report.invalid), (2, 0), "{report:?}");
    let several: Vec<(&str, u64)> = report
        .several_values
        .iter()
        .map(|s| (s.column.as_str(), s.cells))
        .collect();
    assert_eq!(several, [("Email", 2)]);
    let made = contacts(env);
    let asha = made.iter().find(|c| c.first_name == "Asha").unwrap();
    assert_eq!(asha.email.as_deref(), Some("asha@lotus.in"));
    assert_eq!(
        asha.company.as_deref(),
        Some("Lotus, Inc."),
        "a company's comma is kept"
    );

    let again = text
        .replace("asha@lotus.in", "asha@lotus2.in")
        .replace("vikram@lotus.in", "vikram@lotus2.in");
    let report = import(env, ImportKind::Contacts, &again, true);
    assert_eq!((report.inserted, report.invalid), (2, 0), "{report:?}");
    let made = contacts(env);
    let vikram = made
        .iter()
        .find(|c| c.email.as_deref() == Some("vikram@lotus2.in"))
        .unwrap();
    assert_eq!(
        vikram
            .fields
            .get("email_more")
            .map(crm_core::FieldValue::text)
            .as_deref(),
        Some("vik@shah.family")
    );
}
