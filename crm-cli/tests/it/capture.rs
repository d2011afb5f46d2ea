//! Web-to-lead through a real `crm serve`: posts as a browser's plain HTML form and as a
//! script's JSON, with the form's origins, limits and redirect.

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::Value;

use crate::env::TestEnv;
use crate::serve::Server;

/// Sends `request` as written and returns the whole answer (the request asks to close).
pub(crate) fn raw(server: &Server, request: &str) -> String {
    let address = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// A post of `body` with `content_type`, as a browser on `origin` (if any) sends it.
fn post(
    server: &Server,
    path: &str,
    content_type: &str,
    origin: Option<&str>,
    body: &str,
) -> String {
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    raw(
        server,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{origin}\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn status(answer: &str) -> u16 {
    answer[9..12].parse().unwrap()
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    answer
        .split("\r\n\r\n")
        .next()?
        .lines()
        .find_map(|l| {
            l.split_once(": ")
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        })
        .map(|(_, v)| v)
}

fn leads_with(env: &TestEnv, search: &str) -> Vec<Value> {
    env.json(&["leads", "list", "--search", search])
        .as_array()
        .unwrap()
        .clone()
}

/// The brief's "Source: Website": a site's form drops leads into a campaign, visitors set no
/// stage, score or owner, a known address adds to its lead's history, and a bot's post, an
/// erased address or another site's post keep nothing.
#[test]
fn a_website_form_posts_leads_into_its_campaign() {
    let env = TestEnv::with_admin();
    env.ok(
        &[
            "campaigns",
            "add",
            "Launch Sprint",
            "--code",
            "launch-sprint",
        ],
        "",
    );
    let form = env.json(&[
        "capture",
        "add",
        "--campaign",
        "launch-sprint",
        "--name",
        "Website form",
        "--allow-origin",
        "https://example.com",
        "--redirect",
        "https://example.com/thanks",
    ]);
    let key = form["key"].as_str().unwrap();
    let path = format!("/capture/{key}");
    let server = Server::start(&env);
    let form_type = "application/x-www-form-urlencoded";

    let answer = post(
        &server,
        &path,
        form_type,
        Some("https://example.com"),
        "First+Name=Aarav&Last+Name=Sharma&Email=aarav%40techverse.in&Company=TechVerse\
         &stage=Won&score=99&owner=root&_trap=",
    );
    assert_eq!(status(&answer), 303, "{answer}");
    assert_eq!(
        header(&answer, "location"),
        Some("https://example.com/thanks")
    );
    assert_eq!(
        header(&answer, "access-control-allow-origin"),
        Some("https://example.com")
    );
    let leads = leads_with(&env, "aarav");
    assert_eq!(leads.len(), 1, "{leads:?}");
    let lead = &leads[0];
    assert_eq!(lead["source"], "Website");
    assert_eq!(lead["campaign"], "Launch Sprint");
    assert_eq!(lead["stage"], "New", "a visitor sets no stage");
    assert!(lead["owner"].is_null(), "nor an owner");
    assert_ne!(lead["score"], 99, "nor a score");

    let answer = post(
        &server,
        &format!("{path}?utm_source=newsletter&utm_medium=email"),
        "application/json",
        None,
        r#"{"first_name": "Meera", "email": "meera@example.org", "consent_email": true}"#,
    );
    assert_eq!(status(&answer), 202, "{answer}");
    let meera = &leads_with(&env, "meera@example.org")[0];
    assert_eq!(meera["utm_source"], "newsletter");

    // The same address again: no second lead, a line in the first one's history.
    let again = post(
        &server,
        &path,
        form_type,
        None,
        "first_name=Aarav&email=AARAV%40techverse.in&message=Call+me+on+Monday",
    );
    assert_eq!(status(&again), 303);
    assert_eq!(leads_with(&env, "aarav").len(), 1);
    let feed = env.json(&["activity", "--entity", &format!("lead:{}", lead["id"])]);
    assert!(feed.to_string().contains("Call me on Monday"), "{feed}");

    // A bot fills the hidden field; an erased address; the poster hears the same.
    let bot = post(
        &server,
        &path,
        form_type,
        None,
        "first_name=Bot&email=bot%40spam.example&_trap=x",
    );
    assert_eq!(status(&bot), 303);
    assert!(leads_with(&env, "spam.example").is_empty());
    env.ok(
        &["privacy", "erase", "--email", "meera@example.org", "--yes"],
        "",
    );
    let erased = post(
        &server,
        &path,
        form_type,
        None,
        "first_name=Meera&email=meera%40example.org",
    );
    assert_eq!(status(&erased), 303);
    assert!(leads_with(&env, "meera@example.org").is_empty());

    assert!(server.stop().success());
}

/// Another site's page may not post a form, nor pass its preflight; the form's own site may.
/// A post without a name is refused naming the field; a disabled form is gone.
#[test]
fn a_form_takes_posts_only_from_its_sites_and_while_enabled() {
    let env = TestEnv::with_admin();
    let form = env.json(&[
        "capture",
        "add",
        "--campaign",
        "General / Unassigned",
        "--name",
        "Site",
        "--allow-origin",
        "https://example.com/",
    ]);
    let path = format!("/capture/{}", form["key"].as_str().unwrap());
    let server = Server::start(&env);
    let form_type = "application/x-www-form-urlencoded";
    let ok = post(
        &server,
        &path,
        form_type,
        Some("https://example.com"),
        "first_name=Ok",
    );
    assert_eq!(status(&ok), 200, "no redirect: a thank-you page");
    // Another site's page may not post it, and its preflight is refused; the form's own is not.
    let other = post(
        &server,
        &path,
        form_type,
        Some("https://evil.example"),
        "first_name=Eve",
    );
    assert_eq!(status(&other), 403, "{other}");
    let preflight = |origin: &str| {
        raw(
            &server,
            &format!(
                "OPTIONS {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: {origin}\r\n\
                 Access-Control-Request-Method: POST\r\n\
                 Access-Control-Request-Headers: content-type\r\n\r\n"
            ),
        )
    };
    let allowed = preflight("https://example.com");
    assert_eq!(status(&allowed), 204, "{allowed}");
    assert_eq!(
        header(&allowed, "access-control-allow-methods"),
        Some("POST")
    );
    assert_eq!(status(&preflight("https://evil.example")), 403);

    // A missing name is refused by name; a disabled form is gone.
    let nameless = post(
        &server,
        &path,
        "application/json",
        None,
        r#"{"email": "x@y.org"}"#,
    );
    assert_eq!(status(&nameless), 422, "{nameless}");
    env.ok(&["capture", "disable", &form["id"].to_string()], "");
    let gone = post(&server, &path, form_type, None, "first_name=Late");
    assert_eq!(status(&gone), 404);
    assert!(server.stop().success());
}

/// One address may post a form so often a minute; past it, 429 with the seconds to wait.
#[test]
fn posts_over_a_forms_limit_get_429_with_retry_after() {
    let env = TestEnv::with_admin();
    let form = env.json(&[
        "capture",
        "add",
        "--campaign",
        "General / Unassigned",
        "--name",
        "Tight",
        "--per-ip",
        "3",
    ]);
    let path = format!("/capture/{}", form["key"].as_str().unwrap());
    let server = Server::start(&env);
    for i in 0..3 {
        let answer = post(
            &server,
            &path,
            "application/json",
            None,
            &format!(r#"{{"first_name": "P{i}"}}"#),
        );
        assert_eq!(status(&answer), 202, "{answer}");
    }
    let refused = post(
        &server,
        &path,
        "application/json",
        None,
        r#"{"first_name": "P3"}"#,
    );
    assert_eq!(status(&refused), 429, "{refused}");
    let wait: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert!(leads_with(&env, "P3").is_empty());
    assert!(server.stop().success());
}

/// Behind a proxy every post comes from the proxy: with `--behind-proxy` the limit counts the
/// address the proxy puts last in X-Forwarded-For; without it that header is not believed, so
/// a client cannot dodge its limit by sending one.
#[test]
fn behind_a_proxy_the_limit_counts_each_visitor_and_otherwise_the_header_is_not_believed() {
    let env = TestEnv::with_admin();
    let form = env.json(&[
        "capture",
        "add",
        "--campaign",
        "General / Unassigned",
        "--name",
        "Proxied",
        "--per-ip",
        "1",
    ]);
    let path = format!("/capture/{}", form["key"].as_str().unwrap());
    let send = |server: &Server, forwarded: &str, name: &str| {
        let body = format!(r#"{{"first_name": "{name}"}}"#);
        status(&raw(
            server,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
                 X-Forwarded-For: {forwarded}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            ),
        ))
    };
    let direct = Server::start(&env);
    assert_eq!(send(&direct, "203.0.113.1", "Direct1"), 202);
    assert_eq!(
        send(&direct, "203.0.113.2", "Direct2"),
        429,
        "a made-up header changes nothing"
    );
    assert!(direct.stop().success());

    let proxied = Server::start_with(&env, &["--behind-proxy"]);
    // The proxy appends the address it saw; what the client sent before it is not trusted.
    assert_eq!(send(&proxied, "198.51.100.7, 203.0.113.1", "Visitor1"), 202);
    assert_eq!(send(&proxied, "198.51.100.7, 203.0.113.2", "Visitor2"), 202);
    assert_eq!(send(&proxied, "203.0.113.2", "Visitor2again"), 429);
    assert!(proxied.stop().success());
}
