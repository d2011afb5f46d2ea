//! A support agent's and a rep's day over HTTP: tickets to resolution, tasks, notes with a
//! mention, the board, search and the feed.

use serde_json::json;

use crate::env::{ADMIN_PW, TestEnv};
use crate::serve::{Server, login};

#[test]
fn a_ticket_goes_from_open_to_resolved_with_its_email_queued() {
    let env = TestEnv::with_admin();
    env.add_user("john", "support_agent");
    let contact = env.json(&[
        "contacts",
        "add",
        "--first-name",
        "Kavya",
        "--email",
        "kavya@example.com",
    ]);
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let john = login(&server, "john", "john-password-1");
    let (status, ticket) = server.post(
        "/api/v1/tickets",
        &root,
        &json!({ "subject": "Cannot log in", "contact": contact["id"], "priority": "High" }),
    );
    assert_eq!(status, 201, "{ticket}");
    let path = format!("/api/v1/tickets/{}", ticket["id"]);
    let (status, assigned) =
        server.post(&format!("{path}/assign"), &root, &json!({ "to": "john" }));
    assert_eq!(
        (status, assigned["assignee"].as_str()),
        (200, Some("john")),
        "{assigned}"
    );
    let (status, started) = server.post(&format!("{path}/start"), &john, &json!({}));
    assert_eq!(
        (status, started["status"].as_str()),
        (200, Some("In Progress")),
        "{started}"
    );
    let (status, resolved) = server.post(
        &format!("{path}/resolve"),
        &john,
        &json!({ "resolution": "Reset the password" }),
    );
    assert_eq!(status, 200, "{resolved}");
    assert_eq!(resolved["ticket"]["status"], "Resolved");
    assert!(
        resolved["email"].is_i64(),
        "the customer's email is queued: {resolved}"
    );
    let (_, queue) = server.get("/api/v1/tickets", &john);
    assert!(
        queue["items"].as_array().unwrap().is_empty(),
        "the open queue is empty"
    );
    let (_, all) = server.get("/api/v1/tickets?include_resolved=true", &john);
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
    assert!(server.stop().success());
}

#[test]
fn a_rep_works_tasks_notes_the_board_search_and_the_feed() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.add_user("ravi", "sales_rep");
    let server = Server::start(&env);
    let asha = login(&server, "asha", "asha-password-1");
    let (_, lead) = server.post(
        "/api/v1/leads",
        &asha,
        &json!({ "first_name": "Aarav", "last_name": "Sharma", "email": "aarav@techverse.in" }),
    );
    let about = format!("lead:{}", lead["id"]);

    let (status, task) = server.post(
        "/api/v1/tasks",
        &asha,
        &json!({ "title": "Call Aarav", "kind": "call", "about": about }),
    );
    assert_eq!(status, 201, "{task}");
    let (status, done) = server.post(
        &format!("/api/v1/tasks/{}/done", task["id"]),
        &asha,
        &json!({}),
    );
    assert_eq!(
        (status, done["status"].as_str()),
        (200, Some("done")),
        "{done}"
    );

    let (status, added) = server.post(
        "/api/v1/notes",
        &asha,
        &json!({ "about": about, "body": "Budget approved; @ravi please send the quote" }),
    );
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["mention_tasks"][0][0], "ravi");
    let (_, notes) = server.get(&format!("/api/v1/notes?about={about}"), &asha);
    assert_eq!(
        notes[0]["body"],
        "Budget approved; @ravi please send the quote"
    );
    let (status, bad) = server.get("/api/v1/notes?about=planet:1", &asha);
    assert_eq!(status, 400, "{bad}");

    let (status, hits) = server.get("/api/v1/search?q=sha&kinds=lead", &asha);
    assert_eq!(status, 200, "{hits}");
    assert_eq!(hits[0]["title"], "Aarav Sharma");
    let (status, board) = server.get("/api/v1/pipeline", &asha);
    assert_eq!(status, 200);
    assert!(board.as_array().is_some_and(|c| !c.is_empty()), "{board}");
    let (status, feed) = server.get("/api/v1/activity?limit=5", &asha);
    assert_eq!(status, 200);
    assert!(feed.to_string().contains("Aarav"), "{feed}");
    assert!(server.stop().success());
}

/// A lead scored, assigned and nurtured, converted, its deal moved; its company's page.
#[test]
fn lead_actions_deal_moves_and_company_pages() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let (status, company) = server.post(
        "/api/v1/companies",
        &root,
        &json!({ "name": "Acme Corp", "domain": "acme.example" }),
    );
    assert_eq!(status, 201, "{company}");
    let (_, lead) = server.post(
        "/api/v1/leads",
        &root,
        &json!({ "first_name": "Tara", "email": "tara@acme.example", "company": "Acme Corp" }),
    );
    let path = format!("/api/v1/leads/{}", lead["id"]);
    let (status, scored) = server.post(&format!("{path}/score"), &root, &json!({ "score": 85 }));
    assert_eq!(status, 200, "{scored}");
    assert_eq!(
        (scored["score"].as_i64(), scored["temperature"].as_str()),
        (Some(85), Some("Hot"))
    );
    let (status, bad) = server.post(&format!("{path}/score"), &root, &json!({ "score": 101 }));
    assert_eq!(status, 422, "{bad}");
    let (status, assigned) =
        server.post(&format!("{path}/assign"), &root, &json!({ "to": "asha" }));
    assert_eq!(
        (status, assigned["owner"].as_str()),
        (200, Some("asha")),
        "{assigned}"
    );
    let (status, drip) = server.post(
        "/api/v1/leads/nurture",
        &root,
        &json!({ "ids": [lead["id"]], "drip": "call:0,email:2" }),
    );
    assert_eq!(status, 201, "{drip}");
    assert!(
        drip.to_string().contains("tara") || drip.to_string().contains("Tara"),
        "{drip}"
    );

    let (_, conversion) = server.post(
        &format!("{path}/convert"),
        &root,
        &json!({ "amount": "250000" }),
    );
    let deal = format!("/api/v1/deals/{}", conversion["deal_id"]);
    let (status, moved) = server.post(
        &format!("{deal}/move"),
        &root,
        &json!({ "to": "Negotiation" }),
    );
    assert_eq!(
        (status, moved["to"].as_str()),
        (200, Some("Negotiation")),
        "{moved}"
    );
    assert_eq!(moved["deal"]["amount"], "250000.00");

    let (_, found) = server.get("/api/v1/companies?search=acme", &root);
    assert_eq!(found["items"][0]["name"], "Acme Corp", "{found}");
    let (status, page) = server.get(&format!("/api/v1/companies/{}", company["id"]), &root);
    assert_eq!(status, 200, "{page}");
    assert!(
        page.to_string().contains("Tara"),
        "the converted contact is on it: {page}"
    );
    assert!(server.stop().success());
}
