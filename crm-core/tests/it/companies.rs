//! Companies: linked from the free text of contacts, leads and deals (and of rows written before
//! companies existed), their page, duplicates, merge, delete and who may do what.

use crm_core::testing::{count, create_at_version, execute, rows};
use crm_core::{
    Clock, CompanyId, CompanyPatch, ContactPatch, Crm, EntityKind, Error, NewCompany, NewContact,
    NewDeal, NewLead, NewTicket, Role,
};

use crate::env::{Env, start};

pub(crate) fn contact(first: &str, company: Option<&str>, email: Option<&str>) -> NewContact {
    NewContact {
        first_name: first.into(),
        last_name: Some("Test".into()),
        company: company.map(Into::into),
        email: email.map(Into::into),
        ..NewContact::default()
    }
}

fn company_of(env: &Env, table: &str, id: i64) -> Option<i64> {
    rows(
        &env.path,
        &format!("SELECT ifnull(CAST(company_id AS TEXT), '') FROM {table} WHERE id = {id}"),
    )[0][0]
        .parse()
        .ok()
}

#[test]
fn rows_written_before_companies_existed_are_linked_by_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    create_at_version(&path, 12);
    execute(
        &path,
        "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
             VALUES ('asha', 'Asha', 'sales_rep', '$argon2id$v=19$x', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
         INSERT INTO contacts (first_name, company, email, owner_id, created_at, updated_at) VALUES
             ('Ravi', 'Acme Pvt. Ltd.', 'ravi@acme.com', 1, '2025-01-02T00:00:00Z', '2025-01-02T00:00:00Z'),
             ('Meera', 'ACME', 'meera@gmail.com', NULL, '2025-01-03T00:00:00Z', '2025-01-03T00:00:00Z'),
             ('Kabir', NULL, 'kabir@Acme.com', NULL, '2025-01-04T00:00:00Z', '2025-01-04T00:00:00Z'),
             ('Tara', 'Globex, Inc.', 'tara@yahoo.com', NULL, '2025-01-05T00:00:00Z', '2025-01-05T00:00:00Z'),
             ('Noor', NULL, 'noor@gmail.com', NULL, '2025-01-06T00:00:00Z', '2025-01-06T00:00:00Z');
         INSERT INTO leads (first_name, company, email, campaign_id, created_at, updated_at) VALUES
             ('Ivan', 'acme llc', NULL, 1, '2025-01-07T00:00:00Z', '2025-01-07T00:00:00Z'),
             ('Uma', 'Initech', 'uma@initech.io', 1, '2025-01-08T00:00:00Z', '2025-01-08T00:00:00Z');
         INSERT INTO deals (title, contact_id, stage_id, created_at, updated_at) VALUES
             ('Acme renewal', 1, 1, '2025-01-09T00:00:00Z', '2025-01-09T00:00:00Z'),
             ('Walk-in', NULL, 1, '2025-01-09T00:00:00Z', '2025-01-09T00:00:00Z');",
    );
    // Enough more rows that the backfill reads them in several slices.
    execute(
        &path,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)
         INSERT INTO leads (first_name, company, campaign_id, created_at, updated_at)
         SELECT 'Bulk', 'Bulk Co ' || (i % 50), 1, '2025-02-01T00:00:00Z', '2025-02-01T00:00:00Z'
         FROM n",
    );
    Crm::open_with_clock(&path, Clock::Fixed(start())).unwrap();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM leads WHERE first_name = 'Bulk' AND company_id IS NOT NULL"
        ),
        12_000
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM companies WHERE name LIKE 'Bulk Co %'"
        ),
        50
    );
    execute(
        &path,
        "DELETE FROM leads WHERE first_name = 'Bulk'; DELETE FROM companies WHERE name LIKE 'Bulk Co %'",
    );
    assert_eq!(
        rows(
            &path,
            "SELECT id, name, name_key, ifnull(domain, '-'), ifnull(owner_id, '-'), created_at
             FROM companies ORDER BY id"
        ),
        [
            [
                "1",
                "Acme Pvt. Ltd.",
                "acme",
                "acme.com",
                "1",
                "2025-01-02T00:00:00Z"
            ],
            [
                "2",
                "Globex, Inc.",
                "globex",
                "-",
                "-",
                "2025-01-05T00:00:00Z"
            ],
            [
                "3",
                "Initech",
                "initech",
                "initech.io",
                "-",
                "2025-01-08T00:00:00Z"
            ],
        ]
    );
    let links =
        |sql: &str| -> Vec<String> { rows(&path, sql).into_iter().map(|r| r[0].clone()).collect() };
    assert_eq!(
        links("SELECT ifnull(company_id, '-') FROM contacts ORDER BY id"),
        ["1", "1", "1", "2", "-"],
        "by name, by name despite free mail, by domain alone, a new one, nothing to go on"
    );
    assert_eq!(
        links("SELECT ifnull(company_id, '-') FROM leads ORDER BY id"),
        ["1", "3"]
    );
    assert_eq!(
        links("SELECT ifnull(company_id, '-') FROM deals ORDER BY id"),
        ["1", "-"]
    );
    // The rebuilt feed takes company rows and is still append-only.
    execute(
        &path,
        "INSERT INTO activities (verb, entity_type, entity_id, summary, at, created_at, updated_at)
         VALUES ('created', 'company', 1, 'x', '2025-01-10T00:00:00Z', '2025-01-10T00:00:00Z', '2025-01-10T00:00:00Z')",
    );
    assert!(crm_core::testing::try_execute(&path, "DELETE FROM activities").is_err());
}

