//! The authorization matrix: one table says, for every role and every record that is the
//! actor's own, another user's or nobody's, which operations are allowed. The test runs every
//! cell against the real services; a refused write must leave the database byte-for-byte
//! unchanged, and a refused read must not leak the record through a list (the export path) or
//! search.

use crm_core::{
    ActivityQuery, Actor, CompanyId, CompanyPatch, ContactId, ContactPatch, ContactQuery, DealId,
    DealQuery, EntityKind, Error, LeadId, LeadPatch, LeadQuery, NewCompany, NewContact, NewLead,
    RecordRef, Role, TaskId, TaskPatch, TaskQuery, TicketId, TicketPatch, TicketQuery,
};

use crm_core::testing::access::{self, MATRIX, OWNERSHIP, ROLES};

use crate::env::Env;

/// The outcome of one cell: allowed, refused, or something that is neither (a test failure).
pub(crate) enum Outcome {
    Allowed,
    Refused,
}

pub(crate) fn classify<T>(result: crm_core::Result<T>) -> Result<Outcome, String> {
    match result {
        Ok(_) => Ok(Outcome::Allowed),
        // A record outside the actor's own is refused as out of scope (the server answers
        // it as not found); both are refusals here.
        Err(Error::Forbidden(_) | Error::OutOfScope(_)) => Ok(Outcome::Refused),
        Err(other) => Err(other.to_string()),
    }
}

fn found(hit: bool) -> Outcome {
    if hit {
        Outcome::Allowed
    } else {
        Outcome::Refused
    }
}

fn create(env: &Env, kind: &str, owner: Option<&str>, name: &str) -> RecordRef {
    access::create(&env.crm, &env.admin, &env.path, kind, owner, name)
}

/// Whether the actor's list of `record`'s kind, searched by `name` (what export reads), shows
/// it.
fn listed(env: &Env, actor: &Actor, record: RecordRef, name: &str) -> crm_core::Result<bool> {
    let crm = &env.crm;
    let search = Some(name.to_string());
    Ok(match record.kind {
        EntityKind::Lead => {
            let query = LeadQuery {
                search,
                ..LeadQuery::default()
            };
            crm.list_leads(actor, &query)?
                .items
                .iter()
                .any(|l| l.id.0 == record.id)
        }
        EntityKind::Contact => {
            let query = ContactQuery {
                search,
                ..ContactQuery::default()
            };
            crm.list_contacts(actor, &query)?
                .items
                .iter()
                .any(|c| c.id.0 == record.id)
        }
        EntityKind::Ticket => {
            let query = TicketQuery {
                search,
                ..TicketQuery::default()
            };
            crm.list_tickets(actor, &query)?
                .items
                .iter()
                .any(|t| t.id.0 == record.id)
        }
        EntityKind::Task => {
            let query = TaskQuery {
                search,
                ..TaskQuery::default()
            };
            crm.list_tasks(actor, &query)?
                .items
                .iter()
                .any(|t| t.id.0 == record.id)
        }
        _ => {
            let query = DealQuery {
                search,
                ..DealQuery::default()
            };
            crm.list_deals(actor, &query)?
                .items
                .iter()
                .any(|d| d.id.0 == record.id)
        }
    })
}

/// The other records some operations need: a contact of the actor's own to merge `record`
/// into, a twin with `record`'s email for the duplicate finder to pair it with.
fn companions(env: &Env, verb: &str, record: RecordRef, actor: &Actor, name: &str) {
    let (crm, admin) = (&env.crm, &env.admin);
    match verb {
        "merge" | "dupes" | "page" if record.kind == EntityKind::Company => {
            let company = crm.company(admin, CompanyId(record.id)).unwrap();
            if verb == "page" {
                let contact = NewContact {
                    first_name: format!("{name}Staff"),
                    company: Some(company.name),
                    owner: Some(company.owner.unwrap_or_default()),
                    ..NewContact::default()
                };
                crm.add_contact(admin, &contact).unwrap();
            } else {
                let twin = NewCompany {
                    name: format!("{name}Keep"),
                    domain: company.domain.filter(|_| verb == "dupes"),
                    allow_duplicate: true,
                    ..NewCompany::default()
                };
                crm.add_company(admin, &twin).unwrap();
            }
        }
        "merge" => {
            let keep = NewContact {
                first_name: format!("{name}Keep"),
                owner: Some(actor.username().to_owned()),
                ..NewContact::default()
            };
            crm.add_contact(admin, &keep).unwrap();
        }
        "dupes" if record.kind == EntityKind::Contact => {
            let owner = crm.contact(admin, ContactId(record.id)).unwrap().owner;
            let twin = NewContact {
                first_name: format!("{name}Twin"),
                email: Some(format!("{name}@example.com")),
                owner: Some(owner.unwrap_or_default()),
                allow_duplicate: true,
                ..NewContact::default()
            };
            crm.add_contact(admin, &twin).unwrap();
        }
        "dupes" => {
            let owner = crm.lead(admin, LeadId(record.id)).unwrap().owner;
            let twin = NewLead {
                first_name: format!("{name}Twin"),
                email: Some(format!("{name}@example.com")),
                owner,
                allow_duplicate: true,
                ..NewLead::default()
            };
            crm.add_lead(admin, &twin).unwrap();
        }
        _ => {}
    }
}

