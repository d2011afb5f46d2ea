//! `crm serve`: the real binary on 127.0.0.1:0, talked to with a real HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::env::{ADMIN_PW, TestEnv};

/// A running `crm serve`; stopped with SIGTERM by `stop`, killed if a test fails first.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
    log: std::path::PathBuf,
}

impl Server {
    pub(crate) fn start(env: &TestEnv) -> Server {
        Server::start_with(env, &[])
    }

    pub(crate) fn start_with(env: &TestEnv, extra: &[&str]) -> Server {
        let log = env.dir.path().join("serve.log");
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend(extra);
        let mut child = env
            .process(&args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {line:?}"))
            .to_string();
        Server { child, base, log }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) fn get(&self, path: &str, token: &str) -> (u16, Value) {
        call("GET", &self.url(path), Some(token), None)
    }

    pub(crate) fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        call("POST", &self.url(path), Some(token), Some(body))
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }

    /// SIGTERM, then the exit status.
    pub(crate) fn stop(mut self) -> std::process::ExitStatus {
        signal("TERM", &self.pid());
        self.child.wait().unwrap()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn signal(name: &str, pid: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), pid])
        .status()
        .unwrap();
    assert!(status.success());
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// A request's status and JSON body (null when the body is not JSON).
pub(crate) fn call(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let agent = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut response = match (method, body) {
        ("GET", _) => {
            let mut req = agent.get(url);
            if let Some(a) = &auth {
                req = req.header("Authorization", a);
            }
            req.call()
        }
        ("DELETE", _) => {
            let mut req = agent.delete(url);
            if let Some(a) = &auth {
                req = req.header("Authorization", a);
            }
            req.call()
        }
        ("POST", body) => {
            let mut req = agent.post(url);
            if let Some(a) = &auth {
                req = req.header("Authorization", a);
            }
            match body {
                Some(b) => req.send_json(b),
                None => req.send_empty(),
            }
        }
        _ => panic!("{method}"),
    }
    .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) fn login(server: &Server, username: &str, password: &str) -> String {
    let (status, body) = call(
        "POST",
        &server.url("/api/v1/sessions"),
        None,
        Some(&json!({ "username": username, "password": password })),
    );
    assert_eq!(status, 201, "{body}");
    body["token"].as_str().unwrap().to_string()
}