crate::on_both_engines!(contacts_leads_and_deals_link_to_a_company_as_they_are_written);
fn contacts_leads_and_deals_link_to_a_company_as_they_are_written(env: &Env) {
    let a = &env.admin;
    let ravi = env
        .crm
        .add_contact(
            a,
            &contact(
                "Ravi",
                Some("TechVerse Solutions Pvt Ltd"),
                Some("ravi@techverse.in"),
            ),
        )
        .unwrap();
    let techverse = ravi.company_id.expect("a company made from the text");
    let lead = env
        .crm
        .add_lead(
            a,
            &NewLead {
                first_name: "Isha".into(),
                company: Some("techverse solutions".into()),
                industry: Some("Software".into()),
                ..NewLead::default()
            },
        )
        .unwrap();
    assert_eq!(lead.company_id, Some(techverse), "same name, other form");
    let by_domain = env
        .crm
        .add_contact(a, &contact("Kabir", None, Some("kabir@TechVerse.in")))
        .unwrap();
    assert_eq!(by_domain.company_id, Some(techverse), "business domain");
    let free = env
        .crm
        .add_contact(a, &contact("Noor", None, Some("noor@gmail.com")))
        .unwrap();
    assert_eq!(free.company_id, None);
    let company = env.crm.company(a, techverse).unwrap();
    assert_eq!(company.name, "TechVerse Solutions Pvt Ltd");
    assert_eq!(company.domain.as_deref(), Some("techverse.in"));
    assert_eq!(
        company.industry.as_deref(),
        Some("Software"),
        "learnt from the first lead with one"
    );
    assert_eq!((company.contacts, company.leads), (2, 1));

    // A deal takes its contact's company; when the contact moves, the deal follows.
    let deal = env
        .crm
        .add_deal(
            a,
            &NewDeal {
                title: "Licences".into(),
                contact: Some(ravi.id),
                amount: Some("1,00,000".into()),
                ..NewDeal::default()
            },
        )
        .unwrap();
    assert_eq!(deal.company.as_deref(), Some("TechVerse Solutions Pvt Ltd"));
    let moved = env
        .crm
        .edit_contact(
            a,
            ravi.id,
            &ContactPatch {
                company: Some("Globex".into()),
                ..ContactPatch::default()
            },
        )
        .unwrap();
    let globex = moved.company_id.unwrap();
    assert_ne!(
        globex, techverse,
        "the typed name wins over the old address's domain"
    );
    assert_eq!(
        env.crm.company(a, globex).unwrap().domain.as_deref(),
        Some("techverse.in"),
        "so `companies dupes` can still find the two on one domain"
    );
    assert_eq!(env.crm.deal(a, deal.id).unwrap().company_id, Some(globex));

    // Conversion: the contact and the deal it makes are with the lead's company.
    let conversion = env.crm.convert_lead(a, lead.id, None, None, false).unwrap();
    assert_eq!(
        company_of(env, "contacts", conversion.contact_id.0),
        Some(techverse.0)
    );
    assert_eq!(
        company_of(env, "deals", conversion.deal_id.0),
        Some(techverse.0)
    );
}

