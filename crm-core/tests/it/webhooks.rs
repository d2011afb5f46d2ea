//! Webhooks against a real HTTP receiver on loopback: queued with the change or not at all,
//! signed, retried with backoff, given up, sent again by hand, and never sent twice by two
//! senders at once.

use std::time::Duration;

use chrono::Duration as Span;
use crm_core::testing::HttpReceiver;
use crm_core::{
    DeliveryStatus, Error, NewDeal, NewLead, NewWebhook, Role, WebhookEvent, WebhookMade,
};

use crate::env::{Env, start};

const WAIT: Duration = Duration::from_secs(10);

fn hook(env: &Env, receiver: &HttpReceiver, events: &[WebhookEvent]) -> WebhookMade {
    env.crm
        .add_webhook(
            &env.admin,
            &NewWebhook {
                url: receiver.url.clone(),
                events: events.to_vec(),
                secret: Some("whsec_0123456789abcdef".into()),
            },
        )
        .unwrap()
}

fn deal(env: &Env, title: &str) -> crm_core::DealId {
    env.crm
        .add_deal(
            &env.admin,
            &NewDeal {
                title: title.into(),
                amount: Some("250000".into()),
                ..NewDeal::default()
            },
        )
        .unwrap()
        .id
}

crate::on_both_engines!(events_go_out_signed_with_the_record_as_the_api_shows_it);
fn events_go_out_signed_with_the_record_as_the_api_shows_it(env: &Env) {
    let receiver = HttpReceiver::start();
    let made = hook(
        env,
        &receiver,
        &[WebhookEvent::DealWon, WebhookEvent::LeadCreated],
    );
    env.crm
        .add_lead(
            &env.admin,
            &NewLead {
                first_name: "Dev".into(),
                email: Some("dev@initech.example".into()),
                ..NewLead::default()
            },
        )
        .unwrap();
    let won = deal(env, "Initech rollout");
    env.crm.win_deal(&env.admin, won).unwrap();
    let lost = deal(env, "Globex pilot");
    env.crm.lose_deal(&env.admin, lost, "budget").unwrap();
    assert!(
        receiver.received().is_empty(),
        "nothing is sent inside the change"
    );

    let report = env.crm.deliver_due_webhooks(WAIT).unwrap();
    assert_eq!(
        (report.delivered.len(), report.failed.len()),
        (2, 0),
        "{report:?}"
    );
    let got = receiver.wait_for(2, WAIT);
    let events: Vec<_> = got
        .iter()
        .map(|r| r.header("x-crm-event").unwrap())
        .collect();
    assert_eq!(
        events,
        ["lead.created", "deal.won"],
        "deal.lost has no listener here"
    );
    for request in &got {
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("POST", "/hooks/crm")
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert!(request.signed_with(&made.secret), "{request:?}");
        assert!(!request.signed_with("whsec_someone-else's"), "{request:?}");
    }
    let body: serde_json::Value = serde_json::from_str(&got[1].body).unwrap();
    assert_eq!(body["event"], "deal.won");
    assert_eq!(body["occurred_at"], "2026-03-01T09:00:00Z");
    assert_eq!(body["data"]["title"], "Initech rollout");
    assert_eq!(body["data"]["stage"], "Won");
    assert_eq!(
        body["data"]["amount"], "250000.00",
        "money as everywhere in JSON"
    );

    let log = env
        .crm
        .webhook_deliveries(&env.admin, None, None, 10)
        .unwrap();
    assert!(
        log.iter()
            .all(|d| d.status == DeliveryStatus::Delivered && d.attempts == 1)
    );
    assert_eq!(log[0].response_status, Some(200));
    assert!(
        env.crm
            .deliver_due_webhooks(WAIT)
            .unwrap()
            .delivered
            .is_empty(),
        "once"
    );
}