/// The brief's flow over HTTP: log in, add a campaign and a lead, convert it, win its deal,
/// read the marketing report, log out.
#[test]
fn the_api_logs_in_adds_and_converts_a_lead_and_wins_its_deal() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    env.add_user("neha", "marketer");
    let server = Server::start(&env);

    let health = agent().get(server.url("/healthz")).call().unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let (status, _) = call("GET", &server.url("/readyz"), None, None);
    assert_eq!(status, 200);

    let (status, body) = call(
        "POST",
        &server.url("/api/v1/sessions"),
        None,
        Some(&json!({ "username": "asha", "password": "wrong-password-1" })),
    );
    assert_eq!(status, 401);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("invalid username or password")
    );

    let marketer = login(&server, "neha", "neha-password-1");
    let (status, campaign) = server.post(
        "/api/v1/campaigns",
        &marketer,
        &json!({ "name": "Launch Sprint", "code": "launch-sprint", "budget": "50000" }),
    );
    assert_eq!(status, 201, "{campaign}");

    let token = login(&server, "asha", "asha-password-1");
    let (status, me) = server.get("/api/v1/me", &token);
    assert_eq!((status, me["username"].as_str()), (200, Some("asha")));

    let (status, lead) = server.post(
        "/api/v1/leads",
        &token,
        &json!({
            "first_name": "Aarav",
            "last_name": "Sharma",
            "email": "aarav@techverse.in",
            "company": "TechVerse",
            "campaign": "launch-sprint",
            "bant": { "budget": true, "need": true },
        }),
    );
    assert_eq!(status, 201, "{lead}");
    let lead_id = lead["id"].as_i64().unwrap();
    assert_eq!(lead["owner"].as_str(), Some("asha"));

    let (status, page) = server.get("/api/v1/leads?limit=10", &token);
    assert_eq!(status, 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"].as_i64(), Some(lead_id));
    assert!(page["next"].is_null());

    let (status, conversion) = server.post(
        &format!("/api/v1/leads/{lead_id}/convert"),
        &token,
        &json!({ "amount": "150000" }),
    );
    assert_eq!(status, 201, "{conversion}");
    let deal_id = conversion["deal_id"].as_i64().unwrap();

    let (status, moved) = call(
        "POST",
        &server.url(&format!("/api/v1/deals/{deal_id}/won")),
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["to"].as_str(), Some("Won"));
    let (_, deal) = server.get(&format!("/api/v1/deals/{deal_id}"), &token);
    assert_eq!(deal["stage"].as_str(), Some("Won"));

    let (status, report) = server.get("/api/v1/reports/marketing", &marketer);
    assert_eq!(status, 200, "{report}");
    let line = report["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "launch-sprint")
        .unwrap();
    assert_eq!(line["leads"], 1);
    assert_eq!(line["converted_leads"], 1);
    assert_eq!(line["revenue"], "150000.00", "one money format: {line}");
    let (status, _) = server.get("/api/v1/reports/marketing", &token);
    assert_eq!(status, 403, "a sales rep may not read the marketing report");

    // The same rows the CLI reads.
    let leads = env.json(&["leads", "list", "--all"]);
    assert_eq!(leads[0]["stage"].as_str(), Some("Converted"));

    let (status, _) = call(
        "DELETE",
        &server.url("/api/v1/sessions"),
        Some(&token),
        None,
    );
    assert_eq!(status, 204);
    let (status, _) = server.get("/api/v1/me", &token);
    assert_eq!(status, 401);

    let log = server.log();
    assert!(log.contains("/api/v1/sessions"), "{log}");
    assert!(
        !log.contains("asha-password-1") && !log.contains(&token),
        "the log holds no password or token"
    );
    assert!(server.stop().success());
}

/// Every refusal has the one JSON shape and the status that says why, and changes nothing.
#[test]
fn bad_requests_are_refused_with_one_error_shape() {
    let env = TestEnv::with_admin();
    let server = Server::start(&env);
    let token = login(&server, "root", ADMIN_PW);
    let before = env.dump();

    let no_auth = agent().get(server.url("/api/v1/leads")).call().unwrap();
    assert_eq!(no_auth.status().as_u16(), 401);
    assert_eq!(no_auth.headers().get("www-authenticate").unwrap(), "Bearer");
    let (status, body) = call(
        "GET",
        &server.url("/api/v1/leads"),
        Some("crm_forged"),
        None,
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );

    let (status, body) = server.post(
        "/api/v1/leads",
        &token,
        &json!({ "first_name": "Ira", "nickname": "I" }),
    );
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["fields"]["nickname"].is_string(), "{body}");

    let (status, body) = server.post(
        "/api/v1/leads",
        &token,
        &json!({ "first_name": "", "email": "not-an-email" }),
    );
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid ")
    );

    let raw = |content_type: &str, body: &str| {
        let mut response = agent()
            .post(server.url("/api/v1/leads"))
            .header("Authorization", &format!("Bearer {token}"))
            .header("Content-Type", content_type)
            .send(body)
            .unwrap();
        let text = response.body_mut().read_to_string().unwrap();
        (
            response.status().as_u16(),
            serde_json::from_str::<Value>(&text).unwrap(),
        )
    };
    let (status, body) = raw("application/json", "{\"first_name\": ");
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("bad_request"))
    );
    let (status, body) = raw("text/plain", "first_name=Ira");
    assert_eq!(status, 415, "{body}");
    refused_as_too_large(&server, &token);

    let (status, body) = server.get("/api/v1/leads/abc", &token);
    assert_eq!(status, 400, "{body}");
    let (status, body) = server.get("/api/v1/leads/999", &token);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, body) = server.get("/api/v1/nothing", &token);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, body) = server.get("/api/v1/leads?colour=red", &token);
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["colour"].is_string(), "{body}");

    assert_eq!(env.dump(), before, "no refused request changed anything");

    let lead = json!({ "first_name": "Ira", "email": "ira@example.com" });
    let (status, first) = call(
        "POST",
        &server.url("/api/v1/leads"),
        Some(&token),
        Some(&lead),
    );
    assert_eq!(status, 201);
    let (status, body) = call(
        "POST",
        &server.url("/api/v1/leads"),
        Some(&token),
        Some(&lead),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("duplicate"))
    );
    assert_eq!(body["error"]["existing"]["id"], first["id"]);
    assert!(server.stop().success());
}