crate::on_both_engines!(a_deal_may_name_its_company);
fn a_deal_may_name_its_company(env: &Env) {
    let a = &env.admin;
    // A deal may name its company; an unknown id is refused, a new name makes the company.
    let named = env
        .crm
        .add_deal(
            a,
            &NewDeal {
                title: "Pilot".into(),
                company: Some("Initech Inc".into()),
                ..NewDeal::default()
            },
        )
        .unwrap();
    assert_eq!(named.company.as_deref(), Some("Initech Inc"));
    let before = env.dump();
    let err = env
        .crm
        .add_deal(
            a,
            &NewDeal {
                title: "Ghost".into(),
                company: Some("#999".into()),
                ..NewDeal::default()
            },
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid company: company 999 does not exist"
    );
    assert_eq!(env.dump(), before);

    // A new contact brings its company; dropping the contact keeps the deal's company.
    let tara = env
        .crm
        .add_contact(a, &contact("Tara", Some("Globex"), None))
        .unwrap();
    let edit = |contact| {
        env.crm
            .edit_deal(
                a,
                named.id,
                &crm_core::DealPatch {
                    contact: Some(contact),
                    ..crm_core::DealPatch::default()
                },
            )
            .unwrap()
    };
    assert_eq!(edit(Some(tara.id)).company_id, tara.company_id);
    assert_eq!(edit(None).company_id, tara.company_id);
}

crate::on_both_engines!(the_company_page_lists_what_the_reader_may_see);
fn the_company_page_lists_what_the_reader_may_see(env: &Env) {
    let a = &env.admin;
    let rep = env.user("asha", Role::SalesRep);
    let other = env.user("vikram", Role::SalesRep);
    let mine = env
        .crm
        .add_contact(&rep, &contact("Ravi", Some("Acme"), None))
        .unwrap();
    let theirs = env
        .crm
        .add_contact(&other, &contact("Meera", Some("ACME Inc."), None))
        .unwrap();
    let acme = mine.company_id.unwrap();
    assert_eq!(theirs.company_id, Some(acme));
    for (who, title, amount, contact) in [
        (&rep, "Small", "1,000", mine.id),
        (&rep, "Won one", "5,000", mine.id),
        (&other, "Theirs", "7,000", theirs.id),
        (&other, "Their win", "9,000", theirs.id),
    ] {
        let deal = env
            .crm
            .add_deal(
                who,
                &NewDeal {
                    title: title.into(),
                    contact: Some(contact),
                    amount: Some(amount.into()),
                    ..NewDeal::default()
                },
            )
            .unwrap();
        if title.contains("win") || title.starts_with("Won") {
            env.crm.win_deal(who, deal.id).unwrap();
        }
    }
    env.crm
        .add_ticket(
            a,
            &NewTicket {
                fields: crm_core::FieldInput::default(),
                subject: "Cannot log in".into(),
                description: None,
                contact: theirs.id,
                priority: None,
                assignee: None,
            },
        )
        .unwrap();

    let page = env.crm.company_page(a, acme).unwrap();
    let names =
        |v: &[crm_core::CompanyContact]| v.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&page.contacts), ["Meera Test", "Ravi Test"]);
    let open: Vec<_> = page.open_deals.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(open, ["Theirs", "Small"], "largest first within a stage");
    assert_eq!(page.won_revenue.len(), 1);
    assert_eq!(
        page.won_revenue[0].amount, 1_400_000,
        "5,000 + 9,000 in paise"
    );
    assert_eq!(page.won_revenue[0].deals, 2);
    assert_eq!(page.tickets.len(), 1);
    assert_eq!(page.tickets[0].contact, "Meera Test");

    // A rep sees the company, but only their own contacts, deals and revenue under it.
    let page = env.crm.company_page(&rep, acme).unwrap();
    assert_eq!(names(&page.contacts), ["Ravi Test"]);
    assert_eq!(page.open_deals.len(), 1);
    assert_eq!(page.won_revenue[0].amount, 500_000);
    assert!(page.tickets.is_empty());
    assert_eq!(page.company.contacts, 2, "the counts are the company's own");
}

