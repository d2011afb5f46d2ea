//! Query plans of the hot queries, so an index cannot silently disappear: every statement a list
//! page, the search, the dashboard and the board run must read through an index, and no list may
//! sort its rows in a temporary B-tree (which means reading the whole table for one page).

use crm_core::testing::{query_plan, statements_of};
use crm_core::{
    CompanyId, CompanyQuery, CompanySort, ContactQuery, DealQuery, LeadQuery, LeadSort, TaskQuery,
    TicketQuery,
};

use crate::env::Env;

/// Plans of the statements `work` ran, with their SQL, for messages.
fn plans<T>(env: &Env, work: impl FnOnce() -> T) -> Vec<(String, String)> {
    let (_, statements) = statements_of(work);
    assert!(!statements.is_empty(), "nothing was recorded");
    statements
        .into_iter()
        .map(|sql| (query_plan(&env.path, &sql), sql))
        .collect()
}

/// Full scans without an index of a table that grows with the business (leads, contacts,
/// deals, ...); small tables (users, campaigns, stages, summaries) may be scanned. Plans name
/// tables by their alias, so the aliases are read from the SQL.
fn unindexed_scan(plan: &str, sql: &str) -> bool {
    const BIG: &[&str] = &[
        "leads",
        "contacts",
        "deals",
        "tickets",
        "tasks",
        "notes",
        "activities",
        "companies",
    ];
    let words: Vec<&str> = sql.split_whitespace().collect();
    let table_of = |name: &str| -> String {
        for pair in words.windows(3) {
            if matches!(pair[0], "FROM" | "JOIN") && (pair[1] == name || pair[2] == name) {
                return pair[1].to_string();
            }
        }
        name.to_string()
    };
    plan.lines().any(|step| {
        let parts: Vec<&str> = step.split_whitespace().collect();
        parts.first() == Some(&"SCAN")
            && !step.contains("USING")
            && parts
                .get(1)
                .is_some_and(|name| BIG.contains(&table_of(name).as_str()))
    })
}

/// A page must come in order from an index (or the rowid) and stop at its LIMIT: a temporary
/// B-tree for the ORDER BY means every matching row was read and sorted first.
fn assert_list_plans(what: &str, plans: &[(String, String)]) {
    for (plan, sql) in plans {
        assert!(
            !plan.contains("TEMP B-TREE FOR ORDER BY"),
            "{what}: the page is sorted after reading every row\n{plan}\n{sql}"
        );
    }
}

#[test]
fn every_lead_sort_reads_its_page_from_an_index() {
    let env = Env::demo(false);
    let rep = env.crm.login("asha", crm_core::DEMO_PASSWORD).unwrap().0;
    for sort in LeadSort::ALL {
        for descending in [false, true] {
            for actor in [&env.admin, &rep] {
                let query = LeadQuery {
                    sort: *sort,
                    descending,
                    ..LeadQuery::default()
                };
                let found = plans(&env, || env.crm.list_leads(actor, &query).unwrap());
                assert_list_plans(&format!("leads by {sort} ({})", actor.username()), &found);
            }
        }
        // The filters a user picks in the TUI: stage, temperature, owner, source, score range.
        for query in [
            LeadQuery {
                stage: Some(crm_core::LeadStage::Qualified),
                ..LeadQuery::default()
            },
            LeadQuery {
                temperature: Some(crm_core::Temperature::Hot),
                ..LeadQuery::default()
            },
            LeadQuery {
                owner: Some("asha".into()),
                ..LeadQuery::default()
            },
            LeadQuery {
                source: Some(crm_core::LeadSource::Referral),
                min_score: Some(50),
                ..LeadQuery::default()
            },
        ] {
            let query = LeadQuery {
                sort: *sort,
                ..query
            };
            let found = plans(&env, || env.crm.list_leads(&env.admin, &query).unwrap());
            assert_list_plans(&format!("filtered leads by {sort}"), &found);
        }
    }
}

