//! No lost updates over HTTP: `ETag` on reads, `If-Match` on writes, 428 without it, 412 when
//! someone saved in between, with nothing written and the current version in the answer.

use serde_json::{Value, json};

use crate::env::{ADMIN_PW, TestEnv};
use crate::serve::{Server, agent, login};

/// Status, `ETag` and JSON body (null when there is none) of one request.
struct Answer {
    status: u16,
    etag: Option<String>,
    body: Value,
}

fn send(
    method: &str,
    server: &Server,
    path: &str,
    token: &str,
    if_match: Option<&str>,
    body: Option<&Value>,
) -> Answer {
    let agent = agent();
    let url = server.url(path);
    let auth = format!("Bearer {token}");
    let response = match method {
        "GET" | "DELETE" => {
            let mut req = if method == "GET" {
                agent.get(&url)
            } else {
                agent.delete(&url)
            };
            req = req.header("Authorization", &auth);
            if let Some(tag) = if_match {
                req = req.header("If-Match", tag);
            }
            req.call()
        }
        _ => {
            let mut req = if method == "PATCH" {
                agent.patch(&url)
            } else {
                agent.post(&url)
            };
            req = req.header("Authorization", &auth);
            if let Some(tag) = if_match {
                req = req.header("If-Match", tag);
            }
            req.send_json(body.unwrap_or(&json!({})))
        }
    };
    let mut response = response.unwrap();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    Answer {
        status,
        etag,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// Asha and Meera open one deal; Asha saves first; Meera's save, made against what she read,
/// is refused with 412 and writes nothing; after reloading, hers lands beside Asha's.
#[test]
fn two_clients_edit_one_deal_and_the_second_is_refused_until_it_reloads() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.add_user("meera", "manager");
    let server = Server::start(&env);
    let asha = login(&server, "asha", "asha-password-1");
    let meera = login(&server, "meera", "meera-password-1");
    let made = send(
        "POST",
        &server,
        "/api/v1/deals",
        &asha,
        None,
        Some(&json!({ "title": "Techverse rollout", "amount": "150000", "currency": "INR" })),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.etag.as_deref(), Some("\"1\""));
    let path = format!("/api/v1/deals/{}", made.body["id"]);

    let seen_by_asha = send("GET", &server, &path, &asha, None, None);
    let seen_by_meera = send("GET", &server, &path, &meera, None, None);
    assert_eq!(seen_by_asha.etag, seen_by_meera.etag);
    assert_eq!(seen_by_asha.body["version"], 1);

    let saved = send(
        "PATCH",
        &server,
        &path,
        &asha,
        seen_by_asha.etag.as_deref(),
        Some(&json!({ "amount": "175000.50" })),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.etag.as_deref(), Some("\"2\""));
    assert_eq!(saved.body["amount"], "175000.50");

    let refused = send(
        "PATCH",
        &server,
        &path,
        &meera,
        seen_by_meera.etag.as_deref(),
        Some(&json!({ "title": "Techverse rollout, phase 1" })),
    );
    assert_eq!(refused.status, 412, "{}", refused.body);
    let error = &refused.body["error"];
    assert_eq!(error["code"], "stale");
    assert_eq!(error["current_version"], 2);
    assert_eq!(refused.etag.as_deref(), Some("\"2\""));
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("changed by asha at ") && message.contains("since you opened it"),
        "{message}"
    );

    let now = send("GET", &server, &path, &meera, None, None);
    assert_eq!(
        now.body["title"], "Techverse rollout",
        "nothing of Meera's landed"
    );
    assert_eq!(now.body["amount"], "175000.50", "Asha's change stands");

    let retried = send(
        "PATCH",
        &server,
        &path,
        &meera,
        now.etag.as_deref(),
        Some(&json!({ "title": "Techverse rollout, phase 1" })),
    );
    assert_eq!(retried.status, 200, "{}", retried.body);
    assert_eq!(retried.body["title"], "Techverse rollout, phase 1");
    assert_eq!(retried.body["amount"], "175000.50", "both changes kept");
    assert_eq!(retried.etag.as_deref(), Some("\"3\""));
    assert!(server.stop().success());
}