crate::on_both_engines!(duplicate_companies_are_refused_found_and_merged);
fn duplicate_companies_are_refused_found_and_merged(env: &Env) {
    let a = &env.admin;
    let new = |name: &str, domain: Option<&str>, allow: bool| NewCompany {
        name: name.into(),
        domain: domain.map(Into::into),
        allow_duplicate: allow,
        ..NewCompany::default()
    };
    let acme = env
        .crm
        .add_company(
            a,
            &new("Acme Pvt Ltd", Some("https://www.acme.com/"), false),
        )
        .unwrap();
    assert_eq!(acme.domain.as_deref(), Some("acme.com"));
    let before = env.dump();
    let err = env
        .crm
        .add_company(a, &new("ACME Inc.", None, false))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "name 'ACME Inc.' matches company 1 'Acme Pvt Ltd' already in the CRM"
    );
    let err = env
        .crm
        .add_company(a, &new("Acme Holdings", Some("acme.com"), false))
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("domain 'acme.com' matches company 1"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
    let twin = env
        .crm
        .add_company(a, &new("ACME Inc.", None, true))
        .unwrap();
    let holding = env
        .crm
        .add_company(a, &new("Acme Holdings", Some("acme.com"), true))
        .unwrap();
    env.crm
        .add_company(a, &new("Acme Systems", Some("acmesys.io"), false))
        .unwrap();
    env.crm.add_company(a, &new("Globex", None, false)).unwrap();
    let groups = env.crm.find_duplicates(a, EntityKind::Company, 0).unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let ids: Vec<i64> = groups[0].members.iter().map(|m| m.id).collect();
    assert_eq!(ids, [acme.id.0, twin.id.0, holding.id.0]);
    assert_eq!(groups[0].score, 100);

    // The twin has a contact; deleting it is refused, merging moves the contact over.
    let ravi = env
        .crm
        .add_contact(a, &contact("Ravi", None, None))
        .unwrap();
    execute(
        &env.path,
        &format!(
            "UPDATE contacts SET company_id = {} WHERE id = {}",
            twin.id, ravi.id
        ),
    );
    let before = env.dump();
    let err = env.crm.delete_company(a, twin.id, None).unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
    assert!(err.to_string().contains("1 contact(s)"), "{err}");
    assert_eq!(env.dump(), before);
    let merged = env
        .crm
        .merge_companies(a, acme.id, &[twin.id, holding.id])
        .unwrap();
    assert_eq!(merged.moved, 1);
    assert_eq!(merged.removed, ["ACME Inc.", "Acme Holdings"]);
    assert_eq!(company_of(env, "contacts", ravi.id.0), Some(acme.id.0));
    assert_eq!(count(&env.path, "SELECT count(*) FROM companies"), 3);
    let deleted = env.crm.delete_company(a, CompanyId(4), None).unwrap();
    assert_eq!(deleted.name, "Acme Systems");
}

