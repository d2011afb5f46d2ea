//! The authorization matrix of `docs/reliability.md` through `crm serve`: every operation the
//! API offers, by every role, on a record that is the user's own, another rep's and nobody's,
//! against the same table the service test reads. A refusal changes nothing, and a record the
//! user may not see is answered 404 (never 403, which would say it exists).

use serde_json::{Value, json};

use crm_core::testing::access::{self, OWNERSHIP, USERS, allowed, owner_of};
use crm_core::{Actor, Crm, EntityKind, RecordRef};

use crate::env::{ADMIN_PW, TestEnv};
use crate::serve::{Server, agent};

/// The operations of the matrix that have a route; the rest (bulk edits, merges, duplicate
/// finding, privacy export) are CLI and TUI only for now.
const OVER_HTTP: &[&str] = &[
    "lead read",
    "lead edit",
    "lead score",
    "lead assign",
    "lead nurture",
    "lead convert",
    "lead delete",
    "lead note",
    "lead feed",
    "lead listed",
    "lead search",
    "lead by-email",
    "contact read",
    "contact edit",
    "contact delete",
    "contact note",
    "contact feed",
    "contact listed",
    "contact search",
    "contact by-email",
    "deal read",
    "deal move",
    "deal delete",
    "deal note",
    "deal feed",
    "deal listed",
    "deal search",
    "ticket read",
    "ticket edit",
    "ticket assign",
    "ticket resolve",
    "ticket note",
    "ticket feed",
    "ticket listed",
    "ticket search",
    "task read",
    "task edit",
    "task done",
    "task delete",
    "task listed",
    "company read",
    "company add",
    "company edit",
    "company delete",
    "company page",
];

/// One request with a bearer token (and `If-Match: *` on writes that need it).
fn request(
    server: &Server,
    token: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let agent = agent();
    let url = server.url(path);
    let auth = format!("Bearer {token}");
    let response = match method {
        "GET" => agent.get(&url).header("Authorization", &auth).call(),
        "DELETE" => agent
            .delete(&url)
            .header("Authorization", &auth)
            .header("If-Match", "*")
            .call(),
        "PATCH" => agent
            .patch(&url)
            .header("Authorization", &auth)
            .header("If-Match", "*")
            .send_json(body.unwrap_or(&json!({}))),
        _ => agent
            .post(&url)
            .header("Authorization", &auth)
            .send_json(body.unwrap_or(&json!({}))),
    };
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

enum Outcome {
    Allowed,
    /// Refused with this status (403 or 404).
    Refused(u16),
}

fn plural(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Lead => "leads",
        EntityKind::Contact => "contacts",
        EntityKind::Deal => "deals",
        EntityKind::Ticket => "tickets",
        EntityKind::Task => "tasks",
        _ => "companies",
    }
}

fn status_outcome((status, body): (u16, Value)) -> Result<Outcome, String> {
    match status {
        200..=299 => Ok(Outcome::Allowed),
        403 | 404 => Ok(Outcome::Refused(status)),
        _ => Err(format!("{status} {body}")),
    }
}

/// Whether a list answer (or the search's hits) holds the record.
fn holds(answer: (u16, Value), record: RecordRef) -> Result<Outcome, String> {
    let (status, body) = answer;
    if status == 403 {
        return Ok(Outcome::Refused(403));
    }
    if status != 200 {
        return Err(format!("{status} {body}"));
    }
    let items = body.get("items").unwrap_or(&body);
    let hit = items.as_array().into_iter().flatten().any(|item| {
        item["id"] == json!(record.id)
            || (item["record"]["kind"] == json!(record.kind.as_str())
                && item["record"]["id"] == json!(record.id))
    });
    Ok(if hit {
        Outcome::Allowed
    } else {
        Outcome::Refused(404)
    })
}

/// Runs `verb` on `record` through the API as the holder of `token`.
fn perform(
    server: &Server,
    token: &str,
    verb: &str,
    record: RecordRef,
    name: &str,
) -> Result<Outcome, String> {
    let path = format!("/api/v1/{}/{}", plural(record.kind), record.id);
    let about = record.to_string();
    let call = |method: &str, path: &str, body: Option<Value>| {
        request(server, token, method, path, body.as_ref())
    };
    match verb {
        "read" => status_outcome(call("GET", &path, None)),
        "note" => status_outcome(call(
            "POST",
            "/api/v1/notes",
            Some(json!({ "about": about, "body": "a note" })),
        )),
        "feed" => status_outcome(call(
            "GET",
            &format!("/api/v1/activity?about={about}"),
            None,
        )),
        "listed" => holds(
            call(
                "GET",
                &format!("/api/v1/{}?search={name}", plural(record.kind)),
                None,
            ),
            record,
        ),
        "by-email" => holds(
            call(
                "GET",
                &format!("/api/v1/{}?search={name}@example.com", plural(record.kind)),
                None,
            ),
            record,
        ),
        "search" => holds(
            call("GET", &format!("/api/v1/search?q={name}"), None),
            record,
        ),
        "delete" => status_outcome(call("DELETE", &path, None)),
        "edit" => {
            let change = match record.kind {
                EntityKind::Lead => json!({ "notes": "changed" }),
                EntityKind::Contact => json!({ "job_title": "CTO" }),
                EntityKind::Company => json!({ "industry": "Changed" }),
                EntityKind::Ticket | EntityKind::Task => {
                    json!({ (if record.kind == EntityKind::Task { "title" } else { "subject" }): "changed" })
                }
                _ => unreachable!("edit of {record}"),
            };
            status_outcome(call("PATCH", &path, Some(change)))
        }
        "score" => status_outcome(call(
            "POST",
            &format!("{path}/score"),
            Some(json!({ "score": 77 })),
        )),
        "assign" => {
            let to = if record.kind == EntityKind::Ticket {
                "sam"
            } else {
                "asha"
            };
            status_outcome(call(
                "POST",
                &format!("{path}/assign"),
                Some(json!({ "to": to })),
            ))
        }
        "nurture" => status_outcome(call(
            "POST",
            "/api/v1/leads/nurture",
            Some(json!({ "ids": [record.id] })),
        )),
        "convert" => status_outcome(call("POST", &format!("{path}/convert"), Some(json!({})))),
        "move" => status_outcome(call(
            "POST",
            &format!("{path}/move"),
            Some(json!({ "to": "Qualified" })),
        )),
        "resolve" => status_outcome(call(
            "POST",
            &format!("{path}/resolve"),
            Some(json!({ "resolution": "Fixed." })),
        )),
        "done" => status_outcome(call("POST", &format!("{path}/done"), None)),
        _ => unreachable!("{verb} on {record}"),
    }
}