/// A body over the limit: 413. The server may answer before the client has sent it all and
/// close the connection under the sender, so the body goes from another thread whose write
/// errors do not count, and the answer is read here.
fn refused_as_too_large(server: &Server, token: &str) {
    let address = server.base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&address).unwrap();
    let mut sender = stream.try_clone().unwrap();
    let size = 2 << 20;
    let head = format!(
        "POST /api/v1/leads HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    );
    let writer = std::thread::spawn(move || {
        let _ = sender.write_all(head.as_bytes());
        let _ = sender.write_all(&vec![b' '; size]);
    });
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 413");
    drop(stream);
    let _ = writer.join();
}

/// An API key acts as its user until it is revoked; only its hash is stored.
#[test]
fn an_api_key_acts_as_its_user_until_revoked() {
    let env = TestEnv::with_admin();
    env.add_user("asha", "sales_rep");
    let made = env.json(&["apikeys", "add", "--user", "asha", "--name", "website"]);
    let secret = made["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("crmk_"));
    assert!(
        !env.dump().contains(&secret[5..]),
        "only the hash is stored"
    );

    let server = Server::start(&env);
    let (status, me) = server.get("/api/v1/me", &secret);
    assert_eq!((status, me["username"].as_str()), (200, Some("asha")));
    let (status, lead) = server.post("/api/v1/leads", &secret, &json!({ "first_name": "Kiran" }));
    assert_eq!((status, lead["owner"].as_str()), (201, Some("asha")));

    let keys = env.json(&["apikeys", "list"]);
    assert_eq!(keys[0]["name"].as_str(), Some("website"));
    assert!(keys[0]["last_used_at"].is_string(), "{keys}");
    assert!(!keys.to_string().contains(&secret));

    env.ok(&["apikeys", "revoke", &made["key"]["id"].to_string()], "");
    let (status, _) = server.get("/api/v1/me", &secret);
    assert_eq!(status, 401);

    env.login("asha", "asha-password-1");
    let err = env.fails(&["apikeys", "add", "--user", "asha", "--name", "mine"], "");
    assert!(err.contains("may not add API keys"), "{err}");
    assert!(server.stop().success());
}

/// SIGTERM while a request is still arriving: it is answered, then the server exits 0.
#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits_zero() {
    let env = TestEnv::with_admin();
    let server = Server::start(&env);
    let token = login(&server, "root", ADMIN_PW);
    let address = server.base.trim_start_matches("http://").to_string();
    let body = json!({ "first_name": "Late", "email": "late@example.com" }).to_string();
    let mut stream = TcpStream::connect(&address).unwrap();
    let head = format!(
        "POST /api/v1/leads HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body.as_bytes()[..5]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    signal("TERM", &server.pid());
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(&body.as_bytes()[5..]).unwrap();
    let mut answer = String::new();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let mut server = server;
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let leads = env.json(&["leads", "list"]);
    assert_eq!(leads[0]["first_name"].as_str(), Some("Late"));
}

/// A rep asking for another rep's lead or deal hears "not found", as for one that does not
/// exist; its owner and a manager read it; a role that reads no leads at all is told so (403).
#[test]
fn another_reps_record_is_not_found_for_a_rep() {
    let env = TestEnv::with_admin();
    for (user, role) in [
        ("asha", "sales_rep"),
        ("ravi", "sales_rep"),
        ("meera", "manager"),
        ("john", "support_agent"),
    ] {
        env.add_user(user, role);
    }
    let made = env.json(&["leads", "add", "--first-name", "Tara", "--owner", "ravi"]);
    let lead = made["id"].as_i64().unwrap();
    let server = Server::start(&env);
    let asha = login(&server, "asha", "asha-password-1");
    let ravi = login(&server, "ravi", "ravi-password-1");
    let meera = login(&server, "meera", "meera-password-1");
    let john = login(&server, "john", "john-password-1");
    let path = format!("/api/v1/leads/{lead}");

    let (hidden, body) = server.get(&path, &asha);
    let (missing, _) = server.get("/api/v1/leads/99999", &asha);
    assert_eq!((hidden, missing), (404, 404), "{body}");
    assert!(!body.to_string().contains("Tara"));
    let (status, _) = server.post(
        &format!("{path}/convert"),
        &asha,
        &json!({ "amount": "1000" }),
    );
    assert_eq!(status, 404, "acting on it is answered the same");
    assert_eq!(server.get(&path, &ravi).0, 200);
    assert_eq!(server.get(&path, &meera).0, 200);
    let (status, body) = server.get(&path, &john);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    assert!(server.stop().success());
}
