//! Two `crm serve` processes on one PostgreSQL database, as behind a load balancer: clients of
//! both write at once, and nothing is lost, refused, given unfairly or sent twice.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use crm_core::testing::{HttpReceiver, SmtpListener};
use serde_json::json;

use crate::env::{ADMIN_PW, TestEnv};
use crate::serve::{Server, login};

/// Clients per server, and what each does.
const CLIENTS: usize = 8;
const LEADS_EACH: usize = 3;

#[test]
fn two_servers_on_one_database_lose_nothing_and_send_each_message_once() {
    let Some(env) = TestEnv::postgres("two_servers_on_one_database") else {
        return;
    };
    env.ok(
        &["init", "--username", "root", "--password-stdin"],
        ADMIN_PW,
    );
    env.login("root", ADMIN_PW);
    for rep in ["r1", "r2", "r3"] {
        env.add_user(rep, "sales_rep");
    }
    let receiver = HttpReceiver::start();
    env.json(&[
        "webhooks",
        "add",
        &receiver.url,
        "--events",
        "lead.created,deal.won,ticket.resolved",
    ]);
    let contact = env.json(&[
        "contacts",
        "add",
        "--first-name",
        "Kavya",
        "--email",
        "kavya@example.com",
    ]);

    let servers = [Server::start(&env), Server::start(&env)];
    let tokens: Vec<String> = servers.iter().map(|s| login(s, "root", ADMIN_PW)).collect();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..2 * CLIENTS)
            .map(|client| {
                let server = &servers[client % 2];
                let token = &tokens[client % 2];
                let contact = &contact["id"];
                scope.spawn(move || one_client(server, token, contact, client))
            })
            .collect();
        clients
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    });
    assert_eq!(failures, Vec::<String>::new(), "every client was answered");

    // No lost write, and the round-robin was fair across both servers.
    let leads = env.json(&["leads", "list", "--limit", "1000"]);
    let leads = leads.as_array().unwrap();
    assert_eq!(leads.len(), 2 * CLIENTS * LEADS_EACH);
    let mut owners: HashMap<&str, usize> = HashMap::new();
    for lead in leads {
        *owners.entry(lead["owner"].as_str().unwrap()).or_default() += 1;
    }
    let (least, most) = (
        owners.values().min().unwrap(),
        owners.values().max().unwrap(),
    );
    assert!(owners.len() == 3 && most - least <= 1, "{owners:?}");
    let won = env.json(&["deals", "list", "--stage", "Won", "--limit", "1000"]);
    assert_eq!(won.as_array().unwrap().len(), 2 * CLIENTS);

    // Every webhook once: each server runs a sender, and each delivery is claimed by one.
    let events = 2 * CLIENTS * LEADS_EACH + 2 * CLIENTS + 2 * CLIENTS;
    let got = receiver.wait_for(events, Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(2));
    let got = receiver.received().len().max(got.len());
    let ids: HashSet<String> = receiver
        .received()
        .iter()
        .map(|r| r.header("x-crm-delivery").unwrap_or_default().to_string())
        .collect();
    assert_eq!((got, ids.len()), (events, events), "each delivery once");
    for server in servers {
        assert!(server.stop().success());
    }

    // Every resolution email once, with two senders at once.
    let listener = SmtpListener::start();
    let send = || {
        env.process(&["outbox", "send"])
            .env("CRM_SMTP_HOST", "127.0.0.1")
            .env("CRM_SMTP_PORT", listener.port.to_string())
            .env("CRM_SMTP_TLS", "none")
            .env("CRM_SMTP_FROM", "support@example.com")
            .spawn()
            .unwrap()
    };
    let senders = [send(), send()];
    for mut sender in senders {
        assert!(sender.wait().unwrap().success());
    }
    let mail = listener.messages();
    assert_eq!(mail.len(), 2 * CLIENTS, "each resolution mailed once");
}

/// What one client does through `server`: leads with auto-assign, a deal won, a ticket
/// resolved. The answers that were not the expected status, said.
fn one_client(
    server: &Server,
    token: &str,
    contact: &serde_json::Value,
    client: usize,
) -> Vec<String> {
    let mut failed = Vec::new();
    let mut expect = |what: &str, (status, body): (u16, serde_json::Value), want| {
        if status != want {
            failed.push(format!("client {client} {what}: {status} {body}"));
        }
        body
    };
    for n in 0..LEADS_EACH {
        expect(
            "lead",
            server.post(
                "/api/v1/leads",
                token,
                &json!({ "first_name": format!("C{client}"),
                             "last_name": format!("L{n}"),
                             "email": format!("c{client}.l{n}@example.com"),
                             "auto_assign": true }),
            ),
            201,
        );
    }
    let deal = expect(
        "deal",
        server.post(
            "/api/v1/deals",
            token,
            &json!({ "title": format!("Order {client}"), "amount": "1000" }),
        ),
        201,
    );
    expect(
        "won",
        server.post(
            &format!("/api/v1/deals/{}/won", deal["id"]),
            token,
            &json!({}),
        ),
        200,
    );
    let ticket = expect(
        "ticket",
        server.post(
            "/api/v1/tickets",
            token,
            &json!({ "subject": format!("Question {client}"), "contact": contact }),
        ),
        201,
    );
    expect(
        "resolve",
        server.post(
            &format!("/api/v1/tickets/{}/resolve", ticket["id"]),
            token,
            &json!({ "resolution": "Answered" }),
        ),
        200,
    );
    failed
}