#[test]
fn a_write_without_if_match_is_428_and_a_bad_one_400_and_neither_writes() {
    let env = TestEnv::with_admin();
    let contact = env.json(&[
        "contacts",
        "add",
        "--first-name",
        "Kavya",
        "--company",
        "Acme",
    ]);
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let path = format!("/api/v1/contacts/{}", contact["id"]);
    let body = json!({ "job_title": "CTO" });

    let missing = send("PATCH", &server, &path, &root, None, Some(&body));
    assert_eq!(missing.status, 428, "{}", missing.body);
    assert_eq!(missing.body["error"]["code"], "precondition_required");
    for bad in ["yesterday", "\"0\"", "\"1\", \"2\""] {
        let answer = send("PATCH", &server, &path, &root, Some(bad), Some(&body));
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
        assert!(
            answer.body["error"]["fields"]["If-Match"].is_string(),
            "{}",
            answer.body
        );
    }
    let gone = send("DELETE", &server, &path, &root, None, None);
    assert_eq!(gone.status, 428);
    let mut put = agent()
        .put(server.url(&path))
        .header("Authorization", &format!("Bearer {root}"))
        .header("If-Match", "*")
        .send_json(&body)
        .unwrap();
    assert_eq!(put.status().as_u16(), 405, "records change by PATCH");
    assert!(
        put.headers()
            .get("allow")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("PATCH")
    );
    let answer: Value = serde_json::from_str(&put.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(answer["error"]["code"], "method_not_allowed");
    let now = send("GET", &server, &path, &root, None, None);
    assert_eq!(
        (now.body["job_title"].clone(), now.body["version"].clone()),
        (Value::Null, json!(1))
    );

    // `*` writes over any version, as HTTP means it; `null` clears a field.
    let any = send(
        "PATCH",
        &server,
        &path,
        &root,
        Some("*"),
        Some(&json!({ "company": null, "job_title": "CTO" })),
    );
    assert_eq!(any.status, 200, "{}", any.body);
    assert_eq!(any.body["company"], Value::Null);
    assert_eq!(any.body["job_title"], "CTO");
    let unknown = send(
        "PATCH",
        &server,
        &path,
        &root,
        any.etag.as_deref(),
        Some(&json!({ "jobtitle": "CEO" })),
    );
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert!(
        unknown.body["error"]["fields"]["jobtitle"].is_string(),
        "{}",
        unknown.body
    );
    assert!(server.stop().success());
}

/// A stage move is a change too: an edit made against the deal before it was won is refused;
/// a delete against an old version leaves the deal; against the current one it goes.
#[test]
fn moves_count_as_changes_and_a_stale_delete_deletes_nothing() {
    let env = TestEnv::with_admin();
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let made = send(
        "POST",
        &server,
        "/api/v1/deals",
        &root,
        None,
        Some(&json!({ "title": "Renewal" })),
    );
    let path = format!("/api/v1/deals/{}", made.body["id"]);
    let won = send("POST", &server, &format!("{path}/won"), &root, None, None);
    assert_eq!(won.status, 200, "{}", won.body);

    let stale = send(
        "PATCH",
        &server,
        &path,
        &root,
        made.etag.as_deref(),
        Some(&json!({ "probability": 10 })),
    );
    assert_eq!(stale.status, 412, "{}", stale.body);
    let stale_delete = send("DELETE", &server, &path, &root, made.etag.as_deref(), None);
    assert_eq!(stale_delete.status, 412, "{}", stale_delete.body);
    let current = send("GET", &server, &path, &root, None, None);
    assert_eq!(current.status, 200, "the deal is still there");
    assert_eq!(current.body["stage"], "Won");
    assert_ne!(current.etag, made.etag);

    let deleted = send(
        "DELETE",
        &server,
        &path,
        &root,
        current.etag.as_deref(),
        None,
    );
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_eq!(send("GET", &server, &path, &root, None, None).status, 404);
    assert!(server.stop().success());
}

/// Every record kind people edit answers its version and takes If-Match the same way.
#[test]
fn every_edited_kind_carries_a_version_and_refuses_a_stale_patch() {
    let env = TestEnv::with_admin();
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let contact = send(
        "POST",
        &server,
        "/api/v1/contacts",
        &root,
        None,
        Some(&json!({ "first_name": "Ira", "email": "ira@acme.example" })),
    );
    let made: Vec<(String, Value)> = vec![
        (
            "/api/v1/contacts".into(),
            json!({ "first_name": "Ira", "email": "ira@acme.example" }),
        ),
        ("/api/v1/leads".into(), json!({ "first_name": "Dev" })),
        (
            "/api/v1/campaigns".into(),
            json!({ "name": "Spring", "code": "spring" }),
        ),
        ("/api/v1/companies".into(), json!({ "name": "Globex" })),
        (
            "/api/v1/tickets".into(),
            json!({ "subject": "Broken", "contact": contact.body["id"] }),
        ),
        ("/api/v1/tasks".into(), json!({ "title": "Call back" })),
    ];
    let changes = [
        json!({ "job_title": "CTO" }),
        json!({ "company": "Initech" }),
        json!({ "description": "Spring push" }),
        json!({ "industry": "Manufacturing" }),
        json!({ "priority": "High" }),
        json!({ "title": "Call back today" }),
    ];
    for ((list, new), change) in made
        .iter()
        .skip(1)
        .chain(std::iter::once(&made[0]))
        .zip(changes.iter().skip(1).chain(std::iter::once(&changes[0])))
    {
        let added = if list == "/api/v1/contacts" {
            Answer {
                status: 201,
                etag: contact.etag.clone(),
                body: contact.body.clone(),
            }
        } else {
            send("POST", &server, list, &root, None, Some(new))
        };
        assert_eq!(added.status, 201, "{list}: {}", added.body);
        let key = if list == "/api/v1/campaigns" {
            added.body["code"].as_str().unwrap().to_string()
        } else {
            added.body["id"].to_string()
        };
        let path = format!("{list}/{key}");
        let read = send("GET", &server, &path, &root, None, None);
        assert_eq!(read.etag.as_deref(), Some("\"1\""), "{path}");
        let first = send(
            "PATCH",
            &server,
            &path,
            &root,
            read.etag.as_deref(),
            Some(change),
        );
        assert_eq!(
            (first.status, first.etag.as_deref()),
            (200, Some("\"2\"")),
            "{path}: {}",
            first.body
        );
        let second = send(
            "PATCH",
            &server,
            &path,
            &root,
            read.etag.as_deref(),
            Some(change),
        );
        assert_eq!(second.status, 412, "{path}: {}", second.body);
    }
    assert!(server.stop().success());
}

/// Admins manage users over the API: add one, change a role against the version read (which
/// ends the user's sessions), set a password; others may read only themselves.
#[test]
fn admins_add_and_change_users_and_a_role_change_ends_the_users_sessions() {
    let env = TestEnv::with_admin();
    let server = Server::start(&env);
    let root = login(&server, "root", ADMIN_PW);
    let added = send(
        "POST",
        &server,
        "/api/v1/users",
        &root,
        None,
        Some(
            &json!({ "username": "kiran", "display_name": "Kiran Rao", "role": "sales_rep", "password": "kiran-password-1" }),
        ),
    );
    assert_eq!(added.status, 201, "{}", added.body);
    assert!(added.body.get("password").is_none() && !added.body.to_string().contains("argon2"));
    let kiran = login(&server, "kiran", "kiran-password-1");
    assert_eq!(
        send("GET", &server, "/api/v1/users", &kiran, None, None).status,
        403
    );
    let me = send("GET", &server, "/api/v1/users/kiran", &kiran, None, None);
    assert_eq!(
        (me.status, me.body["role"].as_str()),
        (200, Some("sales_rep"))
    );
    assert_eq!(
        send("GET", &server, "/api/v1/users/root", &kiran, None, None).status,
        403
    );

    let read = send("GET", &server, "/api/v1/users/kiran", &root, None, None);
    let promoted = send(
        "PATCH",
        &server,
        "/api/v1/users/kiran",
        &root,
        read.etag.as_deref(),
        Some(&json!({ "role": "manager" })),
    );
    assert_eq!(
        (promoted.status, promoted.body["role"].as_str()),
        (200, Some("manager")),
        "{}",
        promoted.body
    );
    let stale = send(
        "PATCH",
        &server,
        "/api/v1/users/kiran",
        &root,
        read.etag.as_deref(),
        Some(&json!({ "active": false })),
    );
    assert_eq!(stale.status, 412, "{}", stale.body);
    assert_eq!(
        send("GET", &server, "/api/v1/me", &kiran, None, None).status,
        401,
        "a session does not outlive the role it was opened with"
    );

    let set = send(
        "POST",
        &server,
        "/api/v1/users/kiran/password",
        &root,
        None,
        Some(&json!({ "password": "another-password-2" })),
    );
    assert_eq!(set.status, 204, "{}", set.body);
    login(&server, "kiran", "another-password-2");
    let weak = send(
        "POST",
        &server,
        "/api/v1/users",
        &root,
        None,
        Some(&json!({ "username": "x", "role": "marketer", "password": "short" })),
    );
    assert_eq!(weak.status, 422, "{}", weak.body);
    assert!(
        weak.body["error"]["fields"]["password"].is_string(),
        "{}",
        weak.body
    );
    assert!(
        !weak.body.to_string().contains("short"),
        "the password is not echoed"
    );
    assert!(server.stop().success());
}