#[test]
fn contacts_deals_tickets_and_tasks_pages_use_indexes() {
    let env = Env::demo(false);
    for sort in crm_core::ContactSort::ALL {
        let query = ContactQuery {
            sort: *sort,
            ..ContactQuery::default()
        };
        let found = plans(&env, || env.crm.list_contacts(&env.admin, &query).unwrap());
        assert_list_plans(&format!("contacts by {sort}"), &found);
    }
    for sort in crm_core::DealSort::ALL {
        let query = DealQuery {
            sort: *sort,
            ..DealQuery::default()
        };
        let found = plans(&env, || env.crm.list_deals(&env.admin, &query).unwrap());
        assert_list_plans(&format!("deals by {sort}"), &found);
    }
    let found = plans(&env, || {
        env.crm
            .list_tickets(&env.admin, &TicketQuery::default())
            .unwrap()
    });
    assert_list_plans("ticket queue", &found);
    let found = plans(&env, || {
        env.crm
            .list_tasks(&env.admin, &TaskQuery::default())
            .unwrap()
    });
    assert_list_plans("tasks", &found);
    // A rep's own open tasks, as the dashboard's "my work" lists them.
    let rep = env.crm.login("asha", crm_core::DEMO_PASSWORD).unwrap().0;
    let mine = TaskQuery {
        mine: true,
        status: Some(crm_core::TaskStatus::Open),
        limit: 5,
        ..TaskQuery::default()
    };
    let found = plans(&env, || env.crm.list_tasks(&rep, &mine).unwrap());
    assert_list_plans("a rep's open tasks", &found);
}

#[test]
fn search_dashboard_and_board_read_through_indexes() {
    let env = Env::demo(true);
    let found = plans(&env, || env.crm.search(&env.admin, "sha", &[], 20).unwrap());
    assert!(
        found
            .iter()
            .any(|(plan, _)| plan.contains("VIRTUAL TABLE INDEX")),
        "{found:?}"
    );
    let rep = env.crm.login("asha", crm_core::DEMO_PASSWORD).unwrap().0;
    for (what, found) in [
        (
            "dashboard",
            plans(&env, || env.crm.dashboard(&env.admin).unwrap()),
        ),
        (
            "a rep's dashboard",
            plans(&env, || env.crm.dashboard(&rep).unwrap()),
        ),
        (
            "a rep's feed",
            plans(&env, || env.crm.recent_activity(&rep, 50).unwrap()),
        ),
        (
            "board",
            plans(&env, || env.crm.board(&env.admin, 50).unwrap()),
        ),
    ] {
        for (plan, sql) in &found {
            assert!(
                !unindexed_scan(plan, sql),
                "{what}: full scan without an index\n{plan}\n{sql}"
            );
        }
    }
}

/// Each board column, everyone's or a rep's own, comes in order (amount, then id) from an index
/// and stops at its limit: no deal of a stage is read, joined and sorted to find the top ones.
#[test]
fn board_columns_are_read_in_order_from_an_index() {
    let env = Env::demo(true);
    let rep = env.crm.login("asha", crm_core::DEMO_PASSWORD).unwrap().0;
    for actor in [&env.admin, &rep] {
        let found = plans(&env, || env.crm.board(actor, 50).unwrap());
        let columns: Vec<_> = found
            .iter()
            .filter(|(_, sql)| sql.contains("ORDER BY d.amount DESC"))
            .collect();
        assert!(!columns.is_empty(), "{found:?}");
        for (plan, sql) in columns {
            assert!(
                !plan.contains("TEMP B-TREE"),
                "{}'s board sorts a column after reading it\n{plan}\n{sql}",
                actor.username()
            );
        }
    }
}

/// A page deep in a list seeks its start in the sort's index for every sort, both ways, even
/// inside a run of equal keys (many leads share a name, a score, a stage): each statement of the
/// page reads `leads` through a SEARCH, never a SCAN from the start of the index.
#[test]
fn deep_pages_seek_their_cursor_in_the_sort_index() {
    let env = Env::demo(true);
    for sort in LeadSort::ALL {
        for descending in [false, true] {
            let query = |after| LeadQuery {
                sort: *sort,
                descending,
                limit: 50,
                after,
                ..LeadQuery::default()
            };
            let first = env.crm.list_leads(&env.admin, &query(None)).unwrap();
            let after = first.next_after.map(crm_core::LeadId);
            assert!(
                after.is_some(),
                "leads by {sort}: the demo has one page only"
            );
            let found = plans(&env, || {
                env.crm.list_leads(&env.admin, &query(after)).unwrap()
            });
            assert_list_plans(&format!("deep page of leads by {sort}"), &found);
            // The first statement reads the rest of the cursor's run of equal keys: a seek to
            // the cursor's id inside the run, not a walk through it.
            let (plan, sql) = &found[0];
            assert!(
                plan.contains("rowid>?") || plan.contains("rowid<?"),
                "deep page of leads by {sort}, descending {descending}: the run is walked\n{plan}\n{sql}"
            );
            // The page's custom field values are read by their own key, after the page.
            for (plan, sql) in found.iter().filter(|(_, sql)| !sql.contains("custom_")) {
                let reads_leads = plan.lines().find(|step| {
                    let mut words = step.split_whitespace();
                    matches!(words.next(), Some("SEARCH" | "SCAN")) && words.next() == Some("l")
                });
                assert!(
                    reads_leads.is_some_and(|step| step.starts_with("SEARCH")),
                    "deep page of leads by {sort}, descending {descending}: not a seek\n{plan}\n{sql}"
                );
            }
        }
    }
}

