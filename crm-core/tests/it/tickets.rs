//! Tickets and the resolution email, delivered to a real SMTP listener on loopback.

use crate::env::loaded;
use std::time::Duration;

use crm_core::testing::SmtpListener;
use crm_core::{
    ContactId, Error, NewContact, NewTicket, OutboxStatus, Role, SmtpConfig, TicketQuery,
    TicketStatus, TlsMode,
};

use crate::env::Env;

fn smtp(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        username: None,
        password: None,
        from: "support@demo-crm.in".into(),
        timeout: Duration::from_secs(5),
    }
}

fn customer(env: &Env) -> ContactId {
    env.crm
        .add_contact(
            &env.admin,
            &NewContact {
                first_name: "Ishita".into(),
                email: Some("ishita.b@gmail.com".into()),
                ..NewContact::default()
            },
        )
        .unwrap()
        .id
}

fn ticket(contact: ContactId) -> NewTicket {
    NewTicket {
        fields: crm_core::FieldInput::default(),
        subject: "Missing package".into(),
        description: Some("Order #4411 never arrived".into()),
        contact,
        priority: None,
        assignee: None,
    }
}

crate::on_both_engines!(the_briefs_missing_package_example_ends_in_the_customers_inbox);
fn the_briefs_missing_package_example_ends_in_the_customers_inbox(env: &Env) {
    let john = env.user("john", Role::SupportAgent);
    let contact = customer(env);
    let t = env.crm.add_ticket(&env.admin, &ticket(contact)).unwrap();
    assert_eq!(t.status, TicketStatus::Open);
    env.crm.assign_ticket(&env.admin, t.id, "john").unwrap();
    let started = env.crm.start_ticket(&john, t.id).unwrap();
    assert_eq!(started.status, TicketStatus::InProgress);
    let resolved = env
        .crm
        .resolve_ticket(&john, t.id, "Found at the depot; redelivered today.")
        .unwrap();
    assert_eq!(resolved.ticket.status, TicketStatus::Resolved);
    let queued = env
        .crm
        .outbox_message(&env.admin, resolved.email.unwrap())
        .unwrap();
    assert_eq!(queued.status, OutboxStatus::Queued);
    assert_eq!(queued.to, "ishita.b@gmail.com");
    assert_eq!(
        queued.subject,
        format!("[Ticket #{}] Resolved: Missing package", t.id)
    );

    let listener = SmtpListener::start();
    let report = env
        .crm
        .send_outbox(&env.admin, &smtp(listener.port))
        .unwrap();
    assert_eq!((report.sent.len(), report.failed.len()), (1, 0));
    let received = listener.messages();
    assert_eq!(received.len(), 1);
    assert!(
        received[0].contains("To: ishita.b@gmail.com"),
        "{}",
        received[0]
    );
    assert!(
        received[0].contains("Found at the depot; redelivered today."),
        "{}",
        received[0]
    );
    assert_eq!(
        env.crm
            .outbox_message(&env.admin, queued.id)
            .unwrap()
            .status,
        OutboxStatus::Sent
    );
    // Sending again sends nothing twice.
    let again = env
        .crm
        .send_outbox(&env.admin, &smtp(listener.port))
        .unwrap();
    assert!(again.sent.is_empty());
    assert_eq!(listener.messages().len(), 1);
}

crate::on_both_engines!(a_down_server_keeps_the_mail_queued_until_a_retry_delivers_it_once);
fn a_down_server_keeps_the_mail_queued_until_a_retry_delivers_it_once(env: &Env) {
    let contact = customer(env);
    let t = env.crm.add_ticket(&env.admin, &ticket(contact)).unwrap();
    let email = env
        .crm
        .resolve_ticket(&env.admin, t.id, "Refunded")
        .unwrap()
        .email
        .unwrap();
    // A port nobody listens on: bind, note it, close.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let report = env.crm.send_outbox(&env.admin, &smtp(dead)).unwrap();
    assert_eq!(report.failed.len(), 1);
    let m = env.crm.outbox_message(&env.admin, email).unwrap();
    assert_eq!((m.status, m.attempts), (OutboxStatus::Queued, 1));
    assert!(m.last_error.as_deref().is_some_and(|e| !e.is_empty()));
    let listener = SmtpListener::start();
    let report = env
        .crm
        .send_outbox(&env.admin, &smtp(listener.port))
        .unwrap();
    assert_eq!(report.sent, [email]);
    assert_eq!(
        env.crm
            .send_outbox(&env.admin, &smtp(listener.port))
            .unwrap()
            .sent
            .len(),
        0
    );
    assert_eq!(listener.messages().len(), 1, "delivered exactly once");
    let m = env.crm.outbox_message(&env.admin, email).unwrap();
    assert_eq!((m.status, m.attempts), (OutboxStatus::Sent, 2));
}