/// Company cells: `add` makes a company for the record's owner; `page` is whether the
/// company's page lists a contact of that owner.
fn company_cell(
    server: &Server,
    token: &str,
    crm: &Crm,
    admin: &Actor,
    verb: &str,
    record: RecordRef,
    name: &str,
) -> Result<Outcome, String> {
    let company = crm.company(admin, crm_core::CompanyId(record.id)).unwrap();
    match verb {
        "add" => status_outcome(request(
            server,
            token,
            "POST",
            "/api/v1/companies",
            Some(
                &json!({ "name": format!("{name}New"), "owner": company.owner.unwrap_or_default() }),
            ),
        )),
        "page" => {
            let staff = crm
                .add_contact(
                    admin,
                    &crm_core::NewContact {
                        first_name: format!("{name}Staff"),
                        company: Some(company.name),
                        owner: Some(company.owner.unwrap_or_default()),
                        ..crm_core::NewContact::default()
                    },
                )
                .unwrap();
            let (status, page) = request(
                server,
                token,
                "GET",
                &format!("/api/v1/companies/{}", record.id),
                None,
            );
            if status != 200 {
                return status_outcome((status, page));
            }
            let listed = page["contacts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == json!(staff.id.0));
            Ok(if listed {
                Outcome::Allowed
            } else {
                Outcome::Refused(404)
            })
        }
        _ => perform(server, token, verb, record, name),
    }
}

#[test]
fn every_cell_of_the_authorization_matrix_holds_over_http() {
    let env = TestEnv::with_admin();
    for (user, role) in USERS.iter().skip(1) {
        env.add_user(user, role.as_str());
    }
    env.add_user(access::OTHER_REP, "sales_rep");
    let crm = Crm::open(&env.db()).unwrap();
    let (admin, _) = crm.login("root", ADMIN_PW).unwrap();
    let server = Server::start(&env);
    let tokens: Vec<String> = USERS
        .iter()
        .map(|(user, _)| {
            let password = if *user == "root" {
                ADMIN_PW.to_string()
            } else {
                format!("{user}-password-1")
            };
            crate::serve::login(&server, user, &password)
        })
        .collect();

    let (mut cells, mut refused, mut mismatches) = (0, 0, Vec::new());
    for op in OVER_HTTP {
        let (kind, verb) = op.split_once(' ').unwrap();
        for (role, (user, _)) in USERS.iter().enumerate() {
            for (ownership, whose) in OWNERSHIP.iter().enumerate() {
                cells += 1;
                let name = format!("Http{cells}");
                let record = access::create(
                    &crm,
                    &admin,
                    &env.db(),
                    kind,
                    owner_of(role, ownership),
                    &name,
                );
                let before = env.dump();
                let outcome = if kind == "company" {
                    company_cell(&server, &tokens[role], &crm, &admin, verb, record, &name)
                } else {
                    perform(&server, &tokens[role], verb, record, &name)
                };
                let want = allowed(op, role, ownership);
                let cell = format!("{op} by {user} on {whose}");
                match outcome {
                    Err(other) => mismatches.push(format!("{cell}: unexpected answer {other}")),
                    Ok(Outcome::Allowed) if !want => {
                        mismatches.push(format!("{cell}: allowed, table says refused"));
                    }
                    Ok(Outcome::Refused(status)) if want => {
                        mismatches
                            .push(format!("{cell}: refused with {status}, table says allowed"));
                    }
                    Ok(Outcome::Refused(status)) => {
                        refused += 1;
                        if !matches!(verb, "listed" | "search" | "by-email" | "page")
                            && env.dump() != before
                        {
                            mismatches.push(format!("{cell}: refused but the database changed"));
                        }
                        // A user who reads records of this kind, asking for one not theirs,
                        // must not learn that it exists.
                        let reads_own = allowed(&format!("{kind} read"), role, 0);
                        if verb == "read" && reads_own && status != 404 {
                            mismatches.push(format!("{cell}: {status}, not 404"));
                        }
                    }
                    Ok(Outcome::Allowed) => {}
                }
            }
        }
    }
    println!(
        "authorization matrix over HTTP: {cells} cells ({} operations x 5 roles x 3 ownerships), {refused} refused, {} mismatches",
        OVER_HTTP.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(server.stop().success());
}