crate::on_both_engines!(who_may_add_edit_merge_and_delete_companies);
fn who_may_add_edit_merge_and_delete_companies(env: &Env) {
    let rep = env.user("asha", Role::SalesRep);
    let other = env.user("vikram", Role::SalesRep);
    let agent = env.user("sam", Role::SupportAgent);
    let new = |name: &str| NewCompany {
        name: name.into(),
        ..NewCompany::default()
    };
    let before = env.dump();
    let err = env.crm.add_company(&agent, &new("Acme")).unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    assert_eq!(env.dump(), before);
    let acme = env.crm.add_company(&rep, &new("Acme")).unwrap();
    assert_eq!(acme.owner.as_deref(), Some("asha"));
    let rename = CompanyPatch {
        name: Some("Acme Corp".into()),
        ..CompanyPatch::default()
    };
    let before = env.dump();
    assert!(matches!(
        env.crm.edit_company(&other, acme.id, &rename),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        env.crm.delete_company(&rep, acme.id, None),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(env.dump(), before);
    assert_eq!(
        env.crm.edit_company(&rep, acme.id, &rename).unwrap().name,
        "Acme Corp"
    );
    // Everyone reads companies.
    assert_eq!(env.crm.company(&agent, acme.id).unwrap().name, "Acme Corp");
    assert_eq!(env.crm.find_company(&agent, "acme corp.").unwrap(), acme.id);
    // Bad input names its field and changes nothing.
    let before = env.dump();
    for (patch, message) in [
        (
            CompanyPatch {
                domain: Some("not a domain".into()),
                ..CompanyPatch::default()
            },
            "invalid domain: 'not a domain' is not a web domain like acme.com",
        ),
        (
            CompanyPatch {
                size: Some("huge".into()),
                ..CompanyPatch::default()
            },
            "invalid size: unknown size 'huge' (expected one of: 1-10, 11-50, 51-200, 201-500, 501-1000, 1000+)",
        ),
        (
            CompanyPatch {
                name: Some("  ".into()),
                ..CompanyPatch::default()
            },
            "invalid name: is required",
        ),
    ] {
        let err = env
            .crm
            .edit_company(&env.admin, acme.id, &patch)
            .unwrap_err();
        assert_eq!(err.to_string(), message);
    }
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(
    undoing_a_merge_after_its_company_was_deleted_restores_the_contact_unlinked
);
fn undoing_a_merge_after_its_company_was_deleted_restores_the_contact_unlinked(env: &Env) {
    let a = &env.admin;
    let keep = env
        .crm
        .add_contact(a, &contact("Ravi", None, None))
        .unwrap();
    let other = env
        .crm
        .add_contact(a, &contact("Ravi", Some("Shortlived Ltd"), None))
        .unwrap();
    let company = other.company_id.unwrap();
    let merge = env.crm.merge_contacts(a, keep.id, &[other.id]).unwrap();
    assert_eq!(
        company_of(env, "contacts", keep.id.0),
        Some(company.0),
        "the merge filled the kept contact's company text, and with it its link"
    );
    env.crm
        .edit_contact(
            a,
            keep.id,
            &ContactPatch {
                company: Some(String::new()),
                ..ContactPatch::default()
            },
        )
        .unwrap();
    env.crm.delete_company(a, company, None).unwrap();
    env.crm.undo_merge(a, merge.id).unwrap();
    assert_eq!(company_of(env, "contacts", other.id.0), None);
    assert_eq!(
        rows(
            &env.path,
            &format!("SELECT company FROM contacts WHERE id = {}", other.id)
        )[0][0],
        "Shortlived Ltd",
        "the text is kept; the next edit links it again"
    );
}