/// Walking a list page by page gives exactly the rows of one big page, in the same order, for
/// every sort both ways (the keyset cursor neither skips nor repeats rows with equal keys).
#[test]
fn paging_by_keyset_neither_skips_nor_repeats() {
    let env = Env::demo(true);
    for sort in LeadSort::ALL {
        for descending in [false, true] {
            let all = |limit, after| LeadQuery {
                sort: *sort,
                descending,
                include_converted: true,
                limit,
                after,
                ..LeadQuery::default()
            };
            let whole: Vec<_> = env
                .crm
                .list_leads(&env.admin, &all(1000, None))
                .unwrap()
                .items
                .iter()
                .map(|l| l.id)
                .collect();
            let mut walked = Vec::new();
            let mut after = None;
            loop {
                let page = env.crm.list_leads(&env.admin, &all(37, after)).unwrap();
                walked.extend(page.items.iter().map(|l| l.id));
                match page.next_after {
                    Some(next) => after = Some(crm_core::LeadId(next)),
                    None => break,
                }
            }
            assert_eq!(walked, whole, "leads by {sort}, descending {descending}");
        }
    }
}

#[test]
fn the_duplicate_check_on_add_seeks_by_email_and_phone() {
    let env = Env::demo(false);
    let new = crm_core::NewLead {
        first_name: "Fresh".into(),
        email: Some("fresh@example.com".into()),
        phone: Some("+91 90000 00001".into()),
        ..crm_core::NewLead::default()
    };
    let found = plans(&env, || env.crm.add_lead(&env.admin, &new).unwrap());
    let lookups: Vec<_> = found
        .iter()
        .filter(|(_, sql)| sql.contains("phone_key =") || sql.contains("email = ?1"))
        .collect();
    assert_eq!(lookups.len(), 2, "{found:#?}");
    for (plan, sql) in lookups {
        assert!(!unindexed_scan(plan, sql), "{plan}\n{sql}");
        assert!(
            plan.contains("leads_phone_key") || plan.contains("leads_email"),
            "{plan}\n{sql}"
        );
    }
}

/// Linking a record to its company seeks by name key or domain; the company page reads its
/// records through the `company_id` indexes; every sort of the companies list is an index order.
#[test]
fn company_lookups_pages_and_lists_read_through_indexes() {
    let env = Env::demo(true);
    for (sql, index) in [
        (
            "SELECT id FROM companies WHERE name_key = 'acme' ORDER BY id LIMIT 1",
            "companies_name_key",
        ),
        (
            "SELECT id FROM companies WHERE domain = 'acme.com' ORDER BY id LIMIT 1",
            "companies_domain",
        ),
    ] {
        let plan = query_plan(&env.path, sql);
        assert!(plan.contains(index), "{plan}\n{sql}");
    }
    let rep = env.crm.login("asha", crm_core::DEMO_PASSWORD).unwrap().0;
    for actor in [&env.admin, &rep] {
        let found = plans(&env, || env.crm.company_page(actor, CompanyId(1)).unwrap());
        for (plan, sql) in &found {
            assert!(!unindexed_scan(plan, sql), "company page: {plan}\n{sql}");
            // The contacts and leads sections come in their order from the company's index,
            // not by sorting all of a company's records (tens of thousands at a million leads).
            if sql.contains("FROM contacts x") || sql.contains("FROM leads x") {
                assert!(
                    !plan.contains("TEMP B-TREE FOR ORDER BY"),
                    "company page sorts every record of the company: {plan}\n{sql}"
                );
            }
        }
    }
    for sort in CompanySort::ALL {
        for descending in [false, true] {
            let query = CompanyQuery {
                sort: *sort,
                descending,
                limit: 5,
                after: Some(CompanyId(3)),
                ..CompanyQuery::default()
            };
            let found = plans(&env, || env.crm.list_companies(&env.admin, &query).unwrap());
            assert_list_plans(&format!("companies by {sort}"), &found);
        }
    }
}