crate::on_both_engines!(a_refused_change_queues_nothing_and_a_disabled_hook_hears_nothing);
fn a_refused_change_queues_nothing_and_a_disabled_hook_hears_nothing(env: &Env) {
    let receiver = HttpReceiver::start();
    let made = hook(env, &receiver, &[WebhookEvent::DealWon]);
    let id = deal(env, "Renewal");
    env.crm.win_deal(&env.admin, id).unwrap();
    let before = env.dump();
    assert!(matches!(
        env.crm.win_deal(&env.admin, id),
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        env.dump(),
        before,
        "no delivery for a change that did not happen"
    );

    env.crm
        .disable_webhook(&env.admin, made.webhook.id)
        .unwrap();
    let other = deal(env, "Upsell");
    env.crm.win_deal(&env.admin, other).unwrap();
    let log = env
        .crm
        .webhook_deliveries(&env.admin, None, None, 10)
        .unwrap();
    assert_eq!(log.len(), 1, "nothing queued for a disabled webhook");
    assert_eq!(log[0].status, DeliveryStatus::Failed);
    assert_eq!(
        log[0].last_error.as_deref(),
        Some("the webhook was disabled before it was sent")
    );
    assert!(
        env.crm
            .deliver_due_webhooks(WAIT)
            .unwrap()
            .delivered
            .is_empty()
    );
    assert!(receiver.received().is_empty());
}

crate::on_both_engines!(a_failing_receiver_is_retried_with_backoff_given_up_and_can_be_sent_again);
fn a_failing_receiver_is_retried_with_backoff_given_up_and_can_be_sent_again(env: &Env) {
    let receiver = HttpReceiver::start();
    hook(env, &receiver, &[WebhookEvent::DealWon]);
    let id = deal(env, "Renewal");
    env.crm.win_deal(&env.admin, id).unwrap();
    receiver.answer_next(&[500; 8]);

    // Attempt n fails at `at`; the next is due 30 s x 2^(n-1) later, not before.
    let mut at = start();
    for attempt in 1..=8 {
        let crm = env.at(at);
        let report = crm.deliver_due_webhooks(WAIT).unwrap();
        assert_eq!(report.failed.len(), 1, "attempt {attempt}: {report:?}");
        assert_eq!(report.failed[0].1, "the receiver answered HTTP 500");
        let log = crm.webhook_deliveries(&env.admin, None, None, 1).unwrap();
        assert_eq!(log[0].attempts, attempt);
        if attempt == 8 {
            assert_eq!(log[0].status, DeliveryStatus::Failed, "given up");
            assert_eq!(log[0].next_attempt_at, None);
            break;
        }
        let wait = Span::seconds(30 << (attempt - 1));
        assert_eq!(log[0].next_attempt_at, Some(at + wait));
        let early = env.at(at + wait - Span::seconds(1));
        assert!(
            early.deliver_due_webhooks(WAIT).unwrap().failed.is_empty(),
            "not yet"
        );
        at += wait;
    }
    let got = receiver.wait_for(8, WAIT);
    assert_eq!(got.len(), 8);
    let first = &got[0];
    assert!(
        got.iter().all(|r| r.body == first.body
            && r.header("x-crm-delivery") == first.header("x-crm-delivery")),
        "every retry sends the same delivery"
    );

    let crm = env.at(at);
    let delivery = crm.webhook_deliveries(&env.admin, None, None, 1).unwrap()[0].id;
    crm.retry_delivery(&env.admin, delivery).unwrap();
    assert_eq!(
        crm.deliver_due_webhooks(WAIT).unwrap().delivered,
        [delivery]
    );
    let err = crm.retry_delivery(&env.admin, delivery).unwrap_err();
    assert!(err.to_string().contains("not sent twice"), "{err}");
}

crate::on_both_engines!(two_senders_at_once_send_each_delivery_once);
fn two_senders_at_once_send_each_delivery_once(env: &Env) {
    let receiver = HttpReceiver::start();
    hook(env, &receiver, &[WebhookEvent::LeadCreated]);
    for n in 0..40 {
        env.crm
            .add_lead(
                &env.admin,
                &NewLead {
                    first_name: format!("Lead{n}"),
                    ..NewLead::default()
                },
            )
            .unwrap();
    }
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let crm = env.at(start());
            std::thread::spawn(move || crm.deliver_due_webhooks(WAIT).unwrap())
        })
        .collect();
    let sent: usize = senders
        .into_iter()
        .map(|s| s.join().unwrap().delivered.len())
        .sum();
    assert_eq!(sent, 40);
    let got = receiver.wait_for(40, WAIT);
    let mut ids: Vec<_> = got
        .iter()
        .map(|r| r.header("x-crm-delivery").unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!((got.len(), ids.len()), (40, 40), "each once");
}

crate::on_both_engines!(only_admins_manage_webhooks_and_bad_input_is_refused_by_field);
fn only_admins_manage_webhooks_and_bad_input_is_refused_by_field(env: &Env) {
    let manager = env.user("meera", Role::Manager);
    let new = NewWebhook {
        url: "https://hooks.example.com/crm".into(),
        events: vec![WebhookEvent::DealWon],
        secret: None,
    };
    assert!(matches!(
        env.crm.add_webhook(&manager, &new),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        env.crm.webhook_deliveries(&manager, None, None, 10),
        Err(Error::Forbidden(_))
    ));
    for (bad, field) in [
        (
            NewWebhook {
                url: "ftp://x".into(),
                ..new.clone()
            },
            "url",
        ),
        (
            NewWebhook {
                url: "https://".into(),
                ..new.clone()
            },
            "url",
        ),
        (
            NewWebhook {
                url: "https://a b.example".into(),
                ..new.clone()
            },
            "url",
        ),
        (
            NewWebhook {
                events: vec![],
                ..new.clone()
            },
            "events",
        ),
        (
            NewWebhook {
                secret: Some("short".into()),
                ..new.clone()
            },
            "secret",
        ),
    ] {
        match env.crm.add_webhook(&env.admin, &bad) {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field, "{bad:?}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    let made = env.crm.add_webhook(&env.admin, &new).unwrap();
    assert!(made.secret.starts_with("whsec_") && made.secret.len() > 60);
    assert_eq!(env.crm.webhooks(&env.admin).unwrap().len(), 1);
}