crate::on_both_engines!(bad_ticket_input_is_refused_and_changes_nothing);
fn bad_ticket_input_is_refused_and_changes_nothing(env: &Env) {
    let rep = env.user("asha", Role::SalesRep);
    env.user("neha", Role::Marketer);
    let contact = customer(env);
    let t = env.crm.add_ticket(&env.admin, &ticket(contact)).unwrap();
    let before = env.dump();
    assert_eq!(
        env.crm
            .resolve_ticket(&env.admin, t.id, "  ")
            .unwrap_err()
            .to_string(),
        "invalid resolution: is required"
    );
    let err = env.crm.assign_ticket(&env.admin, t.id, "asha").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid assignee: 'asha' is a sales_rep; tickets go to support agents, admins or managers"
    );
    assert_eq!(
        env.crm
            .assign_ticket(&env.admin, t.id, "ghost")
            .unwrap_err()
            .to_string(),
        "invalid assignee: no user named 'ghost'"
    );
    assert!(matches!(
        env.crm.resolve_ticket(&rep, t.id, "done"),
        Err(Error::Forbidden(_))
    ));
    let err = env
        .crm
        .add_ticket(&env.admin, &ticket(ContactId(999)))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid contact: contact 999 does not exist"
    );
    assert_eq!(env.dump(), before);
}

crate::on_both_engines!(the_queue_puts_urgent_first_and_hides_resolved);
fn the_queue_puts_urgent_first_and_hides_resolved(env: &Env) {
    let contact = customer(env);
    let low = env
        .crm
        .add_ticket(
            &env.admin,
            &NewTicket {
                priority: Some(crm_core::TicketPriority::Low),
                ..ticket(contact)
            },
        )
        .unwrap();
    let urgent = env
        .crm
        .add_ticket(
            &env.admin,
            &NewTicket {
                priority: Some(crm_core::TicketPriority::Urgent),
                ..ticket(contact)
            },
        )
        .unwrap();
    let done = env.crm.add_ticket(&env.admin, &ticket(contact)).unwrap();
    env.crm.resolve_ticket(&env.admin, done.id, "ok").unwrap();
    let queue: Vec<_> = env
        .crm
        .list_tickets(&env.admin, &TicketQuery::default())
        .unwrap()
        .items
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(queue, [urgent.id, low.id]);
    env.crm.reopen_ticket(&env.admin, done.id).unwrap();
    let report = env.crm.ticket_report(&env.admin).unwrap();
    assert_eq!(report.open_by_status, [("Open".to_string(), 3)]);
}

crate::on_both_engines!(demo => loaded: the_queue_and_task_list_filter_by_text);
fn the_queue_and_task_list_filter_by_text(env: &crate::env::Env) {
    let subjects = |search: &str| -> Vec<String> {
        env.crm
            .list_tickets(
                &env.admin,
                &crm_core::TicketQuery {
                    search: Some(search.into()),
                    include_resolved: true,
                    ..crm_core::TicketQuery::default()
                },
            )
            .unwrap()
            .items
            .into_iter()
            .map(|t| t.subject)
            .collect()
    };
    assert_eq!(subjects("gst"), ["Invoice shows the wrong GST number"]);
    // The customer's name matches too; LIKE wildcards in the text are literal.
    assert_eq!(subjects("ishita"), ["Missing package"]);
    assert!(subjects("100%").is_empty());

    let task = env
        .crm
        .add_task(
            &env.admin,
            &crm_core::NewTask {
                title: "Call Ishita about the refund".into(),
                ..crm_core::NewTask::default()
            },
        )
        .unwrap();
    let found = env
        .crm
        .list_tasks(
            &env.admin,
            &crm_core::TaskQuery {
                search: Some("REFUND".into()),
                ..crm_core::TaskQuery::default()
            },
        )
        .unwrap();
    assert_eq!(
        found.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [task.id]
    );
}

crate::on_both_engines!(demo => loaded: support_edits_a_ticket_and_a_refused_edit_changes_nothing);
fn support_edits_a_ticket_and_a_refused_edit_changes_nothing(env: &crate::env::Env) {
    let (john, _) = env.crm.login("john", crm_core::DEMO_PASSWORD).unwrap();
    let (asha, _) = env.crm.login("asha", crm_core::DEMO_PASSWORD).unwrap();
    let id = crm_core::TicketId(2);
    let before = env.dump();
    let refused = env
        .crm
        .edit_ticket(
            &asha,
            id,
            &crm_core::TicketPatch {
                priority: Some(crm_core::TicketPriority::Urgent),
                ..crm_core::TicketPatch::default()
            },
        )
        .unwrap_err();
    assert!(
        matches!(refused, crm_core::Error::Forbidden(_)),
        "{refused}"
    );
    let blank = env
        .crm
        .edit_ticket(
            &john,
            id,
            &crm_core::TicketPatch {
                subject: Some("  ".into()),
                ..crm_core::TicketPatch::default()
            },
        )
        .unwrap_err();
    assert!(blank.to_string().contains("subject"), "{blank}");
    assert_eq!(
        env.dump(),
        before,
        "refused and invalid edits change nothing"
    );

    let t = env
        .crm
        .edit_ticket(
            &john,
            id,
            &crm_core::TicketPatch {
                priority: Some(crm_core::TicketPriority::Urgent),
                description: Some(String::new()),
                ..crm_core::TicketPatch::default()
            },
        )
        .unwrap();
    assert_eq!(t.priority, crm_core::TicketPriority::Urgent);
    assert_eq!(t.description, None, "an empty description clears it");
    assert_eq!(
        t.subject, "Invoice shows the wrong GST number",
        "untouched fields stay"
    );
    assert_eq!(
        crm_core::testing::count(
            &env.path,
            "SELECT count(*) FROM activities WHERE verb = 'updated' AND entity_type = 'ticket' AND entity_id = 2"
        ),
        1
    );
}