/// Whether the actor's duplicate finder pairs `record` with its twin.
fn paired(env: &Env, actor: &Actor, record: RecordRef) -> Result<Outcome, String> {
    match env.crm.find_duplicates(actor, record.kind, 0) {
        Ok(groups) => Ok(found(groups.iter().any(|g| {
            g.members.len() > 1 && g.members.iter().any(|m| m.id == record.id)
        }))),
        Err(e) => classify::<()>(Err(e)),
    }
}

/// Whether the actor may merge `contact` into the contact `companions` made them.
fn merged(env: &Env, actor: &Actor, contact: ContactId, name: &str) -> Result<Outcome, String> {
    let keep = crm_core::testing::count(
        &env.path,
        &format!("SELECT id FROM contacts WHERE first_name = '{name}Keep'"),
    );
    classify(env.crm.merge_contacts(actor, ContactId(keep), &[contact]))
}

/// Runs a company `verb` as `actor` on `company`.
fn company_verb(
    env: &Env,
    actor: &Actor,
    verb: &str,
    company: CompanyId,
    name: &str,
) -> Result<Outcome, String> {
    let crm = &env.crm;
    let companion = |table: &str, column: &str, suffix: &str| {
        crm_core::testing::count(
            &env.path,
            &format!("SELECT id FROM {table} WHERE {column} = '{name}{suffix}'"),
        )
    };
    match verb {
        "read" => classify(crm.company(actor, company)),
        "add" => {
            let owner = crm.company(&env.admin, company).unwrap().owner;
            let new = NewCompany {
                name: format!("{name}New"),
                owner: Some(owner.unwrap_or_default()),
                ..NewCompany::default()
            };
            classify(crm.add_company(actor, &new))
        }
        "edit" => classify(crm.edit_company(
            actor,
            company,
            &CompanyPatch {
                industry: Some("Changed".into()),
                ..CompanyPatch::default()
            },
        )),
        "delete" => classify(crm.delete_company(actor, company, None)),
        "merge" => classify(crm.merge_companies(
            actor,
            CompanyId(companion("companies", "name", "Keep")),
            &[company],
        )),
        "page" => match crm.company_page(actor, company) {
            Ok(page) => {
                Ok(found(page.contacts.iter().any(|c| {
                    c.id.0 == companion("contacts", "first_name", "Staff")
                })))
            }
            Err(e) => classify::<()>(Err(e)),
        },
        _ => unreachable!("{verb} on company {company}"),
    }
}

