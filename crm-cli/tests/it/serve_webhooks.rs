//! Webhooks from a real `crm serve` to a receiver the test runs on loopback: the change's
//! request is answered while the receiver still holds its delivery, and each delivery carries
//! a signature the receiver can check with the secret `crm webhooks add` printed.

use std::time::Duration;

use crm_core::testing::HttpReceiver;
use serde_json::json;

use crate::env::{ADMIN_PW, TestEnv};
use crate::serve::{Server, login};

#[test]
fn a_won_deal_reaches_the_receiver_signed_without_holding_up_any_request() {
    let env = TestEnv::with_admin();
    let receiver = HttpReceiver::start();
    let made = env.json(&[
        "webhooks",
        "add",
        &receiver.url,
        "--events",
        "lead.created,deal.won",
    ]);
    let secret = made["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{made}");
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);

    receiver.hold();
    let (status, lead) = server.post(
        "/api/v1/leads",
        &root,
        &json!({ "first_name": "Kiran", "email": "kiran@example.com" }),
    );
    assert_eq!(status, 201, "{lead}");
    let first = receiver.wait_for(1, Duration::from_secs(20));
    assert_eq!(first.len(), 1, "the server's sender posted the lead");
    assert_eq!(first[0].header("x-crm-event"), Some("lead.created"));

    // The receiver has not answered yet; the API still answers everyone at once.
    let (status, deal) = server.post(
        "/api/v1/deals",
        &root,
        &json!({ "title": "Kiran's first order", "amount": "42000" }),
    );
    assert_eq!(status, 201, "{deal}");
    let (status, won) = server.post(
        &format!("/api/v1/deals/{}/won", deal["id"]),
        &root,
        &json!({}),
    );
    assert_eq!(status, 200, "{won}");
    receiver.release();

    let got = receiver.wait_for(2, Duration::from_secs(20));
    assert_eq!(got.len(), 2, "{got:?}");
    for request in &got {
        assert!(request.signed_with(&secret), "{request:?}");
        assert!(!request.signed_with("whsec_not-the-secret"));
    }
    let body: serde_json::Value = serde_json::from_str(&got[1].body).unwrap();
    assert_eq!(body["event"], "deal.won");
    assert_eq!(body["data"]["id"], deal["id"]);
    assert_eq!(body["data"]["amount"], "42000.00");

    // The log says so once the sender has written it down.
    let mut log = serde_json::Value::Null;
    for _ in 0..100 {
        log = env.json(&["webhooks", "deliveries", "--status", "delivered"]);
        if log.as_array().unwrap().len() == 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(log.as_array().unwrap().len(), 2, "{log}");
    assert!(server.stop().success());
}

#[test]
fn a_receiver_that_fails_is_retried_later_and_the_log_shows_each_try() {
    let env = TestEnv::with_admin();
    let receiver = HttpReceiver::start();
    env.json(&["webhooks", "add", &receiver.url, "--events", "deal.won"]);
    receiver.answer_next(&[503]);
    env.ok(&["deals", "add", "Renewal"], "");
    env.ok(&["deals", "won", "1"], "");

    let out = env.ok(&["webhooks", "send"], "");
    assert!(out.contains("0 delivered, 1 failed"), "{out}");
    let log = env.json(&["webhooks", "deliveries"]);
    assert_eq!(log[0]["status"], "pending", "{log}");
    assert_eq!(log[0]["attempts"], 1);
    assert_eq!(log[0]["response_status"], 503);
    assert_eq!(log[0]["next_attempt_at"], "2026-03-01T09:00:30Z");
    let out = env.ok(&["webhooks", "send"], "");
    assert!(out.contains("0 delivered, 0 failed"), "not due yet: {out}");

    // Thirty seconds on, the retry is due and the receiver takes it.
    let later = env
        .crm(&["webhooks", "send"])
        .env("CRM_NOW", "2026-03-01T09:00:31Z")
        .output()
        .unwrap();
    assert!(later.status.success());
    let log = env.json(&["webhooks", "deliveries"]);
    assert_eq!(
        (log[0]["status"].as_str(), log[0]["attempts"].as_i64()),
        (Some("delivered"), Some(2)),
        "{log}"
    );
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].body, got[1].body, "the same delivery both times");
    let payload = env.ok(&["webhooks", "payload", "1"], "");
    assert_eq!(payload.trim(), got[0].body);

    let refused = env.fails(&["webhooks", "retry", "1"], "");
    assert!(refused.contains("not sent twice"), "{refused}");
    env.add_user("meera", "manager");
    env.login("meera", "meera-password-1");
    let refused = env.fails(&["webhooks", "list"], "");
    assert!(refused.contains("permission denied"), "{refused}");
}
