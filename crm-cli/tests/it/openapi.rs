//! `/api/v1/openapi.json` describes every route the server has, and only those.

use serde_json::Value;

use crate::capture::raw;
use crate::env::{ADMIN_PW, TestEnv};
use crate::serve::{Server, call, login};

/// Routes are added with their description or not at all (`crm-server/src/openapi.rs`); this
/// checks the other half: every described route answers, rather than falling through to "no
/// route", and an undescribed one does fall through.
#[test]
fn the_description_lists_routes_that_answer() {
    let env = TestEnv::with_admin();
    let server = Server::start(&env);
    let token = login(&server, "root", ADMIN_PW);
    let (status, doc) = call("GET", &server.url("/api/v1/openapi.json"), None, None);
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for expected in [
        "/api/v1/leads",
        "/api/v1/leads/{id}/convert",
        "/capture/{key}",
        "/healthz",
    ] {
        assert!(paths.contains_key(expected), "{expected} is described");
    }
    let mut operations: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, methods)| {
            methods
                .as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    // Logging out last, so the token serves every other call.
    operations.sort_by_key(|(method, _)| method == "DELETE");
    assert!(operations.len() >= 20, "{operations:?}");
    for (method, path) in &operations {
        let url = server.url(
            &path
                .replace("{id}", "1")
                .replace("{key}", "nope")
                .replace("{reference}", "nope")
                .replace("{username}", "root")
                .replace("{kind}", "leads"),
        );
        let target = url.trim_start_matches(&server.base);
        let answer = raw(
            &server,
            &format!(
                "{method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
                 Authorization: Bearer {token}\r\nContent-Length: 0\r\n\r\n"
            ),
        );
        let text = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let body: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            !message.starts_with("no route"),
            "{method} {path} is described but not routed"
        );
        assert!(doc["paths"][path][method.to_lowercase()]["summary"].is_string());
    }
    let (status, body) = call(
        "GET",
        &server.url("/api/v1/undescribed"),
        Some(&token),
        None,
    );
    assert_eq!(status, 404);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("no route")
    );
    assert!(server.stop().success());
}

/// The schema a `$ref` names, from the description's components.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Every JSON body and every JSON answer has a schema from the types the handlers use, and the
/// records the API answers have exactly the fields their schemas name.
#[test]
fn bodies_and_answers_have_schemas_that_the_answers_match() {
    let env = TestEnv::with_admin();
    let contact = env.json(&[
        "contacts",
        "add",
        "--first-name",
        "Kavya",
        "--email",
        "kavya@example.com",
    ]);
    env.json(&["leads", "add", "--first-name", "Aarav"]);
    env.json(&["deals", "add", "Renewal", "--amount", "5000"]);
    env.ok(
        &[
            "tickets",
            "add",
            "Cannot log in",
            "--contact",
            &contact["id"].to_string(),
        ],
        "",
    );
    env.ok(&["tasks", "add", "Call back"], "");
    let server = Server::start(&env);
    let token = login(&server, "root", ADMIN_PW);
    let (_, doc) = call("GET", &server.url("/api/v1/openapi.json"), None, None);
    let mut described = 0;
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            if let Some(content) = operation["requestBody"]["content"].as_object()
                && let Some(json) = content.get("application/json")
            {
                let schema = resolve(&doc, &json["schema"]);
                assert!(
                    schema["properties"].is_object() || schema["type"].is_string(),
                    "{method} {path}: request schema {schema}"
                );
            }
            let ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
                .as_object()
                .or_else(|| {
                    operation["responses"]["201"]["content"]["application/json"]["schema"]
                        .as_object()
                });
            if path.starts_with("/api/v1/")
                && !path.ends_with("openapi.json")
                && !path.contains("exports")
                && !path.contains("imports")
                && method != "delete"
                && !path.ends_with("/password")
                && !(path == "/api/v1/sessions" && method == "delete")
            {
                assert!(ok.is_some(), "{method} {path} has no answer schema");
                described += 1;
            }
        }
    }
    assert!(described > 50, "{described}");
    for (path, name) in [
        ("/api/v1/contacts/1", "Contact"),
        ("/api/v1/leads/1", "Lead"),
        ("/api/v1/deals/1", "Deal"),
        ("/api/v1/tickets/1", "Ticket"),
        ("/api/v1/tasks/1", "Task"),
        ("/api/v1/campaigns/general", "Campaign"),
        ("/api/v1/users/root", "User"),
    ] {
        let (status, record) = call("GET", &server.url(path), Some(&token), None);
        assert_eq!(status, 200, "{path}: {record}");
        let schema = &doc["components"]["schemas"][name];
        let properties = schema["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name}: {schema}"));
        let fields = record.as_object().unwrap();
        for key in fields.keys() {
            assert!(
                properties.contains_key(key),
                "{name}: {key} is answered but not described"
            );
        }
        for required in schema["required"].as_array().unwrap() {
            assert!(
                fields.contains_key(required.as_str().unwrap()),
                "{name}: {required} is described as required but not answered"
            );
        }
    }
    let amount = &doc["components"]["schemas"]["Deal"]["properties"]["amount"];
    assert_eq!(
        amount["type"], "string",
        "money is a decimal string: {amount}"
    );
    assert!(server.stop().success());
}