/// Runs `verb` as `actor` on `record`.
fn perform(
    env: &Env,
    actor: &Actor,
    verb: &str,
    record: RecordRef,
    name: &str,
) -> Result<Outcome, String> {
    let crm = &env.crm;
    let (lead, contact, deal) = (LeadId(record.id), ContactId(record.id), DealId(record.id));
    let (ticket, task) = (TicketId(record.id), TaskId(record.id));
    match (record.kind, verb) {
        (_, "note") => classify(crm.add_note(actor, Some(record), None, "a note")),
        (_, "feed") => classify(crm.activity(
            actor,
            &ActivityQuery {
                record: Some(record),
                ..ActivityQuery::default()
            },
        )),
        (_, "listed") => match listed(env, actor, record, name) {
            Ok(hit) => Ok(found(hit)),
            Err(e) => classify::<()>(Err(e)),
        },
        (_, "by-email") => match listed(env, actor, record, &format!("{name}@example.com")) {
            Ok(hit) => Ok(found(hit)),
            Err(e) => classify::<()>(Err(e)),
        },
        (_, "privacy-export") => match crm.privacy_export(actor, &format!("{name}@example.com")) {
            Ok(data) => Ok(found(
                data.leads.iter().any(|l| l.id.0 == record.id)
                    || data.contacts.iter().any(|c| c.id.0 == record.id),
            )),
            Err(e) => classify::<()>(Err(e)),
        },
        (_, "dupes") => paired(env, actor, record),
        (EntityKind::Contact, "merge") => merged(env, actor, contact, name),
        (EntityKind::Company, _) => company_verb(env, actor, verb, CompanyId(record.id), name),
        (_, "search") => Ok(found(
            crm.search(actor, name, &[], 20)
                .map_err(|e| e.to_string())?
                .iter()
                .any(|h| h.record == record),
        )),
        (EntityKind::Lead, "read") => classify(crm.lead(actor, lead)),
        (EntityKind::Lead, "edit") => classify(crm.edit_lead(
            actor,
            lead,
            &LeadPatch {
                notes: Some("changed".into()),
                ..LeadPatch::default()
            },
        )),
        (EntityKind::Lead, "bulk-edit") => classify(crm.edit_leads(
            actor,
            &[lead],
            &LeadPatch {
                notes: Some("changed".into()),
                ..LeadPatch::default()
            },
        )),
        (EntityKind::Lead, "score") => classify(crm.set_lead_score(actor, lead, 77)),
        (EntityKind::Lead, "assign") => classify(crm.assign_lead(actor, lead, "asha")),
        (EntityKind::Lead, "nurture") => classify(crm.nurture_leads(actor, &[lead], None)),
        (EntityKind::Lead, "convert") => classify(crm.convert_lead(actor, lead, None, None, false)),
        (EntityKind::Lead, "delete") => classify(crm.delete_lead(actor, lead, None)),
        (EntityKind::Contact, "read") => classify(crm.contact(actor, contact)),
        (EntityKind::Contact, "edit") => classify(crm.edit_contact(
            actor,
            contact,
            &ContactPatch {
                job_title: Some("CTO".into()),
                ..ContactPatch::default()
            },
        )),
        (EntityKind::Contact, "delete") => classify(crm.delete_contact(actor, contact, None)),
        (EntityKind::Contact, "bulk-delete") => classify(crm.delete_contacts(actor, &[contact])),
        (EntityKind::Deal, "read") => classify(crm.deal(actor, deal)),
        (EntityKind::Deal, "move") => classify(crm.move_deal(actor, deal, "Qualified")),
        (EntityKind::Deal, "delete") => classify(crm.delete_deal(actor, deal, None)),
        (EntityKind::Ticket, "read") => classify(crm.ticket(actor, ticket)),
        (EntityKind::Ticket, "edit") => classify(crm.edit_ticket(
            actor,
            ticket,
            &TicketPatch {
                subject: Some("changed".into()),
                ..TicketPatch::default()
            },
        )),
        (EntityKind::Ticket, "assign") => classify(crm.assign_ticket(actor, ticket, "sam")),
        (EntityKind::Ticket, "resolve") => classify(crm.resolve_ticket(actor, ticket, "Fixed.")),
        (EntityKind::Task, "read") => classify(crm.task(actor, task)),
        (EntityKind::Task, "edit") => classify(crm.edit_task(
            actor,
            task,
            &TaskPatch {
                title: Some("changed".into()),
                ..TaskPatch::default()
            },
        )),
        (EntityKind::Task, "done") => classify(crm.set_task_done(actor, task, true)),
        (EntityKind::Task, "bulk-done") => classify(crm.set_tasks_done(actor, &[task], true)),
        (EntityKind::Task, "delete") => classify(crm.delete_task(actor, task, None)),
        _ => unreachable!("{verb} on {record}"),
    }
}

crate::on_both_engines!(every_cell_of_the_authorization_matrix_holds_and_refusals_change_nothing);
fn every_cell_of_the_authorization_matrix_holds_and_refusals_change_nothing(env: &Env) {
    let actors = [
        env.admin.clone(),
        env.user("mona", Role::Manager),
        env.user("asha", Role::SalesRep),
        env.user("sam", Role::SupportAgent),
        env.user("neha", Role::Marketer),
    ];
    env.user("ravi", Role::SalesRep);
    let mut mismatches = Vec::new();
    let mut cells = 0;
    let mut refused = 0;
    for (op, row) in MATRIX {
        let expected: Vec<char> = row.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(expected.len(), 15, "{op}");
        for (r, actor) in actors.iter().enumerate() {
            for (o, ownership) in OWNERSHIP.iter().enumerate() {
                let owner = match *ownership {
                    "own" => Some(ROLES[r]),
                    "other" => Some("ravi"),
                    _ => None,
                };
                cells += 1;
                let (kind, verb) = op.split_once(' ').unwrap();
                let name = format!("Matrix{cells}");
                let record = create(env, kind, owner, &name);
                companions(env, verb, record, &actors[r], &name);
                let before = env.dump();
                let outcome = perform(env, actor, verb, record, &name);
                let want = expected[r * 3 + o] == 'Y';
                match outcome {
                    Err(other) => mismatches.push(format!(
                        "{op} by {} on {ownership}: unexpected error: {other}",
                        actor.role()
                    )),
                    Ok(Outcome::Allowed) if !want => mismatches.push(format!(
                        "{op} by {} on {ownership}: allowed, table says refused",
                        actor.role()
                    )),
                    Ok(Outcome::Refused) if want => mismatches.push(format!(
                        "{op} by {} on {ownership}: refused, table says allowed",
                        actor.role()
                    )),
                    Ok(Outcome::Refused) => {
                        if env.dump() != before {
                            mismatches.push(format!(
                                "{op} by {} on {ownership}: refused but the database changed",
                                actor.role()
                            ));
                        }
                        refused += 1;
                    }
                    Ok(Outcome::Allowed) => {}
                }
            }
        }
    }
    println!(
        "authorization matrix: {cells} cells ({} operations x 5 roles x 3 ownerships), \
         {refused} refused with the database unchanged, {} mismatches",
        MATRIX.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
