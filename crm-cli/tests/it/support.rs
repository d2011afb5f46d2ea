//! The support queue and the outbox through the real binary, with a live SMTP listener.

use crm_core::testing::SmtpListener;

use crate::env::TestEnv;

fn send(env: &TestEnv, port: u16) -> std::process::Output {
    env.crm(&["outbox", "send"])
        .env("CRM_SMTP_HOST", "127.0.0.1")
        .env("CRM_SMTP_PORT", port.to_string())
        .env("CRM_SMTP_TLS", "none")
        .env("CRM_SMTP_FROM", "support@demo-crm.in")
        .output()
        .unwrap()
}

#[test]
fn the_briefs_missing_package_example_end_to_end() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "users",
            "add",
            "john",
            "--role",
            "support_agent",
            "--display-name",
            "Agent John",
            "--password-stdin",
        ],
        "john-password-1\n",
    );
    env.ok(
        &[
            "contacts",
            "add",
            "--first-name",
            "Ishita",
            "--last-name",
            "Banerjee",
            "--email",
            "ishita.b@gmail.com",
        ],
        "",
    );
    let t = env.json(&[
        "tickets",
        "add",
        "Missing package",
        "--contact",
        "1",
        "--priority",
        "High",
    ]);
    assert_eq!(t["status"], "Open");
    env.ok(&["tickets", "assign", "1", "--to", "john"], "");
    env.login("john", "john-password-1");
    let started = env.ok(&["tickets", "start", "1"], "");
    assert!(started.contains("In Progress (john)"), "{started}");
    let resolved = env.ok(
        &[
            "tickets",
            "resolve",
            "1",
            "--resolution",
            "John called the delivery partner; redelivered today.",
        ],
        "",
    );
    assert!(
        resolved.contains("queued as outbox message 1"),
        "{resolved}"
    );
    let queued = env.json(&["outbox", "show", "1"]);
    assert_eq!(queued["status"], "queued");
    assert_eq!(queued["subject"], "[Ticket #1] Resolved: Missing package");

    // The server is down: the mail stays queued with its error, and the command says so.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = send(&env, dead);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 message(s) could not be delivered"));
    let still = env.json(&["outbox", "show", "1"]);
    assert_eq!(
        (still["status"].as_str(), still["attempts"].as_i64()),
        (Some("queued"), Some(1))
    );

    let listener = SmtpListener::start();
    let out = send(&env, listener.port);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Sent 1 message(s)"));
    assert!(send(&env, listener.port).status.success());
    let received = listener.messages();
    assert_eq!(received.len(), 1, "delivered once, not again");
    assert!(
        received[0].contains("To: ishita.b@gmail.com") && received[0].contains("redelivered today"),
        "{}",
        received[0]
    );
    assert_eq!(env.json(&["outbox", "show", "1"])["status"], "sent");

    let report = env.json(&["report", "tickets"]);
    assert_eq!(report["resolved"], 1);
}

#[test]
fn ticket_refusals_are_one_line_and_change_nothing() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.ok(&["contacts", "add", "--first-name", "Ishita"], "");
    env.ok(&["tickets", "add", "Missing package", "--contact", "1"], "");
    let before = env.dump();
    assert_eq!(
        env.fails(&["tickets", "assign", "1", "--to", "asha"], ""),
        "error: invalid assignee: 'asha' is a sales_rep; tickets go to support agents, admins or managers"
    );
    assert_eq!(
        env.fails(&["tickets", "assign", "1", "--to", "nobody"], ""),
        "error: invalid assignee: no user named 'nobody'"
    );
    let missing = env.crm(&["tickets", "resolve", "1"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2), "a resolution is required");
    assert_eq!(
        env.fails(&["tickets", "resolve", "1", "--resolution", " "], ""),
        "error: invalid resolution: is required"
    );
    assert_eq!(
        env.fails(&["tickets", "add", "X", "--contact", "42"], ""),
        "error: invalid contact: contact 42 does not exist"
    );
    assert_eq!(env.dump(), before);
    let resolved = env.ok(&["tickets", "resolve", "1", "--resolution", "done"], "");
    assert!(resolved.contains("no email address"), "{resolved}");
    let before = env.dump();
    assert!(
        env.fails(&["outbox", "send"], "")
            .contains("no SMTP server configured")
    );
    assert_eq!(env.dump(), before);
}
