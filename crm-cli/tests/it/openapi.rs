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
                .replace("{reference}", "nope"),
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
